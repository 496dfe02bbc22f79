//! Classification allocates nothing: every corpus body (v2 problems, v1.1 and Ads errors,
//! successes with data) is classified under a counting global allocator. The one exception is
//! a string classification keeps (a problem `type`, a code) written with escapes, which must
//! be unescaped into a buffer.

use http::{HeaderMap, HeaderValue, Method, StatusCode};
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

#[path = "../benches/corpus.rs"]
mod corpus;

thread_local! {
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

struct Counting;

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let _ = ALLOCATIONS.try_with(|c| c.set(c.get() + 1));
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn allocations(f: impl FnOnce()) -> usize {
    let before = ALLOCATIONS.with(Cell::get);
    f();
    ALLOCATIONS.with(Cell::get) - before
}

#[test]
fn classifying_the_corpus_does_not_allocate() {
    let mut headers = HeaderMap::new();
    headers.insert("x-rate-limit-remaining", HeaderValue::from_static("0"));
    headers.insert("x-rate-limit-reset", HeaderValue::from_static("1708000000"));
    headers.insert("content-type", HeaderValue::from_static("application/problem+json"));
    let mut checked = 0;
    for (status, body) in corpus::CORPUS {
        checked += 1;
        let status = StatusCode::from_u16(*status).unwrap();
        let n = allocations(|| {
            let o = xapi::classify(&Method::GET, status, &headers, body.as_bytes());
            std::hint::black_box(&o);
        });
        assert_eq!(n, 0, "{status} {body}");
    }
    assert!(checked >= 20, "{checked} bodies checked");
    // A kept string with escapes is the exception.
    let escaped = br#"{"type":"https:\/\/api.x.com\/2\/problems\/usage-capped","title":"t"}"#;
    let n = allocations(|| {
        std::hint::black_box(xapi::classify(&Method::GET, StatusCode::TOO_MANY_REQUESTS, &headers, escaped));
    });
    assert!(n > 0);
}
