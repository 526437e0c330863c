DROP TABLE plan_considerations;
