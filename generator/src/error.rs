//! The generator's single error type: a JSON pointer into the spec (or a table file and line)
//! and a reason. Every failure is reported as one line; nothing panics on input.

use std::fmt;

/// What went wrong, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    /// Where: a JSON pointer such as `#/components/schemas/Foo/properties/bar`,
    /// or `file:line` for table files.
    pub location: String,
    /// Why, in one sentence.
    pub reason: String,
}

impl Error {
    /// An error at a JSON pointer or `file:line`.
    pub fn at(location: impl Into<String>, reason: impl Into<String>) -> Self {
        Self { location: location.into(), reason: reason.into() }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location, self.reason)
    }
}

impl std::error::Error for Error {}

/// The generator's result: [`Error`] unless said otherwise.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Reads a table file (`spec/…/*.yaml`) with serde_yaml; a failure is one error at
/// `path:line`.
pub fn from_yaml<T: serde::de::DeserializeOwned>(path: &str, text: &str) -> Result<T> {
    serde_yaml::from_str(text).map_err(|e| {
        let line = e.location().map(|l| l.line()).unwrap_or(1);
        // serde_yaml appends " at line L column C"; the location already says where.
        let msg = e.to_string();
        Error::at(format!("{path}:{line}"), msg.split(" at line ").next().unwrap_or(&msg).to_owned())
    })
}

/// JSON pointer helpers (RFC 6901 escaping), always in the `#/a/b` fragment form.
pub mod pointer {
    /// Appends one reference token to a pointer, escaping `~` and `/`.
    pub fn push(base: &str, token: &str) -> String {
        let mut out = String::with_capacity(base.len() + token.len() + 1);
        out.push_str(base);
        append(&mut out, token);
        out
    }

    /// [`push`] in place: appends `/` and the escaped token to `pointer`.
    pub fn append(pointer: &mut String, token: &str) {
        pointer.push('/');
        if !token.bytes().any(|b| b == b'~' || b == b'/') {
            pointer.push_str(token);
            return;
        }
        for c in token.chars() {
            match c {
                '~' => pointer.push_str("~0"),
                '/' => pointer.push_str("~1"),
                c => pointer.push(c),
            }
        }
    }

    /// Undoes the escaping of one reference token.
    pub fn unescape(token: &str) -> String {
        if !token.contains('~') {
            return token.to_owned();
        }
        token.replace("~1", "/").replace("~0", "~")
    }

    #[cfg(test)]
    mod tests {
        #[test]
        fn escaping_round_trips() {
            let p = super::push("#/paths", "/2/tweets/{id}");
            assert_eq!(p, "#/paths/~12~1tweets~1{id}");
            assert_eq!(super::unescape("~12~1tweets~0x"), "/2/tweets~x");
        }
    }
}
