-- A recurring schedule (e.g. the 2nd and 4th Thursday of each month) whose events were created together.
CREATE TABLE event_series (
    id UUID PRIMARY KEY,
    rrule TEXT NOT NULL,
    starts_on DATE NOT NULL,
    ends_on DATE NOT NULL CHECK (ends_on >= starts_on),
    skipped_dates DATE[] NOT NULL DEFAULT '{}',
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- A cancelled event stays listed but takes no answers and counts in no report.
ALTER TABLE events
    ADD COLUMN series_id UUID REFERENCES event_series (id),
    ADD COLUMN cancelled_at TIMESTAMPTZ;
CREATE INDEX events_series_id_idx ON events (series_id);

-- Targets per fiscal year and the assumed target population, as the programme's plan states them.
CREATE TABLE indicator_plans (
    slug TEXT PRIMARY KEY,
    definition JSONB NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
