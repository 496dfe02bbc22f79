//! `xapi media upload` and `xapi auth login`: the two commands that need a user, on top of
//! `xapi_client::media` and `xapi_client::auth`.

use crate::call::ClientArgs;
use serde_json::json;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use xapi::EndpointError;
use xapi_client::media::{self, MediaCategory, MediaType, UploadError, UploadOptions};
use xapi_client::{OAuth2App, TokenStore};

/// `xapi media upload`.
#[derive(clap::Args)]
pub struct UploadArgs {
    /// The file to upload.
    file: PathBuf,
    /// The media category (`tweet_image`, `tweet_video`, `tweet_gif`, …).
    #[arg(long)]
    category: Option<String>,
    /// The media type (default: from the file's extension).
    #[arg(long)]
    media_type: Option<String>,
    /// The API's base URL.
    #[arg(long, default_value = "https://api.x.com")]
    base_url: String,
    #[command(flatten)]
    client: ClientArgs,
    /// `{"id", "media_key"}` on success, `explain --json`'s object on an error X sent.
    #[arg(long)]
    json: bool,
}

/// The media type a file name suggests.
fn media_type_of(path: &std::path::Path) -> Option<&'static str> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    Some(match ext.as_str() {
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        "mov" => "video/quicktime",
        "srt" => "text/srt",
        _ => return None,
    })
}

/// Runs `xapi media upload`.
pub fn upload(args: UploadArgs) -> ExitCode {
    let bytes = match std::fs::read(&args.file) {
        Ok(b) => b,
        Err(e) => return crate::usage(&format!("{}: {e}", args.file.display())),
    };
    let Some(kind) = args.media_type.as_deref().or_else(|| media_type_of(&args.file)) else {
        return crate::usage("--media-type: cannot tell from the file name; give it");
    };
    let mut options = UploadOptions::new(MediaType::from_wire(kind));
    if let Some(category) = &args.category {
        options = options.category(MediaCategory::from_wire(category));
    }
    let op = &xapi::operations::initialize_media_upload::OPERATION;
    let client = match args.client.client(&args.base_url, op) {
        Ok(c) => c,
        Err(m) => return crate::usage(&m),
    };
    let runtime = match crate::call::runtime() {
        Ok(rt) => rt,
        Err(e) => return crate::usage(&e),
    };
    match runtime.block_on(media::upload(&client, &bytes, options)) {
        Ok(done) if args.json => crate::print(&json!({"id": done.id, "media_key": done.media_key}).to_string()),
        Ok(done) => {
            crate::print(&format!("uploaded: {} ({})", done.id, done.media_key.as_deref().unwrap_or("no media key")))
        }
        Err(error) => {
            crate::print(&explain_upload(&error, args.json));
            return ExitCode::FAILURE;
        }
    }
    ExitCode::SUCCESS
}

/// What `explain` says about the response behind a failed step, or the error itself.
fn explain_upload(error: &UploadError, json: bool) -> String {
    fn api<E: EndpointError>(e: &xapi_client::CallError<E>) -> Option<&xapi::ApiError> {
        e.api().map(EndpointError::response)
    }
    let (response, op) = match error {
        UploadError::Initialize(e) => (api(e), &xapi::operations::initialize_media_upload::OPERATION),
        UploadError::Append { error, .. } => (api(error), &xapi::operations::append_media_upload::OPERATION),
        UploadError::Finalize { error, .. } => (api(error), &xapi::operations::finalize_media_upload::OPERATION),
        UploadError::Status { error, .. } => (api(error), &xapi::operations::get_media_upload_status::OPERATION),
        _ => (None, &xapi::operations::initialize_media_upload::OPERATION),
    };
    match response {
        Some(r) => crate::explain::describe(&r.method, r.status, &r.headers, &r.body, Some(op), json),
        None if json => json!({"kind": "upload", "error": error.to_string()}).to_string(),
        None => format!("error: {error}"),
    }
}

/// `xapi auth login`.
#[derive(clap::Args)]
pub struct LoginArgs {
    /// The scopes to ask for, comma-separated (`offline.access` is added so the token can be
    /// refreshed); default: the scopes every operation needs.
    #[arg(long, value_delimiter = ',')]
    scopes: Vec<String>,
    /// The app's OAuth 2.0 client id (default: `X_CLIENT_ID`).
    #[arg(long)]
    client_id: Option<String>,
    /// Write the pair to this file (owner-only), for `call --token-file` to use and keep
    /// refreshed, instead of printing it.
    #[arg(long, value_name = "PATH")]
    token_file: Option<PathBuf>,
    /// The local port X redirects to (`http://127.0.0.1:PORT/callback`, as registered).
    #[arg(long, default_value_t = 8765)]
    port: u16,
    /// Another authorize page (a local server in tests).
    #[arg(long, hide = true)]
    authorize_url: Option<String>,
    /// Another token endpoint (a local server in tests).
    #[arg(long, hide = true)]
    token_url: Option<String>,
}

/// Runs `xapi auth login`: prints the URL to open, waits for X's redirect on the local
/// port, exchanges the code and writes the token pair to `--token-file`, or prints it as
/// `export` lines for the shell.
pub fn login(args: LoginArgs) -> ExitCode {
    let Some(client_id) = args.client_id.clone().or_else(|| std::env::var("X_CLIENT_ID").ok()) else {
        return crate::usage("--client-id (or X_CLIENT_ID) is needed");
    };
    let redirect = format!("http://127.0.0.1:{}/callback", args.port);
    let mut app = OAuth2App::new(client_id, &redirect);
    if let (Some(a), Some(t)) = (&args.authorize_url, &args.token_url) {
        app = app.endpoints(a, t);
    }
    let mut scopes: Vec<String> = if args.scopes.is_empty() {
        let all: Vec<_> = xapi::operations::ALL.to_vec();
        OAuth2App::scopes_for(&all).into_iter().map(str::to_owned).collect()
    } else {
        args.scopes.clone()
    };
    if !scopes.iter().any(|s| s == "offline.access") {
        scopes.push("offline.access".into());
    }
    let scopes: Vec<&str> = scopes.iter().map(String::as_str).collect();
    let login = match app.login(&scopes) {
        Ok(l) => l,
        Err(e) => return crate::usage(&e.to_string()),
    };
    let runtime = match crate::call::runtime() {
        Ok(rt) => rt,
        Err(e) => return crate::usage(&e),
    };
    runtime.block_on(async move {
        let listener = match tokio::net::TcpListener::bind(("127.0.0.1", args.port)).await {
            Ok(l) => l,
            Err(e) => return crate::usage(&format!("port {}: {e}", args.port)),
        };
        let _ = writeln!(std::io::stderr().lock(), "Open this URL, approve, and come back:\n{}", login.url);
        let (code, state) = match callback(&listener).await {
            Ok(pair) => pair,
            Err(message) => {
                return crate::failure(&message);
            }
        };
        match app.exchange(login, &code, &state).await {
            Ok(pair) if args.token_file.is_some() => {
                let path = args.token_file.clone().unwrap_or_default();
                match xapi_client::FileTokenStore::new(&path).save(&pair).await {
                    Ok(()) => {
                        crate::note(&format!("the token pair is in {}", path.display()));
                        ExitCode::SUCCESS
                    }
                    Err(e) => crate::failure(&e.to_string()),
                }
            }
            Ok(pair) => {
                // The one place a token is printed: it is what the command is for, on stdout only.
                crate::print(&format!("export X_OAUTH2_ACCESS_TOKEN={}", pair.access_token));
                if let Some(refresh) = &pair.refresh_token {
                    crate::print(&format!("export X_OAUTH2_REFRESH_TOKEN={refresh}"));
                }
                ExitCode::SUCCESS
            }
            Err(e) => crate::failure(&e.to_string()),
        }
    })
}

/// Waits for X's redirect and reads `code` and `state` from it.
async fn callback(listener: &tokio::net::TcpListener) -> Result<(String, String), String> {
    let (mut socket, _) = listener.accept().await.map_err(|e| e.to_string())?;
    let mut head = Vec::new();
    let mut buf = [0u8; 2048];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < 16 << 10 {
        let n = socket.read(&mut buf).await.map_err(|e| e.to_string())?;
        if n == 0 {
            break;
        }
        head.extend_from_slice(&buf[..n]);
    }
    let text = String::from_utf8_lossy(&head);
    let target = text.split_whitespace().nth(1).unwrap_or_default();
    let url = reqwest_url(target)?;
    let get = |name: &str| url.query_pairs().find(|(k, _)| k == name).map(|(_, v)| v.into_owned());
    let reply =
        "HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\nconnection: close\r\n\r\nxapi: you can close this tab.\n";
    let _ = socket.write_all(reply.as_bytes()).await;
    if let Some(error) = get("error") {
        return Err(format!("X refused the login: {error}"));
    }
    match (get("code"), get("state")) {
        (Some(code), Some(state)) => Ok((code, state)),
        _ => Err("the redirect carries no code".to_owned()),
    }
}

fn reqwest_url(target: &str) -> Result<url::Url, String> {
    url::Url::parse(&format!("http://127.0.0.1{target}")).map_err(|e| e.to_string())
}
