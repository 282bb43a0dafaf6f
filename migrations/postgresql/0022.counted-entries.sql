-- The ledger writes what each entry counts as, once, from its event: whether it stands
-- (`counted`: neither reversed nor itself a reversal) and whether it moves money
-- (`is_money`: goods given or received in kind count apart, by value, and in no
-- balance). Every report, book, disclosure, statement and export reads these columns
-- instead of spelling the rules again. So that the ledger after an upgrade is exactly
-- what a rebuild gives, its rows are dropped here and its position set back to the
-- start: the projection runner (`sovang serve`, `sovang projections run`) replays it
-- from the log, or at once with a progress bar: `sovang projections rebuild ledger`.
ALTER TABLE ledger_entries ADD COLUMN counted boolean;
ALTER TABLE ledger_entries ADD COLUMN is_money boolean;
DELETE FROM ledger_entries;
UPDATE projection_tracking SET position = 0 WHERE name = 'ledger';
