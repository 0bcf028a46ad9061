//! Domain primitives of DIDtron. Pure: no I/O, no async, no framework types.

pub mod access;
pub mod error;
pub mod id;
pub mod scope;
pub mod text;
pub mod time;

pub use error::{Error, FieldError, Result};
