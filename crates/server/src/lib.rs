//! The `didtron` binary as a library, so integration tests drive the same router and services.

pub mod accounts;
pub mod app;
pub mod bench;
pub mod catalog;
pub mod changes;
pub mod cli;
pub mod config;
pub mod crypto;
pub mod http;
pub mod identity;
pub mod jobs;
pub mod messaging;
pub mod ops;
pub mod routing;
pub mod state;
pub mod switch;
pub mod telemetry;
