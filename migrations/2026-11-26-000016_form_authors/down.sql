ALTER TABLE form_versions DROP COLUMN created_by;
