//! The configuration catalog the super admin builds: POPs, voice tiers, codecs, auth methods,
//! channel/CPS plans, DID countries and providers. Each is a kind of versioned, scoped record.

pub mod plans;
