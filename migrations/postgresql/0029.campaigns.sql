-- Campaigns (cuộc vận động): named drives of a unit and the units below it, for a period,
-- with a target. Derived by the `campaigns` projection. The receipts and payments that
-- name a campaign carry its id in the ledger; entries recorded before name none.
CREATE TABLE campaigns (
    id uuid PRIMARY KEY,
    code text NOT NULL,
    name text NOT NULL,
    unit_id uuid NOT NULL,
    starts_on date NOT NULL,
    ends_on date NOT NULL,
    target bigint,
    note text,
    launched_at timestamptz NOT NULL,
    launched_by text NOT NULL,
    position bigint NOT NULL
);
CREATE UNIQUE INDEX campaigns_code ON campaigns (code);
CREATE INDEX campaigns_unit ON campaigns (unit_id);
ALTER TABLE ledger_entries ADD COLUMN campaign_id uuid;
CREATE INDEX ledger_entries_campaign ON ledger_entries (campaign_id) WHERE campaign_id IS NOT NULL;
