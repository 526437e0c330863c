-- Seeds :events forum events over three fiscal years (2019-2021) and :responses answers to the
-- forum form (it asks the attribute block) spread over them, with random attributes, scales, choices and some comments. It
-- leaves the tables unanalysed, as a batch of new rows is until autovacuum comes by.
-- psql -v events=100 -v responses=1000000 -f seed-responses.sql
\set ON_ERROR_STOP on
BEGIN;
INSERT INTO events (id, code, kind, title, held_on, form_version_id)
SELECT gen_random_uuid(), 'bench' || i, 'forum', '依存症フォーラム ' || i,
       date '2019-04-01' + (i * 1095 / :events),
       (SELECT id FROM form_versions WHERE form_slug = 'forum' ORDER BY version DESC LIMIT 1)
FROM generate_series(1, :events) AS i;

CREATE TEMP TABLE bench_events AS
SELECT row_number() OVER (ORDER BY held_on, id) - 1 AS slot, id, form_version_id
FROM events WHERE code LIKE 'bench%';

INSERT INTO responses (id, submission_id, event_id, form_version_id, answers, gender, age_band, occupation, relation)
SELECT gen_random_uuid(), gen_random_uuid(), e.id, e.form_version_id, a.answers,
       a.answers ->> 'gender', a.answers ->> 'age_band', a.answers ->> 'occupation', a.answers ->> 'relation'
FROM generate_series(0, :responses - 1) AS i
JOIN bench_events AS e ON e.slot = i % :events
CROSS JOIN LATERAL (
  SELECT jsonb_strip_nulls(jsonb_build_object(
    'gender', (ARRAY['female', 'male', 'other', 'no_answer'])[1 + floor(random() * 4)::int],
    'age_band', (ARRAY['under_20', '20s', '30s', '40s', '50s', '60s', '70_plus', 'no_answer'])[1 + floor(random() * 8)::int],
    'occupation', (ARRAY['company_employee', 'public_servant', 'self_employed', 'healthcare', 'welfare',
                         'corrections_probation', 'education', 'student', 'homemaker', 'unemployed', 'other',
                         'no_answer'])[1 + floor(random() * 12)::int],
    'relation', (ARRAY['lived_experience', 'family', 'supporter', 'general', 'no_answer'])[1 + floor(random() * 5)::int],
    'heard_from', CASE WHEN random() < 0.9 THEN
        (SELECT jsonb_agg(channel) FROM unnest(ARRAY['sns', 'city_newsletter', 'newspaper', 'website',
            'poster_flyer', 'agency_referral', 'acquaintance', 'other']) AS channel WHERE random() < 0.25 + 0 * i)
      END,
    'satisfaction', CASE WHEN random() < 0.95 THEN 1 + floor(random() * 5)::int END,
    'understanding', CASE WHEN random() < 0.95 THEN 1 + floor(random() * 5)::int END,
    'topics_wanted', CASE WHEN random() < 0.8 THEN
        (SELECT jsonb_agg(topic) FROM unnest(ARRAY['recovery_stories', 'family_support', 'treatment',
            'consultation', 'prevention', 'other']) AS topic WHERE random() < 0.3 + 0 * i)
      END,
    'opinion', CASE WHEN random() < 0.05 THEN
        (ARRAY['また参加したいです', '話を聞いてもらえて安心しました', '家族として学びが多かった',
               '時間が短く感じました', '資料が分かりやすかった'])[1 + floor(random() * 5)::int] END
  ) || jsonb_build_object('_', i)) - '_' AS answers
) AS a;
COMMIT;
