-- Maker-checker: each unit's approval threshold, the money each fund holds reserved
-- for payments awaiting approval, and those payments with their decisions. Derived
-- by the `units`, `funds` and `pending_payments` projections.
ALTER TABLE units ADD COLUMN approval_threshold integer;

ALTER TABLE funds ADD COLUMN reserved integer NOT NULL DEFAULT 0;

CREATE TABLE pending_payments (
    pending_id text PRIMARY KEY,
    fund_id text NOT NULL,
    seq integer NOT NULL,
    position integer NOT NULL,
    kind text NOT NULL,
    amount integer NOT NULL,
    occurred_on text NOT NULL,
    category text,
    household_id text,
    house_project_id text,
    grant_id text,
    voucher_no text,
    to_fund_id text,
    note text,
    requested_at text NOT NULL,
    requested_by text NOT NULL,
    status text NOT NULL,
    decided_at text,
    decided_by text,
    decided_position integer,
    -- the approver's note, or the reason for a rejection
    decision_note text,
    entry_id text
);
CREATE UNIQUE INDEX pending_payments_fund_seq ON pending_payments (fund_id, seq);
CREATE INDEX pending_payments_fund_status ON pending_payments (fund_id, status, seq);
