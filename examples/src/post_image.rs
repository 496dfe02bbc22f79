//! Posting with an image as a user: upload the file in chunks, then create the post with its
//! media id. The client signs both with the user's OAuth 2.0 token (refreshing it if needed).

use xapi::operations::create_posts;
use xapi_client::media::{self, MediaCategory, MediaType, UploadError, UploadOptions};
use xapi_client::{CallError, Client};

/// Why posting failed: the upload or the post.
#[derive(Debug)]
pub enum PostError {
    /// The upload failed at a step (with a resume point for a failed chunk).
    Upload(UploadError),
    /// The post was refused.
    Post(CallError<create_posts::Error>),
}

/// Uploads `png` and posts `text` with it; returns the new post's id.
pub async fn post_with_image(client: &Client, text: &str, png: &[u8]) -> Result<String, PostError> {
    let options = UploadOptions::new(MediaType::ImagePng).category(MediaCategory::TweetImage);
    let uploaded = media::upload(client, png, options).await.map_err(PostError::Upload)?;
    let body = serde_json::json!({"text": text, "media": {"media_ids": [uploaded.id]}});
    let request = create_posts::Request::new(serde_json::from_value(body).expect("a valid post body"));
    let created = client.call(&request).await.map_err(PostError::Post)?;
    Ok(created.data.data.and_then(|d| d.id).map(|id| id.to_string()).unwrap_or_default())
}
