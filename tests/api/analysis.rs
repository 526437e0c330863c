use crate::common::{error_of, Lcg, TestApp};
use futures::future::join_all;
use jsonschema::Validator;
use serde_json::{json, Value};
use uuid::Uuid;

const AGES: [&str; 8] = ["under_20", "20s", "30s", "40s", "50s", "60s", "70_plus", "no_answer"];
const CHANNELS: [&str; 8] = [
    "sns",
    "city_newsletter",
    "newspaper",
    "website",
    "poster_flyer",
    "agency_referral",
    "acquaintance",
    "other",
];

/// Response `i`: three people say "other" for gender, every 50th skips it; women are more satisfied.
fn generated_answers(i: usize, rng: &mut Lcg) -> Value {
    let gender = match i {
        _ if i % 100 == 7 => Some("other"),
        _ if i % 50 == 0 => None,
        _ => Some(if rng.below(5) < 3 { "female" } else { "male" }),
    };
    let satisfaction = match gender {
        Some("female") => [3, 4, 4, 5, 5, 5][rng.below(6)],
        _ => 1 + rng.below(5) as i64,
    };
    let relation = RELATIONS[i % RELATIONS.len()];
    let mut answers = json!({"satisfaction": satisfaction, "age_band": AGES[rng.below(7)], "relation": relation});
    if let Some(gender) = gender {
        answers["gender"] = json!(gender);
    }
    if i % 10 != 3 {
        let mut channels: Vec<&str> = CHANNELS.iter().copied().filter(|_| rng.below(4) == 0).collect();
        if channels.is_empty() {
            channels.push(CHANNELS[rng.below(8)]);
        }
        answers["heard_from"] = json!(channels);
    }
    if i % 7 == 0 {
        answers["opinion"] = json!(OPINIONS[i % RELATIONS.len()]);
    }
    answers
}

const RELATIONS: [&str; 3] = ["lived_experience", "family", "supporter"];

/// Comment `i % 3`, so each relation writes its own: response `i` has relation `i % 3` too.
const OPINIONS: [&str; 3] = [
    "家族として参加しました。同じ立場の人の話が聞けて心強かったです。",
    "ワークブックの進め方がわかりやすく、また参加したいと思いました。",
    "The group discussion was helpful and I felt safe to speak.",
];

struct Seeded {
    app: TestApp,
    /// (event index, answers) per response: 200 at an FY2025 forum, 100 at an FY2026 one.
    responses: Vec<(usize, Value)>,
    events: Vec<String>,
}

async fn seeded() -> Seeded {
    let app = TestApp::spawn().await;
    let mut events = Vec::new();
    for held_on in ["2025-06-12", "2026-05-14"] {
        let event = app
            .create_event(json!({"kind": "forum", "title": "依存症フォーラム", "held_on": held_on}))
            .await;
        events.push(event["id"].as_str().unwrap().to_owned());
    }
    let mut rng = Lcg(42);
    let responses: Vec<(usize, Value)> = (0..300)
        .map(|i| (usize::from(i >= 200), generated_answers(i, &mut rng)))
        .collect();
    for chunk in responses.chunks(25) {
        let sent = join_all(
            chunk
                .iter()
                .map(|(event, answers)| app.submit(&events[*event], Uuid::new_v4(), answers.clone())),
        )
        .await;
        assert!(sent.iter().all(|r| r.status() == 201));
    }
    Seeded { app, responses, events }
}

impl Seeded {
    async fn analysis(&self, path: &str) -> Value {
        let response = self.app.get(path, Some(&self.app.analyst)).await;
        assert_eq!(response.status(), 200, "GET {path}");
        response.json().await.unwrap()
    }

    fn answers(&self) -> impl Iterator<Item = &Value> {
        self.responses.iter().map(|(_, answers)| answers)
    }
}

fn group<'a>(result: &'a Value, attribute: &str, value: Option<&str>) -> &'a Value {
    result["groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["key"][attribute].as_str() == value)
        .unwrap_or_else(|| panic!("no group {attribute}={value:?}"))
}

/// P(X > x) for a chi-square variable with an even number of degrees of freedom, in closed form.
fn chi_square_survival_even_df(x: f64, df: u64) -> f64 {
    let half = x / 2.0;
    let mut term = 1.0;
    let mut sum = 1.0;
    for i in 1..df / 2 {
        term *= half / i as f64;
        sum += term;
    }
    (-half).exp() * sum
}

#[tokio::test]
async fn breakdowns_agree_with_counts_and_a_chi_square_computed_here() {
    let seeded = seeded().await;
    let result = seeded
        .analysis("/api/v1/analysis/breakdown?form=forum&question=satisfaction&by=gender")
        .await;
    assert_eq!(
        (result["form"].clone(), result["question_type"].clone()),
        (json!("forum"), json!("scale"))
    );
    assert_eq!(result["n"], 300);
    assert_eq!(result["by"], json!(["gender"]));
    assert_eq!(result["options"][4]["value"], "5");

    // Group x option table computed from what was sent.
    let keys: Vec<Option<&str>> = vec![Some("female"), Some("male"), Some("other"), None];
    let mut table = vec![vec![0u64; 5]; keys.len()];
    for answers in seeded.answers() {
        let row = keys.iter().position(|k| answers["gender"].as_str() == *k).unwrap();
        table[row][answers["satisfaction"].as_i64().unwrap() as usize - 1] += 1;
    }
    for (key, counts) in keys.iter().zip(&table) {
        let group = group(&result, "gender", *key);
        let n: u64 = counts.iter().sum();
        assert_eq!(group["n"], n, "{key:?}");
        for (point, count) in counts.iter().enumerate() {
            assert_eq!(group["counts"][(point + 1).to_string()], *count);
            let share = group["percentages"][(point + 1).to_string()].as_f64().unwrap();
            assert!((share - *count as f64 * 100.0 / n as f64).abs() < 1e-9);
        }
        let mean = counts
            .iter()
            .enumerate()
            .map(|(p, c)| (p + 1) as f64 * *c as f64)
            .sum::<f64>()
            / n as f64;
        assert!((group["mean"].as_f64().unwrap() - mean).abs() < 1e-9);
    }
    assert_eq!(
        group(&result, "gender", Some("female"))["labels"]["gender"],
        json!({"ja": "女性", "en": "Female"})
    );
    assert_eq!(group(&result, "gender", None)["labels"]["gender"]["en"], "Not answered");

    // Three people said "other": most of their row's expected counts are below 1, so chi-square's
    // approximation is not trusted and the p-value is a Monte-Carlo one.
    let (statistic, below_5_share) = pearson(&table);
    let test = &result["test"];
    assert_eq!(
        (
            test["method"].clone(),
            test["chi_square_valid"].clone(),
            test["n"].clone()
        ),
        (json!("monte_carlo"), json!(false), json!(300))
    );
    assert_eq!(test["monte_carlo"]["draws"], 10_000);
    assert_eq!(test["df"], 12);
    assert!((test["statistic"].as_f64().unwrap() - statistic).abs() < 1e-9);
    assert!((test["expected_below_5_share"].as_f64().unwrap() - below_5_share).abs() < 1e-12);
    let p = test["p_value"].as_f64().unwrap();
    assert!(p > 0.0 && p < 0.01, "women are more satisfied: {p}");
    let cramers_v = (statistic / (300.0 * 3.0)).sqrt();
    assert!((test["cramers_v"].as_f64().unwrap() - cramers_v).abs() < 1e-9);

    // By relation (three groups of 100) every expected count is at least 5: chi-square it is.
    let by_relation = seeded
        .analysis("/api/v1/analysis/breakdown?form=forum&question=satisfaction&by=relation")
        .await;
    let mut table = vec![vec![0u64; 5]; RELATIONS.len()];
    for answers in seeded.answers() {
        let row = RELATIONS.iter().position(|r| answers["relation"] == *r).unwrap();
        table[row][answers["satisfaction"].as_i64().unwrap() as usize - 1] += 1;
    }
    let (statistic, below_5_share) = pearson(&table);
    assert_eq!(below_5_share, 0.0);
    let test = &by_relation["test"];
    assert_eq!(
        (test["method"].clone(), test["df"].clone()),
        (json!("chi_square"), json!(8))
    );
    assert!((test["p_value"].as_f64().unwrap() - chi_square_survival_even_df(statistic, 8)).abs() < 1e-9);
}

/// Pearson's statistic of a table and the share of its cells whose expected count is below 5.
fn pearson(table: &[Vec<u64>]) -> (f64, f64) {
    let total: f64 = table.iter().flatten().sum::<u64>() as f64;
    let row_sums: Vec<f64> = table.iter().map(|r| r.iter().sum::<u64>() as f64).collect();
    let width = table[0].len();
    let column_sums: Vec<f64> = (0..width)
        .map(|j| table.iter().map(|r| r[j]).sum::<u64>() as f64)
        .collect();
    let (mut statistic, mut below_5) = (0.0, 0);
    for (i, row) in table.iter().enumerate() {
        for (j, observed) in row.iter().enumerate() {
            let expected = row_sums[i] * column_sums[j] / total;
            statistic += (*observed as f64 - expected).powi(2) / expected;
            below_5 += usize::from(expected < 5.0);
        }
    }
    (statistic, below_5 as f64 / (table.len() * width) as f64)
}

#[tokio::test]
async fn multi_choice_channels_and_nested_groups() {
    let seeded = seeded().await;
    let result = seeded
        .analysis("/api/v1/analysis/breakdown?form=forum&question=heard_from&by=age_band")
        .await;
    let respondents: Vec<&Value> = seeded.answers().filter(|a| a.get("heard_from").is_some()).collect();
    assert_eq!(result["n"], respondents.len());
    assert_eq!(result["test"], Value::Null);
    let forties: Vec<&&Value> = respondents.iter().filter(|a| a["age_band"] == "40s").collect();
    let forties_group = group(&result, "age_band", Some("40s"));
    assert_eq!(forties_group["n"], forties.len());
    for channel in CHANNELS {
        let ticked = forties
            .iter()
            .filter(|a| a["heard_from"].as_array().unwrap().contains(&json!(channel)))
            .count();
        assert_eq!(forties_group["counts"][channel], ticked, "{channel}");
    }

    let channels = seeded.analysis("/api/v1/analysis/channels?form=forum").await;
    assert_eq!(channels["question"], "heard_from");
    for channel in CHANNELS {
        let only = respondents
            .iter()
            .filter(|a| a["heard_from"] == json!([channel]))
            .count();
        assert_eq!(channels["total"]["only"][channel], only, "{channel}");
    }

    let nested = seeded
        .analysis("/api/v1/analysis/breakdown?form=forum&question=satisfaction&by=gender,age_band")
        .await;
    let groups = nested["groups"].as_array().unwrap();
    assert!(groups.iter().all(|g| g["key"].as_object().unwrap().len() == 2));
    assert_eq!(groups.iter().map(|g| g["n"].as_u64().unwrap()).sum::<u64>(), 300);
    let women_40s = seeded
        .answers()
        .filter(|a| a["gender"] == "female" && a["age_band"] == "40s")
        .count();
    let cell = groups
        .iter()
        .find(|g| g["key"] == json!({"gender": "female", "age_band": "40s"}))
        .unwrap();
    assert_eq!(cell["n"], women_40s);
}

#[tokio::test]
async fn fiscal_years_kinds_and_events_sit_side_by_side() {
    let seeded = seeded().await;
    let app = &seeded.app;
    // A study session that asks the forum's questions, in FY2026.
    let study = app
        .create_event(json!({"kind": "study_session", "title": "研修会", "held_on": "2026-07-01", "form": "forum"}))
        .await;
    let study_answers = json!({"satisfaction": 2, "opinion": "講師の話が聞けてよかった"});
    for _ in 0..4 {
        let sent = app
            .submit(study["id"].as_str().unwrap(), Uuid::new_v4(), study_answers.clone())
            .await;
        assert_eq!(sent.status(), 201);
    }
    let points = |event: usize| {
        let mut counts = [0u64; 5];
        for (_, answers) in seeded.responses.iter().filter(|(e, _)| *e == event) {
            counts[answers["satisfaction"].as_i64().unwrap() as usize - 1] += 1;
        }
        counts
    };
    let path = |by: &str| format!("/api/v1/analysis/breakdown?form=forum&question=satisfaction&by={by}");

    let years = seeded.analysis(&path("fiscal_year")).await;
    let keys: Vec<&Value> = years["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| &g["key"]["fiscal_year"])
        .collect();
    assert_eq!(keys, [&json!("2025"), &json!("2026")], "oldest first");
    assert_eq!(
        group(&years, "fiscal_year", Some("2025"))["labels"]["fiscal_year"],
        json!({"ja": "R7年度", "en": "FY2025"})
    );
    let mut fy2026 = points(1);
    fy2026[1] += 4;
    for (year, counts) in [("2025", points(0)), ("2026", fy2026)] {
        let group = group(&years, "fiscal_year", Some(year));
        assert_eq!(group["n"], counts.iter().sum::<u64>(), "{year}");
        for (point, count) in counts.iter().enumerate() {
            assert_eq!(group["counts"][(point + 1).to_string()], *count, "{year}");
        }
    }
    assert_eq!(years["test"]["df"], 4);

    let kinds = seeded.analysis(&path("kind")).await;
    assert_eq!(group(&kinds, "kind", Some("forum"))["n"], 300);
    let study_group = group(&kinds, "kind", Some("study_session"));
    assert_eq!(
        (study_group["n"].clone(), study_group["counts"]["2"].clone()),
        (json!(4), json!(4))
    );
    assert_eq!(
        study_group["labels"]["kind"],
        json!({"ja": "研修会", "en": "Study session"})
    );

    let events = seeded.analysis(&path("event")).await;
    let first = group(&events, "event", Some(&seeded.events[0]));
    assert_eq!(first["n"], 200);
    assert_eq!(
        first["labels"]["event"],
        json!({"ja": "R7.6.12 依存症フォーラム", "en": "2025-06-12 依存症フォーラム"})
    );
    let order: Vec<&str> = events["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["key"]["event"].as_str().unwrap())
        .collect();
    assert_eq!(
        order,
        [
            seeded.events[0].as_str(),
            seeded.events[1].as_str(),
            study["id"].as_str().unwrap()
        ],
        "by date"
    );

    let nested = seeded.analysis(&path("fiscal_year,gender")).await;
    let women_2025 = nested["groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["key"] == json!({"fiscal_year": "2025", "gender": "female"}))
        .unwrap();
    let expected = seeded
        .responses
        .iter()
        .filter(|(e, a)| *e == 0 && a["gender"] == "female")
        .count();
    assert_eq!(women_2025["n"], expected);

    app.patch_event(study["id"].as_str().unwrap(), json!({"cancelled": true}))
        .await;
    let without = seeded.analysis(&path("kind")).await;
    assert!(without["groups"]
        .as_array()
        .unwrap()
        .iter()
        .all(|g| g["key"]["kind"] == "forum"));

    let opinions = seeded
        .analysis("/api/v1/analysis/opinions?form=forum&by=fiscal_year&include_text=true")
        .await;
    let commented = |event: usize| {
        seeded
            .responses
            .iter()
            .filter(|(e, a)| *e == event && a.get("opinion").is_some())
            .count()
    };
    assert_eq!(group(&opinions, "fiscal_year", Some("2025"))["comments"], commented(0));
    assert_eq!(
        group(&opinions, "fiscal_year", Some("2026"))["labels"]["fiscal_year"]["en"],
        "FY2026"
    );

    let refused = app.get(&path("fiscal_year,fiscal_year"), Some(&app.analyst)).await;
    assert_eq!(refused.status(), 422);
    assert_eq!(error_of(refused).await.1.as_deref(), Some("by"));
}

#[tokio::test]
async fn filters_narrow_the_rows() {
    let seeded = seeded().await;
    let path = |filters: &str| format!("/api/v1/analysis/breakdown?form=forum&question=satisfaction&{filters}");
    assert_eq!(seeded.analysis(&path("fiscal_year=2025")).await["n"], 200);
    assert_eq!(seeded.analysis(&path("fiscal_year=2026")).await["n"], 100);
    assert_eq!(
        seeded.analysis(&path(&format!("event={}", seeded.events[1]))).await["n"],
        100
    );
    assert_eq!(seeded.analysis(&path("from=2026-01-01")).await["n"], 100);
    assert_eq!(seeded.analysis(&path("to=2025-06-12")).await["n"], 200);
    assert_eq!(seeded.analysis(&path("kind=seminar")).await["n"], 0);
    let filtered = seeded.analysis(&path("fiscal_year=2025&kind=forum")).await;
    assert_eq!(filtered["filters"]["fiscal_year"], 2025);
    assert_eq!(filtered["filters"]["kind"], "forum");
}

#[tokio::test]
async fn small_groups_are_suppressed_with_the_one_that_would_give_them_away() {
    let seeded = seeded().await;
    let result = seeded
        .analysis("/api/v1/analysis/breakdown?form=forum&question=satisfaction&by=gender&min_cell=5")
        .await;
    assert_eq!(result["min_cell"], 5);
    let other = group(&result, "gender", Some("other"));
    assert_eq!(
        (other["suppressed"].clone(), other["n"].clone(), other["counts"].clone()),
        (json!(true), Value::Null, Value::Null)
    );
    // "other" (3) alone would be the total minus the rest: the next smallest group (the six who
    // skipped the question) is hidden with it.
    let skipped = group(&result, "gender", None);
    assert_eq!(
        (skipped["suppressed"].clone(), skipped["mean"].clone()),
        (json!(true), Value::Null)
    );
    let women = group(&result, "gender", Some("female"));
    assert_eq!(women["suppressed"], false);
    assert!(women["counts"]
        .as_object()
        .unwrap()
        .values()
        .all(|c| c.is_null() || c.as_u64().unwrap() == 0 || c.as_u64().unwrap() >= 5));
    assert_eq!(result["test"], Value::Null);
    assert_eq!(result["total"]["n"], 300);
}

#[tokio::test]
async fn bad_requests_name_the_parameter_and_roles_are_checked() {
    let app = TestApp::spawn().await;
    let cases = [
        ("question=satisfaction", "form"),
        ("form=nope&question=satisfaction", "form"),
        ("form=forum", "question"),
        ("form=forum&question=nope", "question"),
        ("form=forum&question=opinion", "question"),
        ("form=forum&question=satisfaction&by=heard_from", "by"),
        ("form=forum&question=satisfaction&by=satisfaction", "by"),
        ("form=forum&question=satisfaction&by=gender,gender", "by"),
        ("form=forum&question=satisfaction&fiscal_year=R1", "fiscal_year"),
        ("form=forum&question=satisfaction&min_cell=-2", "min_cell"),
        ("form=forum&question=satisfaction&colour=red", "colour"),
    ];
    for (query, field) in cases {
        let response = app
            .get(&format!("/api/v1/analysis/breakdown?{query}"), Some(&app.analyst))
            .await;
        assert_eq!(response.status(), 422, "{query}");
        assert_eq!(error_of(response).await.1.as_deref(), Some(field), "{query}");
    }
    let path = "/api/v1/analysis/breakdown?form=forum&question=satisfaction";
    assert_eq!(app.get(path, Some(&app.researcher)).await.status(), 403);
    assert_eq!(app.get(path, None).await.status(), 401);
    let empty: Value = app.get(path, Some(&app.admin)).await.json().await.unwrap();
    assert_eq!((empty["n"].clone(), empty["groups"].clone()), (json!(0), json!([])));
}

/// The forum's release as a researcher downloads it.
async fn forum_release(app: &TestApp) -> String {
    let response = app
        .get("/api/v1/exports/aggregate.json?form=forum", Some(&app.researcher))
        .await;
    assert_eq!(response.status(), 200);
    response.text().await.unwrap()
}

#[tokio::test]
async fn the_aggregate_document_follows_its_schema_and_discloses_no_one() {
    let seeded = seeded().await;
    let app = &seeded.app;
    let text = forum_release(app).await;
    let document: Value = serde_json::from_str(&text).unwrap();
    // Satisfaction by gender as released, reviewed once: what it shows and withholds of this
    // fixed dataset (the two "other" and the four who skipped are too few apart, so the men
    // are merged with them and only the women's distribution is shown; no test rests on one
    // group).
    let satisfaction = document["questions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["id"] == "satisfaction");
    insta::assert_json_snapshot!("satisfaction_by_gender_fy2025", satisfaction.unwrap()["by"]["gender"]);

    let schema: Value = app
        .get("/api/v1/exports/aggregate.schema.json", None)
        .await
        .json()
        .await
        .unwrap();
    let kept: Value = serde_json::from_str(include_str!("../../src/reports/aggregate.schema.json")).unwrap();
    assert_eq!(schema, kept, "the served schema is the one in the repository");
    let validator = Validator::new(&schema).unwrap();
    let problems: Vec<String> = validator
        .iter_errors(&document)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(problems.is_empty(), "{problems:#?}");
    let mut tampered = document.clone();
    tampered["questions"][0]["by"]["age_band"]["groups"][0]["comments"] = json!(["a comment"]);
    assert!(!validator.is_valid(&tampered), "the schema admits no extra fields");

    assert_eq!(document["schema_version"], 3);
    assert_eq!(document["min_cell"], 5);
    assert_eq!(
        document["responses"], 200,
        "the fiscal year under way (2026) is not released to researchers yet"
    );
    let questions = document["questions"].as_array().unwrap();
    let ids: Vec<&str> = questions.iter().map(|q| q["id"].as_str().unwrap()).collect();
    assert!(ids.contains(&"satisfaction") && ids.contains(&"heard_from") && ids.contains(&"gender"));
    assert!(
        !ids.contains(&"opinion") && !ids.contains(&"sessions_attended"),
        "free text and numbers stay out"
    );
    let satisfaction = questions.iter().find(|q| q["id"] == "satisfaction").unwrap();
    assert_eq!(satisfaction["total"]["n"], 200);
    let by_gender = &satisfaction["by"]["gender"];
    let other = by_gender["groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["key"]["gender"] == "other")
        .unwrap();
    assert_eq!(
        (other["suppressed"].clone(), other["n"].clone()),
        (json!(true), Value::Null)
    );
    crate::common::tests_rest_on_shown_counts(&document);
    assert!(satisfaction["by"].get("satisfaction").is_none());
    assert_eq!(
        questions.iter().find(|q| q["id"] == "gender").unwrap()["by"].get("gender"),
        None
    );
    assert!(
        document.get("channels").is_none(),
        "who named one channel alone stays with staff"
    );
    let opinion = &document["opinions"][0];
    assert_eq!(opinion["id"], "opinion");
    let terms = opinion["total"]["terms"].as_array().unwrap();
    assert!(!terms.is_empty() && terms.iter().all(|t| t["comments"].as_u64().unwrap() >= 5));

    for opinion in OPINIONS {
        assert!(!text.contains(opinion), "no free text in the aggregate");
    }
    let uuid_like = text.split('"').filter(|s| Uuid::parse_str(s).is_ok()).count();
    assert_eq!(uuid_like, 0, "no ids in the aggregate");
}

/// A release's counts shown and withheld, as a reader counts them: each option's among everyone,
/// then each listed group's of each option, in every table by an attribute.
fn counted_as_listed(release: &Value) -> Value {
    let (mut one_way, mut cross) = ([0u64; 2], [0u64; 2]);
    let add = |tally: &mut [u64; 2], cell: &Value, options: &Value| {
        for option in options.as_array().unwrap() {
            let shown = cell["counts"][option["value"].as_str().unwrap()].is_u64();
            tally[usize::from(!shown)] += 1;
        }
    };
    for question in release["questions"].as_array().unwrap() {
        add(&mut one_way, &question["total"], &question["options"]);
        for table in question["by"].as_object().unwrap().values() {
            for group in table["groups"].as_array().unwrap() {
                add(&mut cross, group, &question["options"]);
            }
        }
    }
    json!({
        "one_way": {"shown": one_way[0], "withheld": one_way[1]},
        "cross_tables": {"shown": cross[0], "withheld": cross[1]},
    })
}

/// A release says what it keeps, and so does each fiscal year's section of it: the counts its
/// tables show and withhold, nothing the tables do not say themselves.
#[tokio::test]
async fn each_release_says_what_it_keeps() {
    let seeded = seeded().await;
    let document: Value = serde_json::from_str(&forum_release(&seeded.app).await).unwrap();
    let kept = &document["kept"];
    assert_eq!(kept, &counted_as_listed(&document));
    assert!(kept["cross_tables"]["shown"].as_u64().unwrap() > 0, "{kept}");
    assert!(
        kept["cross_tables"]["withheld"].as_u64().unwrap() > 0,
        "the \"other\" gender is withheld: {kept}"
    );
    let sections = document["fiscal_years"].as_array().unwrap();
    assert!(!sections.is_empty());
    for section in sections {
        assert_eq!(
            section["kept"],
            counted_as_listed(section),
            "FY{}",
            section["fiscal_year"]
        );
    }
}

#[tokio::test]
async fn researchers_get_the_servers_threshold_and_whole_partitions_only() {
    let app = TestApp::spawn().await;
    let refused = [
        "min_cell=2",
        "min_cell=20",
        "event=6f1c9bde-4b53-4e44-9b9a-6f7d1f4f0c11",
        "from=2025-04-01",
        "to=2026-03-31",
    ];
    app.assert_parameters_refused("/api/v1/exports/aggregate.json?form=forum", &app.researcher, &refused)
        .await;
    let released: Value = app
        .get(
            "/api/v1/exports/aggregate.json?form=forum&fiscal_year=2025&kind=forum&min_cell=5",
            Some(&app.researcher),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(released["min_cell"], 5);
    assert_eq!(
        released["responses"],
        Value::Null,
        "no responses yet: fewer than the threshold"
    );
    let analyst: Value = app
        .get(
            "/api/v1/exports/aggregate.json?form=forum&min_cell=0&to=2026-03-31",
            Some(&app.analyst),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(analyst["min_cell"], 0);
    assert_eq!(
        app.get("/api/v1/exports/aggregate.json?form=forum", None)
            .await
            .status(),
        401
    );
}

#[tokio::test]
async fn analysts_download_raw_rows_and_researchers_cannot() {
    let seeded = seeded().await;
    let app = &seeded.app;
    let response = app
        .get("/api/v1/exports/responses.csv?form=forum", Some(&app.analyst))
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "text/csv; charset=utf-8");
    assert_eq!(response.headers()["cache-control"], "no-store");
    let csv = response.text().await.unwrap();
    assert!(csv.starts_with("\u{feff}event,event_kind,held_on,form_version,source,satisfaction,understanding,"));
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 301);
    let header: Vec<&str> = lines[0].trim_start_matches('\u{feff}').split(',').collect();
    assert!(header.contains(&"heard_from.sns") && header.contains(&"heard_from.other") && header.contains(&"opinion"));
    assert!(!header.contains(&"heard_from"));
    assert!(csv.contains(OPINIONS[0]));

    let year = app
        .get(
            "/api/v1/exports/responses.csv?form=forum&fiscal_year=2026",
            Some(&app.analyst),
        )
        .await;
    assert_eq!(year.text().await.unwrap().lines().count(), 101);

    let parquet = app
        .get("/api/v1/exports/responses.parquet?form=forum", Some(&app.admin))
        .await;
    assert_eq!(parquet.status(), 200);
    assert_eq!(&parquet.bytes().await.unwrap()[..4], b"PAR1");

    for path in [
        "/api/v1/exports/responses.csv?form=forum",
        "/api/v1/exports/responses.parquet?form=forum",
    ] {
        assert_eq!(app.get(path, Some(&app.researcher)).await.status(), 403);
    }
}

fn terms_of(group: &Value) -> Vec<&str> {
    group["terms"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["term"].as_str().unwrap())
        .collect()
}

#[tokio::test]
async fn opinions_show_each_groups_terms_and_analysts_may_read_the_comments() {
    let seeded = seeded().await;
    let app = &seeded.app;
    let result = seeded
        .analysis("/api/v1/analysis/opinions?form=forum&by=relation&include_text=true")
        .await;
    assert_eq!(result["question"], "opinion");
    let commented: Vec<&Value> = seeded.answers().filter(|a| a.get("opinion").is_some()).collect();
    assert_eq!(result["comments"], commented.len());
    for (relation, opinion) in RELATIONS.iter().zip(OPINIONS) {
        let group = group(&result, "relation", Some(relation));
        let written = commented.iter().filter(|a| a["relation"] == *relation).count();
        assert_eq!(group["comments"], written, "{relation}");
        let texts = group["texts"].as_array().unwrap();
        assert_eq!(texts.len(), written);
        assert!(texts.iter().all(|t| t == opinion));
        let top = &group["terms"][0];
        assert_eq!(top["comments"], written);
        assert_eq!(top["share"], 100.0);
        assert!(
            top["log_odds"].as_f64().unwrap() > 0.0,
            "a group's own words score above everyone else's"
        );
    }
    let family = terms_of(group(&result, "relation", Some("lived_experience")));
    assert!(
        family.contains(&"立場") && family.contains(&"心強い") && family.contains(&"聞ける"),
        "{family:?}"
    );
    assert!(!family.contains(&"の") && !family.contains(&"です"));
    let english = terms_of(group(&result, "relation", Some("supporter")));
    assert!(
        english.contains(&"discussion") && english.contains(&"helpful"),
        "{english:?}"
    );
    assert_eq!(result["total"]["texts"].as_array().unwrap().len(), commented.len());

    let forbidden = app
        .get(
            "/api/v1/analysis/opinions?form=forum&include_text=true",
            Some(&app.researcher),
        )
        .await;
    assert_eq!(forbidden.status(), 403);
    let for_researchers: Value = app
        .get(
            "/api/v1/analysis/opinions?form=forum&by=relation&fiscal_year=2025",
            Some(&app.researcher),
        )
        .await
        .json()
        .await
        .unwrap();
    assert!(for_researchers.to_string().find(OPINIONS[0]).is_none());
    let groups = for_researchers["groups"].as_array().unwrap();
    // Every option of the attribute (five, three of them answered here) and those who did not
    // answer it, empty or not: which groups are listed says nothing.
    assert_eq!(groups.len(), 5 + 1);
    assert!(groups.iter().all(|g| g.get("texts").is_none()));
    let family = group(&for_researchers, "relation", Some("family"));
    let written = seeded
        .responses
        .iter()
        .filter(|(event, a)| *event == 0 && a.get("opinion").is_some() && a["relation"] == "family")
        .count();
    assert_eq!(family["comments"], written);
    assert_eq!(
        family["terms"][0]["comments"], written,
        "every family comment is the same"
    );
    assert!(family["terms"][0].get("log_odds").is_none());
    for (query, field) in [
        ("by=relation,gender", "by"),
        ("by=satisfaction", "by"),
        ("event=6f1c9bde-4b53-4e44-9b9a-6f7d1f4f0c11", "event"),
    ] {
        let refused = app
            .get(
                &format!("/api/v1/analysis/opinions?form=forum&{query}"),
                Some(&app.researcher),
            )
            .await;
        assert_eq!(refused.status(), 422, "{query}");
        assert_eq!(error_of(refused).await.1.as_deref(), Some(field), "{query}");
    }
    let wrong = app
        .get(
            "/api/v1/analysis/opinions?form=forum&question=satisfaction",
            Some(&app.analyst),
        )
        .await;
    assert_eq!(error_of(wrong).await.1.as_deref(), Some("question"));
}

/// Answers loaded in bulk behind the service's back (a restore, an import by SQL) leave the
/// planner without statistics until autovacuum comes by, and every analysis meanwhile misjudges
/// its joins: the next analysis refreshes them first.
#[tokio::test]
async fn an_analysis_after_a_bulk_load_refreshes_the_planners_statistics() {
    use diesel::RunQueryDsl;
    #[derive(diesel::QueryableByName)]
    struct Statistics {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        changed: i64,
        #[diesel(sql_type = diesel::sql_types::Bool)]
        analysed: bool,
    }
    let app = TestApp::spawn().await;
    let event = app.seminar().await;
    let id = event["id"].as_str().unwrap();
    assert_eq!(
        app.submit(id, Uuid::new_v4(), crate::common::valid_seminar_answers())
            .await
            .status(),
        201
    );
    let statistics = || -> Statistics {
        diesel::sql_query(
            "SELECT n_mod_since_analyze AS changed, last_analyze IS NOT NULL AS analysed
               FROM pg_stat_user_tables WHERE relname = 'responses'",
        )
        .get_result(&mut app.database.connect())
        .unwrap()
    };
    {
        let mut conn = app.database.connect();
        // Autovacuum would analyse the table too, and this is about not waiting for it.
        diesel::sql_query("ALTER TABLE responses SET (autovacuum_enabled = false)")
            .execute(&mut conn)
            .unwrap();
        diesel::sql_query(
            "INSERT INTO responses (id, submission_id, event_id, form_version_id, answers, relation, source)
             SELECT gen_random_uuid(), gen_random_uuid(), event_id, form_version_id, answers, relation, source
               FROM responses, generate_series(1, 2000)",
        )
        .execute(&mut conn)
        .unwrap();
    }
    // The loading connection's counters reach the statistics as it closes.
    for _ in 0..100 {
        if statistics().changed >= 2000 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(!statistics().analysed);

    let path = "/api/v1/analysis/breakdown?form=seminar&question=satisfaction&by=relation";
    let breakdown: Value = app.get(path, Some(&app.analyst)).await.json().await.unwrap();
    assert_eq!(breakdown["n"], 2001);
    let after = statistics();
    assert!(after.analysed && after.changed < 2000, "analysed before counting");
}
