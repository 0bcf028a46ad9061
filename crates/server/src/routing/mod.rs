//! Routing and rating: carriers, rate decks, customer rate cards, routes, route groups, LCR
//! profiles, and the in-memory routing table.

pub mod carriers;
pub mod deck;
pub mod http;
pub mod import;
pub mod lookup;
pub mod lcr_profiles;
pub mod rate_cards;
pub mod route_groups;
pub mod routes;
pub mod store;
pub mod table;
