-- The person who holds a token: one person's tokens (a treasurer's and an approver's)
-- share it, and maker-checker compares it, never display names. Tokens made before
-- keep the rule of their time: those under the same name are one person.
ALTER TABLE api_tokens ADD COLUMN person_id text;
UPDATE api_tokens SET person_id = (
    SELECT MIN(same.id) FROM api_tokens same
    WHERE lower(trim(same.name)) = lower(trim(api_tokens.name))
);

-- Entries awaiting an approver besides payments: reversals and receipts, and why each
-- waits (above the threshold, a day's split payments, above the plausibility limit).
ALTER TABLE pending_payments ADD COLUMN held_because text;
ALTER TABLE pending_payments ADD COLUMN reversed_entry_id text;
ALTER TABLE pending_payments ADD COLUMN donor_name text;
