DROP TABLE released_responses;
DROP TABLE released_partitions;
