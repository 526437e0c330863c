DROP TABLE text_dictionary;
