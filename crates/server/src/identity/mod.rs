//! Identity and access: users in tenants with roles, sign-up and sign-in, sessions, 2FA, teams and
//! API keys.

pub mod actor;
pub mod api_keys;
pub mod auth;
pub mod bootstrap;
mod mails;
pub mod password;
pub mod profile;
pub mod routes;
pub mod rules;
mod security;
pub mod session;
pub mod store;
pub mod team;
pub mod totp;
