-- Waves of the agency survey are kept as events of their own kind: a link, a QR code and a
-- phone form like any event, never counted as attendance.
ALTER TABLE events DROP CONSTRAINT events_kind_check;
ALTER TABLE events ADD CONSTRAINT events_kind_check
    CHECK (kind IN ('seminar', 'forum', 'study_session', 'supervision', 'agency_survey'));
