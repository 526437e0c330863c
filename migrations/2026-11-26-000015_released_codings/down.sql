DROP TABLE released_codings;
DROP TABLE released_theme_partitions;
