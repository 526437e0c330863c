-- Who stored a form version: the token of the upload; none for the shipped files in survey_forms/.
ALTER TABLE form_versions ADD COLUMN created_by UUID REFERENCES api_tokens (id);
