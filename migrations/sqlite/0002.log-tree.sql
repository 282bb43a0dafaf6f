-- The log's Merkle tree (RFC 6962): the hash of every complete subtree, by level
-- (0 = leaves) and index, so that any tree head and proof is O(log n) lookups.
-- Derived by the `log` projection; complete subtrees never change once stored.
CREATE TABLE log_nodes (
    level integer NOT NULL,
    idx integer NOT NULL,
    hash blob NOT NULL,
    PRIMARY KEY (level, idx)
);
