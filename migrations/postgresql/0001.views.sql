-- The read models of the fund ledger. Every table here is derived from the event
-- log by a projection (service/projections) and can be dropped and rebuilt,
-- except api_tokens, which holds the hashes of the API tokens.

CREATE TABLE projection_tracking (
    name text PRIMARY KEY,
    position bigint NOT NULL DEFAULT 0
);

CREATE TABLE units (
    id uuid PRIMARY KEY,
    name text NOT NULL,
    level text NOT NULL,
    parent_id uuid,
    code text,
    position bigint NOT NULL,
    registered_at timestamptz NOT NULL
);
CREATE INDEX units_parent_id ON units (parent_id);

CREATE TABLE unit_tree (
    ancestor_id uuid NOT NULL,
    unit_id uuid NOT NULL,
    depth integer NOT NULL,
    PRIMARY KEY (ancestor_id, unit_id)
);
CREATE INDEX unit_tree_unit_id ON unit_tree (unit_id);

CREATE TABLE funds (
    id uuid PRIMARY KEY,
    unit_id uuid NOT NULL,
    name text NOT NULL,
    kind text NOT NULL,
    balance bigint NOT NULL DEFAULT 0,
    total_received bigint NOT NULL DEFAULT 0,
    total_in_kind bigint NOT NULL DEFAULT 0,
    total_disbursed bigint NOT NULL DEFAULT 0,
    total_transferred_in bigint NOT NULL DEFAULT 0,
    total_transferred_out bigint NOT NULL DEFAULT 0,
    entries_count bigint NOT NULL DEFAULT 0,
    closed_through date,
    position bigint NOT NULL,
    opened_at timestamptz NOT NULL
);
CREATE INDEX funds_unit_id ON funds (unit_id);

CREATE TABLE ledger_entries (
    entry_id uuid PRIMARY KEY,
    fund_id uuid NOT NULL,
    seq bigint NOT NULL,
    position bigint NOT NULL,
    kind text NOT NULL,
    amount bigint NOT NULL,
    effect bigint NOT NULL,
    running_balance bigint NOT NULL,
    occurred_on date NOT NULL,
    recorded_at timestamptz NOT NULL,
    channel text,
    category text,
    donor_name text,
    donor_kind text,
    voucher_no text,
    bank_ref text,
    pledge_id uuid,
    household_id uuid,
    house_project_id uuid,
    grant_id uuid,
    counterparty_fund_id uuid,
    counterpart_entry_id uuid,
    in_kind_description text,
    in_kind_quantity bigint,
    in_kind_unit text,
    note text,
    reason text,
    reverses_entry_id uuid,
    reversed_by_entry_id uuid,
    actor text NOT NULL
);
CREATE UNIQUE INDEX ledger_entries_fund_seq ON ledger_entries (fund_id, seq);
CREATE INDEX ledger_entries_fund_occurred_on ON ledger_entries (fund_id, occurred_on);

CREATE TABLE audit_events (
    position bigint PRIMARY KEY,
    originator_id uuid NOT NULL,
    originator_version bigint NOT NULL,
    aggregate_type text NOT NULL,
    event_type text NOT NULL,
    unit_id uuid,
    recorded_at timestamptz NOT NULL,
    occurred_on date,
    actor_id text,
    actor text,
    role text,
    actor_unit_id uuid,
    idempotency_key text,
    request_id text,
    data text NOT NULL
);
CREATE INDEX audit_events_originator ON audit_events (originator_id, originator_version);
CREATE INDEX audit_events_actor ON audit_events (actor, position);
CREATE INDEX audit_events_unit ON audit_events (unit_id, position);
CREATE INDEX audit_events_recorded_at ON audit_events (recorded_at);

CREATE TABLE audit_aggregate_units (
    aggregate_id uuid PRIMARY KEY,
    unit_id uuid
);

CREATE TABLE api_tokens (
    id text PRIMARY KEY,
    name text NOT NULL,
    role text NOT NULL,
    unit_id uuid,
    token_hash text NOT NULL UNIQUE,
    created_at timestamptz NOT NULL,
    revoked_at timestamptz
);
