-- A token may expire: after expires_at it authenticates no more (NULL: never).
ALTER TABLE api_tokens ADD COLUMN expires_at text;
