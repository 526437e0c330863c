use crate::common::{error_of, valid_seminar_answers, TestApp};
use reqwest::Method;
use serde_json::{json, Value};
use uuid::Uuid;

const SEMINAR_RULE: &str = "FREQ=MONTHLY;BYDAY=2TH,4TH";

impl TestApp {
    async fn create_series(&self, body: Value) -> Value {
        let response = self.post_json("/api/v1/event-series", Some(&self.analyst), &body).await;
        assert_eq!(response.status(), 201, "creating series {body}");
        response.json().await.unwrap()
    }

    async fn json_of(&self, path: &str) -> Value {
        let response = self.get(path, Some(&self.analyst)).await;
        assert_eq!(response.status(), 200, "GET {path}");
        response.json().await.unwrap()
    }
}

fn seminar_plan() -> Value {
    json!({
        "title": {"ja": "回復セミナー", "en": "Recovery seminars"},
        "event_kinds": ["seminar"],
        "assumed_population": 270,
        "targets": {"2018": 50, "2019": 120, "2020": 100},
    })
}

fn events_of(series: &Value) -> Vec<Value> {
    series["events"].as_array().unwrap().clone()
}

fn in_fiscal_year(events: &[Value], year: i64) -> Vec<Value> {
    events.iter().filter(|e| e["fiscal_year"] == year).cloned().collect()
}

/// Three fiscal years of seminars (twice a month, one date skipped, one cancelled, one without a
/// headcount), plus events of other kinds and outside the plan that must not count.
#[tokio::test]
async fn three_fiscal_years_give_both_indicator_tables() {
    let app = TestApp::spawn().await;
    assert_eq!(app.put_plan("seminars", &seminar_plan()).await.status(), 201);
    let professionals = json!({
        "title": {"ja": "研修会・スーパービジョン", "en": "Study and supervision sessions"},
        "event_kinds": ["study_session", "supervision"],
        "assumed_population": 820,
        "targets": {"2018": 246, "2019": 326, "2020": 248},
    });
    assert_eq!(app.put_plan("professionals", &professionals).await.status(), 201);

    let series = app
        .create_series(json!({
            "kind": "seminar", "title": "回復セミナー", "venue": "保健センター", "rrule": SEMINAR_RULE,
            "starts_on": "2018-04-01", "ends_on": "2021-03-31", "skip": ["2019-08-08"],
        }))
        .await;
    let events = events_of(&series);
    assert_eq!(events.len(), 71, "72 second and fourth Thursdays less one skipped");
    for (year, headcount) in [(2018, 2), (2019, 3), (2020, 2)] {
        for event in in_fiscal_year(&events, year) {
            app.patch_event(event["id"].as_str().unwrap(), json!({"headcount": headcount}))
                .await;
        }
    }
    let fy2020 = in_fiscal_year(&events, 2020);
    // Nobody counted the room at the first seminar of FY2020: its two responses stand in.
    let uncounted = fy2020[0]["id"].as_str().unwrap();
    app.patch_event(uncounted, json!({"headcount": null})).await;
    for _ in 0..2 {
        assert_eq!(
            app.submit(uncounted, Uuid::new_v4(), valid_seminar_answers())
                .await
                .status(),
            201
        );
    }
    let cancelled = fy2020.last().unwrap()["id"].as_str().unwrap();
    let patched = app
        .patch_event(cancelled, json!({"cancelled": true, "headcount": 50}))
        .await;
    assert_eq!(patched["cancelled"], true);

    app.create_event(json!({"kind": "forum", "title": "フォーラム", "held_on": "2019-11-10", "headcount": 100}))
        .await;
    app.create_event(json!({"kind": "seminar", "title": "計画外", "held_on": "2021-04-08", "headcount": 9}))
        .await;
    app.create_event(json!({"kind": "study_session", "title": "研修会", "held_on": "2019-07-01", "headcount": 30}))
        .await;
    app.create_event(json!({"kind": "supervision", "title": "SV", "held_on": "2020-02-03", "headcount": 10}))
        .await;

    let report = app.json_of("/api/v1/indicator-plans/seminars/report").await;
    let rows = report["rows"].as_array().unwrap();
    let column = |field: &str| rows.iter().map(|row| row[field].clone()).collect::<Vec<_>>();
    assert_eq!(column("fiscal_year"), [json!(2018), json!(2019), json!(2020)]);
    assert_eq!(column("label_ja"), [json!("H30年度"), json!("R1年度"), json!("R2年度")]);
    assert_eq!(column("target"), [json!(50), json!(120), json!(100)]);
    assert_eq!(column("actual"), [json!(48), json!(69), json!(46)]);
    assert_eq!(column("events"), [json!(24), json!(23), json!(23)]);
    assert_eq!(column("mean_per_event"), [json!(2.0), json!(3.0), json!(2.0)]);
    assert_eq!(column("achievement_rate"), [json!(96.0), json!(57.5), json!(46.0)]);
    assert_eq!(column("target_share"), [json!(18.5), json!(44.4), json!(37.1)]);
    assert_eq!(column("actual_share"), [json!(17.8), json!(25.6), json!(17.0)]);
    let total = &report["total"];
    assert_eq!(total["label_ja"], "合計");
    assert_eq!(total["fiscal_year"], Value::Null);
    assert_eq!(
        (
            total["target"].clone(),
            total["actual"].clone(),
            total["events"].clone()
        ),
        (json!(270), json!(163), json!(70))
    );
    assert_eq!(total["mean_per_event"], 2.3);
    assert_eq!(total["achievement_rate"], 60.4);
    assert_eq!(total["target_share"], 100.0);
    assert_eq!(total["actual_share"], 60.4);
    let missing = report["headcount_missing"].as_array().unwrap();
    assert_eq!(missing.len(), 1);
    assert_eq!(missing[0]["id"], uncounted);
    assert_eq!(missing[0]["responses"], 2);
    assert_eq!(missing[0]["held_on_ja"], "R2.4.9");

    let all = app.json_of("/api/v1/indicators/report").await;
    let plans = all["plans"].as_array().unwrap();
    assert_eq!(plans.len(), 2);
    let professionals = plans.iter().find(|p| p["plan"]["slug"] == "professionals").unwrap();
    let actuals: Vec<Value> = professionals["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["actual"].clone())
        .collect();
    assert_eq!(actuals, [json!(0), json!(40), json!(0)]);
    assert_eq!(professionals["rows"][1]["actual_share"], 4.9);
    assert_eq!(
        professionals["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["target_share"].clone())
            .collect::<Vec<_>>(),
        [json!(30.0), json!(39.8), json!(30.2)]
    );

    let response = app
        .get("/api/v1/indicator-plans/seminars/report?format=csv", Some(&app.analyst))
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "text/csv; charset=utf-8");
    let csv = response.text().await.unwrap();
    let expected = "\u{feff}計画,指標,区分,H30年度,R1年度,R2年度,合計\n\
        回復セミナー,活動指標(参加者数),目標,50,120,100,270\n\
        回復セミナー,活動指標(参加者数),実績,48,69,46,163\n\
        回復セミナー,成果指標(対象者に占める割合%),目標,18.5,44.4,37.1,100.0\n\
        回復セミナー,成果指標(対象者に占める割合%),実績,17.8,25.6,17.0,60.4\n";
    assert_eq!(csv, expected);

    let all_csv = app
        .get("/api/v1/indicators/report?format=csv", Some(&app.analyst))
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(all_csv.lines().count(), 1 + 2 * 4, "a header and four rows per plan");
    assert!(all_csv.contains("研修会・スーパービジョン,活動指標(参加者数),実績,0,40,0,40"));
}

#[tokio::test]
async fn plans_are_created_replaced_listed_and_deleted() {
    let app = TestApp::spawn().await;
    let created = app.put_plan("seminars", &seminar_plan()).await;
    assert_eq!(created.status(), 201);
    let mut changed = seminar_plan();
    changed["assumed_population"] = json!(300);
    let replaced = app.put_plan("seminars", &changed).await;
    assert_eq!(replaced.status(), 200);
    let plan = app.json_of("/api/v1/indicator-plans/seminars").await;
    assert_eq!(plan["assumed_population"], 300);
    assert_eq!(plan["targets"], json!({"2018": 50, "2019": 120, "2020": 100}));
    assert_eq!(
        app.json_of("/api/v1/indicator-plans").await["plans"]
            .as_array()
            .unwrap()
            .len(),
        1
    );

    let deleted = app
        .send_json(
            Method::DELETE,
            "/api/v1/indicator-plans/seminars",
            Some(&app.admin),
            &json!({}),
        )
        .await;
    assert_eq!(deleted.status(), 204);
    let gone = app.get("/api/v1/indicator-plans/seminars", Some(&app.analyst)).await;
    assert_eq!(gone.status(), 404);
    assert_eq!(error_of(gone).await.0, "not_found");
    let report = app
        .get("/api/v1/indicator-plans/seminars/report", Some(&app.analyst))
        .await;
    assert_eq!(report.status(), 404);
}

#[tokio::test]
async fn bad_plans_are_refused_and_nothing_is_stored() {
    let app = TestApp::spawn().await;
    let mut bad_targets = seminar_plan();
    bad_targets["targets"] = json!({"令和2": 5});
    let response = app.put_plan("seminars", &bad_targets).await;
    assert_eq!(response.status(), 422);
    assert_eq!(
        error_of(response).await,
        ("invalid_value".to_owned(), Some("targets".to_owned()))
    );
    let mut extra = seminar_plan();
    extra["colour"] = json!("red");
    assert_eq!(
        error_of(app.put_plan("seminars", &extra).await).await.1.as_deref(),
        Some("colour")
    );
    assert_eq!(app.put_plan("Not A Slug", &seminar_plan()).await.status(), 422);
    assert_eq!(app.json_of("/api/v1/indicator-plans").await["plans"], json!([]));

    let researcher = app
        .send_json(
            Method::PUT,
            "/api/v1/indicator-plans/seminars",
            Some(&app.researcher),
            &seminar_plan(),
        )
        .await;
    assert_eq!(researcher.status(), 403);
    let reports = app.get("/api/v1/indicators/report", Some(&app.researcher)).await;
    assert_eq!(
        reports.status(),
        200,
        "researchers read the programme's headcount figures"
    );
    let bad_format = app
        .get("/api/v1/indicators/report?format=xlsx", Some(&app.analyst))
        .await;
    assert_eq!(error_of(bad_format).await.1.as_deref(), Some("format"));
}

#[tokio::test]
async fn a_series_gives_each_date_its_own_event_and_link() {
    let app = TestApp::spawn().await;
    let series = app
        .create_series(json!({
            "kind": "seminar", "title": "回復セミナー", "rrule": SEMINAR_RULE,
            "starts_on": "2026-04-01", "ends_on": "2026-06-30", "skip": ["2026-05-14"],
        }))
        .await;
    let events = events_of(&series);
    let dates: Vec<&str> = events.iter().map(|e| e["held_on"].as_str().unwrap()).collect();
    assert_eq!(
        dates,
        ["2026-04-09", "2026-04-23", "2026-05-28", "2026-06-11", "2026-06-25"]
    );
    let mut codes: Vec<&str> = events.iter().map(|e| e["code"].as_str().unwrap()).collect();
    codes.sort_unstable();
    codes.dedup();
    assert_eq!(codes.len(), 5);
    assert_eq!(series["series"]["skip"], json!(["2026-05-14"]));
    let series_id = series["series"]["id"].as_str().unwrap();
    assert!(events
        .iter()
        .all(|e| e["series_id"] == series_id && e["form"] == "seminar"));
    let listed = app.json_of(&format!("/api/v1/events?series={series_id}")).await;
    assert_eq!(listed["events"].as_array().unwrap().len(), 5);
}

#[tokio::test]
async fn a_bad_series_is_refused_whole() {
    let app = TestApp::spawn().await;
    let base = json!({"kind": "seminar", "title": "回復セミナー", "rrule": SEMINAR_RULE,
                      "starts_on": "2026-04-01", "ends_on": "2026-06-30"});
    let cases = [
        ("rrule", json!("FREQ=FORTNIGHTLY")),
        ("skip", json!(["2026-05-15"])),
        ("ends_on", json!("2026-03-01")),
        ("form", json!("no_such_form")),
    ];
    for (field, value) in cases {
        let mut body = base.clone();
        body[field] = value;
        let response = app.post_json("/api/v1/event-series", Some(&app.analyst), &body).await;
        assert_eq!(response.status(), 422, "{field}");
        assert_eq!(error_of(response).await.1.as_deref(), Some(field));
    }
    let mut daily = base.clone();
    daily["rrule"] = json!("FREQ=DAILY");
    daily["ends_on"] = json!("2029-12-31");
    let response = app.post_json("/api/v1/event-series", Some(&app.analyst), &daily).await;
    assert_eq!(error_of(response).await.1.as_deref(), Some("rrule"));
    assert_eq!(app.json_of("/api/v1/events").await["events"], json!([]));
}

#[tokio::test]
async fn a_cancelled_event_stays_listed_and_takes_no_answers() {
    let app = TestApp::spawn().await;
    let event = app.seminar().await;
    let id = event["id"].as_str().unwrap();
    let code = event["code"].as_str().unwrap();
    let cancelled = app.patch_event(id, json!({"cancelled": true})).await;
    assert_eq!(
        (cancelled["cancelled"].clone(), cancelled["is_open"].clone()),
        (json!(true), json!(false))
    );
    assert!(cancelled["cancelled_at"].is_string());
    let listed = app.json_of("/api/v1/events").await;
    assert_eq!(listed["events"][0]["cancelled"], true);

    let refused = app.submit(id, Uuid::new_v4(), valid_seminar_answers()).await;
    assert_eq!(refused.status(), 410);
    assert_eq!(error_of(refused).await.0, "event_cancelled");
    let page = app.get(&format!("/s/{code}"), None).await;
    assert_eq!(page.status(), 410);
    assert!(page.text().await.unwrap().contains("中止"));
    assert_eq!(app.stored_responses(id), 0);

    let reinstated = app.patch_event(id, json!({"cancelled": false})).await;
    assert_eq!(reinstated["cancelled"], false);
    assert_eq!(
        app.submit(id, Uuid::new_v4(), valid_seminar_answers()).await.status(),
        201
    );
}

/// Researchers read settled fiscal years only, in totals: no event is listed, no live response
/// count stands in for a missing headcount, and a year still open is left out.
#[tokio::test]
async fn researchers_read_settled_years_in_totals_only() {
    let app = TestApp::spawn().await;
    let open_year = chrono::Utc::now().date_naive().format("%Y").to_string();
    let open_year: i32 = open_year.parse().unwrap();
    // The fiscal year that began in April two calendar years ago is settled whatever today is.
    let settled = open_year - 2;
    let plan = json!({
        "title": {"ja": "回復セミナー", "en": "Recovery seminars"},
        "event_kinds": ["seminar"],
        "assumed_population": 100,
        "targets": {(settled.to_string()): 40, ((open_year + 1).to_string()): 60},
    });
    assert_eq!(app.put_plan("seminars", &plan).await.status(), 201);
    let held = |year: i32, month: u32| format!("{year}-{month:02}-10");
    app.create_event(json!({"kind": "seminar", "title": "数えた回", "held_on": held(settled, 6), "headcount": 30}))
        .await;
    let uncounted = app
        .create_event(json!({"kind": "seminar", "title": "数えなかった回", "held_on": held(settled, 7)}))
        .await;
    let uncounted = uncounted["id"].as_str().unwrap();
    for _ in 0..4 {
        let response = app.submit(uncounted, Uuid::new_v4(), valid_seminar_answers()).await;
        assert_eq!(response.status(), 201);
    }

    let staff = app.json_of("/api/v1/indicators/report").await;
    let staff = &staff["plans"][0];
    assert_eq!(staff["rows"][0]["actual"], 34, "staff count the four responses");
    assert_eq!(staff["rows"].as_array().unwrap().len(), 2);
    assert_eq!(staff["headcount_missing"][0]["responses"], 4);

    for path in ["/api/v1/indicators/report", "/api/v1/indicator-plans/seminars/report"] {
        let response = app.get(path, Some(&app.researcher)).await;
        assert_eq!(response.status(), 200);
        let body: Value = response.json().await.unwrap();
        let report = body.get("plans").map_or(&body, |plans| &plans[0]);
        let rows = report["rows"].as_array().unwrap();
        assert_eq!(rows.len(), 1, "{path}: the open year is left out: {rows:?}");
        assert_eq!(rows[0]["fiscal_year"], settled);
        assert_eq!(rows[0]["actual"], 30, "{path}: recorded headcounts only");
        assert_eq!(rows[0]["events"], 1);
        assert_eq!(report["total"]["target"], 40);
        assert_eq!(report["events_without_headcount"], 1);
        assert!(report.get("headcount_missing").is_none(), "{path}: {report}");
        let text = body.to_string();
        assert!(
            !text.contains(uncounted) && !text.contains("数えなかった回"),
            "{path}: {text}"
        );
    }
    let csv = app
        .get("/api/v1/indicators/report?format=csv", Some(&app.researcher))
        .await
        .text()
        .await
        .unwrap();
    let header = csv.lines().next().unwrap();
    assert_eq!(header.matches("年度").count(), 1, "{header}");
}

/// A plan's title a spreadsheet would run as a formula is kept as text in the CSV.
#[tokio::test]
async fn the_indicator_csv_keeps_formulas_as_text() {
    let app = TestApp::spawn().await;
    let mut plan = seminar_plan();
    plan["title"]["ja"] = json!("=HYPERLINK(\"http://example.com\",\"開く\")");
    assert_eq!(app.put_plan("seminars", &plan).await.status(), 201);
    let csv = app
        .get("/api/v1/indicators/report?format=csv", Some(&app.analyst))
        .await
        .text()
        .await
        .unwrap();
    let row = csv.lines().nth(1).unwrap();
    assert!(row.starts_with("\"'=HYPERLINK("), "{row}");
}
