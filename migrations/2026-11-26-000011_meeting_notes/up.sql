-- What was said at an event's meeting (seminars' opinions come from the participants' and staff's
-- study meetings, not only from questionnaires). Anonymous by design: no names are kept.
CREATE TABLE event_notes (
    id UUID PRIMARY KEY,
    event_id UUID NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    text TEXT NOT NULL CHECK (length(text) BETWEEN 1 AND 5000),
    speaker_role TEXT CHECK (speaker_role IN ('participant', 'family', 'staff', 'expert', 'other')),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX event_notes_event ON event_notes (event_id);
