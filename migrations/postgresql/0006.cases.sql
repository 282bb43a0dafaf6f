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
