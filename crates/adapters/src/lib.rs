//! Clients for outside services. Each real client has timeouts and retries, reports failures with
//! whether a retry may help, and is tested against a local fake server speaking the real protocol.

pub mod mail;
pub mod switch;
