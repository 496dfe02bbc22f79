//! Reading a response body without building it: what format it is, and a scan of the JSON
//! that picks out only what classification needs (type, errors[].type/code, request, error…).
//!
//! The scan is a small purpose-built reader, not serde_json: it walks the structure, compares
//! keys as bytes and skips every value it does not need without decoding it. That is what makes
//! classification several times faster than parsing the body into `serde_json::Value`, and
//! allocation-free unless a string it keeps has escapes. It checks structure, not every detail
//! of the grammar; the typed details an `Outcome` hands out are parsed with serde_json.

use std::borrow::Cow;
pub use xapi_core::response::BodyFormat;

/// Decides the format from the bytes, using the content type only to tell HTML from text.
pub(crate) fn sniff(content_type: Option<&[u8]>, body: &[u8]) -> BodyFormat {
    let trimmed = body.trim_ascii_start();
    match trimmed.first() {
        None => BodyFormat::Empty,
        Some(b'{' | b'[') => BodyFormat::Json,
        Some(b'<') => BodyFormat::Html,
        _ if content_type.is_some_and(|c| contains_ignore_case(c, b"html")) => BodyFormat::Html,
        _ => BodyFormat::Text,
    }
}

fn contains_ignore_case(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w.eq_ignore_ascii_case(needle))
}

/// At most this many bytes of a non-JSON body are shown as a snippet.
pub const SNIPPET_BYTES: usize = 256;

/// The start of the body as text, cut at a character boundary, never more than
/// [`SNIPPET_BYTES`]. Invalid UTF-8 ends the snippet.
pub(crate) fn snippet(body: &[u8]) -> &str {
    let head = &body[..body.len().min(SNIPPET_BYTES)];
    let text = match std::str::from_utf8(head) {
        Ok(t) => t,
        Err(e) => std::str::from_utf8(&head[..e.valid_up_to()]).unwrap_or_default(),
    };
    text.trim()
}

/// A code in `errors[]`: numeric (v1.1) or a string (Ads API).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum CodePeek<'a> {
    Number(u64),
    Text(Cow<'a, str>),
}

/// One element of `errors[]` (or the top level of a bare problem), reduced to what
/// classification reads.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct ItemPeek<'a> {
    pub type_uri: Option<Cow<'a, str>>,
    pub code: Option<CodePeek<'a>>,
    pub period: Option<Cow<'a, str>>,
    pub connection_issue: Option<Cow<'a, str>>,
    pub disconnect_type: Option<Cow<'a, str>>,
}

/// The whole body, reduced to what classification reads.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Peek<'a> {
    /// The top level is an object (otherwise nothing else is set).
    pub is_object: bool,
    /// The top-level members a bare problem has.
    pub top: ItemPeek<'a>,
    pub has_data: bool,
    /// `request` is a string (legacy v1.1 body) or an object (Ads echo).
    pub request_string: bool,
    pub request_object: bool,
    /// `error` is a string (legacy v1.1 body, or an OAuth 2.0 error code).
    pub error_string: bool,
    /// The `error` string, when it has the shape of an OAuth 2.0 error code (`invalid_request`).
    pub oauth_code: Option<Cow<'a, str>>,
    /// `error_description` is a string (OAuth 2.0, RFC 6749 §5.2).
    pub error_description: bool,
    pub errors: ErrorsPeek<'a>,
}

/// A summary of `errors[]`: counts by shape and the first problem type, without a `Vec`.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct ErrorsPeek<'a> {
    pub count: usize,
    /// Elements with a `type` (v2 problems).
    pub problems: usize,
    pub numeric_codes: usize,
    pub text_codes: usize,
    /// The `type` of the first problem, and its kind when known.
    pub first_type: Option<Cow<'a, str>>,
    pub first_kind: Option<xapi_core::errors::ProblemKind>,
    /// The first numeric and first text code.
    pub first_number: Option<u64>,
    pub first_text: Option<Cow<'a, str>>,
    /// v1.1 code 88 (rate limit exceeded) appears.
    pub code_88: bool,
    /// Some element is a usage-cap problem (with its `period`, if any).
    pub usage_capped: Option<Option<Cow<'a, str>>>,
    /// Some element reports too many stream connections.
    pub too_many_connections: bool,
    /// Some element is a stream disconnect (with its `disconnect_type`, if any).
    pub disconnect: Option<Option<Cow<'a, str>>>,
}

impl<'a> ErrorsPeek<'a> {
    fn add(&mut self, item: ItemPeek<'a>) {
        match &item.code {
            Some(CodePeek::Number(n)) => {
                self.numeric_codes += 1;
                self.first_number.get_or_insert(*n);
                self.code_88 |= *n == 88;
            }
            Some(CodePeek::Text(t)) => {
                self.text_codes += 1;
                if self.first_text.is_none() {
                    self.first_text = Some(t.clone());
                }
            }
            None => {}
        }
        let Some(type_uri) = item.type_uri else { return };
        self.problems += 1;
        use xapi_core::errors::ProblemKind;
        let kind = xapi_core::errors::problem_slug(&type_uri).as_deref().and_then(ProblemKind::from_slug);
        match kind {
            Some(ProblemKind::UsageCapped) if self.usage_capped.is_none() => self.usage_capped = Some(item.period),
            Some(ProblemKind::OperationalDisconnect | ProblemKind::ClientDisconnected) if self.disconnect.is_none() => {
                self.disconnect = Some(item.disconnect_type)
            }
            _ => {}
        }
        if kind == Some(ProblemKind::StreamingConnection)
            || item.connection_issue.as_deref() == Some("TooManyConnections")
        {
            self.too_many_connections = true;
        }
        if self.first_type.is_none() {
            self.first_kind = kind;
            self.first_type = Some(type_uri);
        }
    }
}

/// Nesting deeper than this is not scanned (the body then counts as unreadable).
const MAX_DEPTH: u32 = 128;

/// A string as it stands in the body, between its quotes.
#[derive(Clone, Copy)]
struct RawStr<'a> {
    /// With the quotes.
    quoted: &'a [u8],
    escaped: bool,
}

impl<'a> RawStr<'a> {
    /// The text: borrowed unless it has escapes, which only serde_json decodes.
    fn text(&self) -> Option<Cow<'a, str>> {
        if self.escaped {
            serde_json::from_slice::<String>(self.quoted).ok().map(Cow::Owned)
        } else {
            std::str::from_utf8(&self.quoted[1..self.quoted.len() - 1]).ok().map(Cow::Borrowed)
        }
    }
}

/// The member names the scan reads; a `match` on the bytes is one length dispatch instead of
/// a comparison per name.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Key {
    Type,
    Code,
    Period,
    ConnectionIssue,
    DisconnectType,
    Errors,
    Data,
    Request,
    Error,
    ErrorDescription,
    Other,
}

impl Key {
    #[inline]
    fn of(raw: RawStr<'_>) -> Self {
        if raw.escaped {
            return Self::Other;
        }
        let k = &raw.quoted[1..raw.quoted.len() - 1];
        // By length first: each arm then compares a few bytes, not every name.
        match k.len() {
            4 if k == b"type" => Self::Type,
            4 if k == b"code" => Self::Code,
            4 if k == b"data" => Self::Data,
            5 if k == b"error" => Self::Error,
            6 if k == b"errors" => Self::Errors,
            6 if k == b"period" => Self::Period,
            7 if k == b"request" => Self::Request,
            15 if k == b"disconnect_type" => Self::DisconnectType,
            16 if k == b"connection_issue" => Self::ConnectionIssue,
            17 if k == b"error_description" => Self::ErrorDescription,
            _ => Self::Other,
        }
    }
}

/// A value a member held, for the few members whose value is kept.
enum Scalar<'a> {
    Str(RawStr<'a>),
    Number(&'a [u8]),
    Other,
}

/// The first `"` or `\\`, eight bytes at a time (the classic has-zero-byte bit trick): strings
/// are most of an error body, and `detail` texts are long.
#[inline]
fn quote_or_backslash(b: &[u8]) -> Option<usize> {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    const QUOTES: u64 = LO * b'"' as u64;
    const BACKSLASHES: u64 = LO * b'\\' as u64;
    let mut i = 0;
    while let Some(chunk) = b.get(i..i + 8) {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let x = u64::from_le_bytes(word);
        let (q, s) = (x ^ QUOTES, x ^ BACKSLASHES);
        // A set high bit marks a zero byte of q or s; only bytes after a real match can be
        // marked falsely, so the lowest mark is the first match.
        let found = (q.wrapping_sub(LO) & !q & HI) | (s.wrapping_sub(LO) & !s & HI);
        if found != 0 {
            return Some(i + (found.trailing_zeros() / 8) as usize);
        }
        i += 8;
    }
    b[i..].iter().position(|&c| c == b'"' || c == b'\\').map(|p| i + p)
}

struct Scanner<'a> {
    b: &'a [u8],
    i: usize,
    depth: u32,
}

impl<'a> Scanner<'a> {
    #[inline]
    fn ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.b.get(self.i) {
            self.i += 1;
        }
    }

    #[inline]
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    #[inline]
    fn eat(&mut self, byte: u8) -> Option<()> {
        self.ws();
        (self.peek()? == byte).then(|| self.i += 1)
    }

    #[inline]
    fn string(&mut self) -> Option<RawStr<'a>> {
        let start = self.i;
        if self.peek()? != b'"' {
            return None;
        }
        self.i += 1;
        let mut escaped = false;
        loop {
            let at = quote_or_backslash(&self.b[self.i..])?;
            self.i += at;
            if self.b[self.i] == b'\\' {
                escaped = true;
                self.i += 2;
                if self.i > self.b.len() {
                    return None;
                }
            } else {
                self.i += 1;
                return Some(RawStr { quoted: &self.b[start..self.i], escaped });
            }
        }
    }

    /// A number, `true`, `false` or `null`: the bytes up to the next delimiter.
    #[inline]
    fn atom(&mut self) -> Option<&'a [u8]> {
        let start = self.i;
        while let Some(c) = self.peek() {
            if matches!(c, b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r') {
                break;
            }
            self.i += 1;
        }
        let atom = &self.b[start..self.i];
        let valid = matches!(atom, b"true" | b"false" | b"null")
            || (!atom.is_empty() && atom.iter().all(|c| matches!(c, b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E')));
        valid.then_some(atom)
    }

    /// Reads a value, keeping strings and numbers, skipping objects and arrays.
    fn scalar(&mut self) -> Option<Scalar<'a>> {
        self.ws();
        match self.peek()? {
            b'"' => self.string().map(Scalar::Str),
            b'{' | b'[' => self.skip().map(|()| Scalar::Other),
            b'0'..=b'9' | b'-' => self.atom().map(Scalar::Number),
            _ => self.atom().map(|_| Scalar::Other),
        }
    }

    fn skip(&mut self) -> Option<()> {
        self.ws();
        match self.peek()? {
            b'"' => self.string().map(drop),
            b'{' => self.object(|s, _| s.skip()),
            b'[' => self.array(|s| s.skip()),
            _ => self.atom().map(drop),
        }
    }

    fn nest(&mut self) -> Option<()> {
        self.depth += 1;
        (self.depth <= MAX_DEPTH).then_some(())
    }

    fn object(&mut self, mut member: impl FnMut(&mut Self, RawStr<'a>) -> Option<()>) -> Option<()> {
        self.eat(b'{')?;
        self.nest()?;
        self.ws();
        if self.peek()? == b'}' {
            self.i += 1;
        } else {
            loop {
                self.ws();
                let key = self.string()?;
                self.eat(b':')?;
                member(self, key)?;
                self.ws();
                match self.peek()? {
                    b',' => self.i += 1,
                    b'}' => {
                        self.i += 1;
                        break;
                    }
                    _ => return None,
                }
            }
        }
        self.depth -= 1;
        Some(())
    }

    fn array(&mut self, mut item: impl FnMut(&mut Self) -> Option<()>) -> Option<()> {
        self.eat(b'[')?;
        self.nest()?;
        self.ws();
        if self.peek()? == b']' {
            self.i += 1;
        } else {
            loop {
                item(self)?;
                self.ws();
                match self.peek()? {
                    b',' => self.i += 1,
                    b']' => {
                        self.i += 1;
                        break;
                    }
                    _ => return None,
                }
            }
        }
        self.depth -= 1;
        Some(())
    }

    /// A string member's text; other values are skipped and give `None`.
    fn text(&mut self) -> Option<Option<Cow<'a, str>>> {
        Some(match self.scalar()? {
            Scalar::Str(s) => s.text(),
            _ => None,
        })
    }

    fn code(&mut self) -> Option<Option<CodePeek<'a>>> {
        Some(match self.scalar()? {
            Scalar::Str(s) => s.text().map(CodePeek::Text),
            Scalar::Number(n) => std::str::from_utf8(n).ok().and_then(|n| n.parse().ok()).map(CodePeek::Number),
            Scalar::Other => None,
        })
    }

    /// Reads the members an error item (or a bare problem) may have; `false` for others.
    fn item_member(&mut self, key: Key, item: &mut ItemPeek<'a>) -> Option<bool> {
        match key {
            Key::Type => item.type_uri = self.text()?,
            Key::Code => item.code = self.code()?,
            Key::Period => item.period = self.text()?,
            Key::ConnectionIssue => item.connection_issue = self.text()?,
            Key::DisconnectType => item.disconnect_type = self.text()?,
            _ => return Some(false),
        }
        Some(true)
    }

    fn errors(&mut self, errors: &mut ErrorsPeek<'a>) -> Option<()> {
        self.ws();
        let mut element = |s: &mut Self| {
            s.ws();
            if s.peek()? != b'{' {
                errors.count += 1;
                return s.skip();
            }
            let mut item = ItemPeek::default();
            s.object(|s, key| if s.item_member(Key::of(key), &mut item)? { Some(()) } else { s.skip() })?;
            errors.count += 1;
            errors.add(item);
            Some(())
        };
        match self.peek()? {
            b'[' => self.array(element),
            // `errors` that is a single object counts as one element.
            b'{' => element(self),
            _ => self.skip(),
        }
    }

    fn top(&mut self, peek: &mut Peek<'a>) -> Option<()> {
        self.ws();
        if self.peek()? != b'{' {
            return self.skip();
        }
        peek.is_object = true;
        self.object(|s, key| {
            let key = Key::of(key);
            if s.item_member(key, &mut peek.top)? {
                return Some(());
            }
            match key {
                Key::Errors => s.errors(&mut peek.errors),
                Key::Data => {
                    peek.has_data = true;
                    s.skip()
                }
                Key::Request => {
                    s.ws();
                    match s.peek()? {
                        b'"' => peek.request_string = true,
                        b'{' => peek.request_object = true,
                        _ => {}
                    }
                    s.skip()
                }
                Key::Error => {
                    if let Scalar::Str(raw) = s.scalar()? {
                        peek.error_string = true;
                        // `invalid_request`, not "Not authorized." (a legacy sentence).
                        peek.oauth_code = raw
                            .text()
                            .filter(|t| !t.is_empty() && t.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'));
                    }
                    Some(())
                }
                Key::ErrorDescription => {
                    peek.error_description = matches!(s.scalar()?, Scalar::Str(_));
                    Some(())
                }
                _ => s.skip(),
            }
        })
    }
}

/// Scans a JSON body into `peek`; `false` if it is not well-formed JSON (then the HTTP status
/// decides and `peek` must not be used).
pub(crate) fn peek_into<'a>(body: &'a [u8], peek: &mut Peek<'a>) -> bool {
    let mut scanner = Scanner { b: body, i: 0, depth: 0 };
    if scanner.top(peek).is_none() {
        return false;
    }
    scanner.ws();
    scanner.i == body.len()
}

/// [`peek_into`] returning the result.
pub(crate) fn peek(body: &[u8]) -> Option<Peek<'_>> {
    let mut peek = Peek::default();
    peek_into(body, &mut peek).then_some(peek)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_what_classification_needs() {
        let body = br#" {"title":"t","type":"https:\/\/api.x.com\/2\/problems\/usage-capped","period":"Monthly",
            "errors":[{"code":88},{"code":"INVALID_PARAMETER","message":"m \" q"},{"type":"about:blank"},7],
            "request":{"params":{"a":[1,{"b":null}]}},"data":{"x":[true,false,-1.5e3]}} "#;
        let p = peek(body).unwrap();
        assert_eq!(p.top.type_uri.as_deref(), Some("https://api.x.com/2/problems/usage-capped"));
        assert_eq!(p.top.period.as_deref(), Some("Monthly"));
        assert_eq!((p.errors.count, p.errors.numeric_codes, p.errors.text_codes, p.errors.problems), (4, 1, 1, 1));
        assert!(p.errors.code_88 && p.request_object && p.has_data && !p.error_string);
        assert_eq!(p.errors.first_text.as_deref(), Some("INVALID_PARAMETER"));
    }

    #[test]
    fn finds_quotes_and_backslashes_at_every_offset() {
        for len in 0..40 {
            for at in 0..len {
                for c in [b'"', b'\\'] {
                    let mut b = vec![b'a'; len];
                    b[at] = c;
                    if at + 1 < len {
                        b[at + 1] = b'"';
                    }
                    assert_eq!(quote_or_backslash(&b), Some(at), "len {len} at {at}");
                }
            }
            assert_eq!(quote_or_backslash(&vec![0xffu8; len]), None);
        }
    }

    #[test]
    fn rejects_what_is_not_json() {
        for bad in [
            &b""[..],
            b"{",
            b"{\"a\":}",
            b"{\"a\" 1}",
            b"[1,2",
            b"{\"a\":1,}",
            b"{} x",
            b"\"unterminated",
            b"{\"a\":tru}",
        ] {
            assert!(peek(bad).is_none(), "{}", String::from_utf8_lossy(bad));
        }
        let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
        assert!(peek(deep.as_bytes()).is_none());
        assert!(peek(b"[1, 2]").is_some_and(|p| !p.is_object));
    }
}
