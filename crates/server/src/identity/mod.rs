//! Identity: users, tenants, passwords (more arrives with sessions, 2FA, teams and API keys).

pub mod bootstrap;
pub mod password;
