//! Pagination for every operation the spec paginates: the ones that take a
//! `pagination_token` or `next_token` query parameter (found in the operation's metadata, so
//! nothing is written per endpoint). Each page's `meta.next_token` names the next; the stream
//! ends when a page has none.

use crate::client::Client;
use crate::error::CallError;
use crate::target::{Dynamic, Target, Typed};
use futures_util::Stream;
use xapi::meta::{Location, Operation};
use xapi::request::TypedRequest;
use xapi::{Endpoint, Parsed};

/// One page: the parsed response (data, partial errors, rate limits) and the token of the
/// next page, `None` on the last. Save the token to resume later with
/// [`Client::pages_from`].
#[derive(Debug)]
pub struct Page<T> {
    /// The response.
    pub parsed: Parsed<T>,
    /// The next page's token: `parsed.next_token` (`meta.next_token`), unless it repeats the
    /// token that fetched this page, which would loop for ever.
    pub next_token: Option<String>,
}

/// The query parameter that carries an operation's page token, if it paginates.
pub fn token_param(operation: &Operation) -> Option<&'static str> {
    operation
        .params
        .iter()
        .filter(|p| p.location == Location::Query)
        .map(|p| p.name)
        .find(|n| *n == "pagination_token" || *n == "next_token")
}

/// Where the stream stands.
enum State<E: std::error::Error> {
    /// The request broke the spec: yield that, then end.
    Rejected(CallError<E>),
    /// Fetch a page.
    Fetch(Box<Cursor>),
    Done,
}

/// The request of the first page, and the token of the page to fetch.
struct Cursor {
    request: http::Request<Vec<u8>>,
    param: Option<&'static str>,
    token: Option<String>,
}

impl Cursor {
    /// The request for this page: the first page's, with the token in the query.
    fn page_request(&self) -> http::Request<Vec<u8>> {
        let mut request = crate::client::clone_request(&self.request);
        if let (Some(param), Some(token)) = (self.param, &self.token) {
            if let Ok(mut url) = reqwest::Url::parse(&self.request.uri().to_string()) {
                let kept: Vec<(String, String)> = url
                    .query_pairs()
                    .filter(|(k, _)| k != param)
                    .map(|(k, v)| (k.into_owned(), v.into_owned()))
                    .collect();
                url.query_pairs_mut().clear().extend_pairs(kept).append_pair(param, token);
                if let Ok(uri) = url.as_str().parse() {
                    *request.uri_mut() = uri;
                }
            }
        }
        request
    }
}

type PageResult<E> = Result<Page<<E as Endpoint>::Success>, CallError<<E as Endpoint>::Error>>;
type TargetPage<T> = Result<Page<<T as Target>::Success>, CallError<<T as Target>::Error>>;

impl Client {
    /// The pages of a paginated operation, from the first, as a `Stream`: each is fetched
    /// when the previous one has been taken, with the same retries and rate-limit waits as
    /// [`call`](Self::call). An error ends the stream after it is yielded. An operation that
    /// does not paginate yields one page.
    pub fn pages<R: TypedRequest>(&self, request: &R) -> impl Stream<Item = PageResult<R::Endpoint>> + '_ {
        self.pages_from(request, None)
    }

    /// [`pages`](Self::pages) from a saved token (`Page::next_token`).
    pub fn pages_from<R: TypedRequest>(
        &self,
        request: &R,
        token: Option<String>,
    ) -> impl Stream<Item = PageResult<R::Endpoint>> + '_ {
        self.pages_for(Typed::<R::Endpoint>::new(), self.build(request), token)
    }

    /// [`pages_from`](Self::pages_from) for an operation known by its metadata only, with a
    /// request already built: pages as JSON, errors as `ApiError`.
    pub fn pages_dynamic(
        &self,
        operation: &'static Operation,
        request: http::Request<Vec<u8>>,
        token: Option<String>,
    ) -> impl Stream<Item = Result<Page<serde_json::Value>, CallError<xapi::ApiError>>> + '_ {
        self.pages_for(Dynamic(operation), Ok(request), token)
    }

    fn pages_for<T: Target>(
        &self,
        target: T,
        first: Result<http::Request<Vec<u8>>, CallError<T::Error>>,
        token: Option<String>,
    ) -> impl Stream<Item = TargetPage<T>> + '_ {
        let param = token_param(target.operation());
        let start = match first {
            Ok(request) => State::Fetch(Box::new(Cursor { request, param, token })),
            Err(rejected) => State::Rejected(rejected),
        };
        futures_util::stream::unfold(start, move |state| async move {
            match state {
                State::Done => None,
                State::Rejected(error) => Some((Err(error), State::Done)),
                State::Fetch(cursor) => match self.send_to(target, cursor.page_request()).await {
                    Ok(parsed) => {
                        // A token that repeats would loop for ever: X's bug, not a next page.
                        let next = parsed.next_token.clone().filter(|n| cursor.token.as_ref() != Some(n));
                        let state = match (&next, cursor.param) {
                            (Some(t), Some(_)) => State::Fetch(Box::new(Cursor { token: Some(t.clone()), ..*cursor })),
                            _ => State::Done,
                        };
                        Some((Ok(Page { parsed, next_token: next }), state))
                    }
                    Err(error) => Some((Err(error), State::Done)),
                },
            }
        })
    }
}
