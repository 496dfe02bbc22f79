//! How a downstream crate uses `xapi`: call X with reqwest, get typed data or a typed error,
//! and decide what to do from the error's data, never from its message text.

pub mod follow;
pub mod post_image;
pub mod search;

use std::time::{Duration, SystemTime};
use xapi::errors::{Problem, ProblemKind};
use xapi::models::GetPostsByIdResponse;
use xapi::operations::get_posts_by_ids;
use xapi::params::PostFields;
use xapi::{ApiError, RetryAdvice, TooManyRequests};

/// What the application does about a failed post lookup.
#[derive(Debug, PartialEq)]
pub enum Next {
    /// The post does not exist (or was deleted).
    Gone { id: Option<String> },
    /// Credentials are wrong or lack access: tell the user, do not retry.
    FixCredentials(String),
    /// Wait until this instant, then try again.
    RetryAt(Option<SystemTime>),
    /// The monthly or daily cap is spent.
    CapReached { period: Option<String> },
    /// A transient failure: retry after this delay.
    RetryIn(Duration),
    /// Anything else: surface it.
    Fail(String),
}

/// Looks up one post. `base_url` is `https://api.x.com` in production.
pub async fn lookup_post(
    client: &reqwest::Client,
    base_url: &str,
    id: &str,
) -> Result<GetPostsByIdResponse, xapi::reqwest::Error> {
    let request = client.get(format!("{base_url}/2/tweets/{id}")).bearer_auth("app-token");
    xapi::reqwest::send::<GetPostsByIdResponse>(request).await.map(|parsed| parsed.data)
}

/// The decision, from typed data only.
pub fn next_step(e: &ApiError) -> Next {
    if let Some(p) = e.problem() {
        match p {
            Problem::ResourceNotFound(r) => return Next::Gone { id: r.resource_id.clone() },
            Problem::UsageCapped(u) => return Next::CapReached { period: u.period.clone() },
            Problem::UnsupportedAuthentication(_) | Problem::ClientForbidden(_) => {
                return Next::FixCredentials(p.slug().map(|s| s.into_owned()).unwrap_or_default())
            }
            _ if p.kind() == Some(ProblemKind::NotAuthorizedForResource) => return Next::Gone { id: None },
            _ => {}
        }
    }
    match (e.too_many_requests, e.retry) {
        (Some(TooManyRequests::UsageCap), _) => Next::CapReached { period: None },
        (_, RetryAdvice::After(at)) => Next::RetryAt(at),
        (_, RetryAdvice::Backoff(d)) => Next::RetryIn(d),
        _ if e.status == http::StatusCode::UNAUTHORIZED => Next::FixCredentials(e.status.to_string()),
        _ => Next::Fail(e.to_string()),
    }
}

/// Looks up several posts with the typed request: the ids and fields are checked against the
/// spec before anything is sent, and a bad id comes back as the operation's own
/// `InvalidRequest`, exactly like X's 400 (with `"local": true` in the problem).
pub async fn lookup_posts(
    client: &reqwest::Client,
    base_url: &str,
    ids: &[&str],
) -> Result<Vec<xapi::models::Post>, xapi::reqwest::EndpointCallError<get_posts_by_ids::Error>> {
    let request =
        get_posts_by_ids::Request::new(ids.iter().copied()).post_fields([PostFields::CreatedAt, PostFields::Lang]);
    let parsed = xapi::reqwest::call(client, base_url, &request).await?;
    Ok(parsed.data.data.unwrap_or_default())
}
