//! Realistic response bodies (written for these tests, shaped like what X sends) deserialize
//! into the generated models, keep everything they carry (unknown properties, `null`s, legacy
//! spellings, one object sent for a list) and serialize back to the same JSON.

use serde_json::{json, Value};
use xapi::models::*;
use xapi::params::PostFields;
use xapi::types::DecodeFailure;

fn parse<T: serde::de::DeserializeOwned>(body: &str) -> T {
    serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}\n{body}"))
}

/// Parses, then checks that serializing gives back exactly the JSON that came in.
fn round_trip<T: serde::de::DeserializeOwned + serde::Serialize>(body: &str) -> T {
    let typed: T = parse(body);
    let original: Value = serde_json::from_str(body).unwrap();
    assert_eq!(serde_json::to_value(&typed).unwrap(), original, "nothing lost");
    typed
}

#[test]
fn post_lookup_with_includes_and_a_partial_error() {
    let body = r#"{
      "data": [{
        "id": "1460323737035677698",
        "text": "Introducing a new era for the X Developer Platform! https://t.co/abc",
        "author_id": "2244994945",
        "created_at": "2021-11-15T19:08:05.000Z",
        "lang": "en",
        "edit_history_post_ids": ["1460323737035677698"],
        "attachments": {"media_keys": ["3_1460323725123452929"]},
        "referenced_posts": [{"type": "quoted", "id": "1460323700000000000"}],
        "public_metrics": {"repost_count": 12, "reply_count": 3, "like_count": 140, "quote_count": 2, "bookmark_count": 5, "impression_count": 10234},
        "entities": {"urls": [{"start": 51, "end": 74, "url": "https://t.co/abc", "expanded_url": "https://developer.x.com", "display_url": "developer.x.com"}]},
        "possibly_sensitive": false,
        "some_field_x_added_later": {"nested": true}
      }],
      "includes": {
        "users": [{"id": "2244994945", "name": "Developers", "username": "XDevelopers", "verified": true,
                   "public_metrics": {"followers_count": 583000, "following_count": 2000, "tweet_count": 3800, "listed_count": 1800, "like_count": 2100}}],
        "media": [{"media_key": "3_1460323725123452929", "type": "photo", "url": "https://pbs.twimg.com/media/x.jpg", "width": 1200, "height": 675}]
      },
      "errors": [{
        "value": "1",
        "detail": "Could not find post with ids: [1].",
        "title": "Not Found Error",
        "resource_type": "post",
        "parameter": "ids",
        "resource_id": "1",
        "type": "https://api.twitter.com/2/problems/resource-not-found"
      }]
    }"#;
    let r: GetPostsByIdsResponse = round_trip(body);
    let post = &r.data.as_ref().unwrap()[0];
    assert_eq!(post.id.as_deref(), Some("1460323737035677698"));
    assert_eq!(post.public_metrics.as_ref().unwrap().like_count, Some(140));
    let refs = post.referenced_posts.as_ref().unwrap();
    assert_eq!(refs[0].r#type, Some(PostReferencedPostsItemType::Quoted));
    assert_eq!(post.extra["some_field_x_added_later"], json!({"nested": true}));
    let users = r.includes.as_ref().unwrap().users.as_ref().unwrap();
    assert_eq!(users[0].username.as_deref(), Some("XDevelopers"));
    // User metrics arrive as `tweet_count` although 2.169 says `post_count`.
    assert_eq!(users[0].public_metrics.as_ref().unwrap().post_count, Some(3800));
    let media = r.includes.as_ref().unwrap().media.as_ref().unwrap();
    assert_eq!(media[0].r#type.as_deref(), Some("photo"));
    // A partial error on the old host is still typed by its slug.
    match &r.errors.as_ref().unwrap()[0] {
        Problem::ResourceNotFound(p) => {
            assert_eq!(p.resource_id.as_deref(), Some("1"));
            assert_eq!(p.parameter.as_deref(), Some("ids"));
        }
        other => panic!("expected resource-not-found, got {other:?}"),
    }
}

#[test]
fn legacy_spellings_are_read_into_their_fields_and_written_back_as_they_came() {
    // A post read with `tweet.fields`: X answers in tweet vocabulary.
    let body = r#"{"data": {"id": "20", "text": "just setting up my twttr",
        "edit_history_tweet_ids": ["20"], "referenced_tweets": [{"type": "replied_to", "id": "19"}],
        "public_metrics": {"retweet_count": 120000, "reply_count": 1, "like_count": 2, "quote_count": 3},
        "note_tweet": {"text": "a long one"}},
      "includes": {"tweets": [{"id": "19", "text": "earlier"}]}}"#;
    let r: GetPostsByIdResponse = round_trip(body);
    let post = r.data.as_ref().unwrap();
    assert_eq!(post.edit_history_post_ids.as_deref(), Some(&["20".to_owned()][..]));
    assert_eq!(post.referenced_posts.as_ref().unwrap()[0].id.as_deref(), Some("19"));
    assert_eq!(post.public_metrics.as_ref().unwrap().repost_count, Some(120000));
    assert!(post.note_post.is_some());
    assert!(post.extra.is_empty(), "every legacy key went into its field: {:?}", post.extra);
    assert_eq!(r.includes.unwrap().posts.unwrap()[0].id.as_deref(), Some("19"));

    // Both spellings in one object: the current one fills the field, the other is kept.
    let both = r#"{"followers_count": 1, "tweet_count": 7, "post_count": 8}"#;
    let m: UserPublicMetrics = round_trip(both);
    assert_eq!(m.post_count, Some(8));
    assert_eq!(m.extra["tweet_count"], 7);
    let m: UserPublicMetrics = round_trip(r#"{"post_count": 8, "tweet_count": 7}"#);
    assert_eq!((m.post_count, &m.extra["tweet_count"]), (Some(8), &json!(7)));
}

#[test]
fn absence_never_fails_and_nulls_are_kept() {
    // Posts from before 2023 carry no bookmark or impression counts; X sends `null` at times.
    let body = r#"{"data": [{"id": "1", "public_metrics": {"retweet_count": 1, "reply_count": 0, "like_count": 4, "quote_count": 0}},
                            {"id": "2", "text": null, "withheld": null}]}"#;
    let r: GetPostsByIdsResponse = round_trip(body);
    let posts = r.data.unwrap();
    let metrics = posts[0].public_metrics.as_ref().unwrap();
    assert_eq!((metrics.like_count, metrics.bookmark_count, metrics.impression_count), (Some(4), None, None));
    assert_eq!(posts[1].text, None);
    assert!(posts[1].extra.is_empty(), "a null is the field's, not an unknown property");
    // A repost answers only whether it reposted, though the spec requires `rest_id`.
    let r: RepostPostResponse = round_trip(r#"{"data": {"retweeted": true}}"#);
    assert_eq!(r.data.unwrap().retweeted, Some(true));
}

#[test]
fn one_object_where_a_list_belongs_is_a_list_of_one() {
    let body = r#"{"data": {"id": "1067094924124872705", "text": "Just getting started"}}"#;
    let r: GetPostsByIdsResponse = round_trip(body);
    assert_eq!(r.data.unwrap()[0].id.as_deref(), Some("1067094924124872705"));
}

#[test]
fn user_lookup() {
    let body = r#"{"data": {
        "id": "783214", "name": "X", "username": "X", "created_at": "2007-02-20T14:35:54.000Z",
        "description": "what's happening?!", "location": "everywhere", "protected": false,
        "verified_type": "business", "profile_image_url": "https://pbs.twimg.com/profile_images/x.jpg",
        "pinned_tweet_id": "1234", "url": "https://t.co/xyz",
        "entities": {"url": {"urls": [{"start": 0, "end": 23, "url": "https://t.co/xyz", "expanded_url": "https://about.x.com", "display_url": "about.x.com"}]},
                     "description": {"hashtags": [{"start": 1, "end": 5, "tag": "web"}]}},
        "public_metrics": {"followers_count": 68000000, "following_count": 0, "tweet_count": 15000, "listed_count": 90000, "like_count": 6000},
        "withheld": {"country_codes": ["DE"]}
    }}"#;
    let r: GetUsersByIdResponse = round_trip(body);
    let user = r.data.unwrap();
    assert_eq!(user.username.as_deref(), Some("X"));
    assert_eq!(user.pinned_post_id.as_deref(), Some("1234"));
    assert_eq!(user.public_metrics.as_ref().and_then(|m| m.followers_count), Some(68_000_000));
    let hashtags = user.entities.unwrap().description.unwrap().hashtags.unwrap();
    assert_eq!(hashtags[0].tag.as_deref(), Some("web"));
}

#[test]
fn dm_event() {
    let body = r#"{"data": {
        "id": "1580705921830768647", "event_type": "MessageCreate", "text": "Hello, world",
        "sender_id": "906948460078698496", "dm_conversation_id": "1578392849038831617-906948460078698496",
        "created_at": "2022-10-14T00:29:12.000Z", "participant_ids": ["906948460078698496", "1578392849038831617"],
        "attachments": {"media_keys": ["3_1580705905523576833"]}
      },
      "includes": {"users": [{"id": "906948460078698496", "name": "Sender", "username": "sender"}]}}"#;
    let r: GetDirectMessagesEventsByIdResponse = round_trip(body);
    let event = r.data.unwrap();
    assert_eq!(event.event_type.as_deref(), Some("MessageCreate"));
    assert_eq!(event.participant_ids.unwrap().len(), 2);
}

#[test]
fn stream_rules_lookup_and_update() {
    let body = r#"{"data": [
        {"id": "1273026480692322304", "value": "cat has:media", "tag": "cats with media"},
        {"id": "1273028376882589696", "value": "dog has:media -is:retweet"}],
      "meta": {"sent": "2020-06-16T22:55:39.356Z", "result_count": 2}}"#;
    let r: GetRulesResponse = round_trip(body);
    assert_eq!(r.data.as_ref().unwrap()[1].tag, None);
    // `sent` is not in the spec; spec/wire.yaml adds it.
    assert_eq!(r.meta.unwrap().sent.as_deref(), Some("2020-06-16T22:55:39.356Z"));

    let body = r#"{"data": [{"value": "cat has:images", "tag": "cats", "id": "1273028376882589697"}],
      "meta": {"sent": "2020-06-16T22:55:39.356Z",
               "summary": {"created": 1, "not_created": 0, "valid": 1, "invalid": 0}}}"#;
    let r: UpdateRulesResponse = round_trip(body);
    assert_eq!(r.meta.unwrap().summary.unwrap()["created"], 1);

    // A request model keeps its required fields typed; the body serializes without the
    // fields left out.
    let request = UpdateRulesRequest {
        add: Some(vec![UpdateRulesAdd { value: "cat has:images".into(), tag: None, extra: Default::default() }]),
        delete: None,
        extra: Default::default(),
    };
    assert_eq!(serde_json::to_string(&request).unwrap(), r#"{"add":[{"value":"cat has:images"}]}"#);
}

#[test]
fn problems_are_typed_by_slug_on_any_host_and_unknown_types_kept_whole() {
    // usage-capped is not a member of 2.169's Problem union: kept, never an error.
    let body = r#"{"type": "https://api.twitter.com/2/problems/usage-capped", "title": "Usage cap exceeded",
                   "detail": "Usage cap exceeded: Monthly product cap", "period": "Monthly", "scope": "Product"}"#;
    match round_trip::<Problem>(body) {
        Problem::Unknown(v) => assert_eq!(v["period"], "Monthly"),
        other => panic!("{other:?}"),
    }
    // A listed type on either host, even without the fields its spec requires.
    for host in ["https://api.x.com", "https://api.twitter.com"] {
        let body =
            json!({"type": format!("{host}/2/problems/resource-not-found"), "title": "Not Found Error"}).to_string();
        assert!(matches!(round_trip::<Problem>(&body), Problem::ResourceNotFound(_)), "{host}");
    }
}

#[test]
fn enums_keep_values_they_do_not_list() {
    let fields: Vec<PostFields> = parse(r#"["created_at", "brand_new_field"]"#);
    assert_eq!(fields[0], PostFields::CreatedAt);
    assert_eq!(fields[1], PostFields::Unknown("brand_new_field".into()));
    assert_eq!(fields[1].as_str(), "brand_new_field");
    assert!(!fields[1].is_known());
    assert_eq!(serde_json::to_string(&fields).unwrap(), r#"["created_at","brand_new_field"]"#);
    // Values X accepts that the spec lost (spec/wire.yaml).
    assert!(PostFields::from_wire("author_id").is_known());
}

#[test]
fn a_value_that_does_not_fit_names_its_path_and_spec_pointer() {
    let body = r#"{"data": [{"id": "1"}, {"id": "2", "public_metrics": {"like_count": "many"}}]}"#;
    let e = serde_json::from_str::<GetPostsByIdsResponse>(body).unwrap_err().to_string();
    let failure = DecodeFailure::from_message(&e);
    assert_eq!(failure.path, "data[1].public_metrics.like_count", "{e}");
    assert!(failure.message.starts_with("invalid type: string \"many\", expected i64"), "{e}");
    assert_eq!(failure.pointer.as_deref(), Some("#/components/schemas/PostPublicMetrics/properties/like_count"));
    // A legacy spelling's failure names the spelling that came.
    let e = serde_json::from_str::<UserPublicMetrics>(r#"{"tweet_count": "x"}"#).unwrap_err().to_string();
    assert_eq!(DecodeFailure::from_message(&e).path, "tweet_count");
    // Request models keep their required properties strict.
    let e = serde_json::from_str::<UpdateRulesAdd>(r#"{"tag": "x"}"#).unwrap_err().to_string();
    let failure = DecodeFailure::from_message(&e);
    assert_eq!(failure.message, "missing field `value`", "{e}");
    assert_eq!(failure.pointer.as_deref(), Some("#/components/schemas/UpdateRulesAdd/properties/value"));
}

#[test]
fn untagged_unions_pick_the_member_that_fits() {
    let one: CreateUsersBookmarkResponse = round_trip(r#"{"data": {"bookmarked": true}}"#);
    assert!(matches!(one, CreateUsersBookmarkResponse::CreateUsersBookmarkResponseVariant1(_)), "{one:?}");
    let many: CreateUsersBookmarkResponse = round_trip(
        r#"{"errors": [{"title": "x", "type": "about:blank"}], "data": [{"bookmarked": false, "tweet_id": "1"}]}"#,
    );
    assert!(matches!(many, CreateUsersBookmarkResponse::CreateUsersBookmarkResponseVariant2(_)), "{many:?}");
}

#[test]
fn a_null_is_the_fields_and_the_last_of_repeated_keys_wins() {
    // Edited after decoding, a field that came as null is written once, with its new value.
    let mut post: Post = parse(r#"{"id": "1", "text": null}"#);
    post.text = Some("hello".into());
    let text = serde_json::to_string(&post).unwrap();
    assert_eq!(text.matches("\"text\"").count(), 1, "{text}");
    assert_eq!(serde_json::to_value(&post).unwrap()["text"], "hello");
    // Keys sent twice read as serde_json reads them: the last one wins.
    let m: UserPublicMetrics = parse(r#"{"followers_count": null, "followers_count": 3}"#);
    assert_eq!(serde_json::to_value(&m).unwrap(), json!({"followers_count": 3}));
    let m: UserPublicMetrics = parse(r#"{"post_count": 1, "post_count": null}"#);
    assert_eq!((m.post_count, serde_json::to_value(&m).unwrap()), (None, json!({"post_count": null})));
    let p: Post = parse(r#"{"public_metrics": {"like_count": 1}, "public_metrics": {"reply_count": 2}}"#);
    assert_eq!(serde_json::to_value(&p).unwrap(), json!({"public_metrics": {"reply_count": 2}}));
    // Both spellings, one a single object where the list belongs: each comes back as it came.
    let _: Expansions = round_trip(r#"{"tweets": {"id": "1"}, "posts": [{"id": "2"}]}"#);
}

#[test]
fn untagged_members_are_told_apart_by_their_properties_not_by_order() {
    // A delete names only the post and its author: the member that requires exactly those.
    let delete: ActivityStreamingResponsePayload = round_trip(r#"{"id": "1", "author_id": "2"}"#);
    assert!(matches!(delete, ActivityStreamingResponsePayload::PostDeleteActivityResponsePayload(_)), "{delete:?}");
    let post: ActivityStreamingResponsePayload = round_trip(r#"{"id": "1", "author_id": "2", "text": "hi"}"#);
    assert!(matches!(post, ActivityStreamingResponsePayload::Post(_)), "{post:?}");
    // A post with a value of the wrong type is not read as some laxer member: it is kept whole.
    let bad: ActivityStreamingResponsePayload =
        parse(r#"{"id": "1", "text": "hi", "author_id": "2", "public_metrics": {"like_count": "x"}}"#);
    assert!(matches!(bad, ActivityStreamingResponsePayload::Unknown(_)), "{bad:?}");
}

#[test]
fn failures_inside_lists_and_under_legacy_spellings_name_the_property_in_the_spec() {
    let failure = |e: serde_json::Error| DecodeFailure::from_message(&e.to_string());
    let f = failure(serde_json::from_str::<GetPostsByIdsResponse>(r#"{"data": [null]}"#).unwrap_err());
    assert_eq!(f.path, "data[0]");
    assert_eq!(f.pointer.as_deref(), Some("#/components/schemas/GetPostsByIdsResponse/properties/data"));
    let f = failure(serde_json::from_str::<Post>(r#"{"edit_history_post_ids": [1]}"#).unwrap_err());
    assert_eq!(f.path, "edit_history_post_ids[0]");
    assert_eq!(f.pointer.as_deref(), Some("#/components/schemas/Post/properties/edit_history_post_ids"));
    let f = failure(serde_json::from_str::<UserPublicMetrics>(r#"{"tweet_count": "x"}"#).unwrap_err());
    assert_eq!(f.path, "tweet_count", "the spelling that came");
    assert_eq!(f.pointer.as_deref(), Some("#/components/schemas/UserPublicMetrics/properties/post_count"));
    // A value quoted in the message cannot pass for the pointer.
    let f = failure(serde_json::from_str::<Post>(r#"{"public_metrics": "x (spec: y"}"#).unwrap_err());
    assert_eq!(f.path, "public_metrics");
    assert_eq!(f.pointer.as_deref(), Some("#/components/schemas/Post/properties/public_metrics"));
    assert!(f.message.contains(r#""x (spec: y""#), "{f}");
}
