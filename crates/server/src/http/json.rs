//! Extractors that turn axum's rejections into our problem responses.

use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use super::error::{ApiError, rejection};

/// `axum::Json`, but a bad body answers with a 422 problem naming what was wrong.
pub struct Json<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for Json<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(v)) => Ok(Json(v)),
            // Well-formed JSON of the wrong shape names the field; unreadable bodies are a 400.
            Err(JsonRejection::JsonDataError(e)) => Err(rejection(e.body_text(), "body")),
            Err(e) => Err(ApiError(didtron_core::Error::BadRequest(format!("the request body is not valid JSON: {}", e.body_text())))),
        }
    }
}

/// `axum::extract::Query` with problem responses.
pub struct Query<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for Query<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(v)) => Ok(Query(v)),
            Err(QueryRejection::FailedToDeserializeQueryString(e)) => Err(rejection(e.body_text(), "query")),
            Err(e) => Err(rejection(e.body_text(), "query")),
        }
    }
}

impl<T: serde::Serialize> axum::response::IntoResponse for Json<T> {
    fn into_response(self) -> axum::response::Response {
        axum::Json(self.0).into_response()
    }
}
