//! Streaming endpoints send newline-delimited JSON on a long-lived 200: data lines, blank
//! keep-alive lines and, when X drops the connection, a disconnect message. `classify_line`
//! tells them apart and says what to do.

use crate::body;
use std::borrow::Cow;
use xapi_core::errors::{problem_slug, ProblemKind};
use xapi_core::response::{Reconnect, RetryAdvice};

/// Why X ended (or will end) the stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DisconnectReason {
    /// `operational-disconnect`: X closed the stream for its own reasons.
    Operational,
    /// `operational-disconnect` whose `disconnect_type` names a full buffer: the client read
    /// too slowly; data in the buffer may be lost.
    FullBuffer,
    /// `client-disconnected`.
    ClientDisconnected,
    /// `streaming-connection` / `TooManyConnections`: the connection limit is reached.
    TooManyConnections,
}

/// One line of a stream.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum StreamLine<'a> {
    /// A blank line X sends to keep the connection open.
    KeepAlive,
    /// A JSON object with `data` (parse it as the operation's success type); `partial_errors`
    /// counts the errors that came with it.
    Data {
        /// The line, trimmed.
        json: &'a [u8],
        /// Errors that came with the data.
        partial_errors: usize,
    },
    /// The stream is ending: reconnect as `advice` says.
    Disconnect {
        /// Why.
        reason: DisconnectReason,
        /// X's `disconnect_type`, as sent.
        disconnect_type: Option<Cow<'a, str>>,
        /// How to reconnect.
        advice: RetryAdvice,
    },
    /// A JSON message with errors but no data that is not a disconnect.
    Problem {
        /// The first problem's kind, when known.
        kind: Option<ProblemKind>,
        /// The line, trimmed.
        json: &'a [u8],
    },
    /// Not JSON: kept as is.
    Unreadable(&'a [u8]),
}

/// Classifies one line (without its trailing newline, though one is tolerated).
///
/// ```
/// use xapi::stream::{classify_line, DisconnectReason, StreamLine};
///
/// assert_eq!(classify_line(b"\r\n"), StreamLine::KeepAlive);
/// let line = br#"{"errors":[{"type":"https://api.x.com/2/problems/operational-disconnect",
///                "title":"operational-disconnect","disconnect_type":"UpstreamOperationalDisconnect"}]}"#;
/// assert!(matches!(classify_line(line), StreamLine::Disconnect { reason: DisconnectReason::Operational, .. }));
/// ```
pub fn classify_line(line: &[u8]) -> StreamLine<'_> {
    let trimmed = line.trim_ascii();
    if trimmed.is_empty() {
        return StreamLine::KeepAlive;
    }
    let Some(peek) = body::peek(trimmed).filter(|p| p.is_object) else {
        return StreamLine::Unreadable(line);
    };
    if peek.has_data {
        return StreamLine::Data { json: trimmed, partial_errors: peek.errors.count };
    }
    // The top-level problem decides when there is one (even one this crate does not know).
    let top_slug = peek.top.type_uri.as_deref().and_then(problem_slug);
    let top = top_slug.as_deref().and_then(ProblemKind::from_slug);
    let kind = if top_slug.is_some() { top } else { peek.errors.first_kind };

    if peek.errors.too_many_connections
        || top == Some(ProblemKind::StreamingConnection)
        || peek.top.connection_issue.as_deref() == Some("TooManyConnections")
    {
        return StreamLine::Disconnect {
            reason: DisconnectReason::TooManyConnections,
            disconnect_type: None,
            advice: RetryAdvice::Reconnect(Reconnect::RateLimited),
        };
    }
    let disconnect = match (&peek.errors.disconnect, top) {
        (Some(t), _) => Some(t.clone()),
        (None, Some(ProblemKind::OperationalDisconnect | ProblemKind::ClientDisconnected)) => {
            Some(peek.top.disconnect_type.clone())
        }
        _ => None,
    };
    if let Some(disconnect_type) = disconnect {
        let full_buffer = disconnect_type.as_deref().is_some_and(|t| t.to_ascii_lowercase().contains("buffer"));
        let reason = match kind {
            _ if full_buffer => DisconnectReason::FullBuffer,
            Some(ProblemKind::ClientDisconnected) => DisconnectReason::ClientDisconnected,
            _ => DisconnectReason::Operational,
        };
        return StreamLine::Disconnect { reason, disconnect_type, advice: RetryAdvice::Reconnect(Reconnect::Network) };
    }
    StreamLine::Problem { kind, json: trimmed }
}
