-- The log's signed checkpoints, the witnesses' cosignatures on them, and the
-- witnesses' registered keys. Derived by the `checkpoints` projection from the
-- Checkpoint and Witness events, which are leaves of the log like any other.
CREATE TABLE checkpoints (
    tree_size bigint PRIMARY KEY,
    root_hash text NOT NULL,
    note text NOT NULL,
    made_at timestamptz NOT NULL,
    position bigint NOT NULL
);

CREATE TABLE checkpoint_cosignatures (
    tree_size bigint NOT NULL,
    witness text NOT NULL,
    signature text NOT NULL,
    cosigned_at bigint NOT NULL,
    position bigint NOT NULL,
    PRIMARY KEY (tree_size, witness)
);

CREATE TABLE witnesses (
    name text PRIMARY KEY,
    verifier_key text NOT NULL,
    unit_id uuid,
    registered_at timestamptz NOT NULL,
    position bigint NOT NULL
);

-- A donor looks up their gift by the bank's transaction reference.
CREATE INDEX ledger_entries_bank_ref ON ledger_entries (bank_ref);
