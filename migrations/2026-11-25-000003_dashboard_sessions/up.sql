-- Signed-in dashboard sessions. The cookie holds a random id; only its SHA-256 is kept here.
-- Revoking the token that signed in ends its sessions.
CREATE TABLE dashboard_sessions (
    id_hash TEXT PRIMARY KEY,
    token_id UUID NOT NULL REFERENCES api_tokens (id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    expires_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX dashboard_sessions_expires_at_idx ON dashboard_sessions (expires_at);
