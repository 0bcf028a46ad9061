//! The one mapping from domain errors to HTTP: a JSON problem response
//! (`application/problem+json`) with status, code, message and field errors.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use didtron_core::Error;
use serde::Serialize;
use utoipa::ToSchema;

/// The body of every error response.
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    /// The HTTP status code.
    pub status: u16,
    /// Stable machine-readable code: not_found, conflict, invalid, unauthenticated, forbidden,
    /// rate_limited, upstream, internal.
    pub code: String,
    /// A sentence a person can read.
    pub message: String,
    /// One entry per invalid field, when `code` is `invalid`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<ProblemField>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProblemField {
    pub field: String,
    pub message: String,
}

/// A domain error on its way out as an HTTP response.
#[derive(Debug)]
pub struct ApiError(pub Error);

pub type ApiResult<T> = Result<T, ApiError>;

impl<E: Into<Error>> From<E> for ApiError {
    fn from(e: E) -> Self {
        ApiError(e.into())
    }
}

pub fn status_of(e: &Error) -> StatusCode {
    match e {
        Error::NotFound(_) => StatusCode::NOT_FOUND,
        Error::Conflict(_) => StatusCode::CONFLICT,
        Error::BadRequest(_) => StatusCode::BAD_REQUEST,
        Error::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
        Error::Unauthenticated(_) | Error::SecondFactorRequired => StatusCode::UNAUTHORIZED,
        Error::Forbidden(_) => StatusCode::FORBIDDEN,
        Error::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
        Error::Upstream { .. } => StatusCode::BAD_GATEWAY,
        Error::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let e = self.0;
        let status = status_of(&e);
        let message = match &e {
            // Internal details go to the log, never to the caller.
            Error::Internal(detail) => {
                tracing::error!(error = %detail, "internal error");
                "Something went wrong on our side. It has been logged; please try again.".to_string()
            }
            other => other.to_string(),
        };
        let fields = match &e {
            Error::Invalid(fields) => {
                fields.iter().map(|f| ProblemField { field: f.field.clone(), message: f.message.clone() }).collect()
            }
            _ => Vec::new(),
        };
        let mut response = problem(status, e.code(), &message, fields);
        if let Error::RateLimited { retry_after_secs, .. } = e {
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(retry_after_secs));
        }
        response
    }
}

/// A problem response with the given parts.
pub fn problem(status: StatusCode, code: &str, message: &str, fields: Vec<ProblemField>) -> Response {
    let body = Problem { status: status.as_u16(), code: code.to_string(), message: message.to_string(), fields };
    let mut response = (status, Json(body)).into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/problem+json"));
    response
}

/// Malformed JSON bodies and query strings become `invalid` problems, not axum's plain text.
pub fn rejection(e: impl std::fmt::Display, field: &str) -> ApiError {
    ApiError(Error::invalid(field, e.to_string()))
}
