-- Why an event was cancelled, as the programme's report lists it (the R2 seminar cancelled for
-- the state of emergency); cleared when the event is reinstated.
ALTER TABLE events ADD COLUMN cancellation_reason TEXT;
