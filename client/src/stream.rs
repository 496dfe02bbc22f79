//! Streams that stay up: connect to a streaming operation, yield its items typed, skip
//! keep-alives, surface disconnect messages as events, and reconnect by X's documented rules
//! (network drops back off linearly from 250 ms to 16 s, HTTP errors exponentially from 5 s
//! to 320 s, a 429 from a minute, doubling). A stall (no byte for `stall`) reconnects; too
//! many connections, 402 and errors that will not heal end the stream with the typed error.

use crate::client::Client;
use crate::error::CallError;
use crate::target::{Dynamic, Target, Typed};
use futures_util::Stream;
use std::collections::VecDeque;
use std::time::Duration;
use xapi::errors::ProblemKind;
use xapi::request::TypedRequest;
use xapi::stream::{classify_line, DisconnectReason, StreamLine};
use xapi::{Endpoint, Reconnect, RetryAdvice, TooManyRequests};

/// How a stream watches its connection.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct StreamOptions {
    /// Reconnect when no byte (not even a keep-alive) came for this long. X sends a
    /// keep-alive at least every 20 s.
    pub stall: Duration,
    /// Reconnects in a row (without an item between) before the stream gives up; `None`:
    /// never give up.
    pub max_reconnects: Option<u32>,
    /// The longest line kept; a longer one is yielded as unreadable and dropped.
    pub max_line: usize,
}

impl Default for StreamOptions {
    fn default() -> Self {
        Self { stall: Duration::from_secs(30), max_reconnects: None, max_line: 16 << 20 }
    }
}

impl StreamOptions {
    /// Sets the stall timeout.
    pub fn stall(mut self, stall: Duration) -> Self {
        self.stall = stall;
        self
    }

    /// Sets how many reconnects in a row are tried.
    pub fn max_reconnects(mut self, max: u32) -> Self {
        self.max_reconnects = Some(max);
        self
    }
}

/// Why the client reconnects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ReconnectReason {
    /// The connection failed or closed.
    Network,
    /// No byte came for the stall timeout.
    Stall,
    /// X sent a disconnect message.
    Disconnected,
    /// X answered the connection with an HTTP error that may heal (5xx, 420).
    Http(u16),
    /// X answered the connection with a 429.
    RateLimited,
}

/// What a stream yields, besides its items.
#[derive(Debug)]
#[non_exhaustive]
pub enum StreamEvent<T> {
    /// One item, typed.
    Item(Box<T>),
    /// X said it is closing the stream; the client reconnects next.
    Disconnected {
        /// Why.
        reason: DisconnectReason,
        /// X's `disconnect_type`, as sent.
        disconnect_type: Option<String>,
    },
    /// A message with errors but no data (not a disconnect), kept as sent.
    Problem {
        /// The first problem's kind, when known.
        kind: Option<ProblemKind>,
        /// The line.
        json: Vec<u8>,
    },
    /// A line that is not JSON, or does not fit the item type, kept as sent.
    Unreadable {
        /// The line.
        line: Vec<u8>,
        /// Why it was not read.
        reason: String,
    },
    /// The client waits `wait`, then reconnects (attempt `attempt` in a row).
    Reconnecting {
        /// 1 for the first reconnect after a working connection.
        attempt: u32,
        /// How long it waits first.
        wait: Duration,
        /// Why.
        reason: ReconnectReason,
    },
}

type EventResult<T> = Result<StreamEvent<<T as Target>::Success>, CallError<<T as Target>::Error>>;
type TypedEvent<E> = Result<StreamEvent<<E as Endpoint>::Success>, CallError<<E as Endpoint>::Error>>;

/// The stream's state between items.
struct Conn {
    request: http::Request<Vec<u8>>,
    response: Option<reqwest::Response>,
    buffer: Vec<u8>,
    ready: VecDeque<Vec<u8>>,
    /// Reconnects in a row, and of each back-off kind (network, HTTP, 429): each kind
    /// backs off from its own start, as X documents.
    attempt: u32,
    tries: [u32; 3],
    /// A 401 already led to a token refresh since the last item.
    refreshed: bool,
    wait: Option<Duration>,
    done: bool,
}

impl Conn {
    /// The delay before the next reconnect of this kind.
    fn next_delay(&mut self, kind: Reconnect) -> Duration {
        let i = match kind {
            Reconnect::Network => 0,
            Reconnect::Http => 1,
            _ => 2,
        };
        self.tries[i] += 1;
        kind.delay(self.tries[i] - 1)
    }

    /// Moves the complete lines of the buffer to `ready` (a line split across reads stays
    /// in the buffer until its end comes).
    fn split_lines(&mut self) {
        while let Some(end) = self.buffer.iter().position(|b| *b == b'\n') {
            let mut line: Vec<u8> = self.buffer.drain(..=end).collect();
            line.pop();
            if line.last() == Some(&b'\r') {
                line.pop();
            }
            self.ready.push_back(line);
        }
    }
}

impl Client {
    /// Connects to a streaming operation and yields its items and events, reconnecting by
    /// X's rules; the stream ends only with a typed error that will not heal (or after
    /// `max_reconnects`). Take as many items as you need (`StreamExt::take`).
    pub fn stream<R: TypedRequest>(
        &self,
        request: &R,
        options: StreamOptions,
    ) -> impl Stream<Item = TypedEvent<R::Endpoint>> + '_ {
        self.stream_for(Typed::<R::Endpoint>::new(), self.build(request), options)
    }

    /// [`stream`](Self::stream) for an operation known by its metadata only, with a request
    /// already built: items as JSON, errors as `ApiError`.
    pub fn stream_dynamic(
        &self,
        operation: &'static xapi::meta::Operation,
        request: http::Request<Vec<u8>>,
        options: StreamOptions,
    ) -> impl Stream<Item = Result<StreamEvent<serde_json::Value>, CallError<xapi::ApiError>>> + '_ {
        self.stream_for(Dynamic(operation), Ok(request), options)
    }

    fn stream_for<T: Target>(
        &self,
        target: T,
        first: Result<http::Request<Vec<u8>>, CallError<T::Error>>,
        options: StreamOptions,
    ) -> impl Stream<Item = EventResult<T>> + '_ {
        let first = match (first, self.refused(target)) {
            (Ok(_), Some(error)) => Err(CallError::Api { error, attempts: Vec::new() }),
            (first, _) => first,
        };
        let (start, rejected) = match first {
            Ok(request) => (
                Some(Conn {
                    request,
                    response: None,
                    buffer: Vec::new(),
                    ready: VecDeque::new(),
                    attempt: 0,
                    tries: [0; 3],
                    refreshed: false,
                    wait: None,
                    done: false,
                }),
                None,
            ),
            Err(rejected) => (None, Some(rejected)),
        };
        let state = (start, rejected, options);
        futures_util::stream::unfold(state, move |(conn, rejected, options)| async move {
            if let Some(error) = rejected {
                return Some((Err(error), (None, None, options)));
            }
            let mut conn = conn?;
            let event = self.next_event(target, &mut conn, &options).await?;
            Some((event, (Some(conn), None, options)))
        })
    }

    /// The next thing to yield; `None` when the stream is over.
    async fn next_event<T: Target>(
        &self,
        target: T,
        conn: &mut Conn,
        options: &StreamOptions,
    ) -> Option<EventResult<T>> {
        loop {
            if conn.done {
                return None;
            }
            if let Some(line) = conn.ready.pop_front() {
                if let Some(event) = self.line_event(target, conn, &line) {
                    return Some(event);
                }
                continue;
            }
            let Some(response) = conn.response.as_mut() else {
                if let Some(wait) = conn.wait.take() {
                    tokio::time::sleep(wait).await;
                }
                match self.connect(target, conn, options).await {
                    Ok(()) => continue,
                    Err(Some(event)) => return Some(event),
                    Err(None) => continue,
                }
            };
            match tokio::time::timeout(options.stall, response.chunk()).await {
                Ok(Ok(Some(bytes))) => {
                    conn.buffer.extend_from_slice(&bytes);
                    if conn.buffer.len() > options.max_line && !conn.buffer.contains(&b'\n') {
                        let line = std::mem::take(&mut conn.buffer);
                        return Some(Ok(StreamEvent::Unreadable { line, reason: "line too long".to_owned() }));
                    }
                    conn.split_lines();
                }
                Ok(Ok(None)) | Ok(Err(_)) => {
                    return self.reconnect(target, conn, options, ReconnectReason::Network, None)
                }
                Err(_) => return self.reconnect(target, conn, options, ReconnectReason::Stall, None),
            }
        }
    }

    /// What a line yields (`None` for a keep-alive).
    fn line_event<T: Target>(&self, _: T, conn: &mut Conn, line: &[u8]) -> Option<EventResult<T>> {
        Some(Ok(match classify_line(line) {
            StreamLine::KeepAlive => return None,
            StreamLine::Data { json, .. } => match serde_json::from_slice::<T::Success>(json) {
                Ok(item) => {
                    conn.attempt = 0;
                    conn.tries = [0; 3];
                    conn.refreshed = false;
                    StreamEvent::Item(Box::new(item))
                }
                Err(e) => StreamEvent::Unreadable { line: line.to_vec(), reason: e.to_string() },
            },
            StreamLine::Disconnect { reason, disconnect_type, advice } => {
                let disconnect_type = disconnect_type.map(|t| t.into_owned());
                if reason == DisconnectReason::TooManyConnections {
                    conn.done = true;
                } else {
                    // The server closes next: reconnect by the advice, without waiting for EOF.
                    conn.response = None;
                    let kind = match advice {
                        RetryAdvice::Reconnect(kind) => kind,
                        _ => Reconnect::Network,
                    };
                    conn.attempt += 1;
                    conn.wait = Some(conn.next_delay(kind));
                }
                StreamEvent::Disconnected { reason, disconnect_type }
            }
            StreamLine::Problem { kind, json } => StreamEvent::Problem { kind, json: json.to_vec() },
            StreamLine::Unreadable(raw) => {
                StreamEvent::Unreadable { line: raw.to_vec(), reason: "not JSON".to_owned() }
            }
            _ => StreamEvent::Unreadable { line: line.to_vec(), reason: "unknown line".to_owned() },
        }))
    }

    /// Opens the connection. `Err(Some(event))`: yield it (a reconnect after an HTTP error,
    /// or the typed error that ends the stream).
    async fn connect<T: Target>(
        &self,
        target: T,
        conn: &mut Conn,
        options: &StreamOptions,
    ) -> Result<(), Option<EventResult<T>>> {
        let operation = target.operation();
        let mut outgoing = match crate::client::to_reqwest(&conn.request) {
            Ok(r) => r,
            Err(error) => {
                conn.done = true;
                return Err(Some(Err(CallError::Transport { error, attempts: Vec::new() })));
            }
        };
        if let Err(e) = self.authorize(&mut outgoing).await {
            conn.done = true;
            return Err(Some(Err(e.into())));
        }
        let response = match self.http().execute(outgoing).await {
            Ok(r) => r,
            Err(_) => return Err(self.reconnect(target, conn, options, ReconnectReason::Network, None)),
        };
        if response.status().is_success() {
            conn.response = Some(response);
            conn.buffer.clear();
            return Ok(());
        }
        let parse = xapi::Options { now: Some(self.now()), ..xapi::options_for(operation) };
        let method = operation.method.to_http();
        let error = match xapi::reqwest::parse_with::<serde_json::Value>(&parse, &method, response).await {
            Ok(_) => return Ok(()),
            Err(e) => match e.into_api() {
                Ok(error) => error,
                Err(_) => return Err(self.reconnect(target, conn, options, ReconnectReason::Network, None)),
            },
        };
        // A 401 with a token that can be refreshed: once, then connect again at once.
        if error.status == http::StatusCode::UNAUTHORIZED && !conn.refreshed {
            if let Some(token) = self.token() {
                conn.refreshed = true;
                match token.refresh(self.http()).await {
                    Ok(true) => return Err(None),
                    Ok(false) => {}
                    Err(e) => {
                        conn.done = true;
                        return Err(Some(Err(e.into())));
                    }
                }
            }
        }
        let heals = error.too_many_requests != Some(TooManyRequests::Connections)
            && error.too_many_requests != Some(TooManyRequests::UsageCap);
        let reason = match error.retry {
            RetryAdvice::Reconnect(Reconnect::RateLimited) if heals => Some(ReconnectReason::RateLimited),
            RetryAdvice::Reconnect(_) if heals => Some(ReconnectReason::Http(error.status.as_u16())),
            _ => None,
        };
        match reason {
            Some(reason) => Err(self.reconnect(target, conn, options, reason, Some(error))),
            None => {
                conn.done = true;
                Err(Some(Err(CallError::Api { error: target.error(*error), attempts: Vec::new() })))
            }
        }
    }

    /// Schedules a reconnect and returns the event that says so (or, past
    /// `max_reconnects`, ends the stream with the last error when there is one).
    fn reconnect<T: Target>(
        &self,
        target: T,
        conn: &mut Conn,
        options: &StreamOptions,
        reason: ReconnectReason,
        error: Option<Box<xapi::ApiError>>,
    ) -> Option<EventResult<T>> {
        conn.response = None;
        conn.buffer.clear();
        conn.attempt += 1;
        if options.max_reconnects.is_some_and(|max| conn.attempt > max) {
            conn.done = true;
            let error = error?;
            return Some(Err(CallError::Api { error: target.error(*error), attempts: Vec::new() }));
        }
        let kind = match reason {
            ReconnectReason::Network | ReconnectReason::Stall | ReconnectReason::Disconnected => Reconnect::Network,
            ReconnectReason::Http(_) => Reconnect::Http,
            ReconnectReason::RateLimited => Reconnect::RateLimited,
        };
        let wait = conn.next_delay(kind);
        conn.wait = Some(wait);
        let status = error.as_ref().map(|e| e.status.as_u16());
        self.trace(target.operation().id, conn.attempt, status, wait, "stream reconnect");
        Some(Ok(StreamEvent::Reconnecting { attempt: conn.attempt, wait, reason }))
    }
}
