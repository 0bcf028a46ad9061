//! Changes to configuration: kinds, versions, drafts, preview with impact, push, rollback, and the
//! audit log of every write.

pub mod audit;
pub mod audit_routes;
pub mod describe;
pub mod drafts;
pub mod fields;
pub mod assignments;
pub mod kinds;
pub mod records;
pub mod routes;
pub mod service;
pub mod store;
pub mod subscribers;
pub mod unit;
