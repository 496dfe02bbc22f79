//! Unions read any value without recursing forever, even when a spec makes them members of
//! each other: a union asked again for the value it is trying gives up, and the outermost
//! keeps what fits nothing.

use serde_json::{json, Value};

#[derive(Debug, PartialEq)]
enum Left {
    Right(Box<Right>),
    Text(String),
    Unknown(Value),
}
xapi_core::untagged_union!(Left { Right(Right) union, Text(String) any } Unknown);

#[derive(Debug, PartialEq)]
enum Right {
    Left(Box<Left>),
    Number(i64),
    Unknown(Value),
}
xapi_core::untagged_union!(Right { Left(Left) union, Number(i64) any } Unknown);

/// How many unions wrap the value.
fn depth(left: &Left) -> usize {
    match left {
        Left::Right(r) => match r.as_ref() {
            Right::Left(l) => 2 + depth(l),
            _ => 1,
        },
        _ => 0,
    }
}

#[test]
fn unions_that_list_each_other_terminate_and_keep_the_value() {
    // Fits no member of either: the outer union keeps it, not a chain of inner ones.
    let read: Left = serde_json::from_value(json!(true)).unwrap();
    assert_eq!(read, Left::Unknown(json!(true)), "{}", depth(&read));
    assert_eq!(serde_json::to_value(&read).unwrap(), json!(true), "written back as it came");
    // A value a member takes is taken at the first level it fits.
    let read: Left = serde_json::from_value(json!("a")).unwrap();
    assert_eq!(read, Left::Text("a".into()));
    let read: Left = serde_json::from_value(json!(7)).unwrap();
    assert_eq!(read, Left::Right(Box::new(Right::Number(7))));
}

#[test]
fn the_depth_is_restored_after_each_value() {
    for _ in 0..3 {
        let read: Left = serde_json::from_value(json!(7)).unwrap();
        assert_eq!(read, Left::Right(Box::new(Right::Number(7))));
    }
}

/// A `oneOf` with no members: everything is kept.
#[derive(Debug, PartialEq)]
enum Nothing {
    Unknown(Value),
}
xapi_core::untagged_union!(Nothing {} Unknown);

#[test]
fn a_union_without_members_keeps_everything() {
    let read: Nothing = serde_json::from_value(json!({"a": 1})).unwrap();
    assert_eq!(read, Nothing::Unknown(json!({"a": 1})));
}
