-- Where an answer came from: the phone form, a program through the API, or a paper
-- questionnaire keyed in by staff (with the token that entered it). Answers before this were
-- sent from the phone form or the API alike, and are counted as the phone form's.
ALTER TABLE responses
    ADD COLUMN source TEXT NOT NULL DEFAULT 'phone' CHECK (source IN ('phone', 'api', 'paper')),
    ADD COLUMN entered_by UUID REFERENCES api_tokens (id);
