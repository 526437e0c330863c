DROP TABLE codings;
DROP TABLE codebook_versions;
DROP TABLE codebooks;
