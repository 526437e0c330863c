-- Researchers' theme counts, frozen like their answers: at a partition's first theme release
-- (for a codebook and a question), the latest coding of each of its frozen responses is kept, so
-- coding more comments later never changes what researchers saw.
CREATE TABLE released_theme_partitions (
    form_slug TEXT NOT NULL,
    fiscal_year INT NOT NULL,
    kind TEXT NOT NULL,
    codebook_slug TEXT NOT NULL,
    question TEXT NOT NULL,
    released_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (form_slug, fiscal_year, kind, codebook_slug, question)
);
CREATE TABLE released_codings (
    form_slug TEXT NOT NULL,
    fiscal_year INT NOT NULL,
    kind TEXT NOT NULL,
    codebook_slug TEXT NOT NULL,
    question TEXT NOT NULL,
    response_id UUID NOT NULL,
    themes TEXT[] NOT NULL,
    PRIMARY KEY (form_slug, fiscal_year, kind, codebook_slug, question, response_id)
);
