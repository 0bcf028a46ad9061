//! Extractors that turn axum's rejections into our problem responses.

use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use super::error::{ApiError, problem, rejection};

/// `axum::Json`, but a bad body answers with a 422 problem naming what was wrong.
pub struct Json<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for Json<T> {
    type Rejection = Response;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(v)) => Ok(Json(v)),
            // Well-formed JSON of the wrong shape names the field; unreadable bodies are a 400;
            // a body over the endpoint's limit is a 413, said as such.
            Err(JsonRejection::JsonDataError(e)) => Err(rejection(e.body_text(), "body").into_response()),
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                Err(problem(StatusCode::PAYLOAD_TOO_LARGE, "too_large", "the request body is larger than this endpoint accepts", Vec::new()))
            }
            Err(e) => Err(ApiError(didtron_core::Error::BadRequest(format!("the request body is not valid JSON: {}", e.body_text()))).into_response()),
        }
    }
}

/// The query string, with problem responses. A parameter the endpoint does not know is an error
/// (422 naming it), never silently ignored: a mistyped filter must not return the unfiltered list.
pub struct Query<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for Query<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let raw = parts.uri.query().unwrap_or_default();
        let mut unknown = Vec::new();
        let de = serde_urlencoded::Deserializer::new(form_urlencoded_parse(raw));
        match serde_ignored::deserialize(de, |path| unknown.push(path.to_string())) {
            Ok(_) if !unknown.is_empty() => {
                let fields = unknown.into_iter().map(|p| didtron_core::error::FieldError::new(p, "is not a parameter of this endpoint")).collect();
                Err(ApiError(didtron_core::Error::Invalid(fields)))
            }
            Ok(v) => Ok(Query(v)),
            Err(e) => Err(rejection(format!("Failed to deserialize query string: {e}"), "query")),
        }
    }
}

fn form_urlencoded_parse(raw: &str) -> form_urlencoded::Parse<'_> {
    form_urlencoded::parse(raw.as_bytes())
}

impl<T: serde::Serialize> axum::response::IntoResponse for Json<T> {
    fn into_response(self) -> axum::response::Response {
        axum::Json(self.0).into_response()
    }
}
