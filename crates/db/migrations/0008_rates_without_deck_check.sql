-- Rates without the foreign key to rate_decks. PostgreSQL checked that key for every row a deck
-- import copied in (measured: 3.6 s of a 6.7 s COPY of a million rows). Rates are only written by
-- the deck import, in the same transaction that creates their deck, so the check bought nothing.
CREATE TABLE rates_new (
    deck_id               TEXT NOT NULL,
    carrier_id            TEXT NOT NULL,
    prefix                TEXT NOT NULL,
    destination           TEXT NOT NULL DEFAULT '',
    rate                  BIGINT NOT NULL,
    connection_fee        BIGINT NOT NULL DEFAULT 0,
    initial_increment     BIGINT NOT NULL DEFAULT 60,
    subsequent_increment  BIGINT NOT NULL DEFAULT 60,
    effective_from        TEXT NOT NULL,
    PRIMARY KEY (deck_id, prefix, effective_from)
);
INSERT INTO rates_new (deck_id, carrier_id, prefix, destination, rate, connection_fee, initial_increment, subsequent_increment, effective_from)
    SELECT deck_id, carrier_id, prefix, destination, rate, connection_fee, initial_increment, subsequent_increment, effective_from FROM rates;
DROP TABLE rates;
ALTER TABLE rates_new RENAME TO rates;
CREATE INDEX rates_prefix ON rates (prefix);
