-- What the programme's results report (成果報告書) says of the programme as a whole: staff's texts,
-- one profile per installation (a city runs one model project), stored as the definition staff
-- gave and read back through its parser, like indicator plans.
CREATE TABLE programme_profile (
    singleton BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (singleton),
    definition JSONB NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
