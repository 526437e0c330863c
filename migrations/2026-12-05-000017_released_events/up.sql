-- A frozen partition records its events too, and an event belongs to one partition for good:
-- moved to another fiscal year or kind after its partition was first released, it stays where it
-- was frozen for researchers, and a partition frozen later never takes people already released
-- in another.
CREATE TABLE released_events (
    form_slug TEXT NOT NULL,
    fiscal_year INTEGER NOT NULL,
    kind TEXT NOT NULL,
    event_id UUID NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    PRIMARY KEY (event_id),
    FOREIGN KEY (form_slug, fiscal_year, kind) REFERENCES released_partitions (form_slug, fiscal_year, kind)
);

-- Partitions frozen before: their events are those of the responses they hold.
INSERT INTO released_events (form_slug, fiscal_year, kind, event_id)
SELECT DISTINCT ON (r.event_id) rr.form_slug, rr.fiscal_year, rr.kind, r.event_id
FROM released_responses rr JOIN responses r ON r.id = rr.response_id
ORDER BY r.event_id, rr.fiscal_year, rr.kind;
