-- This release changes what three read models hold for events already stored: the ledger
-- (what each entry counts as, and the public search text, masked by code no SQL can
-- repeat), the audit trail (events read with fields added since, such as a receipt's
-- donor_account) and the grants (a reversed delivery counts where it was reversed). So
-- that a read model after an upgrade is exactly what a rebuild gives, their rows are
-- dropped here and their positions set back to the start: the projection runner (`sovang
-- serve`, `sovang projections run`) replays them from the log, or at once with a progress
-- bar: `sovang projections rebuild ledger audit grants`.
DELETE FROM ledger_entries;
DELETE FROM audit_events;
DELETE FROM audit_aggregate_units;
DELETE FROM livelihood_grants;
DELETE FROM grant_follow_ups;
DELETE FROM grant_deliveries;
UPDATE projection_tracking SET position = 0 WHERE name IN ('ledger', 'audit', 'grants');
