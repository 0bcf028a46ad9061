//! Operations: health, readiness, and the start-up checks of a shared setup.

pub mod health;
pub mod readiness;
pub mod startup;
pub mod store;
