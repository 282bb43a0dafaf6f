-- The log's signed checkpoints, the witnesses' cosignatures on them, and the
-- witnesses' registered keys. Derived by the `checkpoints` projection from the
-- Checkpoint and Witness events, which are leaves of the log like any other.
CREATE TABLE checkpoints (
    tree_size integer PRIMARY KEY,
    root_hash text NOT NULL,
    note text NOT NULL,
    made_at text NOT NULL,
    position integer NOT NULL
);

CREATE TABLE checkpoint_cosignatures (
    tree_size integer NOT NULL,
    witness text NOT NULL,
    signature text NOT NULL,
    cosigned_at integer NOT NULL,
    position integer NOT NULL,
    PRIMARY KEY (tree_size, witness)
);

CREATE TABLE witnesses (
    name text PRIMARY KEY,
    verifier_key text NOT NULL,
    unit_id text,
    registered_at text NOT NULL,
    position integer NOT NULL
);

-- A donor looks up their gift by the bank's transaction reference.
CREATE INDEX ledger_entries_bank_ref ON ledger_entries (bank_ref);
