-- Researchers' releases are frozen: the first time a settled partition of a form (a fiscal year
-- and an event kind) is released, the responses it holds are recorded here, and every later
-- release of it uses exactly those. Late answers, cancelled or edited events never make two
-- releases differ by a few people.
CREATE TABLE released_partitions (
    form_slug TEXT NOT NULL REFERENCES forms (slug),
    fiscal_year INTEGER NOT NULL,
    kind TEXT NOT NULL,
    released_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (form_slug, fiscal_year, kind)
);

CREATE TABLE released_responses (
    form_slug TEXT NOT NULL,
    fiscal_year INTEGER NOT NULL,
    kind TEXT NOT NULL,
    response_id UUID NOT NULL REFERENCES responses (id),
    PRIMARY KEY (form_slug, fiscal_year, kind, response_id),
    FOREIGN KEY (form_slug, fiscal_year, kind) REFERENCES released_partitions (form_slug, fiscal_year, kind)
);
