-- A delivered livelihood grant keeps the evidence of its delivery: papers and photos,
-- each photo named by its SHA-256 as `sha256:<digest>` (docs/PHOTOS.md), as a JSON list.
-- Filled by the `grants` projection from the grants' EvidenceAdded events (none before).
ALTER TABLE livelihood_grants ADD COLUMN evidence text NOT NULL DEFAULT '[]';
