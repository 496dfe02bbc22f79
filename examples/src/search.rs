//! A search over several pages with `xapi-client`: each page typed, retries and rate-limit
//! waits handled by the client, and the token kept so an interrupted search can resume.

use futures_util::StreamExt;
use xapi::operations::search_posts_recent::{Error, Request};
use xapi_client::{CallError, Client};

/// What a search collected, and where to resume when it stopped early.
#[derive(Debug, Default)]
pub struct Found {
    /// The post ids, in the order X returned them.
    pub ids: Vec<String>,
    /// The token of the first page not read (`None`: the search is complete).
    pub resume_from: Option<String>,
}

/// Reads up to `max_pages` pages of a recent search, starting at `from` (a saved token).
pub async fn search(
    client: &Client,
    query: &str,
    max_pages: usize,
    from: Option<String>,
) -> Result<Found, CallError<Error>> {
    let request = Request::new(query).max_results(10);
    let mut pages = std::pin::pin!(client.pages_from(&request, from).take(max_pages));
    let mut found = Found::default();
    while let Some(page) = pages.next().await {
        let page = page?;
        let posts = page.parsed.data.data.unwrap_or_default();
        found.ids.extend(posts.into_iter().filter_map(|p| p.id).map(|id| id.to_string()));
        found.resume_from = page.next_token;
    }
    Ok(found)
}
