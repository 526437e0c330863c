-- Local agencies the programme works with and tells about its events (publicity, referrals).
CREATE TABLE agencies (
    slug TEXT PRIMARY KEY,
    name_ja TEXT NOT NULL,
    name_en TEXT,
    kind TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
