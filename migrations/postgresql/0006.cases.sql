-- Cases: households with their personal data sealed, the keys that seal it, and the
-- grant that lets a token read it. Derived by the `households` projection, except
-- personal_data_keys, which holds each household's data key wrapped by the master key
-- (deleted, and only deleted, when the household's data is erased on request).
CREATE TABLE personal_data_keys (
    household_id uuid PRIMARY KEY,
    wrapped_key bytea NOT NULL,
    created_at timestamptz NOT NULL
);

ALTER TABLE api_tokens ADD COLUMN personal_data boolean NOT NULL DEFAULT false;

ALTER TABLE ledger_entries ADD COLUMN repeat_reason text;
ALTER TABLE pending_payments ADD COLUMN repeat_reason text;

CREATE TABLE households (
    id uuid PRIMARY KEY,
    unit_id uuid NOT NULL,
    -- ciphertext only: each opens with the household's own key
    head_name_sealed text,
    address_sealed text,
    cccd_sealed text,
    phone_sealed text,
    members_count integer NOT NULL,
    escaped_poverty_on date,
    duplicate_of text NOT NULL,
    duplicate_reason text,
    registered_at timestamptz NOT NULL,
    registered_by text NOT NULL,
    registered_position bigint NOT NULL,
    erased_at timestamptz,
    erasure_reason text,
    position bigint NOT NULL
);
CREATE INDEX households_unit ON households (unit_id, registered_position);
CREATE UNIQUE INDEX households_registered_position ON households (registered_position);

CREATE TABLE household_categories (
    household_id uuid NOT NULL,
    category text NOT NULL,
    since date NOT NULL,
    until date,
    PRIMARY KEY (household_id, category, since)
);

-- Blind indexes (keyed hashes) of the CCCD, the folded name and each address word.
CREATE TABLE household_index (
    household_id uuid NOT NULL,
    kind text NOT NULL,
    token text NOT NULL,
    PRIMARY KEY (kind, token, household_id)
);
CREATE INDEX household_index_household ON household_index (household_id);

CREATE TABLE house_projects (
    id uuid PRIMARY KEY,
    unit_id uuid NOT NULL,
    household_id uuid NOT NULL,
    kind text NOT NULL,
    -- the cost sheet by source, in đồng: fund, household, relatives, sponsors, pagoda, labour
    budget text NOT NULL,
    fund_share bigint NOT NULL,
    stage text NOT NULL,
    stage_on date NOT NULL,
    started_on date,
    completed_on date,
    status text NOT NULL,
    cancel_reason text,
    paid bigint NOT NULL DEFAULT 0,
    reserved bigint NOT NULL DEFAULT 0,
    approved_on date NOT NULL,
    note text,
    approved_position bigint NOT NULL,
    position bigint NOT NULL
);
CREATE INDEX house_projects_unit ON house_projects (unit_id, approved_position);
CREATE INDEX house_projects_household ON house_projects (household_id);

CREATE TABLE house_stages (
    project_id uuid NOT NULL,
    stage text NOT NULL,
    reached_on date NOT NULL,
    evidence text NOT NULL,
    board_members text NOT NULL,
    recorded_by text NOT NULL,
    position bigint NOT NULL,
    PRIMARY KEY (project_id, stage)
);

CREATE TABLE house_tranches (
    payment_id uuid PRIMARY KEY,
    project_id uuid NOT NULL,
    fund_id uuid NOT NULL,
    amount bigint NOT NULL,
    -- paid, pending (awaiting approval), released (rejected or reversed)
    status text NOT NULL,
    entry_id uuid,
    position bigint NOT NULL
);
CREATE INDEX house_tranches_project ON house_tranches (project_id, position);
