-- Livelihood grants and their follow-ups (the `grants` projection); scholarships' students
-- on the ledger (the name sealed under the household's key, a blind index to count
-- distinct students, the school and school year); a household's disbursements by date.
ALTER TABLE ledger_entries ADD COLUMN student_name_sealed text;
ALTER TABLE ledger_entries ADD COLUMN student_key text;
ALTER TABLE ledger_entries ADD COLUMN school text;
ALTER TABLE ledger_entries ADD COLUMN school_year text;
ALTER TABLE pending_payments ADD COLUMN student_key text;
CREATE INDEX ledger_entries_household ON ledger_entries (household_id, occurred_on);

CREATE TABLE livelihood_grants (
    id text PRIMARY KEY,
    unit_id text NOT NULL,
    household_id text NOT NULL,
    item text NOT NULL,
    -- what describes the thing given (breed, age, make...), as a JSON object of texts
    attributes text NOT NULL,
    value integer NOT NULL,
    approved_on text NOT NULL,
    note text,
    -- approved, awaiting_approval, delivered, closed
    status text NOT NULL,
    -- disbursement or in_kind, once delivered (or asked for, awaiting approval)
    delivery text,
    delivered_on text,
    delivered_value integer,
    fund_id text,
    -- the fund's entry that delivered it, or the payment awaiting approval
    payment_id text,
    description text,
    delivery_note text,
    outcome text,
    closed_on text,
    close_note text,
    approved_position integer NOT NULL,
    position integer NOT NULL
);
CREATE INDEX livelihood_grants_unit ON livelihood_grants (unit_id, approved_position);
CREATE INDEX livelihood_grants_household ON livelihood_grants (household_id);
CREATE INDEX livelihood_grants_delivered_on ON livelihood_grants (delivered_on);

-- One row per follow-up a delivered grant is due, from its delivery; filled when made.
CREATE TABLE grant_follow_ups (
    grant_id text NOT NULL,
    months integer NOT NULL,
    due_on text NOT NULL,
    followed_on text,
    -- in_use, multiplied, sold, lost
    status text,
    note text,
    recorded_by text,
    position integer NOT NULL,
    PRIMARY KEY (grant_id, months)
);
CREATE INDEX grant_follow_ups_due ON grant_follow_ups (due_on);
