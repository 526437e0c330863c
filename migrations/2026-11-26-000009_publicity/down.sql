DROP TABLE publicity;
