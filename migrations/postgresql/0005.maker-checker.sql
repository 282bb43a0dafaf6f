-- Maker-checker: each unit's approval threshold, the money each fund holds reserved
-- for payments awaiting approval, and those payments with their decisions. Derived
-- by the `units`, `funds` and `pending_payments` projections.
ALTER TABLE units ADD COLUMN approval_threshold bigint;

ALTER TABLE funds ADD COLUMN reserved bigint NOT NULL DEFAULT 0;

CREATE TABLE pending_payments (
    pending_id uuid PRIMARY KEY,
    fund_id uuid NOT NULL,
    seq bigint NOT NULL,
    position bigint NOT NULL,
    kind text NOT NULL,
    amount bigint NOT NULL,
    occurred_on date NOT NULL,
    category text,
    household_id uuid,
    house_project_id uuid,
    grant_id uuid,
    voucher_no text,
    to_fund_id uuid,
    note text,
    requested_at timestamptz NOT NULL,
    requested_by text NOT NULL,
    status text NOT NULL,
    decided_at timestamptz,
    decided_by text,
    decided_position bigint,
    -- the approver's note, or the reason for a rejection
    decision_note text,
    entry_id uuid
);
CREATE UNIQUE INDEX pending_payments_fund_seq ON pending_payments (fund_id, seq);
CREATE INDEX pending_payments_fund_status ON pending_payments (fund_id, status, seq);
