-- The read models of the fund ledger. Every table here is derived from the event
-- log by a projection (service/projections) and can be dropped and rebuilt,
-- except api_tokens, which holds the hashes of the API tokens.

CREATE TABLE projection_tracking (
    name text PRIMARY KEY,
    position integer NOT NULL DEFAULT 0
);

CREATE TABLE units (
    id text PRIMARY KEY,
    name text NOT NULL,
    level text NOT NULL,
    parent_id text,
    code text,
    position integer NOT NULL,
    registered_at text NOT NULL
);
CREATE INDEX units_parent_id ON units (parent_id);

CREATE TABLE unit_tree (
    ancestor_id text NOT NULL,
    unit_id text NOT NULL,
    depth integer NOT NULL,
    PRIMARY KEY (ancestor_id, unit_id)
);
CREATE INDEX unit_tree_unit_id ON unit_tree (unit_id);

CREATE TABLE funds (
    id text PRIMARY KEY,
    unit_id text NOT NULL,
    name text NOT NULL,
    kind text NOT NULL,
    balance integer NOT NULL DEFAULT 0,
    total_received integer NOT NULL DEFAULT 0,
    total_in_kind integer NOT NULL DEFAULT 0,
    total_disbursed integer NOT NULL DEFAULT 0,
    total_transferred_in integer NOT NULL DEFAULT 0,
    total_transferred_out integer NOT NULL DEFAULT 0,
    entries_count integer NOT NULL DEFAULT 0,
    closed_through text,
    position integer NOT NULL,
    opened_at text NOT NULL
);
CREATE INDEX funds_unit_id ON funds (unit_id);

CREATE TABLE ledger_entries (
    entry_id text PRIMARY KEY,
    fund_id text NOT NULL,
    seq integer NOT NULL,
    position integer NOT NULL,
    kind text NOT NULL,
    amount integer NOT NULL,
    effect integer NOT NULL,
    running_balance integer NOT NULL,
    occurred_on text NOT NULL,
    recorded_at text NOT NULL,
    channel text,
    category text,
    donor_name text,
    donor_kind text,
    voucher_no text,
    bank_ref text,
    pledge_id text,
    household_id text,
    house_project_id text,
    grant_id text,
    counterparty_fund_id text,
    counterpart_entry_id text,
    in_kind_description text,
    in_kind_quantity integer,
    in_kind_unit text,
    note text,
    reason text,
    reverses_entry_id text,
    reversed_by_entry_id text,
    actor text NOT NULL
);
CREATE UNIQUE INDEX ledger_entries_fund_seq ON ledger_entries (fund_id, seq);
CREATE INDEX ledger_entries_fund_occurred_on ON ledger_entries (fund_id, occurred_on);

CREATE TABLE audit_events (
    position integer PRIMARY KEY,
    originator_id text NOT NULL,
    originator_version integer NOT NULL,
    aggregate_type text NOT NULL,
    event_type text NOT NULL,
    unit_id text,
    recorded_at text NOT NULL,
    occurred_on text,
    actor_id text,
    actor text,
    role text,
    actor_unit_id text,
    idempotency_key text,
    request_id text,
    data text NOT NULL
);
CREATE INDEX audit_events_originator ON audit_events (originator_id, originator_version);
CREATE INDEX audit_events_actor ON audit_events (actor, position);
CREATE INDEX audit_events_unit ON audit_events (unit_id, position);
CREATE INDEX audit_events_recorded_at ON audit_events (recorded_at);

CREATE TABLE audit_aggregate_units (
    aggregate_id text PRIMARY KEY,
    unit_id text
);

CREATE TABLE api_tokens (
    id text PRIMARY KEY,
    name text NOT NULL,
    role text NOT NULL,
    unit_id text,
    token_hash text NOT NULL UNIQUE,
    created_at text NOT NULL,
    revoked_at text
);
