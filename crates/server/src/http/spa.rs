//! The web app, built by Vite into `web/dist` and embedded in the release binary (debug builds read
//! the folder from disk, so a rebuilt front end shows without recompiling).

use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::response::{Html, IntoResponse, Response};
use rust_embed::RustEmbed;

#[derive(RustEmbed)]
#[folder = "../../web/dist"]
#[allow_missing = true]
struct Assets;

const NOT_BUILT: &str = "<!doctype html><title>DIDtron</title><h1>The web app is not built</h1>\
<p>Run <code>npm ci &amp;&amp; npm run build</code> in <code>web/</code>, or use <code>scripts/run.sh</code>.</p>";

fn asset(path: &str) -> Option<Response> {
    let file = Assets::get(path)?;
    let mime = mime_guess::from_path(path).first_or_octet_stream();
    // Vite puts a content hash in every file under assets/, so those may be cached forever.
    let cache = if path.starts_with("assets/") { "public, max-age=31536000, immutable" } else { "no-cache" };
    Some(
        (
            [
                (header::CONTENT_TYPE, HeaderValue::from_str(mime.as_ref()).unwrap_or(HeaderValue::from_static("application/octet-stream"))),
                (header::CACHE_CONTROL, HeaderValue::from_static(cache)),
            ],
            file.data,
        )
            .into_response(),
    )
}

/// `GET /api/docs`: the API reference page, a separate entry of the web build.
pub async fn api_docs() -> Response {
    asset("api-docs.html").unwrap_or_else(|| (StatusCode::NOT_FOUND, Html(NOT_BUILT)).into_response())
}

/// Every other GET: a file of the build, or `index.html` so the app's router takes the path.
pub async fn fallback(uri: Uri) -> Response {
    let path = uri.path().trim_start_matches('/');
    if path.starts_with("api/") || path == "api" {
        return super::error::ApiError(didtron_core::Error::NotFound("endpoint")).into_response();
    }
    // The build manifest (`.vite/`) is for the size budget, not for visitors.
    if !path.is_empty()
        && !path.starts_with('.')
        && let Some(response) = asset(path)
    {
        return response;
    }
    asset("index.html").unwrap_or_else(|| (StatusCode::OK, Html(NOT_BUILT)).into_response())
}
