-- The 2025 reorganisation: a unit may be merged into a successor from a date.
ALTER TABLE units ADD COLUMN merged_into_id uuid;
ALTER TABLE units ADD COLUMN merged_on date;
