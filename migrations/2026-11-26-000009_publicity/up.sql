-- What staff did to publicise each event: which channel, which agency, when, how many, at what
-- cost. An agency in use cannot be deleted.
CREATE TABLE publicity (
    id UUID PRIMARY KEY,
    event_id UUID NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    channel TEXT NOT NULL,
    agency_slug TEXT REFERENCES agencies (slug) ON DELETE RESTRICT,
    sent_on DATE NOT NULL,
    quantity INTEGER,
    cost BIGINT,
    note TEXT,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX publicity_event_id ON publicity (event_id);
