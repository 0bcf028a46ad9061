//! Reading whole decks: one test per kind of file people send.
