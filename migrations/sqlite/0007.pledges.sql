-- The money-raising side: receipt slips (phiếu thu) numbered per fund and accounting
-- year. Derived by the `ledger` projection.
ALTER TABLE ledger_entries ADD COLUMN slip_no integer;
ALTER TABLE ledger_entries ADD COLUMN slip_ref text;
CREATE INDEX ledger_entries_slip_ref ON ledger_entries (slip_ref);

-- Goods (hiện vật) held off balance by each fund: received by in-kind receipts, given
-- out by in-kind disbursements. Derived by the `funds` projection.
ALTER TABLE funds ADD COLUMN total_in_kind_out integer NOT NULL DEFAULT 0;
CREATE TABLE in_kind_stock (
    fund_id text NOT NULL,
    item text NOT NULL,
    description text NOT NULL,
    unit text NOT NULL,
    quantity_in integer NOT NULL DEFAULT 0,
    quantity_out integer NOT NULL DEFAULT 0,
    value_in integer NOT NULL DEFAULT 0,
    value_out integer NOT NULL DEFAULT 0,
    position integer NOT NULL,
    PRIMARY KEY (fund_id, item)
);

-- Yearly targets (chỉ tiêu) assigned to a unit per kind of fund by the level above.
-- Derived by the `units` projection.
CREATE TABLE unit_targets (
    unit_id text NOT NULL,
    year integer NOT NULL,
    fund_kind text NOT NULL,
    amount integer NOT NULL,
    assigned_at text NOT NULL,
    assigned_by text NOT NULL,
    position integer NOT NULL,
    PRIMARY KEY (unit_id, year, fund_kind)
);

-- Pledges (đăng ký ủng hộ), their instalments and the receipts that fulfilled them.
-- Derived by the `pledges` projection.
CREATE TABLE pledges (
    pledge_id text PRIMARY KEY,
    fund_id text NOT NULL,
    unit_id text NOT NULL,
    code text NOT NULL,
    donor_name text,
    donor_kind text NOT NULL,
    amount integer NOT NULL,
    fulfilled integer NOT NULL,
    due_on text,
    note text,
    status text NOT NULL,
    made_at text NOT NULL,
    made_by text NOT NULL,
    closed_reason text,
    closed_at text,
    closed_by text,
    position integer NOT NULL,
    last_position integer NOT NULL
);
CREATE UNIQUE INDEX pledges_fund_code ON pledges (fund_id, code);
CREATE INDEX pledges_unit_position ON pledges (unit_id, position);

CREATE TABLE pledge_instalments (
    pledge_id text NOT NULL,
    seq integer NOT NULL,
    due_on text NOT NULL,
    amount integer NOT NULL,
    cumulative integer NOT NULL,
    PRIMARY KEY (pledge_id, seq)
);

CREATE TABLE pledge_fulfilments (
    pledge_id text NOT NULL,
    entry_id text NOT NULL,
    amount integer NOT NULL,
    position integer NOT NULL,
    reversed_position integer,
    PRIMARY KEY (pledge_id, entry_id)
);

-- Bank-statement imports started over the API, and their progress. Not a projection:
-- written by the process that runs the import, like api_tokens.
CREATE TABLE import_jobs (
    id text PRIMARY KEY,
    fund_id text NOT NULL,
    -- the ids of the fund's unit and its ancestors, root first, comma-separated
    unit_path text NOT NULL,
    actor text NOT NULL,
    filename text NOT NULL,
    preset text NOT NULL,
    dry_run integer NOT NULL,
    status text NOT NULL,
    rows_read integer NOT NULL DEFAULT 0,
    recorded integer NOT NULL DEFAULT 0,
    duplicates integer NOT NULL DEFAULT 0,
    bad integer NOT NULL DEFAULT 0,
    report text,
    error text,
    started_at text NOT NULL,
    finished_at text
);

-- The statement (sao kê): each receipt's donor name, memo and references as searches
-- compare them (no diacritics, lower case). Derived by the `ledger` projection.
ALTER TABLE ledger_entries ADD COLUMN search_text text;
CREATE INDEX ledger_entries_fund_amount ON ledger_entries (fund_id, amount, seq);

-- A donor's giving history across funds: the donor's name as compared (no diacritics,
-- lower case), on each receipt with a named donor. Derived by the `ledger` projection.
ALTER TABLE ledger_entries ADD COLUMN donor_key text;
CREATE INDEX ledger_entries_donor_key ON ledger_entries (donor_key, position);
