//! The configuration catalog the super admin builds: POPs, voice tiers, codecs, auth methods,
//! channel/CPS plans, DID countries and providers. Each is a kind of versioned, scoped record; the
//! customer sees the ones that reach them through `choices`.

pub mod choices;
pub mod dids;
pub mod inventory;
pub mod offerings;
pub mod plans;
pub mod store;
