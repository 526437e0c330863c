-- Forms are identified by slug; each distinct content of a form file becomes a new version.
CREATE TABLE forms (
    slug TEXT PRIMARY KEY,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE form_versions (
    id UUID PRIMARY KEY,
    form_slug TEXT NOT NULL REFERENCES forms (slug),
    version INTEGER NOT NULL CHECK (version > 0),
    content_hash TEXT NOT NULL,
    definition JSONB NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (form_slug, version),
    UNIQUE (form_slug, content_hash)
);

CREATE TABLE events (
    id UUID PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('seminar', 'forum', 'study_session', 'supervision')),
    title TEXT NOT NULL,
    theme TEXT,
    venue TEXT,
    held_on DATE NOT NULL,
    form_version_id UUID NOT NULL REFERENCES form_versions (id),
    headcount INTEGER CHECK (headcount >= 0),
    closes_at TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX events_held_on_idx ON events (held_on);
CREATE INDEX events_kind_idx ON events (kind);

-- Deliberately no client address, user agent or any other identifying column.
CREATE TABLE responses (
    id UUID PRIMARY KEY,
    submission_id UUID NOT NULL UNIQUE,
    event_id UUID NOT NULL REFERENCES events (id),
    form_version_id UUID NOT NULL REFERENCES form_versions (id),
    answers JSONB NOT NULL,
    gender TEXT,
    age_band TEXT,
    occupation TEXT,
    relation TEXT,
    submitted_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX responses_event_id_idx ON responses (event_id);
CREATE INDEX responses_form_version_id_idx ON responses (form_version_id);
CREATE INDEX responses_gender_idx ON responses (gender);
CREATE INDEX responses_age_band_idx ON responses (age_band);
CREATE INDEX responses_occupation_idx ON responses (occupation);
CREATE INDEX responses_relation_idx ON responses (relation);

-- Only a SHA-256 of each token is kept; the token itself is shown once, at creation.
CREATE TABLE api_tokens (
    id UUID PRIMARY KEY,
    name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'analyst', 'researcher')),
    token_hash TEXT NOT NULL UNIQUE,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_used_on DATE,
    revoked_at TIMESTAMPTZ
);
