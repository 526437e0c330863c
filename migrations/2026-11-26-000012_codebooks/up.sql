-- Codebooks of themes, versioned like forms, and analysts' codings of comments and meeting notes
-- with them. A coding keeps the version it was made with and who made it (their token), so two
-- analysts' codings of one item can be compared.
CREATE TABLE codebooks (
    slug TEXT PRIMARY KEY,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE TABLE codebook_versions (
    id UUID PRIMARY KEY,
    codebook_slug TEXT NOT NULL REFERENCES codebooks (slug) ON DELETE CASCADE,
    version INT NOT NULL,
    content_hash TEXT NOT NULL,
    definition JSONB NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (codebook_slug, version),
    UNIQUE (codebook_slug, content_hash)
);
CREATE TABLE codings (
    id UUID PRIMARY KEY,
    codebook_slug TEXT NOT NULL REFERENCES codebooks (slug) ON DELETE CASCADE,
    codebook_version_id UUID NOT NULL REFERENCES codebook_versions (id),
    coder_token_id UUID NOT NULL REFERENCES api_tokens (id),
    response_id UUID REFERENCES responses (id) ON DELETE CASCADE,
    question TEXT,
    note_id UUID REFERENCES event_notes (id) ON DELETE CASCADE,
    themes TEXT[] NOT NULL,
    quote BOOLEAN NOT NULL DEFAULT false,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK ((response_id IS NOT NULL AND question IS NOT NULL AND note_id IS NULL)
        OR (note_id IS NOT NULL AND response_id IS NULL AND question IS NULL))
);
-- One coding per coder and item within a codebook: coding again replaces it.
CREATE UNIQUE INDEX codings_one_per_coder ON codings
    (codebook_slug, coder_token_id, COALESCE(response_id, note_id), COALESCE(question, ''));
CREATE INDEX codings_response ON codings (response_id);
CREATE INDEX codings_note ON codings (note_id);
