CREATE TABLE released_responses (
    form_slug TEXT NOT NULL,
    fiscal_year INTEGER NOT NULL,
    kind TEXT NOT NULL,
    response_id UUID NOT NULL REFERENCES responses (id),
    PRIMARY KEY (form_slug, fiscal_year, kind, response_id),
    FOREIGN KEY (form_slug, fiscal_year, kind) REFERENCES released_partitions (form_slug, fiscal_year, kind)
);
INSERT INTO released_responses (form_slug, fiscal_year, kind, response_id)
SELECT re.form_slug, re.fiscal_year, re.kind, r.id
FROM released_events re
JOIN released_partitions rp USING (form_slug, fiscal_year, kind)
JOIN responses r ON r.event_id = re.event_id AND r.seq <= rp.through_seq
JOIN form_versions fv ON fv.id = r.form_version_id AND fv.form_slug = re.form_slug;
ALTER TABLE released_partitions DROP COLUMN through_seq;
ALTER TABLE responses DROP COLUMN seq;
