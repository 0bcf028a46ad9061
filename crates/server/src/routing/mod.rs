//! Routing and rating: carriers, rate decks, and the in-memory routing table.

pub mod carriers;
pub mod deck;
pub mod import;
pub mod routes;
pub mod table;
