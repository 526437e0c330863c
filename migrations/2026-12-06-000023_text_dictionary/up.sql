-- Staff's text dictionary (forced words, accepted compounds, stop words): one per installation,
-- stored as the definition staff gave; its version keys the segmenter's memory of comments, so a
-- change re-segments them.
CREATE TABLE text_dictionary (
    singleton BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (singleton),
    definition JSONB NOT NULL,
    version BIGINT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
