//! Accounts: customer categories and groups, and customers' placement in them.

pub mod categories;
pub mod customers;
pub mod http;
pub mod store;
