//! Stream lines: keep-alives, data, disconnects and connection limits.

use xapi::errors::ProblemKind;
use xapi::stream::{classify_line, DisconnectReason, StreamLine};
use xapi::{Reconnect, RetryAdvice};

#[test]
fn keep_alives() {
    for line in [&b""[..], b"\r\n", b"\n", b"   "] {
        assert_eq!(classify_line(line), StreamLine::KeepAlive);
    }
}

#[test]
fn data_lines_with_and_without_partial_errors() {
    let line = br#"{"data":{"id":"1","text":"hello"},"matching_rules":[{"id":"1","tag":"cats"}]}"#;
    assert_eq!(classify_line(line), StreamLine::Data { json: &line[..], partial_errors: 0 });
    let line = br#"{"data":{"id":"1"},"errors":[{"type":"https://api.x.com/2/problems/not-authorized-for-field","title":"t"}]}"#;
    assert!(matches!(classify_line(line), StreamLine::Data { partial_errors: 1, .. }));
    let with_newline = b"{\"data\":{\"id\":\"2\"}}\r\n";
    assert!(matches!(classify_line(with_newline), StreamLine::Data { json, .. } if json.ends_with(b"}")));
}

#[test]
fn operational_disconnect() {
    let line = br#"{"errors":[{"title":"operational-disconnect","disconnect_type":"UpstreamOperationalDisconnect","detail":"This stream has been disconnected upstream for operational reasons.","type":"https://api.twitter.com/2/problems/operational-disconnect"}]}"#;
    match classify_line(line) {
        StreamLine::Disconnect { reason, disconnect_type, advice } => {
            assert_eq!(reason, DisconnectReason::Operational);
            assert_eq!(disconnect_type.as_deref(), Some("UpstreamOperationalDisconnect"));
            assert_eq!(advice, RetryAdvice::Reconnect(Reconnect::Network));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn full_buffer_is_told_by_disconnect_type_not_text() {
    let line = br#"{"errors":[{"title":"operational-disconnect","disconnect_type":"FullBuffer","detail":"anything","type":"https://api.x.com/2/problems/operational-disconnect"}]}"#;
    assert!(matches!(classify_line(line), StreamLine::Disconnect { reason: DisconnectReason::FullBuffer, .. }));
    // The same words in the detail alone do not make it a full buffer.
    let line = br#"{"errors":[{"title":"operational-disconnect","detail":"full buffer","type":"https://api.x.com/2/problems/operational-disconnect"}]}"#;
    assert!(matches!(classify_line(line), StreamLine::Disconnect { reason: DisconnectReason::Operational, .. }));
}

#[test]
fn too_many_connections() {
    let line = br#"{"title":"ConnectionException","detail":"This stream is currently at the maximum allowed connection limit.","connection_issue":"TooManyConnections","type":"https://api.twitter.com/2/problems/streaming-connection"}"#;
    assert!(matches!(
        classify_line(line),
        StreamLine::Disconnect {
            reason: DisconnectReason::TooManyConnections,
            advice: RetryAdvice::Reconnect(Reconnect::RateLimited),
            ..
        }
    ));
}

#[test]
fn other_messages() {
    let line = br#"{"errors":[{"type":"https://api.x.com/2/problems/resource-unavailable","title":"t"}]}"#;
    assert!(matches!(classify_line(line), StreamLine::Problem { kind: Some(ProblemKind::ResourceUnavailable), .. }));
    assert!(matches!(classify_line(b"not json"), StreamLine::Unreadable(_)));
    assert!(matches!(classify_line(b"[1,2]"), StreamLine::Unreadable(_)));
}
