-- Staff's considerations (考察) per goal and fiscal year: what raised attendance, what kept
-- people away, what to change. Markdown, shown verbatim in the evaluation report.
CREATE TABLE plan_considerations (
    plan_slug TEXT NOT NULL REFERENCES indicator_plans (slug) ON DELETE CASCADE,
    fiscal_year INT NOT NULL,
    text TEXT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (plan_slug, fiscal_year)
);
