//! Following a filtered stream with `xapi-client`: items arrive typed, and when X drops the
//! connection the client reconnects by X's rules; the application only sees events.

use futures_util::StreamExt;
use xapi::operations::stream_posts::{Error, Request};
use xapi_client::{CallError, Client, StreamEvent, StreamOptions};

/// What following the stream saw.
#[derive(Debug, Default, PartialEq)]
pub struct Followed {
    /// The post ids, in order.
    pub ids: Vec<String>,
    /// How many times the client reconnected.
    pub reconnects: usize,
}

/// Reads `posts` posts from the filtered stream, across any disconnects.
pub async fn follow(client: &Client, posts: usize) -> Result<Followed, CallError<Error>> {
    let mut stream = std::pin::pin!(client.stream(&Request::new(), StreamOptions::default()));
    let mut seen = Followed::default();
    while seen.ids.len() < posts {
        match stream.next().await {
            Some(Ok(StreamEvent::Item(item))) => seen.ids.extend(item.data.and_then(|p| p.id).map(|id| id.to_string())),
            Some(Ok(StreamEvent::Reconnecting { .. })) => seen.reconnects += 1,
            Some(Ok(_)) => {} // disconnect notices, problems, unreadable lines
            Some(Err(fatal)) => return Err(fatal),
            None => break,
        }
    }
    Ok(seen)
}
