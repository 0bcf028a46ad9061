//! Operations: health and system status.

pub mod health;
