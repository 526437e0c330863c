DELETE FROM events WHERE kind = 'agency_survey';
ALTER TABLE events DROP CONSTRAINT events_kind_check;
ALTER TABLE events ADD CONSTRAINT events_kind_check
    CHECK (kind IN ('seminar', 'forum', 'study_session', 'supervision'));
