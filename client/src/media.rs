//! Chunked media upload through X's v2 media endpoints, in one call: [`upload`] runs INIT
//! (`POST /2/media/upload/initialize`), APPEND per segment (`POST /2/media/upload/{id}/append`,
//! a multipart form of `segment_index` and `media`), FINALIZE
//! (`POST /2/media/upload/{id}/finalize`), then, while X says processing is `pending` or
//! `in_progress`, STATUS (`GET /2/media/upload?media_id=…&command=STATUS`) after each
//! `check_after_secs` X names.
//!
//! Each request goes through [`Client::call`], with the client's retry policy. APPEND is a
//! POST, but `spec/errors/endpoint_rules.yaml` marks it idempotent (a segment is sent under
//! its index), so a segment that fails on X's side or gets no answer is sent again like a
//! GET would be. When its tries are spent, [`UploadError::Append`] carries a [`Resume`] that
//! continues without re-sending the segments X has.
//!
//! ```no_run
//! # async fn run(client: xapi_client::Client, png: Vec<u8>) -> Result<(), xapi_client::media::UploadError> {
//! use xapi_client::media::{upload, MediaCategory, MediaType, UploadError, UploadOptions};
//! let options = UploadOptions::new(MediaType::ImagePng).category(MediaCategory::TweetImage);
//! let uploaded = match upload(&client, &png, options.clone()).await {
//!     Err(UploadError::Append { resume, .. }) => upload(&client, &png, options.resume(resume)).await?,
//!     other => other?,
//! };
//! println!("media {} ({:?})", uploaded.id, uploaded.media_key);
//! # Ok(()) }
//! ```

use crate::{CallError, Client};
use std::fmt;
use std::sync::Arc;
use std::time::Duration;
use xapi::models::{
    FinalizeMediaUploadResponseData, InitializeMediaUploadRequest, InitializeMediaUploadResponseData, Problem,
};
use xapi::operations::{append_media_upload, finalize_media_upload, get_media_upload_status, initialize_media_upload};
use xapi::params::Command;
use xapi::request::{JsonOrMultipart, Multipart};

pub use xapi::models::InitializeMediaUploadRequestMediaCategory as MediaCategory;
pub use xapi::models::InitializeMediaUploadRequestMediaType as MediaType;

/// The default segment size: 4 MiB (X takes segments of up to 5 MB).
pub const DEFAULT_CHUNK_SIZE: usize = 4 * 1024 * 1024;
/// The most segments one upload may have: the spec bounds `segment_index` to `0..=9999`.
pub const MAX_SEGMENTS: u64 = 10_000;

/// The progress callback; its Debug says only that there is one.
#[derive(Clone)]
struct Hook(Arc<dyn Fn(Progress) + Send + Sync>);

impl fmt::Debug for Hook {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<hook>")
    }
}

/// How to upload: the media's type and category, the segment size, where to resume, and who
/// hears of progress. How often a failed segment is tried is the client's
/// [`RetryPolicy`](crate::RetryPolicy), or the one set for APPEND alone with
/// [`ClientBuilder::retry_policy_for`](crate::ClientBuilder::retry_policy_for).
#[derive(Debug, Clone)]
pub struct UploadOptions {
    media_type: MediaType,
    category: Option<MediaCategory>,
    chunk_size: usize,
    resume: Option<Resume>,
    on_progress: Option<Hook>,
}

impl UploadOptions {
    /// Options for media of this type (`image/png` is [`MediaType::ImagePng`]; any other
    /// text parses into the enum): no category, [`DEFAULT_CHUNK_SIZE`] segments, a fresh
    /// upload.
    pub fn new(media_type: MediaType) -> Self {
        Self { media_type, category: None, chunk_size: DEFAULT_CHUNK_SIZE, resume: None, on_progress: None }
    }

    /// The `media_category` (`tweet_image`, `tweet_video`, `dm_gif`, …). X processes video
    /// and GIFs asynchronously only when a category is given.
    pub fn category(mut self, category: MediaCategory) -> Self {
        self.category = Some(category);
        self
    }

    /// The segment size in bytes (at least 1). A resumed upload keeps the size of its
    /// [`Resume`], so that segment `n` starts where it did.
    pub fn chunk_size(mut self, bytes: usize) -> Self {
        self.chunk_size = bytes.max(1);
        self
    }

    /// Continues an upload that failed: no INIT, and the segments before
    /// [`Resume::next_segment`] are not sent again.
    pub fn resume(mut self, resume: Resume) -> Self {
        self.resume = Some(resume);
        self
    }

    /// Calls `hook` after each step, with the bytes X has and the phase.
    pub fn on_progress(mut self, hook: impl Fn(Progress) + Send + Sync + 'static) -> Self {
        self.on_progress = Some(Hook(Arc::new(hook)));
        self
    }
}

/// Where a failed upload stands: X holds the segments before `next_segment` of upload
/// `media_id`. Serializable, to be saved and passed back through [`UploadOptions::resume`]
/// (before X's session expires: `expires_after_secs` of INIT).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct Resume {
    /// The upload's media id (from INIT).
    pub media_id: String,
    /// The first segment X does not have.
    pub next_segment: u32,
    /// The segment size the upload was cut with.
    pub chunk_size: usize,
}

impl Resume {
    /// A resume point, e.g. read back from storage.
    pub fn new(media_id: impl Into<String>, next_segment: u32, chunk_size: usize) -> Self {
        Self { media_id: media_id.into(), next_segment, chunk_size: chunk_size.max(1) }
    }
}

/// How far an upload is, after a step.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Progress {
    /// Bytes X has (never decreases; a resumed upload starts at its resume point).
    pub sent: u64,
    /// The media's size.
    pub total: u64,
    /// The step just done.
    pub phase: Phase,
}

/// The step an upload has just done.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Phase {
    /// INIT succeeded (or a resume point was taken).
    Initialized,
    /// X took this segment.
    Appended {
        /// Its `segment_index`.
        segment: u32,
    },
    /// FINALIZE succeeded.
    Finalized,
    /// X is processing the media; the next poll follows after its `check_after_secs`.
    Processing {
        /// `pending` or `in_progress`.
        state: String,
        /// `progress_percent`, when X gave it.
        percent: Option<i64>,
    },
    /// The media is ready to attach.
    Done,
}

/// An uploaded media, ready to attach to a post or a message.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Uploaded {
    /// The media id (`media.media_ids` of a post).
    pub id: String,
    /// The media key (`13_…`), when X gave one.
    pub media_key: Option<String>,
    /// The last FINALIZE or STATUS answer: size, expiry, image or video details.
    pub data: FinalizeMediaUploadResponseData,
}

/// Why an upload did not finish.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum UploadError {
    /// The media has no bytes: there is nothing to append. Nothing was sent.
    #[error("the media is empty: there is nothing to upload")]
    Empty,
    /// The media needs more segments than X takes at this size. Nothing was sent.
    #[error("{segments} segments of {chunk_size} bytes: X takes at most {MAX_SEGMENTS}; use bigger chunks")]
    TooManySegments {
        /// Segments needed.
        segments: u64,
        /// The segment size.
        chunk_size: usize,
    },
    /// The resume point is past the media's last segment (another file?). Nothing was sent.
    #[error("resume at segment {} is past the {segments} segments of this media", .resume.next_segment)]
    ResumeOutOfRange {
        /// The resume point given.
        resume: Resume,
        /// Segments this media has.
        segments: u64,
    },
    /// INIT failed.
    #[error("initialize: {0}")]
    Initialize(CallError<initialize_media_upload::Error>),
    /// A step succeeded but its answer lacks what the next step needs (INIT with no media
    /// id, STATUS with no `data`).
    #[error("`{operation}` succeeded with no {missing} ({} problem(s) beside it)", .problems.len())]
    Incomplete {
        /// The operation id.
        operation: &'static str,
        /// What was missing.
        missing: &'static str,
        /// The `errors` X sent with the answer.
        problems: Vec<Problem>,
    },
    /// A segment failed on every try (or with an error that will not heal).
    #[error("append segment {segment}: {error}")]
    Append {
        /// Its `segment_index`.
        segment: u32,
        /// The last try's error.
        error: CallError<append_media_upload::Error>,
        /// Continues from this segment.
        resume: Resume,
    },
    /// FINALIZE failed; every segment was sent.
    #[error("finalize: {error}")]
    Finalize {
        /// The error.
        error: CallError<finalize_media_upload::Error>,
        /// Sends FINALIZE again, and nothing else.
        resume: Resume,
    },
    /// A STATUS poll failed; X may still be processing `media_id`.
    #[error("status of media {media_id}: {error}")]
    Status {
        /// The media id.
        media_id: String,
        /// The error.
        error: CallError<get_media_upload_status::Error>,
    },
    /// X could not process the media: `failed`, or a state this client does not know.
    #[error("media {media_id}: processing ended `{state}`{}", .error.as_ref().map(|e| format!(": {e}")).unwrap_or_default())]
    Processing {
        /// The media id.
        media_id: String,
        /// `processing_info.state`, as X sent it.
        state: String,
        /// `processing_info.error`, as X sent it (the spec does not list it; X has documented
        /// `{"code": 1, "name": "InvalidMedia", "message": "Unsupported video format"}`).
        error: Option<serde_json::Value>,
    },
}

/// Uploads `media` in segments: INIT (unless resuming), APPEND each segment, FINALIZE, then
/// STATUS polls while X processes it. Returns the media once it is ready to attach.
pub async fn upload(client: &Client, media: &[u8], options: UploadOptions) -> Result<Uploaded, UploadError> {
    let total = media.len() as u64;
    let chunk_size = options.resume.as_ref().map_or(options.chunk_size, |r| r.chunk_size).max(1);
    let segments = total.div_ceil(chunk_size as u64);
    if total == 0 {
        return Err(UploadError::Empty);
    }
    if segments > MAX_SEGMENTS {
        return Err(UploadError::TooManySegments { segments, chunk_size });
    }
    let report = |sent: u64, phase: Phase| {
        if let Some(Hook(hook)) = &options.on_progress {
            hook(Progress { sent, total, phase });
        }
    };
    let offset = |segment: u32| (u64::from(segment) * chunk_size as u64).min(total);

    let (media_id, init_key, first) = match options.resume.clone() {
        Some(resume) if u64::from(resume.next_segment) > segments => {
            return Err(UploadError::ResumeOutOfRange { resume, segments });
        }
        Some(resume) => (resume.media_id, None, resume.next_segment),
        None => {
            let (id, key) = initialize(client, &options, total).await?;
            (id, key, 0)
        }
    };
    report(offset(first), Phase::Initialized);

    // `segments` is at most 10 000, so it fits; `start` is below `total`, so no overflow.
    let last = segments as u32;
    for segment in first..last {
        let start = segment as usize * chunk_size;
        let chunk = &media[start..(start + chunk_size).min(media.len())];
        if let Err(error) = append(client, &media_id, segment, chunk).await {
            let resume = Resume::new(media_id.clone(), segment, chunk_size);
            return Err(UploadError::Append { segment, error, resume });
        }
        report(offset(segment + 1), Phase::Appended { segment });
    }

    let finalized = client.call(&finalize_media_upload::Request::new(media_id.clone())).await;
    let finalized = finalized
        .map_err(|error| UploadError::Finalize { error, resume: Resume::new(media_id.clone(), last, chunk_size) })?;
    report(total, Phase::Finalized);
    // FINALIZE with no `data` leaves nothing to poll: the id from INIT stands.
    let mut data = finalized.data.data.map(|d| *d).unwrap_or_default();

    // X documents pending -> in_progress -> failed | succeeded; no `processing_info`: ready.
    while let Some(info) = data.processing_info.as_deref() {
        let state = info.state.clone().unwrap_or_else(|| "succeeded".to_owned());
        match state.as_str() {
            "succeeded" => break,
            "pending" | "in_progress" => {}
            _ => {
                let error = info.extra.get("error").cloned();
                return Err(UploadError::Processing { media_id, state, error });
            }
        }
        // At least a second, so that a missing or zero `check_after_secs` does not spin.
        let wait = info.check_after_secs.and_then(|s| u64::try_from(s).ok()).unwrap_or(1).max(1);
        report(total, Phase::Processing { state, percent: info.progress_percent });
        tokio::time::sleep(Duration::from_secs(wait)).await;
        let request = get_media_upload_status::Request::new(media_id.clone()).command(Command::Status);
        let status = client.call(&request).await;
        let status = status.map_err(|error| UploadError::Status { media_id: media_id.clone(), error })?;
        data = match status.data.data {
            Some(d) => *d,
            None => {
                let problems = status.data.errors.unwrap_or_default();
                let operation = get_media_upload_status::OPERATION.id;
                return Err(UploadError::Incomplete { operation, missing: "`data`", problems });
            }
        };
    }
    report(total, Phase::Done);
    let id = data.id.clone().unwrap_or(media_id);
    let media_key = data.media_key.clone().or(init_key);
    Ok(Uploaded { id, media_key, data })
}

/// INIT: the media id and key of the new upload.
async fn initialize(
    client: &Client,
    options: &UploadOptions,
    total: u64,
) -> Result<(String, Option<String>), UploadError> {
    let body = InitializeMediaUploadRequest {
        media_type: Some(options.media_type.clone()),
        media_category: options.category.clone(),
        // Over the spec's maximum, this is refused locally as `InvalidRequest`.
        total_bytes: Some(i64::try_from(total).unwrap_or(i64::MAX)),
        ..Default::default()
    };
    let parsed = client.call(&initialize_media_upload::Request::new(body)).await.map_err(UploadError::Initialize)?;
    let response = parsed.data;
    match response.data.map(|d| *d) {
        Some(InitializeMediaUploadResponseData { id: Some(id), media_key, .. }) => Ok((id, media_key)),
        _ => Err(UploadError::Incomplete {
            operation: initialize_media_upload::OPERATION.id,
            missing: "media id",
            problems: response.errors.unwrap_or_default(),
        }),
    }
}

/// APPEND of one segment (retried by the client's policy: the operation is idempotent).
async fn append(
    client: &Client,
    media_id: &str,
    segment: u32,
    chunk: &[u8],
) -> Result<(), CallError<append_media_upload::Error>> {
    let form = Multipart::new().text("segment_index", segment.to_string()).bytes("media", chunk);
    let request = append_media_upload::Request::new(media_id, JsonOrMultipart::Multipart(form));
    client.call(&request).await.map(drop)
}
