-- What staff and researchers did with data about people: sign-ins, writes, raw downloads, full
-- comments read, researchers' releases fetched. Append-only: the service can add entries, and
-- nothing can change or remove one (the trigger refuses UPDATE, DELETE and TRUNCATE, whoever
-- asks). Never an attendee's answer or address: who acted (a token), what (method and route
-- pattern, the ids in the path, the filters), and the outcome.
CREATE TABLE audit_log (
    id BIGSERIAL PRIMARY KEY,
    at TIMESTAMPTZ NOT NULL DEFAULT now(),
    token_id UUID,
    token_name TEXT,
    role TEXT,
    action TEXT NOT NULL,
    subject JSONB NOT NULL DEFAULT '{}',
    status SMALLINT
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_token ON audit_log (token_id, at);

CREATE FUNCTION audit_log_refuses_changes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only';
END
$$;
CREATE TRIGGER audit_log_append_only
    BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuses_changes();
