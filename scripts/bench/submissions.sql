-- pgbench: the durable insert a submission ends in, the same row into the same table (the
-- variables come quoted from the script).
INSERT INTO responses (id, submission_id, event_id, form_version_id, answers, gender)
VALUES (gen_random_uuid(), gen_random_uuid(), :event::uuid, :version::uuid,
        '{"satisfaction": 4, "gender": "female", "opinion": "また参加したいです"}', 'female');
