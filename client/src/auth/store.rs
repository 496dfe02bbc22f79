//! Where a user's refreshed OAuth 2.0 pairs are kept. X rotates refresh tokens: once a pair is
//! refreshed the old refresh token may stop working, so a pair that is not stored before the
//! process ends locks the user out. [`OAuth2User::store`](super::OAuth2User::store) awaits
//! [`TokenStore::save`] before the new token is used; [`FileTokenStore`] is a JSON file.

use super::{AuthError, BoxFuture, TokenPair};
use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::PathBuf;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Keeps each new pair (a database row, a secret manager, a file). A failed save is an
/// [`AuthError::Store`] for the call that refreshed, and is tried again before the next one.
pub trait TokenStore: Send + Sync + 'static {
    /// Stores `pair`, replacing the one before.
    fn save<'a>(&'a self, pair: &'a TokenPair) -> BoxFuture<'a, Result<(), AuthError>>;
}

/// A pair as JSON: the secrets, the expiry in Unix seconds, the scopes.
#[derive(Serialize, Deserialize)]
struct Stored {
    access_token: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    refresh_token: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    expires_at: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    scopes: Option<Vec<String>>,
}

impl From<&TokenPair> for Stored {
    fn from(p: &TokenPair) -> Self {
        Self {
            access_token: p.access_token.clone(),
            refresh_token: p.refresh_token.clone(),
            expires_at: p.expires_at.and_then(|t| t.duration_since(UNIX_EPOCH).ok()).map(|d| d.as_secs()),
            scopes: p.scopes.clone(),
        }
    }
}

impl From<Stored> for TokenPair {
    fn from(s: Stored) -> Self {
        Self {
            access_token: s.access_token,
            refresh_token: s.refresh_token,
            expires_at: s.expires_at.map(|secs| UNIX_EPOCH + Duration::from_secs(secs)),
            scopes: s.scopes,
        }
    }
}

impl TokenPair {
    /// The pair as JSON, for a store of your own (it holds the secrets: keep it private).
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(&Stored::from(self)).unwrap_or_default()
    }

    /// A pair read back from [`to_json`](Self::to_json).
    pub fn from_json(json: &str) -> Result<Self, AuthError> {
        parse(json).map_err(AuthError::Store)
    }
}

/// A pair from JSON, or where it is not one. Where, not what: serde's message can quote a
/// value, and values here are secrets.
fn parse(json: &str) -> Result<TokenPair, String> {
    serde_json::from_str::<Stored>(json)
        .map(TokenPair::from)
        .map_err(|e| format!("not a token pair (line {}, column {})", e.line(), e.column()))
}

/// A pair kept in one JSON file, readable by its owner only (mode 0600 on Unix). Each save
/// writes a new file beside it and renames it over the old one, so a crash leaves the old
/// pair or the new one, never half of either; two processes saving at once each write whole
/// files, and the last rename wins. The file is a few hundred bytes, so it is
/// written directly rather than on a blocking thread.
#[derive(Debug, Clone)]
pub struct FileTokenStore {
    path: PathBuf,
}

impl FileTokenStore {
    /// A store at `path` (its folder must exist).
    pub fn new(path: impl Into<PathBuf>) -> Self {
        Self { path: path.into() }
    }

    /// The pair stored last; `None` when there is no file yet.
    pub fn load(&self) -> Result<Option<TokenPair>, AuthError> {
        match std::fs::read_to_string(&self.path) {
            Ok(text) => parse(&text).map(Some).map_err(|why| self.failed("reading", &why)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(self.failed("reading", &e)),
        }
    }

    /// Writes a file of its own beside the pair (created, never reused: no stale file's mode
    /// or link applies), then renames it over the pair and syncs the folder, so the rename
    /// survives a crash (the old pair's refresh token is spent).
    fn write(&self, pair: &TokenPair) -> std::io::Result<()> {
        let folder = match self.path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
            _ => PathBuf::from("."),
        };
        let unique = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_nanos());
        let mut name = self.path.file_name().unwrap_or_default().to_owned();
        name.push(format!(".{}.{unique}.new", std::process::id()));
        let temporary = folder.join(name);
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let written = options.open(&temporary).and_then(|mut file| {
            file.write_all(pair.to_json().as_bytes())?;
            file.sync_all()
        });
        if let Err(e) = written.and_then(|()| std::fs::rename(&temporary, &self.path)) {
            let _ = std::fs::remove_file(&temporary);
            return Err(e);
        }
        #[cfg(unix)]
        std::fs::File::open(&folder)?.sync_all()?;
        Ok(())
    }

    fn failed(&self, doing: &str, error: &dyn std::fmt::Display) -> AuthError {
        AuthError::Store(format!("{doing} {}: {error}", self.path.display()))
    }
}

impl TokenStore for FileTokenStore {
    fn save<'a>(&'a self, pair: &'a TokenPair) -> BoxFuture<'a, Result<(), AuthError>> {
        Box::pin(async move { self.write(pair).map_err(|e| self.failed("writing", &e)) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pair() -> TokenPair {
        TokenPair {
            access_token: "at-secret".into(),
            refresh_token: Some("rt-secret".into()),
            expires_at: Some(UNIX_EPOCH + Duration::from_secs(1_900_000_000)),
            scopes: Some(vec!["tweet.read".into(), "offline.access".into()]),
        }
    }

    #[test]
    fn a_pair_reads_back_as_it_was_written() {
        assert_eq!(TokenPair::from_json(&pair().to_json()).unwrap(), pair());
        let bare = TokenPair { refresh_token: None, expires_at: None, scopes: None, ..pair() };
        assert_eq!(TokenPair::from_json(&bare.to_json()).unwrap(), bare);
    }

    #[test]
    fn an_unreadable_file_says_where_without_showing_what() {
        let e = TokenPair::from_json(r#"{"access_token": "at", "expires_at": "rt-secret"}"#).unwrap_err();
        assert!(matches!(e, AuthError::Store(_)) && !e.to_string().contains("rt-secret"), "{e}");
    }

    #[tokio::test]
    async fn saves_replace_the_file_and_leave_nothing_beside_it() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("token.json");
        // A stale file under the old fixed name, readable by all: never reused.
        std::fs::write(dir.path().join("token.json.new"), "stale").unwrap();
        let store = FileTokenStore::new(&file);
        store.save(&pair()).await.unwrap();
        let second = TokenPair { access_token: "at-2".into(), ..pair() };
        store.save(&second).await.unwrap();
        assert_eq!(store.load().unwrap(), Some(second));
        let mut names: Vec<_> =
            std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
        names.sort();
        assert_eq!(names, ["token.json", "token.json.new"], "no temporary file left");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&file).unwrap().permissions().mode() & 0o777, 0o600);
        }
        std::fs::write(&file, "{").unwrap();
        let e = store.load().unwrap_err().to_string();
        assert!(e.starts_with("the token store failed: reading ") && e.matches("store failed").count() == 1, "{e}");
    }
}
