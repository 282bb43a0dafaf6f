-- The 2025 reorganisation: an open pledge of a merged unit's fund is owed to the
-- successor's fund of the same kind from the date of the merger.
ALTER TABLE pledges ADD COLUMN moved_from_fund_id uuid;
ALTER TABLE pledges ADD COLUMN moved_on date;
