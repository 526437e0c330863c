DROP TABLE event_notes;
