DROP TABLE programme_profile;
