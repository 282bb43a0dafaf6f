-- Requests counted across every worker and host: failed authentications per client
-- address, checkpoints signed on demand per token. Rows older than their window are
-- deleted as new ones come.
CREATE TABLE request_counts (
    kind text NOT NULL,
    client text NOT NULL,
    at real NOT NULL
);
CREATE INDEX request_counts_client ON request_counts (kind, client, at);
CREATE INDEX request_counts_at ON request_counts (at);

-- The inspector pages' sessions: the cookie names a row by the hash of its id; logging
-- out ends the row, and a row idle or older than its lifetime opens no page.
CREATE TABLE inspector_sessions (
    id_hash text PRIMARY KEY,
    token_hash text NOT NULL,
    started_at real NOT NULL,
    seen_at real NOT NULL,
    ended_at real
);
CREATE INDEX inspector_sessions_started ON inspector_sessions (started_at);
