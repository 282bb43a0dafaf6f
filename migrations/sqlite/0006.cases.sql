-- Cases: households with their personal data sealed, the keys that seal it, and the
-- grant that lets a token read it. Derived by the `households` projection, except
-- personal_data_keys, which holds each household's data key wrapped by the master key
-- (deleted, and only deleted, when the household's data is erased on request).
CREATE TABLE personal_data_keys (
    household_id text PRIMARY KEY,
    wrapped_key blob NOT NULL,
    created_at text NOT NULL
);

ALTER TABLE api_tokens ADD COLUMN personal_data integer NOT NULL DEFAULT 0;

ALTER TABLE ledger_entries ADD COLUMN repeat_reason text;
ALTER TABLE pending_payments ADD COLUMN repeat_reason text;

CREATE TABLE households (
    id text PRIMARY KEY,
    unit_id text NOT NULL,
    -- ciphertext only: each opens with the household's own key
    head_name_sealed text,
    address_sealed text,
    cccd_sealed text,
    phone_sealed text,
    members_count integer NOT NULL,
    escaped_poverty_on text,
    duplicate_of text NOT NULL,
    duplicate_reason text,
    registered_at text NOT NULL,
    registered_by text NOT NULL,
    registered_position integer NOT NULL,
    erased_at text,
    erasure_reason text,
    position integer NOT NULL
);
CREATE INDEX households_unit ON households (unit_id, registered_position);
CREATE UNIQUE INDEX households_registered_position ON households (registered_position);

CREATE TABLE household_categories (
    household_id text NOT NULL,
    category text NOT NULL,
    since text NOT NULL,
    until text,
    PRIMARY KEY (household_id, category, since)
);

-- Blind indexes (keyed hashes) of the CCCD, the folded name and each address word.
CREATE TABLE household_index (
    household_id text NOT NULL,
    kind text NOT NULL,
    token text NOT NULL,
    PRIMARY KEY (kind, token, household_id)
);
CREATE INDEX household_index_household ON household_index (household_id);
