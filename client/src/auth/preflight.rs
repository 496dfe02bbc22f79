//! The check before sending: a token the operation does not accept (app-only on a
//! user-context operation), or an OAuth 2.0 token without a scope the operation needs, is
//! refused here, with the response X's 403 would bring, so the operation's error enum picks
//! the same variant (`UnsupportedAuthentication`, `Forbidden` with the scopes).

use super::{AuthKind, TokenSource};
use xapi::meta::Operation;

/// Why the token cannot be used for the operation.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Refusal {
    /// The operation accepts none of the token's kind.
    Unsupported {
        /// The token's kind.
        kind: AuthKind,
    },
    /// An OAuth 2.0 token without some of the scopes the operation needs.
    MissingScopes(Vec<&'static str>),
}

/// Checks a token against the operation's security; `None` when it may be sent.
pub fn check(operation: &Operation, token: &dyn TokenSource) -> Option<Refusal> {
    if operation.security.is_empty() {
        return None;
    }
    let kind = token.kind();
    let accepted: Vec<_> = operation.security.iter().filter(|s| s.kind == kind || s.kind == AuthKind::Other).collect();
    if accepted.is_empty() {
        return Some(Refusal::Unsupported { kind });
    }
    if kind != AuthKind::OAuth2User {
        return None;
    }
    let granted = token.scopes()?;
    // Any one accepted scheme whose scopes the token all has will do; else name the first's.
    let missing = |s: &&xapi::meta::Security| -> Vec<&'static str> {
        s.scopes.iter().copied().filter(|scope| !granted.iter().any(|g| g == scope)).collect()
    };
    if accepted.iter().any(|s| missing(s).is_empty()) {
        return None;
    }
    Some(Refusal::MissingScopes(missing(&accepted[0])))
}

/// The response X would send for the refusal, classified for the operation.
pub(crate) fn as_response(operation: &'static Operation, refusal: &Refusal) -> xapi::ApiError {
    let body = match refusal {
        Refusal::Unsupported { kind } => serde_json::json!({
            "type": "https://api.x.com/2/problems/unsupported-authentication",
            "title": "Unsupported Authentication",
            "status": 403,
            "detail": format!("{} does not accept {kind:?} credentials", operation.id),
            "local": true,
        }),
        // No problem type: the status alone selects `Forbidden`, which carries the scopes.
        Refusal::MissingScopes(missing) => serde_json::json!({
            "title": "Forbidden",
            "status": 403,
            "detail": format!("the token lacks the scopes {} needs: {}", operation.id, missing.join(" ")),
            "local": true,
        }),
    };
    let bytes = serde_json::to_vec(&body).unwrap_or_default();
    let mut headers = http::HeaderMap::new();
    let media =
        if matches!(refusal, Refusal::Unsupported { .. }) { "application/problem+json" } else { "application/json" };
    headers.insert(http::header::CONTENT_TYPE, http::HeaderValue::from_static(media));
    let options = xapi::options_for(operation);
    let method = operation.method.to_http();
    xapi::classify_with(&options, &method, http::StatusCode::FORBIDDEN, &headers, &bytes).to_error(&headers)
}
