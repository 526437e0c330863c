-- A coding made by a codebook's rules rather than by a person: theme tables say how many of each
-- there are, a person's coding is never overwritten by rules, and agreement is between people.
ALTER TABLE codings ADD COLUMN by_rule BOOLEAN NOT NULL DEFAULT false;
