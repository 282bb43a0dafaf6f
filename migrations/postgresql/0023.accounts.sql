-- People's accounts for the pages: a name, a phone or an e-mail (at least one), a role
-- and a unit, as tokens have. The password is kept as its argon2 hash; the second
-- factor's secret (TOTP) sealed under a key derived from the personal-data master key
-- (and, while the person enrols, the one shown to them); the last time step whose code
-- was accepted, so that a code is never accepted twice.
CREATE TABLE people (
    id text PRIMARY KEY,
    name text NOT NULL,
    phone text UNIQUE,
    email text UNIQUE,
    role text NOT NULL,
    unit_id uuid,
    personal_data integer NOT NULL DEFAULT 0,
    password_hash text,
    totp_sealed bytea,
    totp_pending bytea,
    totp_last_step bigint,
    created_at text NOT NULL,
    activated_at text,
    disabled_at text
);

-- One-time activation links: only the SHA-256 of the link's secret is kept; a link works
-- once (used_at) and until expires_at (seconds since the epoch).
CREATE TABLE activation_links (
    token_hash text PRIMARY KEY,
    person_id text NOT NULL,
    created_at double precision NOT NULL,
    expires_at double precision NOT NULL,
    used_at double precision
);
CREATE INDEX activation_links_person ON activation_links (person_id);

-- The pages' sessions, held by an API token (its hash) or by a person (their id).
CREATE TABLE login_sessions (
    id_hash text PRIMARY KEY,
    token_hash text,
    person_id text,
    started_at double precision NOT NULL,
    seen_at double precision NOT NULL,
    ended_at double precision
);
INSERT INTO login_sessions (id_hash, token_hash, started_at, seen_at, ended_at)
SELECT id_hash, token_hash, started_at, seen_at, ended_at FROM inspector_sessions;
DROP TABLE inspector_sessions;
CREATE INDEX login_sessions_started ON login_sessions (started_at);
CREATE INDEX login_sessions_person ON login_sessions (person_id);
