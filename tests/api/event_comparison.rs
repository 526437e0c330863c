//! Comparing events: what drew people (attendance by format, speakers, publicity, date).

use crate::common::{error_of, TestApp};
use serde_json::{json, Value};
use uuid::Uuid;

/// Seminars of FY2019: three lectures by a leading expert, three free talks, one lecture
/// cancelled, one free talk without a headcount, and one FY2020 lecture outside the year.
async fn seminars(app: &TestApp) -> Vec<Value> {
    seminars_asking(app, "seminar").await
}

/// The seminars of [`seminars`], asking the form `form`.
async fn seminars_asking(app: &TestApp, form: &str) -> Vec<Value> {
    let expert = json!([{"type": "leading_expert", "name": "講師"}, {"type": "staff"}]);
    let mut events = Vec::new();
    for (held_on, format, headcount, costs) in [
        (
            "2019-05-09",
            "lecture",
            Some(12),
            Some(json!({"honorarium": 50000, "travel": 10000})),
        ),
        ("2019-06-13", "lecture", Some(15), None),
        ("2019-07-11", "lecture", Some(9), Some(json!({"honorarium": 30000}))),
        ("2019-08-08", "free_talk", Some(5), Some(json!({"venue": 0}))),
        ("2019-09-12", "free_talk", Some(4), None),
        ("2019-10-10", "free_talk", Some(7), None),
        ("2019-11-14", "lecture", Some(40), None),
        ("2019-12-12", "free_talk", None, None),
        ("2020-05-14", "lecture", Some(30), None),
    ] {
        let mut body =
            json!({"kind": "seminar", "title": "回復セミナー", "held_on": held_on, "format": format, "form": form});
        if let Some(headcount) = headcount {
            body["headcount"] = json!(headcount);
        }
        if let Some(costs) = costs {
            body["costs"] = costs;
        }
        body["speakers"] = if format == "lecture" {
            expert.clone()
        } else {
            json!([{"type": "staff"}])
        };
        events.push(app.create_event(body).await);
    }
    app.patch_event(events[6]["id"].as_str().unwrap(), json!({"cancelled": true}))
        .await;
    events
}

async fn attendance(app: &TestApp, query: &str) -> Value {
    let response = app
        .get(&format!("/api/v1/analysis/attendance?{query}"), Some(&app.analyst))
        .await;
    assert_eq!(response.status(), 200, "{query}");
    response.json().await.unwrap()
}

#[tokio::test]
async fn attendance_by_format_gives_each_group_its_spread_costs_and_a_rank_test() {
    let app = TestApp::spawn().await;
    seminars(&app).await;
    let result = attendance(&app, "fiscal_year=2019&kind=seminar&by=format").await;
    assert_eq!(result["events_without_headcount"], 1);
    let groups = result["groups"].as_array().unwrap();
    let keys: Vec<&str> = groups.iter().map(|g| g["key"].as_str().unwrap()).collect();
    assert_eq!(
        keys,
        ["lecture", "free_talk"],
        "in the list's order; the cancelled one left out"
    );
    let lecture = &groups[0];
    assert_eq!(lecture["label"], json!({"ja": "講演", "en": "Lecture"}));
    assert_eq!(
        [
            &lecture["events"],
            &lecture["total"],
            &lecture["median"],
            &lecture["min"],
            &lecture["max"]
        ],
        [&json!(3), &json!(36), &json!(12.0), &json!(9), &json!(15)]
    );
    assert_eq!(lecture["mean"], 12.0);
    // 90,000 yen for the 21 people at the two lectures whose costs were recorded.
    assert_eq!(lecture["cost_per_attendee"].as_f64().unwrap(), 90_000.0 / 21.0);
    assert_eq!(groups[1]["cost_per_attendee"], 0.0);
    // Three against three without ties: scipy's exact p is 2/20.
    let test = &result["test"];
    assert_eq!(test["method"], "mann_whitney_u");
    assert_eq!(test["statistic"], 9.0);
    assert_eq!(test["distribution"], "exact");
    assert!((test["p_value"].as_f64().unwrap() - 0.1).abs() < 1e-12);
}

#[tokio::test]
async fn speakers_overlap_so_each_type_is_tested_against_the_other_events() {
    let app = TestApp::spawn().await;
    seminars(&app).await;
    let result = attendance(&app, "fiscal_year=2019&by=speaker_type").await;
    assert_eq!(result["overlapping"], true);
    assert_eq!(result["test"], Value::Null);
    let groups = result["groups"].as_array().unwrap();
    let expert = groups.iter().find(|g| g["key"] == "leading_expert").unwrap();
    assert_eq!(expert["others"]["events"], 3);
    assert_eq!(expert["test_against_others"]["statistic"], 9.0);
    let staff = groups.iter().find(|g| g["key"] == "staff").unwrap();
    assert_eq!(staff["events"], 6);
    assert_eq!(
        staff["others"],
        Value::Null,
        "every event had staff: nothing to compare with"
    );
}

#[tokio::test]
async fn attendance_by_month_weekday_year_and_channel_is_labelled_as_reports_write_it() {
    let app = TestApp::spawn().await;
    let events = seminars(&app).await;
    let by_month = attendance(&app, "by=month").await;
    let months: Vec<&str> = by_month["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["label"]["ja"].as_str().unwrap())
        .collect();
    assert_eq!(
        months,
        ["5月", "6月", "7月", "8月", "9月", "10月"],
        "fiscal order; May twice in two years"
    );
    assert_eq!(by_month["groups"][0]["events"], 2);
    assert_eq!(by_month["test"]["method"], "kruskal_wallis_h");
    let by_weekday = attendance(&app, "by=weekday").await;
    assert_eq!(by_weekday["groups"][0]["label"]["en"], "Thursday");
    let by_year = attendance(&app, "by=fiscal_year").await;
    let years: Vec<&str> = by_year["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["label"]["ja"].as_str().unwrap())
        .collect();
    assert_eq!(years, ["R1年度", "R2年度"]);

    for (event, channel) in [(0, "sns"), (0, "city_newsletter"), (1, "sns"), (3, "poster_flyer")] {
        let id = events[event]["id"].as_str().unwrap();
        let record = json!({"channel": channel, "sent_on": "2019-04-20"});
        let posted = app
            .post_json(&format!("/api/v1/events/{id}/publicity"), Some(&app.analyst), &record)
            .await;
        assert_eq!(posted.status(), 201);
    }
    let by_channel = attendance(&app, "by=publicity_channel").await;
    let sns = &by_channel["groups"][0];
    assert_eq!(
        (sns["key"].as_str(), sns["events"].as_i64(), sns["total"].as_i64()),
        (Some("sns"), Some(2), Some(27))
    );
    assert_eq!(
        sns["others"]["events"], 1,
        "only events with publicity recorded are compared"
    );
    assert_eq!(by_channel["not_recorded"]["events"], 4);
}

#[tokio::test]
async fn attendance_refuses_unknown_groupings_and_is_for_staff() {
    let app = TestApp::spawn().await;
    app.assert_parameters_refused(
        "/api/v1/analysis/attendance?by=format",
        &app.analyst,
        &["kind=lecture", "fiscal_year=R1", "colour=red"],
    )
    .await;
    let unknown = app
        .get("/api/v1/analysis/attendance?by=speaker", Some(&app.analyst))
        .await;
    assert_eq!(unknown.status(), 422);
    assert_eq!(error_of(unknown).await.1.as_deref(), Some("by"));
    let researcher = app.get("/api/v1/analysis/attendance", Some(&app.researcher)).await;
    assert_eq!(researcher.status(), 403);
    let empty = attendance(&app, "").await;
    assert_eq!(
        (empty["groups"].clone(), empty["test"].clone()),
        (json!([]), Value::Null)
    );
}

#[tokio::test]
async fn publicity_reach_gives_each_channel_and_agency_kind_its_events_share_and_cost_per_attendee() {
    let app = TestApp::spawn().await;
    // Seminars asking the forum's form, which asks who referred people (the seminar's does not).
    let events = seminars_asking(&app, "forum").await;
    for (slug, kind) in [("city-hospital", "medical"), ("darc", "recovery_facility")] {
        let body = json!({"name": {"ja": slug}, "kind": kind});
        let put = app.put_agency(slug, &body).await;
        assert_eq!(put.status(), 201);
    }
    let id = |i: usize| events[i]["id"].as_str().unwrap().to_owned();
    for (event, record) in [
        (0, json!({"channel": "sns", "sent_on": "2019-04-20", "cost": 0})),
        (
            0,
            json!({"channel": "agency_notice", "agency": "city-hospital", "sent_on": "2019-04-20", "cost": 1000}),
        ),
        (1, json!({"channel": "sns", "sent_on": "2019-05-20"})),
        (
            1,
            json!({"channel": "city_newsletter", "sent_on": "2019-05-01", "cost": 20000}),
        ),
        (
            3,
            json!({"channel": "poster_flyer", "sent_on": "2019-07-20", "quantity": 200, "cost": 5000}),
        ),
    ] {
        let posted = app
            .post_json(
                &format!("/api/v1/events/{}/publicity", id(event)),
                Some(&app.analyst),
                &record,
            )
            .await;
        assert_eq!(posted.status(), 201);
    }
    for (event, answers) in [
        (0, json!({"satisfaction": 4, "heard_from": ["sns"]})),
        (0, json!({"satisfaction": 4, "heard_from": ["sns"]})),
        (
            0,
            json!({"satisfaction": 5, "heard_from": ["agency_referral"], "referred_by": "city-hospital"}),
        ),
        // Names the agency that referred them without ticking "referred by an agency".
        (0, json!({"satisfaction": 4, "referred_by": "city-hospital"})),
        (0, json!({"satisfaction": 3})),
        (1, json!({"satisfaction": 4, "heard_from": ["city_newsletter"]})),
        (1, json!({"satisfaction": 4, "heard_from": ["sns", "city_newsletter"]})),
    ] {
        assert_eq!(app.submit(&id(event), Uuid::new_v4(), answers).await.status(), 201);
    }
    let response = app
        .get("/api/v1/analysis/publicity?fiscal_year=2019", Some(&app.analyst))
        .await;
    assert_eq!(response.status(), 200);
    let result: Value = response.json().await.unwrap();
    assert_eq!(
        (result["events"].clone(), result["events_with_publicity"].clone()),
        (json!(7), json!(3))
    );
    let row = |list: &str, key: &str| {
        result[list]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["key"] == key)
            .unwrap_or_else(|| panic!("{list} {key}"))
            .clone()
    };
    let channels: Vec<&str> = result["channels"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["key"].as_str().unwrap())
        .collect();
    assert_eq!(
        channels,
        ["sns", "city_newsletter", "poster_flyer", "agency_notice"],
        "those used, in the list's order"
    );

    // SNS: two events (12 and 15 people) against the poster's one (5); three of the six who
    // said how they heard named it; 12 x 2/4 + 15 x 1/2 = 13.5 people reached, for nothing.
    let sns = row("channels", "sns");
    assert_eq!(sns["label"]["ja"], "SNS");
    assert_eq!(
        (sns["events"].clone(), sns["attendance"]["mean"].clone()),
        (json!(2), json!(13.5))
    );
    assert_eq!(sns["attendance"]["others"]["events"], 1);
    assert_eq!(sns["reach"]["share"], 0.5);
    assert_eq!(sns["reach"]["attendees_reached"], 13.5);
    assert_eq!(sns["reach"]["cost_per_attendee_reached"], 0.0);
    let newsletter = row("channels", "city_newsletter");
    assert_eq!(newsletter["reach"]["attendees_reached"], 15.0);
    assert_eq!(
        newsletter["reach"]["cost_per_attendee_reached"].as_f64().unwrap(),
        20000.0 / 15.0
    );
    // A notice to agencies is what respondents call a referral, or show by naming the agency:
    // two of the six, 12 x 2/4 = 6 people reached at 1,000 yen.
    let notice = row("channels", "agency_notice");
    assert_eq!(notice["reach"]["named"], 2);
    assert_eq!(
        notice["reach"]["cost_per_attendee_reached"].as_f64().unwrap(),
        1000.0 / 6.0
    );
    // Nobody answered at the poster's event: its cost is known, its reach is not.
    let poster = row("channels", "poster_flyer");
    assert_eq!(
        (
            poster["reach"]["cost"].clone(),
            poster["reach"]["attendees_reached"].clone()
        ),
        (json!(5000), Value::Null)
    );

    // By kind of agency: two of the six were referred by a medical agency, as many as the
    // agencies' channel counts: the two tables agree.
    let kinds: Vec<&str> = result["agency_kinds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["key"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["medical"], "only kinds told");
    let medical = row("agency_kinds", "medical");
    assert_eq!(medical["label"]["ja"], "医療機関");
    assert_eq!(
        (
            medical["reach"]["respondents"].clone(),
            medical["reach"]["named"].clone()
        ),
        (json!(6), json!(2))
    );
    assert_eq!(medical["reach"]["attendees_reached"], 6.0);
    assert_eq!(medical["reach"]["share"], notice["reach"]["share"]);

    let other_year: Value = app
        .get("/api/v1/analysis/publicity?fiscal_year=2021", Some(&app.analyst))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (other_year["events"].clone(), other_year["channels"].clone()),
        (json!(0), json!([]))
    );
    app.assert_parameters_refused(
        "/api/v1/analysis/publicity?kind=seminar",
        &app.analyst,
        &["fiscal_year=2019-20", "by=format"],
    )
    .await;
    assert_eq!(
        app.get("/api/v1/analysis/publicity", Some(&app.researcher))
            .await
            .status(),
        403
    );
}
