-- A route group's carriers get a table of their own instead of the JSON list in
-- `route_groups.members`: one row per carrier, in the order the group lists them. The rows are
-- part of the group's record (written, versioned and rolled back with it by the change engine),
-- so they carry no id or audit fields of their own, like `sell_rates`. A carrier that is in a
-- group can no longer be deleted under it.
--
-- `route_groups.members` stays for now, kept in step by the change engine, for readers that still
-- read it (the route lookup); it is dropped once they read this table.
CREATE TABLE route_group_members (
    record_id   TEXT NOT NULL REFERENCES route_groups (id) ON DELETE CASCADE,
    position    BIGINT NOT NULL,
    carrier_id  TEXT NOT NULL REFERENCES carriers (id),
    "order"     BIGINT NOT NULL,
    share       BIGINT NOT NULL,
    PRIMARY KEY (record_id, position)
);
CREATE INDEX route_group_members_carrier ON route_group_members (carrier_id);

-- The groups' current members, moved from their JSON lists (members whose carrier is gone are
-- left behind: nothing can route to them).
-- engine: sqlite
INSERT INTO route_group_members (record_id, position, carrier_id, "order", share)
SELECT g.id, m.key, json_extract(m.value, '$.carrier_id'), json_extract(m.value, '$.order'), json_extract(m.value, '$.share')
FROM route_groups g, json_each(g.members) m
WHERE json_extract(m.value, '$.carrier_id') IN (SELECT id FROM carriers);
-- engine: postgres
INSERT INTO route_group_members (record_id, position, carrier_id, "order", share)
SELECT g.id, m.n - 1, m.value ->> 'carrier_id', (m.value ->> 'order')::BIGINT, (m.value ->> 'share')::BIGINT
FROM route_groups g, json_array_elements(g.members::json) WITH ORDINALITY AS m (value, n)
WHERE m.value ->> 'carrier_id' IN (SELECT id FROM carriers);
-- engine: all
