//! HTTP plumbing shared by every domain: errors, extractors, the web app, request ids.

pub mod caller;
pub mod csv;
pub mod error;
pub mod json;
pub mod limits;
pub mod page;
pub mod spa;

pub use error::{ApiError, ApiResult, Problem};
pub use json::{Json, Query};
pub use page::{Page, PageQuery};
