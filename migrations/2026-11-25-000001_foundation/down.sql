DROP TABLE api_tokens;
DROP TABLE responses;
DROP TABLE events;
DROP TABLE form_versions;
DROP TABLE forms;
