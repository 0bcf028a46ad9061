-- A forced push sends every object again, even those DIDtron sent unchanged before (to repair
-- drift on the switch). Kept on the push, so whichever job runs it knows.
ALTER TABLE switch_pushes ADD COLUMN forced BIGINT NOT NULL DEFAULT 0;
