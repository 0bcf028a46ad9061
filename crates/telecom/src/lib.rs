//! Pure, fast telecom algorithms: no I/O, no async, no framework types.

pub mod deck;
pub mod lcr;
pub mod prefix;
pub mod rating;
pub mod routing;
