-- Campaigns (cuộc vận động): named drives of a unit and the units below it, for a period,
-- with a target. Derived by the `campaigns` projection. The receipts and payments that
-- name a campaign carry its id in the ledger; entries recorded before name none.
CREATE TABLE campaigns (
    id text PRIMARY KEY,
    code text NOT NULL,
    name text NOT NULL,
    unit_id text NOT NULL,
    starts_on text NOT NULL,
    ends_on text NOT NULL,
    target integer,
    note text,
    launched_at text NOT NULL,
    launched_by text NOT NULL,
    position integer NOT NULL
);
CREATE UNIQUE INDEX campaigns_code ON campaigns (code);
CREATE INDEX campaigns_unit ON campaigns (unit_id);
ALTER TABLE ledger_entries ADD COLUMN campaign_id text;
CREATE INDEX ledger_entries_campaign ON ledger_entries (campaign_id) WHERE campaign_id IS NOT NULL;
