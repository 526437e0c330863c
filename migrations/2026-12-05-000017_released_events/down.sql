DROP TABLE released_events;
