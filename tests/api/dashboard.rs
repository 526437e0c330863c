use crate::common::TestApp;
use reqwest::header::{COOKIE, LOCATION, SET_COOKIE};
use reqwest::Response;
use serde_json::{json, Value};

/// The value of `name` among a response's Set-Cookie headers, with the header itself.
fn set_cookie(response: &Response, name: &str) -> Option<(String, String)> {
    response.headers().get_all(SET_COOKIE).iter().find_map(|header| {
        let header = header.to_str().ok()?;
        let value = header.strip_prefix(&format!("{name}="))?.split(';').next()?.to_owned();
        Some((value, header.to_owned()))
    })
}

fn hidden_csrf(html: &str) -> String {
    let start = html.find(r#"name="csrf" value=""#).expect("a CSRF field") + r#"name="csrf" value=""#.len();
    html[start..].split('"').next().unwrap().to_owned()
}

pub(crate) struct Browser<'a> {
    app: &'a TestApp,
    pub(crate) cookie: String,
}

impl<'a> Browser<'a> {
    /// Signs in through the login form with `token`.
    async fn sign_in(app: &'a TestApp, token: &str) -> Response {
        let form = app.client.get(app.url("/dashboard/login")).send().await.unwrap();
        let (login_csrf, _) = set_cookie(&form, "tsunagari_login_csrf").unwrap();
        let html = form.text().await.unwrap();
        assert_eq!(hidden_csrf(&html), login_csrf);
        app.client
            .post(app.url("/dashboard/login"))
            .header(COOKIE, format!("tsunagari_login_csrf={login_csrf}"))
            .form(&[("csrf", login_csrf.as_str()), ("token", token)])
            .send()
            .await
            .unwrap()
    }

    async fn signed_in(app: &'a TestApp) -> Self {
        Self::signed_in_as(app, &app.analyst).await
    }

    pub(crate) async fn signed_in_as(app: &'a TestApp, token: &str) -> Self {
        let response = Self::sign_in(app, token).await;
        assert_eq!(response.status(), 303);
        let (cookie, _) = set_cookie(&response, "tsunagari_session").unwrap();
        Self {
            app,
            cookie: format!("tsunagari_session={cookie}"),
        }
    }

    pub(crate) async fn get(&self, path: &str) -> Response {
        self.app
            .client
            .get(self.app.url(path))
            .header(COOKIE, &self.cookie)
            .send()
            .await
            .unwrap()
    }

    async fn post(&self, path: &str, form: &[(&str, &str)]) -> Response {
        self.app
            .client
            .post(self.app.url(path))
            .header(COOKIE, &self.cookie)
            .form(form)
            .send()
            .await
            .unwrap()
    }

    /// Posts only `csrf` to `path`: a forged token is refused (403) first, then the real one is
    /// sent and its response returned.
    async fn post_confirmed(&self, path: &str, csrf: &str) -> Response {
        assert_eq!(
            self.post(path, &[("csrf", "forged")]).await.status(),
            403,
            "{path} with a forged token"
        );
        self.post(path, &[("csrf", csrf)]).await
    }

    async fn csrf(&self) -> String {
        hidden_csrf(&self.get("/dashboard/events").await.text().await.unwrap())
    }
}

#[tokio::test]
async fn signing_in_sets_a_private_session_cookie_and_signing_out_ends_it() {
    let app = TestApp::spawn().await;
    let response = Browser::sign_in(&app, &app.analyst).await;
    assert_eq!(response.status(), 303);
    assert_eq!(response.headers()[LOCATION], "/dashboard/events");
    let (_, header) = set_cookie(&response, "tsunagari_session").unwrap();
    for attribute in ["HttpOnly", "Secure", "SameSite=Strict", "Path=/"] {
        assert!(header.contains(attribute), "{header}");
    }

    let browser = Browser::signed_in(&app).await;
    let page = browser.get("/dashboard/events").await;
    assert_eq!(page.status(), 200);
    let csrf = hidden_csrf(&page.text().await.unwrap());
    let refused = browser.post("/dashboard/logout", &[("csrf", "forged")]).await;
    assert_eq!(refused.status(), 403);
    let out = browser.post("/dashboard/logout", &[("csrf", &csrf)]).await;
    assert_eq!(out.status(), 303);
    assert!(set_cookie(&out, "tsunagari_session").unwrap().1.contains("Max-Age=0"));
    let after = browser.get("/dashboard/events").await;
    assert_eq!(
        (after.status().as_u16(), after.headers()[LOCATION].to_str().unwrap()),
        (303, "/dashboard/login")
    );
}

/// Over plain HTTP to another host the browser would drop the Secure cookies, so the sign-in
/// page says why signing in cannot work (a proxy that reports HTTPS is believed for this).
#[tokio::test]
async fn the_sign_in_page_explains_that_plain_http_cannot_keep_a_session() {
    let app = TestApp::spawn().await;
    let page = |host: &'static str, proto: Option<&'static str>| {
        let mut request = app.client.get(app.url("/dashboard/login")).header("Host", host);
        if let Some(proto) = proto {
            request = request.header("X-Forwarded-Proto", proto);
        }
        async move { request.send().await.unwrap().text().await.unwrap() }
    };
    let warning = "暗号化されていない";
    assert!(page("survey.example.jp", None).await.contains(warning));
    assert!(page("192.168.10.4:8080", None).await.contains(warning));
    for (host, proto) in [
        ("survey.example.jp", Some("https")),
        ("localhost:8080", None),
        ("127.0.0.1:8080", None),
    ] {
        assert!(!page(host, proto).await.contains(warning), "{host} {proto:?}");
    }
}

/// `TSUNAGARI_SECURE_COOKIES=false` (allowed on loopback only) leaves `Secure` off.
#[tokio::test]
async fn cookies_can_go_without_secure_on_loopback() {
    let database = std::sync::Arc::new(crate::common::TestDatabase::new());
    let app = TestApp::spawn_with(database, &crate::common::shipped_forms_dir(), |config| {
        config.secure_cookies = false;
    })
    .await;
    let response = Browser::sign_in(&app, &app.analyst).await;
    assert_eq!(response.status(), 303);
    let (_, header) = set_cookie(&response, "tsunagari_session").unwrap();
    assert!(header.contains("HttpOnly") && !header.contains("Secure"), "{header}");
    let page = app
        .client
        .get(app.url("/dashboard/login"))
        .header("Host", "survey.example.jp")
        .send()
        .await
        .unwrap();
    assert!(!page.text().await.unwrap().contains("暗号化されていない"));
}

#[tokio::test]
async fn only_live_tokens_sign_in() {
    let app = TestApp::spawn().await;
    for token in ["tsu_not_a_token", ""] {
        let response = Browser::sign_in(&app, token).await;
        assert!(response.status().is_client_error(), "{token}");
        assert!(set_cookie(&response, "tsunagari_session").is_none());
        assert!(response.text().await.unwrap().contains("role=\"alert\""));
    }
    let no_csrf = app
        .client
        .post(app.url("/dashboard/login"))
        .form(&[("token", app.admin.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(no_csrf.status(), 403);
    assert!(set_cookie(&no_csrf, "tsunagari_session").is_none());
    let unsigned = app.get("/dashboard/events", None).await;
    assert_eq!(unsigned.status(), 303);
}

#[tokio::test]
async fn the_events_page_escapes_titles_and_records_headcounts() {
    let app = TestApp::spawn().await;
    let event = app
        .create_event(
            json!({"kind": "seminar", "title": "<script>alert(1)</script>回復セミナー", "held_on": "2026-05-14"}),
        )
        .await;
    let id = event["id"].as_str().unwrap();
    let browser = Browser::signed_in(&app).await;
    let html = browser
        .get("/dashboard/events?fiscal_year=2026")
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;回復セミナー"));
    assert!(!html.contains("<script>alert(1)"));
    assert!(html.contains("R8年度") && html.contains("R8.5.14"));
    let csrf = hidden_csrf(&html);

    let path = format!("/dashboard/events/{id}/headcount");
    assert_eq!(
        browser
            .post(&path, &[("csrf", "forged"), ("headcount", "30")])
            .await
            .status(),
        403
    );
    let bad = browser.post(&path, &[("csrf", &csrf), ("headcount", "たくさん")]).await;
    assert_eq!(bad.status(), 422);
    assert!(bad.text().await.unwrap().contains("参加者数は 0 以上の整数"));
    let stored: Value = app
        .get(&format!("/api/v1/events/{id}"), Some(&app.analyst))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(stored["headcount"], Value::Null);

    let saved = browser.post(&path, &[("csrf", &csrf), ("headcount", "２３")]).await;
    assert_eq!(saved.status(), 303);
    let stored: Value = app
        .get(&format!("/api/v1/events/{id}"), Some(&app.analyst))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(stored["headcount"], 23);
}

#[tokio::test]
async fn creating_an_event_from_the_dashboard_keeps_what_was_typed_on_error() {
    let app = TestApp::spawn().await;
    let browser = Browser::signed_in(&app).await;
    let csrf = browser.csrf().await;
    let missing_title = browser
        .post(
            "/dashboard/events",
            &[
                ("csrf", &csrf),
                ("kind", "forum"),
                ("held_on", "2026-10-04"),
                ("venue", "市民会館"),
                ("format", "lived_experience_talk"),
            ],
        )
        .await;
    assert_eq!(missing_title.status(), 422);
    let html = missing_title.text().await.unwrap();
    assert!(html.contains("タイトルを入力してください"));
    assert!(html.contains(r#"value="市民会館""#));
    assert!(html.contains(r#"value="lived_experience_talk" selected"#));
    let none: Value = app
        .get("/api/v1/events", Some(&app.analyst))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(none["events"], json!([]));

    let created = browser
        .post(
            "/dashboard/events",
            &[
                ("csrf", &csrf),
                ("kind", "forum"),
                ("title", "市民フォーラム"),
                ("title_en", "Citizens' forum"),
                ("held_on", "2026-10-04"),
                ("format", "lived_experience_talk"),
                ("notes", "感染対策のため定員を半分に"),
            ],
        )
        .await;
    assert_eq!(created.status(), 303);
    let events: Value = app
        .get("/api/v1/events", Some(&app.analyst))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(events["events"][0]["title"], "市民フォーラム");
    assert_eq!(events["events"][0]["form"], "forum");
    assert_eq!(events["events"][0]["title_en"], "Citizens' forum");
    assert_eq!(events["events"][0]["format"], "lived_experience_talk");
    assert_eq!(events["events"][0]["notes"], "感染対策のため定員を半分に");
}

#[tokio::test]
async fn the_poster_prints_title_date_qr_link_and_anonymity() {
    let app = TestApp::spawn().await;
    let event = app
        .create_event(
            json!({"kind": "seminar", "title": "回復セミナー", "venue": "保健センター 2階", "held_on": "2026-05-14"}),
        )
        .await;
    let browser = Browser::signed_in(&app).await;
    let html = browser
        .get(&format!("/events/{}/poster", event["id"].as_str().unwrap()))
        .await
        .text()
        .await
        .unwrap();
    for expected in [
        "回復セミナー",
        "2026年5月14日（木）",
        "保健センター 2階",
        "<svg",
        "無記名",
        "size: A4",
        "@media print",
    ] {
        assert!(html.contains(expected), "{expected}");
    }
    assert!(html.contains(event["survey_url"].as_str().unwrap()));
    let signed_out = app
        .get(&format!("/events/{}/poster", event["id"].as_str().unwrap()), None)
        .await;
    assert_eq!(signed_out.status(), 303);
}

#[tokio::test]
async fn qr_codes_come_as_svg_and_png_for_staff() {
    let app = TestApp::spawn().await;
    let event = app.seminar().await;
    let id = event["id"].as_str().unwrap();
    let svg = app
        .get(&format!("/api/v1/events/{id}/qr.svg"), Some(&app.analyst))
        .await;
    assert_eq!(svg.headers()["content-type"], "image/svg+xml");
    assert!(svg.text().await.unwrap().contains("<svg"));
    let png = app.get(&format!("/api/v1/events/{id}/qr.png"), Some(&app.admin)).await;
    assert_eq!(png.headers()["content-type"], "image/png");
    assert_eq!(&png.bytes().await.unwrap()[..8], b"\x89PNG\r\n\x1a\n");
    assert_eq!(
        app.get(&format!("/api/v1/events/{id}/qr.png"), Some(&app.researcher))
            .await
            .status(),
        403
    );
    let unknown = format!("/api/v1/events/{}/qr.svg", uuid::Uuid::new_v4());
    assert_eq!(app.get(&unknown, Some(&app.analyst)).await.status(), 404);
}

#[tokio::test]
async fn the_breakdown_page_shows_table_chart_test_and_the_same_json_and_csv() {
    let app = TestApp::spawn().await;
    let event = app
        .create_event(json!({"kind": "forum", "title": "依存症フォーラム", "held_on": "2026-05-14"}))
        .await;
    let id = event["id"].as_str().unwrap();
    let answers = [
        ("female", 5),
        ("female", 4),
        ("male", 2),
        ("male", 3),
        ("female", 5),
        ("male", 1),
    ];
    for (gender, satisfaction) in answers {
        let answer = json!({"gender": gender, "satisfaction": satisfaction});
        assert_eq!(app.submit(id, uuid::Uuid::new_v4(), answer).await.status(), 201);
    }
    let browser = Browser::signed_in(&app).await;
    let query = "form=forum&question=satisfaction&by=gender";
    let page = browser.get(&format!("/dashboard/breakdown?{query}")).await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    for expected in [
        "<svg",
        "女性",
        "男性",
        "全体",
        "回答者 6 人",
        "カイ二乗分布による近似は使えません",
        "モンテカルロ法（10000 回",
        "自由度 4",
        "breakdown.csv?",
        "breakdown.json?",
    ] {
        assert!(html.contains(expected), "{expected}");
    }

    let from_page: Value = browser
        .get(&format!("/dashboard/breakdown.json?{query}"))
        .await
        .json()
        .await
        .unwrap();
    let from_api: Value = app
        .get(&format!("/api/v1/analysis/breakdown?{query}"), Some(&app.analyst))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(from_page, from_api);

    let csv = browser.get(&format!("/dashboard/breakdown.csv?{query}")).await;
    assert_eq!(csv.headers()["content-type"], "text/csv; charset=utf-8");
    let text = csv.text().await.unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("\u{feff}gender,n,"));
    assert_eq!(lines.len(), 4, "women, men and the total");
    assert!(lines[1].starts_with("女性,3,"));

    // An ordered scale is one 100 % bar per group, light to dark, each with its mean marked.
    for expected in [r#"class="stacked""#, "◆ 平均", "平均 4.67", "#08306b"] {
        assert!(html.contains(expected), "{expected}");
    }
    let unordered = browser
        .get("/dashboard/breakdown?form=forum&question=relation&by=gender")
        .await
        .text()
        .await
        .unwrap();
    assert!(unordered.contains("<svg") && !unordered.contains(r#"class="stacked""#));

    // Fiscal years are a grouping like any attribute, offered by the picker and labelled by era.
    assert!(html.contains(r#"<option value="fiscal_year">年度</option>"#));
    let by_year = browser
        .get("/dashboard/breakdown?form=forum&question=satisfaction&by=fiscal_year")
        .await;
    assert_eq!(by_year.status(), 200);
    assert!(by_year.text().await.unwrap().contains("R8年度"));

    let bad = browser
        .get("/dashboard/breakdown?form=forum&question=satisfaction&by=heard_from")
        .await;
    assert_eq!(bad.status(), 422);
    assert!(bad.text().await.unwrap().contains("グループ分けできません"));
    assert_eq!(
        app.get(&format!("/dashboard/breakdown.json?{query}"), None)
            .await
            .status(),
        303
    );
}

#[tokio::test]
async fn the_indicators_page_prints_both_tables_with_era_labels() {
    let app = TestApp::spawn().await;
    app.put_seminar_attendance_plan().await;
    app.create_event(json!({"kind": "seminar", "title": "回復セミナー", "held_on": "2026-05-14", "headcount": 48}))
        .await;
    let browser = Browser::signed_in(&app).await;
    let html = browser.get("/dashboard/indicators").await.text().await.unwrap();
    for expected in [
        "回復セミナー参加",
        "R7年度",
        "R8年度",
        "合計",
        "<svg",
        "達成率",
        "26.7",
        "17.8",
        "100.0",
    ] {
        assert!(html.contains(expected), "{expected}");
    }
}

#[tokio::test]
async fn downloads_come_from_the_dashboard_with_the_session() {
    let app = TestApp::spawn().await;
    let event = app.seminar().await;
    let answers = json!({"gender": "female", "satisfaction": 4, "opinion": "ありがとうございました"});
    app.submit(event["id"].as_str().unwrap(), uuid::Uuid::new_v4(), answers)
        .await;
    let browser = Browser::signed_in(&app).await;
    let page = browser.get("/dashboard/downloads").await.text().await.unwrap();
    assert!(page.contains(r#"formaction="/dashboard/downloads/responses.csv""#));

    let csv = browser
        .get("/dashboard/downloads/responses.csv?form=seminar&fiscal_year=")
        .await;
    assert_eq!(csv.status(), 200);
    assert!(csv.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .contains("seminar-responses.csv"));
    assert!(csv.text().await.unwrap().starts_with("\u{feff}event,"));
    let aggregate: Value = browser
        .get("/dashboard/downloads/aggregate.json?form=seminar")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(aggregate["min_cell"], 5);
    assert_eq!(
        aggregate["responses"],
        Value::Null,
        "one response is below the threshold"
    );
    // What staff hand out is the researchers' own release: frozen and settled, the same as a
    // researcher's token fetches (here a settled seminar's six answers, without this year's
    // one); the live aggregate is labelled staff's own.
    let settled = app
        .create_event(json!({"kind": "seminar", "title": "過去の回", "held_on": "2024-06-13"}))
        .await;
    for _ in 0..6 {
        let answers = json!({"relation": "family", "satisfaction": 5});
        app.submit(settled["id"].as_str().unwrap(), uuid::Uuid::new_v4(), answers)
            .await;
    }
    assert!(page.contains(r#"formaction="/dashboard/downloads/researchers-aggregate.json""#));
    assert!(page.contains("内部用集計 JSON（最新のデータ・職員のみ）"));
    let handed_out: Value = browser
        .get("/dashboard/downloads/researchers-aggregate.json?form=seminar&fiscal_year=")
        .await
        .json()
        .await
        .unwrap();
    let fetched: Value = app
        .get("/api/v1/exports/aggregate.json?form=seminar", Some(&app.researcher))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(handed_out["responses"], 6);
    assert_eq!(without_time(handed_out), without_time(fetched));
    let parquet = browser
        .get("/dashboard/downloads/responses.parquet?form=seminar&fiscal_year=2026")
        .await;
    assert_eq!(&parquet.bytes().await.unwrap()[..4], b"PAR1");
    assert_eq!(
        browser
            .get("/dashboard/downloads/secrets.txt?form=seminar")
            .await
            .status(),
        404
    );
    assert_eq!(
        browser
            .get("/dashboard/downloads/responses.csv?form=nope")
            .await
            .status(),
        422
    );
    assert_eq!(
        browser
            .get("/dashboard/downloads/responses.csv?form=seminar&fiscal_year=R8")
            .await
            .status(),
        422
    );
    assert_eq!(
        app.get("/dashboard/downloads/responses.csv?form=seminar", None)
            .await
            .status(),
        303
    );
}

#[tokio::test]
async fn the_opinions_page_lists_terms_per_group_and_the_comments_escaped() {
    let app = TestApp::spawn().await;
    let event = app.seminar().await;
    let comments = [
        ("family", "家族の気持ちを話せて安心しました <b>ありがとう</b>"),
        ("family", "家族として参加できて安心しました"),
        ("supporter", "支援の連携について学べました"),
    ];
    for (relation, opinion) in comments {
        let answers = json!({"relation": relation, "satisfaction": 4, "opinion": opinion});
        assert_eq!(
            app.submit(event["id"].as_str().unwrap(), uuid::Uuid::new_v4(), answers)
                .await
                .status(),
            201
        );
    }
    let browser = Browser::signed_in(&app).await;
    let page = browser.get("/dashboard/opinions?form=seminar&by=relation").await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    for expected in [
        "家族（2 件）",
        "支援者",
        "安心",
        "コメントを読む",
        "&lt;b&gt;ありがとう&lt;/b&gt;",
        "全体（3 件）",
    ] {
        assert!(html.contains(expected), "{expected}");
    }
    assert!(!html.contains("<b>ありがとう"));
    let bad = browser.get("/dashboard/opinions?form=seminar&by=heard_from").await;
    assert_eq!(bad.status(), 422);
}

#[tokio::test]
async fn the_opinions_page_counts_the_coded_themes_per_group() {
    let app = TestApp::spawn().await;
    let event = app.seminar().await;
    for (relation, theme) in [("family", "family_support"), ("supporter", "staff_training")] {
        for i in 0..6 {
            let answers = json!({"relation": relation, "satisfaction": 4, "opinion": format!("{relation} の意見 {i}")});
            let sent = app
                .submit(event["id"].as_str().unwrap(), uuid::Uuid::new_v4(), answers)
                .await;
            let response: Value = sent.json().await.unwrap();
            let coding = json!({"codebook": "starter", "item": {"response": response["id"], "question": "opinion"}, "themes": [theme]});
            let coded = app
                .send_json(reqwest::Method::PUT, "/api/v1/codings", Some(&app.analyst), &coding)
                .await;
            assert_eq!(coded.status(), 201);
        }
    }
    let browser = Browser::signed_in(&app).await;
    let page = browser
        .get("/dashboard/opinions?form=seminar&by=relation&codebook=starter")
        .await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    for expected in [
        "テーマ別の件数（意見のテーマ（出発点））",
        "<th scope=\"col\">ご家族</th>",
        "<th scope=\"row\">コード付け済み</th><td class=\"number\">6</td><td class=\"number\">6</td><td class=\"number\">12</td>",
        "<td class=\"number\">6 (100.0%)</td><td class=\"number\">0 (0.0%)</td><td class=\"number\">6 (50.0%)</td><td class=\"number\">0.002</td>",
        "グループ間の差（p 値）",
        "<th scope=\"row\">家族への支援</th><td class=\"number\">6 (100.0%)</td>",
        "1 人がコード付け",
    ] {
        assert!(html.contains(expected), "{expected}: {html}");
    }
    // An unknown codebook leaves the terms as they are, without a theme table.
    let page = browser
        .get("/dashboard/opinions?form=seminar&by=relation&codebook=nothing")
        .await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(
        html.contains("ご家族（6 件）") && !html.contains("テーマ別の件数"),
        "{html}"
    );
}

#[tokio::test]
async fn a_series_is_created_from_the_dashboard_and_a_bad_rule_is_explained() {
    let app = TestApp::spawn().await;
    let browser = Browser::signed_in(&app).await;
    let page = browser.get("/dashboard/events").await.text().await.unwrap();
    // The seminars' schedule is suggested by the picker: monthly, 2nd and 4th Thursday.
    for suggested in [
        r#"name="repeat" value="monthly" checked"#,
        r#"value="TH" selected"#,
        r#"name="nth2" checked"#,
        r#"name="nth4" checked"#,
    ] {
        assert!(page.contains(suggested), "{suggested}");
    }
    assert!(!page.contains(r#"name="nth1" checked"#));
    let csrf = hidden_csrf(&page);
    let form = |rule: &'static str| {
        vec![
            ("csrf", csrf.clone()),
            ("kind", "seminar".to_owned()),
            ("title", "回復セミナー".to_owned()),
            ("rrule", rule.to_owned()),
            ("starts_on", "2026-04-01".to_owned()),
            ("ends_on", "2026-06-30".to_owned()),
            ("skip", "2026-05-14、2026-06-11".to_owned()),
        ]
    };
    let as_refs = |pairs: &[(&'static str, String)]| pairs.iter().map(|(k, v)| (*k, v.clone())).collect::<Vec<_>>();
    let bad = app
        .client
        .post(app.url("/dashboard/series"))
        .header(COOKIE, &browser.cookie)
        .form(&as_refs(&form("FREQ=SOMETIMES")))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 422);
    let html = bad.text().await.unwrap();
    assert!(html.contains("繰り返しの規則を確かめてください") && html.contains(r#"value="FREQ=SOMETIMES""#));

    let created = app
        .client
        .post(app.url("/dashboard/series"))
        .header(COOKIE, &browser.cookie)
        .form(&as_refs(&form("FREQ=MONTHLY;BYDAY=2TH,4TH")))
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 303);
    let events: Value = app
        .get("/api/v1/events", Some(&app.analyst))
        .await
        .json()
        .await
        .unwrap();
    let dates: Vec<&str> = events["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["held_on"].as_str().unwrap())
        .collect();
    assert_eq!(dates, ["2026-04-09", "2026-04-23", "2026-05-28", "2026-06-25"]);

    // Picked rather than typed: every week on Monday, and the last Saturday of each month.
    let app = &app;
    let held_on = |kind: &'static str, weekday: u32| async move {
        let events: Value = app
            .get(&format!("/api/v1/events?kind={kind}"), Some(&app.analyst))
            .await
            .json()
            .await
            .unwrap();
        events["events"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["held_on"].as_str().unwrap().to_owned())
            .inspect(|day| {
                let date = chrono::NaiveDate::parse_from_str(day, "%Y-%m-%d").unwrap();
                assert_eq!(chrono::Datelike::weekday(&date).num_days_from_monday(), weekday);
            })
            .collect::<Vec<_>>()
    };
    for (kind, pick) in [
        ("study_session", vec![("repeat", "weekly"), ("weekday", "MO")]),
        (
            "forum",
            vec![("repeat", "monthly"), ("weekday", "SA"), ("nth_last", "on")],
        ),
    ] {
        let mut fields = vec![
            ("csrf", csrf.clone()),
            ("kind", kind.to_owned()),
            ("title", "会".to_owned()),
            ("starts_on", "2026-04-01".to_owned()),
            ("ends_on", "2026-04-30".to_owned()),
        ];
        fields.extend(pick.iter().map(|(name, value)| (*name, value.to_string())));
        let sent = app
            .client
            .post(app.url("/dashboard/series"))
            .header(COOKIE, &browser.cookie)
            .form(&fields)
            .send()
            .await
            .unwrap();
        assert_eq!(sent.status(), 303, "{kind}");
    }
    assert_eq!(
        held_on("study_session", 0).await,
        ["2026-04-06", "2026-04-13", "2026-04-20", "2026-04-27"]
    );
    assert_eq!(held_on("forum", 5).await, ["2026-04-25"]);
}

#[tokio::test]
async fn revoking_the_token_ends_its_sessions_and_signing_in_sweeps_expired_ones() {
    use diesel::prelude::*;
    use tsunagari::db::schema::dashboard_sessions;
    let app = TestApp::spawn().await;
    let browser = Browser::signed_in(&app).await;
    let mut conn = app.database.connect();
    diesel::update(dashboard_sessions::table)
        .set(dashboard_sessions::expires_at.eq(chrono::Utc::now() - chrono::Duration::hours(1)))
        .execute(&mut conn)
        .unwrap();
    assert_eq!(
        browser.get("/dashboard/events").await.status(),
        303,
        "an expired session is refused"
    );
    let fresh = Browser::signed_in(&app).await;
    let left: i64 = dashboard_sessions::table.count().get_result(&mut conn).unwrap();
    assert_eq!(left, 1, "the expired session was swept at sign-in");

    let analyst = tsunagari::db::tokens::list(&mut conn)
        .unwrap()
        .into_iter()
        .find(|t| t.name == "analyst")
        .unwrap();
    assert!(tsunagari::db::tokens::revoke(&mut conn, analyst.id).unwrap());
    let after = fresh.get("/dashboard/events").await;
    assert_eq!(after.status(), 303);
    assert_eq!(after.headers()[LOCATION], "/dashboard/login");
}

#[tokio::test]
async fn forged_forms_create_nothing() {
    let app = TestApp::spawn().await;
    let browser = Browser::signed_in(&app).await;
    let event = [
        ("csrf", "forged"),
        ("kind", "forum"),
        ("title", "フォーラム"),
        ("held_on", "2026-10-04"),
    ];
    assert_eq!(browser.post("/dashboard/events", &event).await.status(), 403);
    let series = [
        ("kind", "seminar"),
        ("title", "回復セミナー"),
        ("rrule", "FREQ=MONTHLY;BYDAY=2TH,4TH"),
        ("starts_on", "2026-04-01"),
        ("ends_on", "2026-06-30"),
    ];
    assert_eq!(
        browser.post("/dashboard/series", &series).await.status(),
        403,
        "no token at all"
    );
    let events: Value = app
        .get("/api/v1/events", Some(&app.analyst))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(events["events"], json!([]));
}

#[tokio::test]
async fn agencies_are_added_listed_kept_when_refused_and_deleted_from_the_dashboard() {
    let app = TestApp::spawn().await;
    let browser = Browser::signed_in(&app).await;
    let csrf = browser.csrf().await;
    let add = |slug: &'static str, name: &'static str| {
        [
            ("csrf", csrf.clone()),
            ("slug", slug.to_owned()),
            ("name_ja", name.to_owned()),
            ("name_en", String::new()),
            ("kind", "probation".to_owned()),
        ]
    };
    let fields = add("probation-office", "保護観察所");
    let form: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let saved = browser.post("/dashboard/agencies", &form).await;
    assert_eq!(saved.status(), 303);
    let page = browser
        .get("/dashboard/agencies?saved=保護観察所")
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("<th scope=\"row\">保護観察所</th>") && page.contains("を保存しました"));

    let fields = add("Bad Slug", "<script>市立病院</script>");
    let form: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let refused = browser.post("/dashboard/agencies", &form).await;
    assert_eq!(refused.status(), 422);
    let page = refused.text().await.unwrap();
    assert!(
        page.contains("value=\"&lt;script&gt;市立病院&lt;/script&gt;\""),
        "what was typed is kept, escaped"
    );
    assert!(page.contains("識別子は半角英小文字"), "the refusal in staff's words");

    // Named in a publicity record: kept, with the reason.
    let event = app.seminar().await;
    let record = json!({"channel": "agency_notice", "agency": "probation-office", "sent_on": "2026-04-20"});
    let id = event["id"].as_str().unwrap();
    assert_eq!(
        app.post_json(&format!("/api/v1/events/{id}/publicity"), Some(&app.analyst), &record)
            .await
            .status(),
        201
    );
    let kept = browser
        .post("/dashboard/agencies/probation-office/delete", &[("csrf", &csrf)])
        .await;
    assert_eq!(kept.status(), 409);
    assert!(kept.text().await.unwrap().contains("広報記録"));
    assert_eq!(
        browser
            .post("/dashboard/agencies/probation-office/delete", &[("csrf", "forged")])
            .await
            .status(),
        403
    );
}

#[tokio::test]
async fn the_outreach_page_shows_publicity_attendance_in_words_and_the_trend() {
    let app = TestApp::spawn().await;
    let browser = Browser::signed_in(&app).await;
    for (held_on, speaker, headcount) in [
        ("2019-05-09", "leading_expert", 12),
        ("2019-06-13", "leading_expert", 15),
        ("2019-07-11", "leading_expert", 9),
        ("2019-08-08", "staff", 5),
        ("2019-09-12", "staff", 4),
        ("2019-10-10", "staff", 7),
    ] {
        let event = app
            .create_event(json!({"kind": "seminar", "title": "回復セミナー", "held_on": held_on,
                                 "headcount": headcount, "speakers": [{"type": speaker}]}))
            .await;
        let id = event["id"].as_str().unwrap();
        for record in [
            json!({"channel": "sns", "sent_on": held_on}),
            json!({"channel": "direct_mail", "sent_on": held_on, "cost": 12000}),
        ] {
            assert_eq!(
                app.post_json(&format!("/api/v1/events/{id}/publicity"), Some(&app.analyst), &record)
                    .await
                    .status(),
                201
            );
        }
    }
    let page = browser
        .get("/dashboard/outreach?kind=seminar&fiscal_year=2019&by=speaker_type")
        .await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    // 12 mean against 5.33: 2.2 times, median 12 against 5, exact p = 0.1.
    assert!(html.contains("第一人者の専門家の回は、そうでない回の2.2倍の参加者を集めました（中央値 12人 対 5人、p = 0.100：この回数では偶然の差である可能性を否定できません）。"), "{html}");
    assert!(html.contains("職員の回の参加者は、そうでない回の0.4倍にとどまりました"));
    assert!(html.contains("ア 広報の届き方") && html.contains("<th scope=\"row\">SNS</th>"));
    assert!(
        html.contains("<td>測れません</td>") || html.contains(">測れません</td>"),
        "mail has no answer of its own"
    );
    assert!(
        html.contains("その経路の「知った回答者」と「届いた参加者」は測れません") && html.contains("72,000円"),
        "{html}"
    );
    assert!(html.contains("<svg") && html.contains("回ごとの参加者数"));
    let refused = browser.get("/dashboard/outreach?by=colour").await;
    assert_eq!(refused.status(), 422);
}

#[tokio::test]
async fn the_evaluation_report_opens_from_the_dashboard_to_print() {
    let app = TestApp::spawn().await;
    let browser = Browser::signed_in(&app).await;
    let indicators = browser.get("/dashboard/indicators").await.text().await.unwrap();
    assert!(indicators.contains(r#"action="/dashboard/evaluation-report""#));
    let report = browser
        .get("/dashboard/evaluation-report?from_fiscal_year=2018&to_fiscal_year=2020")
        .await;
    assert_eq!(report.status(), 200);
    let html = report.text().await.unwrap();
    assert!(html.contains("<h1>効果検証（H30年度〜R2年度）</h1>") && html.contains("size: A4"));
    let refused = browser
        .get("/dashboard/evaluation-report?from_fiscal_year=2020&to_fiscal_year=2018")
        .await;
    assert_eq!(refused.status(), 422);
}

#[tokio::test]
async fn comments_are_coded_one_at_a_time_from_the_dashboard() {
    let app = TestApp::spawn().await;
    let browser = Browser::signed_in(&app).await;
    let event = app.seminar().await;
    let id = event["id"].as_str().unwrap();
    for opinion in ["マスクで声が<b>聞き取り</b>にくかった", "家族会を知りたい"] {
        let answers = json!({"satisfaction": 4, "opinion": opinion});
        assert_eq!(app.submit(id, uuid::Uuid::new_v4(), answers).await.status(), 201);
    }
    let page = browser
        .get("/dashboard/coding?codebook=starter&form=seminar&question=opinion")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("マスクで声が&lt;b&gt;聞き取り&lt;/b&gt;にくかった"),
        "the comment, escaped"
    );
    assert!(
        page.contains(r#"value="audibility" checked"#),
        "the suggested theme is ticked"
    );
    let response = hidden_value(&page, "response");
    let csrf = browser.csrf().await;
    let form = [
        ("csrf", csrf.as_str()),
        ("codebook", "starter"),
        ("form", "seminar"),
        ("question", "opinion"),
        ("response", response.as_str()),
        ("theme", "audibility"),
        ("theme", "stigma"),
        ("quote", "true"),
    ];
    let saved = browser.post("/dashboard/coding", &form).await;
    assert_eq!(saved.status(), 303);
    let next = browser
        .get(saved.headers()["location"].to_str().unwrap())
        .await
        .text()
        .await
        .unwrap();
    assert!(next.contains("家族会を知りたい") && next.contains("保存しました"));
    let themes: Value = app
        .get(
            "/api/v1/analysis/themes?form=seminar&codebook=starter",
            Some(&app.analyst),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(themes["total"]["counts"]["stigma"], 1);
    assert_eq!(
        themes["quotes"]["audibility"][0],
        "マスクで声が<b>聞き取り</b>にくかった"
    );
    let forged = [
        ("csrf", "forged"),
        ("codebook", "starter"),
        ("response", response.as_str()),
    ];
    assert_eq!(browser.post("/dashboard/coding", &forged).await.status(), 403);
}

/// The value of the hidden field `name` in `html`.
fn hidden_value(html: &str, name: &str) -> String {
    let marker = format!(r#"name="{name}" value=""#);
    let start = html.find(&marker).unwrap_or_else(|| panic!("no field {name}")) + marker.len();
    html[start..].split('"').next().unwrap().to_owned()
}

#[tokio::test]
async fn meeting_notes_are_written_from_the_dashboard_and_kept_when_refused() {
    let app = TestApp::spawn().await;
    let browser = Browser::signed_in(&app).await;
    let event = app.seminar().await;
    let id = event["id"].as_str().unwrap();
    let events = browser
        .get("/dashboard/events?fiscal_year=2026")
        .await
        .text()
        .await
        .unwrap();
    assert!(events.contains(&format!("/dashboard/events/{id}/notes")));
    let csrf = browser.csrf().await;
    let path = format!("/dashboard/events/{id}/notes");
    let added = browser
        .post(
            &path,
            &[
                ("csrf", &csrf),
                ("text", "<i>体験談</i>がよかったという声"),
                ("speaker_role", "participant"),
            ],
        )
        .await;
    assert_eq!(added.status(), 303);
    let page = browser.get(&path).await.text().await.unwrap();
    assert!(page.contains("&lt;i&gt;体験談&lt;/i&gt;がよかったという声") && page.contains("<td>参加者</td>"));
    let too_long = "あ".repeat(5001);
    let refused = browser.post(&path, &[("csrf", &csrf), ("text", &too_long)]).await;
    assert_eq!(refused.status(), 422);
    assert!(
        refused.text().await.unwrap().contains(&too_long),
        "what was typed is kept"
    );
    let notes: Value = app
        .get(&format!("/api/v1/events/{id}/notes"), Some(&app.analyst))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(notes["notes"].as_array().unwrap().len(), 1);
    let unknown = browser
        .get(&format!("/dashboard/events/{}/notes", uuid::Uuid::new_v4()))
        .await;
    assert_eq!(unknown.status(), 404);

    // Corrected and deleted (after a confirmation) from the same page.
    let note_id = notes["notes"][0]["id"].as_str().unwrap();
    let note_path = format!("/dashboard/events/{id}/notes/{note_id}");
    assert!(page.contains(&format!(r#"href="{note_path}""#)));
    let form = browser.get(&note_path).await.text().await.unwrap();
    assert!(form.contains("&lt;i&gt;体験談&lt;/i&gt;") && form.contains(r#"<option value="participant" selected>"#));
    let refused = browser.post(&note_path, &[("csrf", &csrf), ("text", &too_long)]).await;
    assert_eq!(refused.status(), 422);
    assert!(refused.text().await.unwrap().contains(&too_long));
    let fixed = browser
        .post(
            &note_path,
            &[("csrf", &csrf), ("text", "体験談がよかった"), ("speaker_role", "")],
        )
        .await;
    assert_eq!(fixed.status(), 303);
    let notes: Value = app
        .get(&format!("/api/v1/events/{id}/notes"), Some(&app.analyst))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (notes["notes"][0]["text"].as_str(), &notes["notes"][0]["speaker_role"]),
        (Some("体験談がよかった"), &Value::Null)
    );
    let confirm = browser.get(&format!("{note_path}/delete")).await.text().await.unwrap();
    assert!(confirm.contains("削除しますか") && confirm.contains("体験談がよかった"));
    assert_eq!(
        browser
            .post_confirmed(&format!("{note_path}/delete"), &csrf)
            .await
            .status(),
        303
    );
    let notes: Value = app
        .get(&format!("/api/v1/events/{id}/notes"), Some(&app.analyst))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(notes["notes"], json!([]));
    assert_eq!(browser.get(&note_path).await.status(), 404);
}

#[tokio::test]
async fn the_opinions_page_reads_meeting_notes_too() {
    let app = TestApp::spawn().await;
    let browser = Browser::signed_in(&app).await;
    let event = app.seminar().await;
    let id = event["id"].as_str().unwrap();
    let note = json!({"text": "フリートークの時間を増やしてほしいという声", "speaker_role": "participant"});
    assert_eq!(
        app.post_json(&format!("/api/v1/events/{id}/notes"), Some(&app.analyst), &note)
            .await
            .status(),
        201
    );
    let page = browser.get("/dashboard/opinions?form=seminar&by=&source=notes").await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(
        html.contains("フリートークの時間を増やしてほしいという声"),
        "the note among the comments"
    );
    assert!(html.contains(r#"<option value="notes" selected>"#));
    let by_attribute = browser
        .get("/dashboard/opinions?form=seminar&by=relation&source=notes")
        .await;
    assert_eq!(by_attribute.status(), 422);
}

/// A workbook of XLSForm `sheets`, each a list of rows of cells.
fn xlsform(sheets: &[(&str, &[&[&str]])]) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    for (name, rows) in sheets {
        let sheet = book.add_worksheet();
        sheet.set_name(*name).unwrap();
        for (r, row) in rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                sheet.write_string(r as u32, c as u16, *cell).unwrap();
            }
        }
    }
    book.save_to_buffer().unwrap()
}

/// The dashboard is read in Japanese, and so are a workbook's problems there, those of reading
/// it and those of the form's rules alike; the API says the same in English.
#[tokio::test]
async fn a_workbooks_problems_are_said_in_the_pages_language() {
    let app = TestApp::spawn().await;
    let browser = Browser::signed_in(&app).await;
    let settings: &[&[&str]] = &[
        &["form_id", "form_title", "form_title_en"],
        &["checkup", "健康", "Checkup"],
    ];
    let header: &[&str] = &["type", "name", "label::日本語 (ja)", "label::English (en)", "relevant"];
    let intro: &[&str] = &["note", "intro", "はじめに", "Intro", ""];
    let unreadable = xlsform(&[
        ("settings", settings),
        (
            "survey",
            &[
                header,
                intro,
                &["select_one nolist", "pick", "選択", "Pick", ""],
                &["likert", "feel", "気分", "Feel", ""],
            ],
        ),
    ]);
    let against_the_rules = xlsform(&[
        ("settings", settings),
        (
            "survey",
            &[
                header,
                intro,
                &["text", "first", "最初", "First", "${later} = 'x'"],
                &["text", "later", "後", "Later", ""],
            ],
        ),
    ]);
    for (workbook, cell, japanese, english) in [
        (
            &unreadable,
            "survey!A3",
            "choices シートにリスト",
            "in the choices sheet",
        ),
        (&unreadable, "survey!A4", "はありません（使える種類: ", "unknown type"),
        (
            &against_the_rules,
            "survey!E3",
            "この質問より前の質問ではありません",
            "is not a question before this one",
        ),
    ] {
        let part = reqwest::multipart::Part::bytes(workbook.clone()).file_name("form.xlsx");
        let form = reqwest::multipart::Form::new()
            .text("csrf", browser.csrf().await)
            .part("workbook", part);
        let page = app
            .client
            .post(app.url("/dashboard/forms"))
            .header(COOKIE, &browser.cookie)
            .multipart(form)
            .send()
            .await
            .unwrap();
        assert_eq!(page.status(), 422);
        let page = page.text().await.unwrap();
        assert!(page.contains(&format!("<code>{cell}</code>")), "{page}");
        assert!(page.contains(japanese) && !page.contains(english), "{page}");

        let response = app
            .client
            .post(app.url("/api/v1/forms"))
            .bearer_auth(&app.analyst)
            .header(
                "content-type",
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
            .body(workbook.clone())
            .send()
            .await
            .unwrap();
        let body: Value = response.json().await.unwrap();
        let said = body["error"]["details"]
            .as_array()
            .unwrap()
            .iter()
            .find(|problem| problem["field"] == cell)
            .unwrap_or_else(|| panic!("{body}"));
        assert!(said["message"].as_str().unwrap().contains(english), "{body}");
    }
}

#[tokio::test]
async fn staff_upload_a_workbook_see_its_problems_and_preview_a_version() {
    let app = TestApp::spawn().await;
    let browser = Browser::signed_in(&app).await;
    let page = browser.get("/dashboard/forms").await.text().await.unwrap();
    assert!(
        page.contains("/api/v1/forms/seminar/versions/1.xlsx"),
        "a download per version"
    );
    assert!(page.contains("同梱のファイル"), "shipped versions say so");
    // What each form asks and why: the seminar form leaves most attributes out.
    assert!(
        page.contains("共通の属性のうちたずねないもの：性別、年代、ご職業"),
        "{page}"
    );
    assert!(page.contains("回復セミナーの参加者の多くは回復途上の方"), "its purpose");
    assert!(
        page.contains("評価方法はフォーラムのアンケートを属性"),
        "the forum's purpose"
    );

    let workbook = app
        .get("/api/v1/forms/forum.xlsx", None)
        .await
        .bytes()
        .await
        .unwrap()
        .to_vec();
    let upload = |bytes: Vec<u8>, csrf: String| {
        let part = reqwest::multipart::Part::bytes(bytes).file_name("form.xlsx");
        let form = reqwest::multipart::Form::new()
            .text("csrf", csrf)
            .part("workbook", part);
        app.client
            .post(app.url("/dashboard/forms"))
            .header(COOKIE, &browser.cookie)
            .multipart(form)
            .send()
    };
    let no_file = reqwest::multipart::Form::new().text("csrf", browser.csrf().await);
    let no_file = app
        .client
        .post(app.url("/dashboard/forms"))
        .header(COOKIE, &browser.cookie)
        .multipart(no_file)
        .send()
        .await
        .unwrap();
    assert_eq!(no_file.status(), 422);
    assert!(no_file.text().await.unwrap().contains("ファイルを選んでください"));
    let refused = upload(b"not a workbook".to_vec(), browser.csrf().await).await.unwrap();
    assert_eq!(refused.status(), 422);
    let page = refused.text().await.unwrap();
    assert!(
        page.contains("<code>workbook</code>") && page.contains("保存していません"),
        "{page}"
    );

    assert_eq!(upload(workbook.clone(), "forged".into()).await.unwrap().status(), 403);
    // A token after the file is no token: the file is refused unread.
    let file_first = reqwest::multipart::Form::new()
        .part(
            "workbook",
            reqwest::multipart::Part::bytes(workbook.clone()).file_name("form.xlsx"),
        )
        .text("csrf", browser.csrf().await);
    let file_first = app
        .client
        .post(app.url("/dashboard/forms"))
        .header(COOKIE, &browser.cookie)
        .multipart(file_first)
        .send()
        .await
        .unwrap();
    assert_eq!(file_first.status(), 403);

    let same = upload(workbook, browser.csrf().await).await.unwrap();
    assert_eq!(same.status(), 303);
    let page = browser
        .get(same.headers()["location"].to_str().unwrap())
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("forum の第1版と同じ内容です"), "{page}");

    let mut changed: Value = serde_json::from_str(include_str!("../../survey_forms/forum.json")).unwrap();
    changed["questions"][0]["label"]["ja"] = json!("満足度は？");
    assert_eq!(
        app.post_json("/api/v1/forms", Some(&app.analyst), &changed)
            .await
            .status(),
        201
    );
    let page = browser.get("/dashboard/forms").await.text().await.unwrap();
    assert!(
        page.contains("/dashboard/forms/forum/diff") && page.contains(">analyst<"),
        "who uploaded it"
    );
    let diff = browser
        .get("/dashboard/forms/forum/diff?from=1&to=2")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        diff.contains("satisfaction</code> の文言：「今日の会の満足度を教えてください」→「満足度は？」"),
        "{diff}"
    );

    assert!(
        page.contains("href=\"/dashboard/forms/forum/versions/1/phone\""),
        "a preview per version"
    );
    let phone = browser.get("/dashboard/forms/forum/versions/1/phone").await;
    assert!(phone.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .contains("frame-src 'self'"));
    let phone = phone.text().await.unwrap();
    assert!(
        phone.contains(
            "<iframe class=\"phone\" src=\"/dashboard/forms/forum/versions/1/preview?lang=ja\" width=\"390\""
        ),
        "framed at a phone's width: {phone}"
    );
    let preview = browser.get("/dashboard/forms/forum/versions/1/preview?lang=en").await;
    assert_eq!(preview.status(), 200);
    let policy = preview.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        policy.contains("script-src 'self'") && policy.ends_with("frame-ancestors 'self'"),
        "the phone form's own policy, framed only by the dashboard: {policy}"
    );
    let preview = preview.text().await.unwrap();
    assert!(preview.contains("Public forum questionnaire"));
    assert!(
        preview.contains("nothing can be sent") && preview.contains("disabled"),
        "{preview}"
    );
    assert!(
        preview.contains("href=\"/dashboard/forms/forum/versions/1/preview?lang=ja\""),
        "the other language is previewed too"
    );
    let signed_out = app.get("/dashboard/forms/forum/versions/1/preview", None).await;
    assert_eq!(signed_out.status(), 303, "staff only");
    for missing in [
        "/dashboard/forms/forum/diff?from=1&to=9",
        "/dashboard/forms/forum/versions/9/preview",
        "/dashboard/forms/forum/versions/9/phone",
    ] {
        let response = browser.get(missing).await;
        assert_eq!(response.status(), 303, "{missing}: back to the list");
        assert_eq!(response.headers()["location"], "/dashboard/forms");
    }
}

/// Staff's actions on data about people are recorded, append-only, and administrators read
/// them: signing in, a change, raw answers downloaded from the API and the dashboard, and what a
/// researcher fetched (with its filters); plain reads are not, and no entry holds an answer.
#[tokio::test]
async fn the_audit_log_records_who_did_what_and_cannot_be_changed() {
    let app = TestApp::spawn().await;
    let event = app.seminar().await;
    let id = event["id"].as_str().unwrap();
    app.submit(
        id,
        uuid::Uuid::new_v4(),
        json!({"satisfaction": 4, "opinion": "秘密の話"}),
    )
    .await;
    let browser = Browser::signed_in(&app).await;
    assert_eq!(
        browser
            .get("/dashboard/downloads/responses.csv?form=seminar&fiscal_year=")
            .await
            .status(),
        200
    );
    app.patch_event(id, json!({"headcount": 12})).await;
    app.get("/api/v1/exports/responses.csv?form=seminar", Some(&app.analyst))
        .await;
    app.get("/api/v1/events", Some(&app.analyst)).await;
    app.get(
        "/api/v1/exports/aggregate.json?form=seminar&fiscal_year=2024",
        Some(&app.researcher),
    )
    .await;

    assert_eq!(app.get("/api/v1/audit-log", Some(&app.analyst)).await.status(), 403);
    let log: Value = app
        .get("/api/v1/audit-log", Some(&app.admin))
        .await
        .json()
        .await
        .unwrap();
    let entries = log["entries"].as_array().unwrap();
    let actions: Vec<&str> = entries.iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(
        actions,
        [
            "GET /api/v1/exports/aggregate.json",
            "GET /api/v1/exports/responses.csv",
            "PATCH /api/v1/events/{id}",
            "GET /dashboard/downloads/{file}",
            "POST /dashboard/login",
            "POST /api/v1/events",
        ],
        "newest first; plain reads and the attendee's answer left out: {log}"
    );
    assert_eq!(entries[0]["role"], "researcher");
    assert_eq!(entries[0]["subject"], json!({"form": "seminar", "fiscal_year": "2024"}));
    assert_eq!(entries[2]["subject"]["id"], id);
    assert_eq!(entries[2]["token_name"], "analyst");
    assert_eq!(entries[3]["subject"]["file"], "responses.csv");
    assert!(!log.to_string().contains("秘密"), "no answer in the log");
    let only_csv: Value = app
        .get("/api/v1/audit-log?action=responses.csv", Some(&app.admin))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(only_csv["entries"].as_array().unwrap().len(), 1);
    let bad = app.get("/api/v1/audit-log?since=yesterday", Some(&app.admin)).await;
    assert_eq!(crate::common::error_of(bad).await.1.as_deref(), Some("since"));

    use diesel::RunQueryDsl;
    let mut conn = app.database.connect();
    for statement in [
        "UPDATE audit_log SET action = 'x'",
        "DELETE FROM audit_log",
        "TRUNCATE audit_log",
    ] {
        let refused = diesel::sql_query(statement).execute(&mut conn);
        assert!(refused.unwrap_err().to_string().contains("append-only"), "{statement}");
    }
}

/// Administrators read the audit log from the dashboard, filtered; analysts neither see the link
/// nor the page.
#[tokio::test]
async fn administrators_read_the_audit_log_in_the_dashboard() {
    let app = TestApp::spawn().await;
    let analyst = Browser::signed_in(&app).await;
    let events = analyst.get("/dashboard/events").await.text().await.unwrap();
    assert!(!events.contains("/dashboard/audit-log"));
    assert_eq!(analyst.get("/dashboard/audit-log").await.status(), 403);
    app.get("/api/v1/exports/responses.csv?form=seminar", Some(&app.analyst))
        .await;

    let admin = Browser::signed_in_as(&app, &app.admin).await;
    let page = admin.get("/dashboard/audit-log").await.text().await.unwrap();
    assert!(
        page.contains(r#"href="/dashboard/audit-log""#),
        "the menu links it for administrators"
    );
    assert!(page.contains("GET /api/v1/exports/responses.csv") && page.contains("form=seminar"));
    assert!(page.contains("POST /dashboard/login"));
    let filtered = admin
        .get("/dashboard/audit-log?action=responses.csv&from=2020-01-01")
        .await
        .text()
        .await
        .unwrap();
    assert!(filtered.contains("responses.csv") && !filtered.contains("POST /dashboard/login"));
    let bad = admin.get("/dashboard/audit-log?from=yesterday").await;
    assert_eq!(bad.status(), 422);
    let bad = bad.text().await.unwrap();
    assert!(bad.contains("2026-04-01 のように") && bad.contains(r#"value="yesterday""#));
}

/// Administrators make tokens in the dashboard (shown once, never cached, stored hashed, usable
/// at once) and revoke them after a confirmation; a bad name is shown beside its field with what
/// was typed; analysts see neither the page nor its link.
#[tokio::test]
async fn administrators_make_and_revoke_tokens_in_the_dashboard() {
    let app = TestApp::spawn().await;
    let analyst = Browser::signed_in(&app).await;
    assert!(!analyst
        .get("/dashboard/events")
        .await
        .text()
        .await
        .unwrap()
        .contains("/dashboard/tokens"));
    assert_eq!(analyst.get("/dashboard/tokens").await.status(), 403);
    let csrf = analyst.csrf().await;
    let refused = analyst
        .post(
            "/dashboard/tokens",
            &[("csrf", &csrf), ("name", "x"), ("role", "admin")],
        )
        .await;
    assert_eq!(refused.status(), 403, "an analyst cannot make an admin token");

    let admin = Browser::signed_in_as(&app, &app.admin).await;
    let page = admin.get("/dashboard/tokens").await.text().await.unwrap();
    assert!(page.contains(r#"href="/dashboard/tokens""#) && page.contains("分析担当者") && page.contains("研究者"));
    let csrf = hidden_csrf(&page);

    let blank = admin
        .post(
            "/dashboard/tokens",
            &[("csrf", &csrf), ("name", "  "), ("role", "researcher")],
        )
        .await;
    assert_eq!(blank.status(), 422);
    let blank = blank.text().await.unwrap();
    assert!(blank.contains("名前を入力してください") && blank.contains(r#"aria-invalid="true""#));
    assert!(
        blank.contains(r#"<option value="researcher" selected>"#),
        "the role is kept"
    );
    let long = "長".repeat(101);
    let too_long = admin
        .post(
            "/dashboard/tokens",
            &[("csrf", &csrf), ("name", &long), ("role", "researcher")],
        )
        .await;
    assert_eq!(too_long.status(), 422);
    assert!(too_long.text().await.unwrap().contains(&long), "what was typed is kept");
    let forged = admin
        .post(
            "/dashboard/tokens",
            &[("csrf", "forged"), ("name", "x"), ("role", "admin")],
        )
        .await;
    assert_eq!(forged.status(), 403);

    let made = admin
        .post(
            "/dashboard/tokens",
            &[("csrf", &csrf), ("name", "〇〇大学 研究班"), ("role", "researcher")],
        )
        .await;
    assert_eq!(made.status(), 201);
    assert_eq!(made.headers()["cache-control"], "no-store");
    let made = made.text().await.unwrap();
    let start = made
        .find(r#"id="issued-token" type="text" readonly value=""#)
        .expect("the token is shown")
        + r#"id="issued-token" type="text" readonly value=""#.len();
    let token = made[start..].split('"').next().unwrap().to_owned();
    assert!(made.contains("今だけ"));
    let fetched = app
        .get("/api/v1/exports/aggregate.json?form=seminar", Some(&token))
        .await;
    assert_eq!(fetched.status(), 200, "the new researcher token works at once");
    assert_eq!(
        app.get("/api/v1/events", Some(&token)).await.status(),
        403,
        "with a researcher's rights only"
    );
    let listed = admin.get("/dashboard/tokens").await.text().await.unwrap();
    assert!(
        listed.contains("〇〇大学 研究班") && !listed.contains(&token),
        "listed, never shown again"
    );

    let id = listed
        .split("/dashboard/tokens/")
        .filter_map(|rest| rest.split_once("/revoke\" aria-label=\"〇〇大学 研究班"))
        .map(|(id, _)| id.to_owned())
        .next()
        .expect("a revoke link for the new token");
    let confirm = admin.get(&format!("/dashboard/tokens/{id}/revoke")).await;
    assert_eq!(confirm.status(), 200);
    assert!(confirm.text().await.unwrap().contains("失効させますか"));
    assert_eq!(admin.get("/dashboard/tokens/not-an-id/revoke").await.status(), 404);
    let revoked = admin
        .post(&format!("/dashboard/tokens/{id}/revoke"), &[("csrf", &csrf)])
        .await;
    assert_eq!(revoked.status(), 303);
    let after = admin
        .get(revoked.headers()[LOCATION].to_str().unwrap())
        .await
        .text()
        .await
        .unwrap();
    assert!(after.contains("〇〇大学 研究班 のトークンを失効させました") && after.contains("失効（"));
    let fetched = app
        .get("/api/v1/exports/aggregate.json?form=seminar", Some(&token))
        .await;
    assert_eq!(fetched.status(), 401, "a revoked token is refused");
    assert_eq!(
        admin
            .post(&format!("/dashboard/tokens/{id}/revoke"), &[("csrf", &csrf)])
            .await
            .status(),
        404,
        "revoked once"
    );
    let log = admin
        .get("/dashboard/audit-log?action=tokens")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        log.contains("POST /dashboard/tokens/{id}/revoke") && log.contains(&id),
        "{log}"
    );
}

/// Staff edit an event's details, speakers and costs from the dashboard (the same validation as
/// the API: problems beside their field, what was typed kept), cancel it with a reason and undo
/// that, and delete one nobody answered after a confirmation; one with answers is only cancelled.
#[tokio::test]
async fn staff_edit_cancel_and_delete_events_in_the_dashboard() {
    let app = TestApp::spawn().await;
    let event = app
        .create_event(
            json!({"kind": "forum", "title": "市民フォーラム", "held_on": "2026-11-14",
            "speakers": [{"type": "expert", "name": "佐藤"}], "costs": {"venue": 20000}}),
        )
        .await;
    let id = event["id"].as_str().unwrap();
    let browser = Browser::signed_in(&app).await;
    let page = browser.get(&format!("/dashboard/events/{id}")).await;
    assert_eq!(page.status(), 200);
    let page = page.text().await.unwrap();
    assert!(
        page.contains(r#"value="市民フォーラム""#)
            && page.contains(r#"value="佐藤""#)
            && page.contains(r#"value="20000""#)
    );
    assert!(page.contains("このイベントを削除する"), "nobody answered yet");
    let csrf = hidden_csrf(&page);
    let path = format!("/dashboard/events/{id}/edit");
    let (browser_ref, path_ref) = (&browser, path.as_str());
    let edit = |fields: Vec<(&'static str, String)>| {
        let mut form: Vec<(String, String)> = vec![
            ("csrf".into(), csrf.clone()),
            ("title".into(), "依存症を考える市民フォーラム".into()),
            ("held_on".into(), "2026-11-15".into()),
            ("speaker_name_0".into(), "松本 先生".into()),
            ("speaker_type_0".into(), "leading_expert".into()),
            ("cost_honorarium".into(), "５０,０００円".into()),
            ("headcount".into(), "１２０".into()),
        ];
        for (name, value) in fields {
            form.retain(|(existing, _)| existing != name);
            form.push((name.into(), value));
        }
        async move {
            let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            browser_ref.post(path_ref, &pairs).await
        }
    };

    let no_type = edit(vec![("speaker_name_1", "当事者の方".into())]).await;
    assert_eq!(no_type.status(), 422);
    let no_type = no_type.text().await.unwrap();
    assert!(
        no_type.contains("種別を選んでください") && no_type.contains(r#"value="当事者の方""#),
        "{no_type}"
    );
    assert!(no_type.contains(r#"value="５０,０００円""#), "what was typed is kept");
    let no_title = edit(vec![("title", "  ".into())]).await;
    assert_eq!(no_title.status(), 422);
    assert!(no_title.text().await.unwrap().contains("タイトルを入力してください"));
    let bad_cost = edit(vec![("cost_travel", "たくさん".into())]).await;
    assert_eq!(bad_cost.status(), 422);
    assert!(bad_cost.text().await.unwrap().contains("費用は 0 以上の整数"));
    let forged = browser.post(&path, &[("csrf", "forged"), ("title", "x")]).await;
    assert_eq!(forged.status(), 403);
    let unchanged: Value = app
        .get(&format!("/api/v1/events/{id}"), Some(&app.analyst))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(unchanged["title"], "市民フォーラム", "nothing was written");

    let saved = edit(vec![]).await;
    assert_eq!(saved.status(), 303);
    let stored: Value = app
        .get(&format!("/api/v1/events/{id}"), Some(&app.analyst))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(stored["title"], "依存症を考える市民フォーラム");
    assert_eq!(stored["held_on"], "2026-11-15");
    assert_eq!(stored["headcount"], 120);
    assert_eq!(
        stored["speakers"],
        json!([{"type": "leading_expert", "name": "松本 先生"}])
    );
    assert_eq!(
        stored["costs"],
        json!({"honorarium": 50000}),
        "an emptied cost is cleared"
    );
    assert_eq!(stored["venue"], Value::Null);

    let cancel_path = format!("/dashboard/events/{id}/cancel");
    let no_reason = browser
        .post(&cancel_path, &[("csrf", &csrf), ("cancellation_reason", " ")])
        .await;
    assert_eq!(no_reason.status(), 422);
    assert!(no_reason.text().await.unwrap().contains("中止の理由を入力してください"));
    let cancelled = browser
        .post(
            &cancel_path,
            &[("csrf", &csrf), ("cancellation_reason", "台風接近のため")],
        )
        .await;
    assert_eq!(cancelled.status(), 303);
    let list = browser
        .get(cancelled.headers()[LOCATION].to_str().unwrap())
        .await
        .text()
        .await
        .unwrap();
    assert!(list.contains("イベントを中止にしました") && list.contains("理由：台風接近のため"));
    let stored: Value = app
        .get(&format!("/api/v1/events/{id}"), Some(&app.analyst))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (stored["cancelled"].as_bool(), stored["cancellation_reason"].as_str()),
        (Some(true), Some("台風接近のため"))
    );
    let reinstated = browser
        .post(&format!("/dashboard/events/{id}/reinstate"), &[("csrf", &csrf)])
        .await;
    assert_eq!(reinstated.status(), 303);
    let stored: Value = app
        .get(&format!("/api/v1/events/{id}"), Some(&app.analyst))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (stored["cancelled"].as_bool(), &stored["cancellation_reason"]),
        (Some(false), &Value::Null)
    );

    let answered = app.seminar().await;
    let answered_id = answered["id"].as_str().unwrap();
    app.submit(
        answered_id,
        uuid::Uuid::new_v4(),
        crate::common::valid_seminar_answers(),
    )
    .await;
    let page = browser
        .get(&format!("/dashboard/events/{answered_id}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        !page.contains("このイベントを削除する"),
        "answered events are not offered for deletion"
    );
    let refused = browser
        .post(&format!("/dashboard/events/{answered_id}/delete"), &[("csrf", &csrf)])
        .await;
    assert_eq!(refused.status(), 409);
    assert!(refused.text().await.unwrap().contains("回答があるため削除できません"));

    let confirm = browser.get(&format!("/dashboard/events/{id}/delete")).await;
    assert_eq!(confirm.status(), 200);
    assert!(confirm.text().await.unwrap().contains("削除しますか"));
    let deleted = browser
        .post(&format!("/dashboard/events/{id}/delete"), &[("csrf", &csrf)])
        .await;
    assert_eq!(deleted.status(), 303);
    assert_eq!(
        app.get(&format!("/api/v1/events/{id}"), Some(&app.analyst))
            .await
            .status(),
        404
    );
    assert_eq!(
        browser.get(&format!("/dashboard/events/{id}")).await.status(),
        303,
        "a gone event leads back to the list"
    );
}

/// Staff create, edit and delete indicator plans from the dashboard (the API's validation, each
/// problem in words beside the form, what was typed kept), download the indicator CSV signed in,
/// and write a year's considerations with a preview that shows lists as lists.
#[tokio::test]
async fn staff_keep_indicator_plans_and_considerations_in_the_dashboard() {
    let app = TestApp::spawn().await;
    let browser = Browser::signed_in(&app).await;
    let empty = browser.get("/dashboard/indicators").await.text().await.unwrap();
    assert!(empty.contains(r#"href="/dashboard/indicator-plans/new""#) && !empty.contains("PUT /api"));
    let form = browser.get("/dashboard/indicator-plans/new").await;
    assert_eq!(form.status(), 200);
    let csrf = hidden_csrf(&form.text().await.unwrap());
    let plan = |extra: &[(&'static str, &'static str)]| {
        let mut fields = vec![
            ("csrf", csrf.as_str()),
            ("slug", "seminar-attendance"),
            ("title_ja", "回復セミナーへの参加"),
            ("title_en", "Attendance at recovery seminars"),
            ("kind_seminar", "on"),
            ("assumed_population", "２７０"),
            ("target_year_0", "2019"),
            ("target_value_0", "120"),
            ("target_year_1", "2020"),
            ("target_value_1", "1,000"),
            ("target_year_2", ""),
            ("target_value_2", ""),
            ("indicator_reason", "参加が回復の支えになるため"),
            ("method_publicity", "- 広報の記録を集計する\n- 媒体ごとに比べる"),
        ];
        for (name, value) in extra {
            fields.retain(|(existing, _)| existing != name);
            fields.push((name, value));
        }
        fields
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect::<Vec<_>>()
    };
    let post = |path: &'static str, fields: Vec<(String, String)>| {
        let browser = &browser;
        async move {
            let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            browser.post(path, &pairs).await
        }
    };

    let no_kind = post("/dashboard/indicator-plans", plan(&[("kind_seminar", "")])).await;
    assert_eq!(no_kind.status(), 422);
    let no_kind = no_kind.text().await.unwrap();
    assert!(no_kind.contains("種別を一つ以上選んでください") && no_kind.contains(r#"value="回復セミナーへの参加""#));
    let bad_target = post("/dashboard/indicator-plans", plan(&[("target_value_1", "多め")])).await;
    assert_eq!(bad_target.status(), 422);
    let bad_target = bad_target.text().await.unwrap();
    assert!(bad_target.contains("目標は、年度を選んだ行ごとに") && bad_target.contains(r#"value="多め""#));
    let no_year = post(
        "/dashboard/indicator-plans",
        plan(&[("target_year_2", ""), ("target_value_2", "5")]),
    )
    .await;
    assert_eq!(no_year.status(), 422, "a target without its year");
    assert_eq!(
        app.get("/api/v1/indicator-plans", Some(&app.analyst))
            .await
            .json::<Value>()
            .await
            .unwrap()["plans"],
        json!([])
    );

    let created = post("/dashboard/indicator-plans", plan(&[])).await;
    assert_eq!(created.status(), 303);
    let stored: Value = app
        .get("/api/v1/indicator-plans/seminar-attendance", Some(&app.analyst))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(stored["assumed_population"], 270);
    assert_eq!(stored["targets"], json!({"2019": 120, "2020": 1000}));
    assert_eq!(stored["event_kinds"], json!(["seminar"]));
    assert_eq!(
        stored["method"],
        json!({"publicity": "- 広報の記録を集計する\n- 媒体ごとに比べる"})
    );
    let taken = post("/dashboard/indicator-plans", plan(&[("title_ja", "別の計画")])).await;
    assert_eq!(taken.status(), 422);
    assert!(taken.text().await.unwrap().contains("その識別子の計画はすでにあります"));

    let edit = browser
        .get("/dashboard/indicator-plans/seminar-attendance")
        .await
        .text()
        .await
        .unwrap();
    assert!(edit.contains(r#"value="270""#) && edit.contains("参加が回復の支えになるため"));
    assert!(
        edit.contains(r#"<option value="2020" selected>"#),
        "targets are shown by year"
    );
    let edited = post(
        "/dashboard/indicator-plans/seminar-attendance",
        plan(&[("kind_forum", "on"), ("target_value_0", "150")]),
    )
    .await;
    assert_eq!(edited.status(), 303);
    let stored: Value = app
        .get("/api/v1/indicator-plans/seminar-attendance", Some(&app.analyst))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (stored["event_kinds"].clone(), stored["targets"]["2019"].clone()),
        (json!(["seminar", "forum"]), json!(150))
    );

    let page = browser
        .get("/dashboard/indicators?saved=plan")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("指標の計画を保存しました")
            && page.contains("/dashboard/indicator-plans/seminar-attendance/considerations/2019")
    );
    let csv = browser.get("/dashboard/indicators.csv").await;
    assert_eq!(csv.status(), 200, "signed in, the CSV downloads");
    assert!(csv.text().await.unwrap().contains("回復セミナーへの参加"));

    let path = "/dashboard/indicator-plans/seminar-attendance/considerations/2019";
    let text = "目標に届かなかった。\n\n- 周知が遅れた\n- <b>会場</b>が遠い";
    let preview = browser
        .post(path, &[("csrf", &csrf), ("text", text), ("action", "preview")])
        .await;
    assert_eq!(preview.status(), 200);
    let preview = preview.text().await.unwrap();
    assert!(
        preview.contains("<li>周知が遅れた</li>") && preview.contains("&lt;b&gt;会場&lt;/b&gt;"),
        "{preview}"
    );
    let not_saved = app
        .get(
            "/api/v1/indicator-plans/seminar-attendance/considerations/2019",
            Some(&app.analyst),
        )
        .await;
    assert_eq!(not_saved.status(), 404, "a preview saves nothing");
    let empty = browser
        .post(path, &[("csrf", &csrf), ("text", "  "), ("action", "save")])
        .await;
    assert_eq!(empty.status(), 422);
    let saved = browser
        .post(path, &[("csrf", &csrf), ("text", text), ("action", "save")])
        .await;
    assert_eq!(saved.status(), 303);
    let stored: Value = app
        .get(
            "/api/v1/indicator-plans/seminar-attendance/considerations/2019",
            Some(&app.analyst),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(stored["text"], text);

    let confirm = browser
        .get("/dashboard/indicator-plans/seminar-attendance/delete")
        .await;
    assert!(confirm.text().await.unwrap().contains("削除しますか"));
    let deleted = browser
        .post(
            "/dashboard/indicator-plans/seminar-attendance/delete",
            &[("csrf", &csrf)],
        )
        .await;
    assert_eq!(deleted.status(), 303);
    assert_eq!(
        app.get("/api/v1/indicator-plans/seminar-attendance", Some(&app.analyst))
            .await
            .status(),
        404
    );
}

/// Publicity is recorded and deleted (after a confirmation) on the event's page, through the
/// API's validation: an agency not on the list or a bad date is refused in words beside the form
/// with what was typed; amounts read 150,000円 and an unrecorded cost says so.
#[tokio::test]
async fn publicity_is_recorded_on_the_events_page() {
    let app = TestApp::spawn().await;
    assert_eq!(
        app.put_agency("hoken", &json!({"name": {"ja": "保健所"}, "kind": "municipal"}))
            .await
            .status(),
        201
    );
    let event = app.seminar().await;
    let id = event["id"].as_str().unwrap();
    let browser = Browser::signed_in(&app).await;
    let page = browser
        .get(&format!("/dashboard/events/{id}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("広報の記録") && page.contains(r#"<option value="hoken">保健所</option>"#));
    let csrf = hidden_csrf(&page);
    let path = format!("/dashboard/events/{id}/publicity");
    let record = |sent_on: &'static str, agency: &'static str, cost: &'static str| {
        let (browser, path, csrf) = (&browser, path.clone(), csrf.clone());
        async move {
            browser
                .post(
                    &path,
                    &[
                        ("csrf", csrf.as_str()),
                        ("channel", "agency_notice"),
                        ("agency", agency),
                        ("sent_on", sent_on),
                        ("quantity", "３０"),
                        ("cost", cost),
                        ("note", "チラシを同封"),
                    ],
                )
                .await
        }
    };
    let bad_date = record("来週", "hoken", "").await;
    assert_eq!(bad_date.status(), 422);
    let bad_date = bad_date.text().await.unwrap();
    assert!(bad_date.contains("送付日を YYYY-MM-DD") && bad_date.contains(r#"value="来週""#));
    let unknown = record("2026-05-01", "nowhere", "").await;
    assert_eq!(unknown.status(), 422);
    assert!(unknown.text().await.unwrap().contains("その機関は一覧にありません"));
    let listed: Value = app
        .get(&format!("/api/v1/events/{id}/publicity"), Some(&app.analyst))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(listed["publicity"], json!([]), "nothing stored");

    assert_eq!(record("2026-05-01", "hoken", "150,000").await.status(), 303);
    assert_eq!(record("2026-05-02", "", "").await.status(), 303);
    let listed: Value = app
        .get(&format!("/api/v1/events/{id}/publicity"), Some(&app.analyst))
        .await
        .json()
        .await
        .unwrap();
    let records = listed["publicity"].as_array().unwrap();
    assert_eq!(records.len(), 2);
    assert_eq!(
        (records[0]["cost"].clone(), records[0]["quantity"].clone()),
        (json!(150000), json!(30))
    );
    let page = browser
        .get(&format!("/dashboard/events/{id}?saved=publicity"))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("広報の記録を追加しました") && page.contains("150,000円") && page.contains("未記録"));

    let record_id = records[1]["id"].as_str().unwrap();
    let delete_path = format!("/dashboard/events/{id}/publicity/{record_id}/delete");
    assert!(browser
        .get(&delete_path)
        .await
        .text()
        .await
        .unwrap()
        .contains("削除しますか"));
    assert_eq!(browser.post(&delete_path, &[("csrf", "forged")]).await.status(), 403);
    assert_eq!(browser.post(&delete_path, &[("csrf", &csrf)]).await.status(), 303);
    let listed: Value = app
        .get(&format!("/api/v1/events/{id}/publicity"), Some(&app.analyst))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(listed["publicity"].as_array().unwrap().len(), 1);
}

/// After the demo (three past years), the events page opens on the latest year with events and
/// the report's picker on the years that have them, not on an empty current year.
#[tokio::test]
async fn pages_open_on_the_years_that_have_events() {
    let app = TestApp::spawn().await;
    tsunagari::services::demo::load(&mut app.database.connect(), false).unwrap();
    let browser = Browser::signed_in(&app).await;
    let events = browser.get("/dashboard/events").await.text().await.unwrap();
    assert!(
        events.contains("<caption>R2年度（2020年4月〜2021年3月）のイベント"),
        "{events}"
    );
    let indicators = browser.get("/dashboard/indicators").await.text().await.unwrap();
    let picked = |id: &str| {
        let select = &indicators[indicators.find(&format!(r#"id="{id}""#)).unwrap()..];
        let select = &select[..select.find("</select>").unwrap()];
        select
            .split(r#"<option value=""#)
            .find(|o| o.contains("selected"))
            .map(|o| o[..4].to_owned())
    };
    assert_eq!(picked("report-from").as_deref(), Some("2018"));
    assert_eq!(picked("report-to").as_deref(), Some("2020"));
    let asked = browser
        .get("/dashboard/events?fiscal_year=2019")
        .await
        .text()
        .await
        .unwrap();
    assert!(asked.contains("<caption>R1年度"), "a year asked for is kept");
}

/// Waves of the agency survey are opened from the dashboard (the API's validation, refusals in
/// words with what was typed), listed with their answers so far, closed early, and come with a
/// printable letter holding the link and its QR code.
#[tokio::test]
async fn waves_of_the_agency_survey_are_run_from_the_dashboard() {
    let app = TestApp::spawn().await;
    let browser = Browser::signed_in(&app).await;
    let page = browser.get("/dashboard/waves").await.text().await.unwrap();
    assert!(page.contains(r#"href="/dashboard/waves""#) && page.contains("まだ調査の回がありません"));
    let csrf = hidden_csrf(&page);
    let wave = |opens_on: &'static str, closes_on: &'static str| {
        let (browser, csrf) = (&browser, csrf.clone());
        async move {
            browser
                .post(
                    "/dashboard/waves",
                    &[
                        ("csrf", csrf.as_str()),
                        ("form", "agency_survey"),
                        ("title", "第2回 関係機関調査"),
                        ("fiscal_year", "2026"),
                        ("opens_on", opens_on),
                        ("closes_on", closes_on),
                    ],
                )
                .await
        }
    };
    let backwards = wave("2026-06-01", "2026-05-01").await;
    assert_eq!(backwards.status(), 422);
    let backwards = backwards.text().await.unwrap();
    assert!(backwards.contains("締切日は") && backwards.contains(r#"value="2026-05-01""#));
    let other_year = wave("2025-06-01", "2025-07-01").await;
    assert_eq!(other_year.status(), 422);
    let listed: Value = app
        .get("/api/v1/survey-waves", Some(&app.analyst))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(listed["waves"], json!([]));

    let created = wave("2026-06-01", "2099-03-31").await;
    assert_eq!(created.status(), 303);
    let listed: Value = app
        .get("/api/v1/survey-waves", Some(&app.analyst))
        .await
        .json()
        .await
        .unwrap();
    let id = listed["waves"][0]["id"].as_str().unwrap().to_owned();
    assert_eq!(listed["waves"][0]["is_open"], true);
    let page = browser
        .get("/dashboard/waves?saved=created")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("第2回 関係機関調査")
            && page.contains("受付中")
            && page.contains(listed["waves"][0]["survey_url"].as_str().unwrap())
    );
    let letter = browser
        .get(&format!("/dashboard/waves/{id}/letter"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        letter.contains("<svg") && letter.contains("回答期限 2099年3月31日"),
        "{letter}"
    );
    assert_eq!(
        browser
            .post_confirmed(&format!("/dashboard/waves/{id}/close"), &csrf)
            .await
            .status(),
        303
    );
    let listed: Value = app
        .get("/api/v1/survey-waves", Some(&app.analyst))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(listed["waves"][0]["is_open"], false, "closed early");
    let page = browser.get("/dashboard/waves").await.text().await.unwrap();
    assert!(page.contains("締切") && !page.contains("今すぐ締め切る"));
    let closed_on = listed["waves"][0]["closes_on"].clone();
    assert_eq!(
        browser
            .post(&format!("/dashboard/waves/{id}/close"), &[("csrf", &csrf)])
            .await
            .status(),
        303
    );
    let again: Value = app
        .get("/api/v1/survey-waves", Some(&app.analyst))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        again["waves"][0]["closes_on"], closed_on,
        "closing a closed wave keeps its day"
    );
}

/// Codebooks are created and edited from the dashboard: each save a new version, the page says
/// what changed since the one before, problems are said in words with what was typed kept.
#[tokio::test]
async fn codebooks_are_kept_from_the_dashboard_as_versions() {
    let app = TestApp::spawn().await;
    let browser = Browser::signed_in(&app).await;
    let stored_codebook = || async {
        let stored: Value = app
            .get("/api/v1/codebooks/seminar-2026", Some(&app.analyst))
            .await
            .json()
            .await
            .unwrap();
        stored
    };
    let list = browser.get("/dashboard/codebooks").await.text().await.unwrap();
    assert!(list.contains("starter"), "the shipped codebook is listed");
    let csrf = hidden_csrf(&list);
    let base: Vec<(&str, &str)> = vec![
        ("csrf", &csrf),
        ("slug", "seminar-2026"),
        ("title_ja", "セミナーの意見"),
        ("theme_label_ja_0", "マスクで聞こえにくい"),
        ("theme_keywords_0", "マスク、聞こえ, 声"),
        ("theme_label_ja_1", "会場が遠い"),
        ("theme_id_1", "venue"),
        ("theme_label_ja_2", ""),
    ];
    let bad_id: Vec<(&str, &str)> = base
        .iter()
        .copied()
        .map(|(k, v)| if k == "theme_id_1" { (k, "会場") } else { (k, v) })
        .collect();
    let refused = browser.post("/dashboard/codebooks", &bad_id).await;
    assert_eq!(refused.status(), 422);
    let refused = refused.text().await.unwrap();
    assert!(refused.contains("テーマを確かめてください") && refused.contains(r#"value="マスクで聞こえにくい""#));
    let created = browser.post("/dashboard/codebooks", &base).await;
    assert_eq!(created.status(), 303);
    let stored = stored_codebook().await;
    assert_eq!(stored["version"], 1);
    assert_eq!(stored["themes"][0]["keywords"], json!(["マスク", "聞こえ", "声"]));
    assert_eq!(
        stored["themes"][0]["label"]["en"], "マスクで聞こえにくい",
        "an empty English label takes the Japanese"
    );
    assert_eq!(stored["themes"][1]["id"], "venue");
    let taken = browser.post("/dashboard/codebooks", &base).await;
    assert_eq!(taken.status(), 422);
    assert!(taken.text().await.unwrap().contains("すでにあります"));

    let edit = browser
        .get("/dashboard/codebooks/seminar-2026")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        edit.contains("第1版") && edit.contains(r#"value="マスク、聞こえ、声""#) && !edit.contains("前の版からの変更")
    );
    let id0 = stored["themes"][0]["id"].as_str().unwrap();
    let saved = browser
        .post(
            "/dashboard/codebooks/seminar-2026",
            &[
                ("csrf", &csrf),
                ("title_ja", "セミナーの意見"),
                ("theme_id_0", id0),
                ("theme_label_ja_0", "マスクで聞こえにくい"),
                ("theme_keywords_0", "マスク、聞こえ、声、マイク"),
                ("theme_label_ja_1", "時間が合わない"),
                ("theme_id_1", ""),
            ],
        )
        .await;
    assert_eq!(saved.status(), 303);
    let stored = stored_codebook().await;
    assert_eq!(stored["version"], 2);
    let edit = browser
        .get("/dashboard/codebooks/seminar-2026")
        .await
        .text()
        .await
        .unwrap();
    assert!(edit.contains("第2版") && edit.contains("前の版からの変更"));
    for change in ["マイク を追加", "「時間が合わない」を追加", "「会場が遠い」を削除"] {
        assert!(edit.contains(change), "{change} in {edit}");
    }

    // A theme removed keeps its id to itself: a new one made up in its row gets a fresh id, or
    // the old theme's codings would read as the new one's.
    let theme_2 = stored["themes"][1]["id"].as_str().unwrap().to_owned();
    let saved = browser
        .post(
            "/dashboard/codebooks/seminar-2026",
            &[
                ("csrf", &csrf),
                ("title_ja", "セミナーの意見"),
                ("theme_label_ja_0", "駐車場がない"),
                ("theme_id_0", ""),
                ("theme_label_ja_1", "時間が合わない"),
                ("theme_id_1", &theme_2),
            ],
        )
        .await;
    assert_eq!(saved.status(), 303);
    let stored = stored_codebook().await;
    let new_id = stored["themes"][0]["id"].as_str().unwrap();
    assert!(![id0, "venue", theme_2.as_str()].contains(&new_id), "{new_id}");
}

/// A release document without the moment it was made, to compare two of them.
fn without_time(mut doc: Value) -> Value {
    doc["generated_at"] = Value::Null;
    doc
}

/// A seminar held and closed in 2019, with a signed-in browser and the event's editor page.
async fn past_seminar_in_the_editor(app: &TestApp) -> (String, Browser<'_>, String) {
    let past = app
        .create_event(json!({"kind": "seminar", "title": "回復セミナー", "held_on": "2019-06-13", "closes_at": "2019-06-30T00:00:00Z"}))
        .await;
    let id = past["id"].as_str().unwrap().to_owned();
    let browser = Browser::signed_in(app).await;
    let editor = browser
        .get(&format!("/dashboard/events/{id}"))
        .await
        .text()
        .await
        .unwrap();
    (id, browser, editor)
}

/// Paper questionnaires are keyed in from the dashboard one after another, on the event's own
/// form: for a closed past event too, kept as `paper`, a mistake shown with the sheet's answers
/// kept, nothing for a cancelled event.
#[tokio::test]
async fn paper_questionnaires_are_keyed_in_from_the_dashboard() {
    let app = TestApp::spawn().await;
    let (id, browser, editor) = past_seminar_in_the_editor(&app).await;
    let id = id.as_str();
    assert!(editor.contains(&format!(r#"href="/dashboard/events/{id}/paper""#)));
    let page = browser.get(&format!("/dashboard/events/{id}/paper")).await;
    assert_eq!(page.status(), 200);
    let page = page.text().await.unwrap();
    assert!(
        page.contains("紙のアンケートの入力")
            && page.contains(r#"name="q.satisfaction""#)
            && !page.contains("survey.js")
    );
    let csrf = hidden_csrf(&page);
    let sheet = |satisfaction: &'static str| {
        let submission = uuid::Uuid::new_v4().to_string();
        let (browser, csrf) = (&browser, csrf.clone());
        async move {
            browser
                .post(
                    &format!("/dashboard/events/{id}/paper"),
                    &[
                        ("csrf", csrf.as_str()),
                        ("submission_id", submission.as_str()),
                        ("q.satisfaction", satisfaction),
                        ("q.gender", "male"),
                        ("q.opinion", "紙で答えました"),
                    ],
                )
                .await
        }
    };
    let wrong = sheet("9").await;
    assert_eq!(wrong.status(), 422);
    let wrong = wrong.text().await.unwrap();
    assert!(wrong.contains("紙で答えました"), "the sheet's answers are kept");
    for _ in 0..3 {
        let saved = sheet("4").await;
        assert_eq!(saved.status(), 303);
        assert_eq!(
            saved.headers()[LOCATION],
            format!("/dashboard/events/{id}/paper?saved=1")
        );
    }
    let next = browser
        .get(&format!("/dashboard/events/{id}/paper?saved=1"))
        .await
        .text()
        .await
        .unwrap();
    assert!(next.contains("この回の回答は 3 件"), "{next}");
    assert_eq!(app.stored_responses(id), 3);
    let forged = browser
        .post(
            &format!("/dashboard/events/{id}/paper"),
            &[("csrf", "forged"), ("q.satisfaction", "4")],
        )
        .await;
    assert_eq!(forged.status(), 403);
    assert_eq!(app.stored_responses(id), 3);

    app.patch_event(id, json!({"cancelled": true})).await;
    assert_eq!(
        browser.get(&format!("/dashboard/events/{id}/paper")).await.status(),
        410
    );
    assert_eq!(sheet("4").await.status(), 410);
    assert_eq!(app.stored_responses(id), 3);
}

/// Many paper questionnaires at once from the event's page: the template downloads with the
/// session, a filled one is imported (the page says how many), a second import stores nothing
/// new, and a sheet with a mistake is shown back with the cell and nothing stored.
#[tokio::test]
async fn a_filled_paper_template_is_imported_from_the_event_page() {
    let app = TestApp::spawn().await;
    let (id, browser, editor) = past_seminar_in_the_editor(&app).await;
    let id = id.as_str();
    assert!(editor.contains(&format!(r#"href="/dashboard/events/{id}/paper/template.xlsx""#)));
    assert!(editor.contains(&format!(r#"action="/dashboard/events/{id}/paper/import""#)));
    let template = browser
        .get(&format!("/dashboard/events/{id}/paper/template.xlsx"))
        .await;
    assert_eq!(template.status(), 200);
    assert!(template.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .contains(".xlsx"));
    let template = template.bytes().await.unwrap().to_vec();
    let row = |number: &'static str, satisfaction: &'static str| {
        vec![
            ("number", number),
            ("satisfaction", satisfaction),
            ("relation", "ご家族"),
        ]
    };
    let import = |bytes: Vec<u8>, csrf: String| {
        let part = reqwest::multipart::Part::bytes(bytes).file_name("paper.xlsx");
        let form = reqwest::multipart::Form::new()
            .text("csrf", csrf)
            .part("workbook", part);
        app.client
            .post(app.url(&format!("/dashboard/events/{id}/paper/import")))
            .header(COOKIE, &browser.cookie)
            .multipart(form)
            .send()
    };
    let good = crate::common::fill_paper_template(&template, &[row("1", "4"), row("2", "5"), row("3", "3")]);
    let imported = import(good.clone(), browser.csrf().await).await.unwrap();
    assert_eq!(imported.status(), 303);
    let location = imported.headers()[LOCATION].to_str().unwrap().to_owned();
    let page = browser.get(&location).await.text().await.unwrap();
    assert!(page.contains("紙のアンケート 3 件を取り込みました"), "{page}");
    let again = import(good, browser.csrf().await).await.unwrap();
    let location = again.headers()[LOCATION].to_str().unwrap().to_owned();
    let page = browser.get(&location).await.text().await.unwrap();
    assert!(page.contains("3 件は取り込み済み"), "{page}");
    assert_eq!(app.stored_responses(id), 3);
    let breakdown = browser
        .get("/dashboard/breakdown?form=seminar&question=satisfaction&by=relation&answered_via=paper")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        breakdown.contains(r#"<option value="paper" selected>紙</option>"#),
        "{breakdown}"
    );
    assert!(
        breakdown.contains("answered_via=paper"),
        "the downloads keep the choice"
    );
    let unknown = browser
        .get("/dashboard/breakdown?form=seminar&question=satisfaction&by=relation&answered_via=fax")
        .await
        .text()
        .await
        .unwrap();
    assert!(unknown.contains("回答の方法は一覧から選んでください"));

    let wrong = crate::common::fill_paper_template(&template, &[row("4", "4"), row("5", "9")]);
    let refused = import(wrong.clone(), browser.csrf().await).await.unwrap();
    assert_eq!(refused.status(), 422);
    let page = refused.text().await.unwrap();
    let cell = tsunagari::spreadsheet::cell_address(crate::common::paper_column(&template, "satisfaction") as u32, 4);
    assert!(page.contains(&format!("<code>{cell}</code>")), "{page}");
    assert!(page.contains("1件も保存していません"));
    assert_eq!(app.stored_responses(id), 3);
    assert_eq!(import(wrong, "forged".into()).await.unwrap().status(), 403);
    assert_eq!(app.stored_responses(id), 3);
}

/// A dashboard query that fails is a 500 saying so, not a 503 telling staff to wait.
#[tokio::test]
async fn a_failing_query_in_the_dashboard_is_not_called_unavailable() {
    use diesel::RunQueryDsl;
    let app = TestApp::spawn().await;
    let browser = Browser::signed_in(&app).await;
    diesel::sql_query("ALTER TABLE events RENAME COLUMN title TO title_renamed")
        .execute(&mut app.database.connect())
        .unwrap();
    let page = browser.get("/dashboard/events").await;
    assert_eq!(page.status(), 500);
    assert!(page.headers().get("retry-after").is_none());
    assert!(page.text().await.unwrap().contains("管理者に連絡"));
}

/// Researchers sign in with their token to a place of their own: the partitions the protected
/// release holds (never one below the threshold), each downloadable as the very JSON their token
/// fetches, a codebook of the variables and a guide; staff pages send them back there.
#[tokio::test]
async fn researchers_sign_in_to_the_release_and_its_codebook() {
    let app = TestApp::spawn().await;
    let settled = app
        .create_event(json!({"kind": "seminar", "title": "過去の回", "held_on": "2024-06-13"}))
        .await;
    for _ in 0..6 {
        let answers = json!({"relation": "family", "satisfaction": 5});
        app.submit(settled["id"].as_str().unwrap(), uuid::Uuid::new_v4(), answers)
            .await;
    }
    // A forum of two people: no release holds it, so the page must not say it exists.
    let small = app
        .create_event(json!({"kind": "forum", "title": "小さな回", "held_on": "2024-07-13"}))
        .await;
    for _ in 0..2 {
        let answers = json!({"satisfaction": 3});
        app.submit(small["id"].as_str().unwrap(), uuid::Uuid::new_v4(), answers)
            .await;
    }
    let signed = Browser::sign_in(&app, &app.researcher).await;
    assert_eq!(signed.status(), 303);
    assert_eq!(signed.headers()[LOCATION], "/research");
    let browser = Browser::signed_in_as(&app, &app.researcher).await;
    let page = browser.get("/research").await;
    assert_eq!(page.status(), 200);
    let page = page.text().await.unwrap();
    assert!(
        page.contains("R6年度（2024）") && page.contains("回復セミナー"),
        "{page}"
    );
    assert!(
        !page.contains("フォーラム"),
        "a partition below the threshold is not listed: {page}"
    );
    assert!(
        page.contains(r#"<td class="number">6</td>"#),
        "the partition's size, as its release gives it: {page}"
    );
    assert!(page.contains("/research/codebook/seminar"));
    let link = "/research/downloads/seminar/aggregate.json?fiscal_year=2024&amp;kind=seminar";
    assert!(page.contains(link), "{page}");

    let downloaded = browser
        .get("/research/downloads/seminar/aggregate.json?fiscal_year=2024&kind=seminar")
        .await;
    assert_eq!(downloaded.status(), 200);
    assert!(downloaded.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .contains("seminar-2024-aggregate.json"));
    let downloaded: Value = downloaded.json().await.unwrap();
    let fetched: Value = app
        .get(
            "/api/v1/exports/aggregate.json?form=seminar&fiscal_year=2024&kind=seminar",
            Some(&app.researcher),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(downloaded["responses"], 6);
    assert_eq!(without_time(downloaded.clone()), without_time(fetched));

    // The CSV holds the JSON's figures, each at its place, a withheld one marked, nothing more.
    let csv = browser
        .get("/research/downloads/seminar/aggregate.csv?fiscal_year=2024&kind=seminar")
        .await
        .text()
        .await
        .unwrap();
    let mut reader = csv::Reader::from_reader(csv.trim_start_matches('\u{feff}').as_bytes());
    assert_eq!(
        reader.headers().unwrap().iter().collect::<Vec<_>>(),
        [
            "question",
            "question_label",
            "attribute",
            "group",
            "group_label",
            "group_n",
            "option",
            "option_label",
            "count"
        ]
    );
    let mut figures = 0;
    for row in reader.records() {
        let fields = row.unwrap();
        let question = downloaded["questions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|q| q["id"] == fields[0])
            .unwrap();
        let cell = if fields[2].is_empty() {
            question["total"].clone()
        } else {
            question["by"][&fields[2]]["groups"]
                .as_array()
                .unwrap()
                .iter()
                .find(|g| g["key"][&fields[2]].as_str().unwrap_or_default() == &fields[3])
                .unwrap()
                .clone()
        };
        let expected = match &cell["counts"][&fields[6]] {
            Value::Null => "withheld".to_owned(),
            figure => figure.to_string(),
        };
        assert_eq!(&fields[8], expected, "{fields:?}");
        figures += 1;
    }
    assert!(figures > 20, "{csv}");
    let workbook = browser
        .get("/research/downloads/seminar/aggregate.xlsx?fiscal_year=2024&kind=seminar")
        .await;
    assert_eq!(workbook.status(), 200);
    assert!(workbook.bytes().await.unwrap().starts_with(b"PK"));
    // Only what a researcher's token may ask: no narrower filter through the page either.
    let narrower = browser
        .get(&format!(
            "/research/downloads/seminar/aggregate.json?event={}",
            settled["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(narrower.status(), 404);

    let codebook = browser.get("/research/codebook/seminar").await.text().await.unwrap();
    assert!(
        codebook.contains("<code>satisfaction</code>") && codebook.contains("第1版"),
        "{codebook}"
    );
    assert!(codebook.contains("<code>family</code> = ご家族"), "{codebook}");
    let guide = browser.get("/research/guide").await.text().await.unwrap();
    assert!(guide.contains("5 人未満") && guide.contains("61 日"), "{guide}");
    assert!(guide.contains("test_rests_on"), "says what a test rests on");
    assert!(
        guide.contains("<code>kept</code>"),
        "says where a release states what it keeps"
    );
    assert!(
        guide.contains("<code>fiscal_years</code>"),
        "says why a pooled table shows less, and where the detail is"
    );
    assert!(
        guide.contains("セミナーの表は立場別だけ"),
        "says why seminars are tabulated by relation only"
    );

    let staff_page = browser.get("/dashboard/events").await;
    assert_eq!(staff_page.status(), 303);
    assert_eq!(staff_page.headers()[LOCATION], "/research");
    let signed_out = browser
        .post("/dashboard/logout", &[("csrf", &hidden_csrf(&page))])
        .await;
    assert_eq!(signed_out.status(), 303);
    assert_eq!(browser.get("/research").await.status(), 303, "signed out");
}

#[tokio::test]
async fn staff_write_the_programme_profile_and_download_the_results_report() {
    let app = TestApp::spawn().await;
    let browser = Browser::signed_in(&app).await;
    let page = browser.get("/dashboard/indicators").await.text().await.unwrap();
    assert!(
        page.contains(r#"href="/dashboard/programme""#),
        "found from the indicators page"
    );
    let page = browser.get("/dashboard/programme").await.text().await.unwrap();
    assert!(page.contains("<h1>成果報告書</h1>") && page.contains(r#"name="organisation""#));
    let csrf = hidden_csrf(&page);
    let too_long = "長".repeat(201);
    let refused = browser
        .post(
            "/dashboard/programme",
            &[
                ("csrf", &csrf),
                ("organisation", &too_long),
                ("purpose", "回復を地域で支える。"),
            ],
        )
        .await;
    assert_eq!(refused.status(), 422);
    let page = refused.text().await.unwrap();
    assert!(
        page.contains("200文字までの1行で入力してください。"),
        "beside the field, in Japanese"
    );
    assert!(page.contains("回復を地域で支える。"), "what was typed is kept");
    let profile: Value = app
        .get("/api/v1/programme", Some(&app.analyst))
        .await
        .json()
        .await
        .unwrap();
    assert!(profile["purpose"].is_null(), "a refused form writes nothing");

    let saved = browser
        .post(
            "/dashboard/programme",
            &[
                ("csrf", &csrf),
                ("organisation", "つながり市"),
                ("name", "地域支援事業"),
                ("purpose", "回復を地域で支える。"),
                ("deliverables", "啓発リーフレット\r\n\r\n支援者向け手引き"),
            ],
        )
        .await;
    assert_eq!(saved.headers()[LOCATION], "/dashboard/programme?saved=1");
    let profile: Value = app
        .get("/api/v1/programme", Some(&app.analyst))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(profile["deliverables"], json!(["啓発リーフレット", "支援者向け手引き"]));
    let page = browser.get("/dashboard/programme?saved=1").await.text().await.unwrap();
    assert!(page.contains("事業の概要を保存しました。") && page.contains("啓発リーフレット\n支援者向け手引き"));

    let report = browser
        .get("/dashboard/programme-report?from_fiscal_year=2025&to_fiscal_year=2026&format=html")
        .await;
    assert_eq!(report.status(), 200);
    let report = report.text().await.unwrap();
    assert!(report.contains("地域支援事業成果報告書（R7年度〜R8年度）") && report.contains("<p>つながり市</p>"));
    let docx = browser
        .get("/dashboard/programme-report?from_fiscal_year=2025&to_fiscal_year=2026&format=docx")
        .await;
    assert!(docx.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .contains("programme-report.docx"));
    let refused = browser
        .get("/dashboard/programme-report?from_fiscal_year=2026&to_fiscal_year=2025")
        .await;
    assert_eq!(refused.status(), 422);
}

#[tokio::test]
async fn staff_read_a_term_in_context_and_teach_the_dictionary_its_words() {
    let app = TestApp::spawn().await;
    app.forum_with_opinions(&[
        ("female", "フリートークの時間がよかった。"),
        ("male", "ポラ研の話とフリートークが心に残った。"),
        ("female", "フリートークでは話しやすかった。<b>"),
    ])
    .await;
    let browser = Browser::signed_in(&app).await;
    let opinions = browser
        .get("/dashboard/opinions?form=forum&by=gender")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        opinions.contains(r#"<a href="/dashboard/kwic?form=forum&amp;by=gender&amp;source=responses&amp;fiscal_year=&amp;term=%E3%83%95%E3%83%AA%E3%83%BC">フリー</a>"#),
        "every term links to its context: {opinions}"
    );
    let kwic = browser
        .get("/dashboard/kwic?form=forum&by=gender&source=responses&fiscal_year=&term=フリー")
        .await;
    assert_eq!(kwic.status(), 200);
    let kwic = kwic.text().await.unwrap();
    assert!(kwic.contains("「フリー」を使ったコメント 3 件"), "{kwic}");
    assert!(kwic.contains(r#"<td class="left-context">ポラ研の話と</td><th scope="row"><mark>フリー</mark></th><td>トークが心に残った。</td>"#), "{kwic}");
    assert!(kwic.contains("話しやすかった。&lt;b&gt;"), "comments stay text");

    let page = browser
        .get("/dashboard/text-dictionary?form=forum")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains(r#"name="accept" value="フリートーク""#),
        "the candidate is offered: {page}"
    );
    let csrf = hidden_csrf(&page);
    let refused = browser
        .post(
            "/dashboard/text-dictionary",
            &[
                ("csrf", &csrf),
                ("form", "forum"),
                ("forced", "ポラ研\n二つ の語"),
                ("stop_words", "する"),
            ],
        )
        .await;
    assert_eq!(refused.status(), 422);
    let refused = refused.text().await.unwrap();
    assert!(
        refused.contains("強制抽出する語：1行に一語") && refused.contains("二つ の語"),
        "{refused}"
    );
    let saved = browser
        .post(
            "/dashboard/text-dictionary",
            &[
                ("csrf", &csrf),
                ("form", "forum"),
                ("forced", "ポラ研\r\n"),
                ("stop_words", "する\nいる"),
            ],
        )
        .await;
    assert_eq!(
        saved.headers()[LOCATION],
        "/dashboard/text-dictionary?form=forum&saved=1"
    );
    let accepted = browser
        .post(
            "/dashboard/text-dictionary/accept",
            &[("csrf", &csrf), ("form", "forum"), ("accept", "フリートーク")],
        )
        .await;
    assert_eq!(accepted.status(), 303);
    let dictionary: Value = app
        .get("/api/v1/text-dictionary", Some(&app.analyst))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        [
            &dictionary["forced"],
            &dictionary["compounds"],
            &dictionary["stop_words"],
            &dictionary["version"]
        ],
        [
            &json!(["ポラ研"]),
            &json!(["フリートーク"]),
            &json!(["する", "いる"]),
            &json!(2)
        ]
    );
    let kwic = browser
        .get("/dashboard/kwic?form=forum&by=&source=responses&fiscal_year=&term=フリートーク")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        kwic.contains("「フリートーク」を使ったコメント 3 件"),
        "counted whole now: {kwic}"
    );
}

#[tokio::test]
async fn staff_draw_the_network_and_the_correspondence_map_with_tables_beside_them() {
    let app = TestApp::spawn().await;
    app.forum_with_opinions(&[
        ("female", "フリートークで安心して話せた。"),
        ("female", "フリートークは安心だった。"),
        ("male", "講師の資料と説明がよかった。"),
        ("male", "講師の資料が分かりやすい。<script>"),
    ])
    .await;
    let browser = Browser::signed_in(&app).await;
    let opinions = browser
        .get("/dashboard/opinions?form=forum&by=gender")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        opinions.contains(r#"href="/dashboard/network?form=forum&amp;by=gender"#),
        "{opinions}"
    );
    let network = browser
        .get("/dashboard/network?form=forum&by=gender&min_comments=2")
        .await;
    assert_eq!(network.status(), 200);
    let network = network.text().await.unwrap();
    assert!(network.contains(r#"role="img" aria-labelledby="network-title network-desc""#));
    assert!(network.contains("<title>講師—資料：Jaccard 1.000</title>"), "{network}");
    assert!(
        network.contains(r#"<a href="/dashboard/kwic?form=forum&amp;by=gender&amp;source=responses&amp;fiscal_year=&amp;term=%E8%AC%9B%E5%B8%AB">講師</a>"#),
        "its terms link to their context: {network}"
    );
    assert!(
        network.contains("<caption>まとまりごとの語</caption>"),
        "a table says what the picture shows"
    );
    let by_groups = browser
        .get("/dashboard/network?form=forum&by=gender&min_comments=2&joins=groups")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        by_groups.contains(r#"<option value="groups" selected>"#) && by_groups.contains("<title>性別：男性"),
        "{by_groups}"
    );
    let map = browser
        .get("/dashboard/correspondence?form=forum&by=gender&min_comments=2")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        map.contains(r#"aria-labelledby="biplot-title biplot-desc""#) && map.contains("成分1（100.0%）"),
        "{map}"
    );
    assert!(map.contains("<th scope=\"col\">女性</th>"), "{map}");
    let refused = browser.get("/dashboard/network?form=forum&top=0").await;
    assert_eq!(refused.status(), 422);
}

#[tokio::test]
async fn staff_write_a_themes_rule_and_code_every_comment_with_it() {
    let app = TestApp::spawn().await;
    app.forum_with_opinions(&[("female", "講師の資料がよかった。"), ("male", "家族の話。")])
        .await;
    let browser = Browser::signed_in(&app).await;
    let editor = browser.get("/dashboard/codebooks/new").await.text().await.unwrap();
    assert!(editor.contains(r#"name="theme_rule_0""#), "a rule beside the keywords");
    let csrf = hidden_csrf(&editor);
    let broken = browser
        .post(
            "/dashboard/codebooks",
            &[
                ("csrf", &csrf),
                ("slug", "lectures"),
                ("title_ja", "講義"),
                ("theme_label_ja_0", "資料"),
                ("theme_rule_0", "講師 &"),
            ],
        )
        .await;
    assert_eq!(broken.status(), 422, "a broken rule is refused");
    let saved = browser
        .post(
            "/dashboard/codebooks",
            &[
                ("csrf", &csrf),
                ("slug", "lectures"),
                ("title_ja", "講義"),
                ("theme_label_ja_0", "資料"),
                ("theme_rule_0", "講師 & 資料"),
            ],
        )
        .await;
    assert_eq!(saved.status(), 303);
    let page = browser
        .get("/dashboard/coding?codebook=lectures&form=forum&question=opinion")
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains(r#"action="/dashboard/coding/apply-rules""#), "{page}");
    let run = browser
        .post(
            "/dashboard/coding/apply-rules",
            &[
                ("csrf", &csrf),
                ("codebook", "lectures"),
                ("form", "forum"),
                ("question", "opinion"),
            ],
        )
        .await;
    let location = run.headers()[LOCATION].to_str().unwrap().to_owned();
    assert!(location.ends_with("&ruled=2&matched=1"), "{location}");
    let page = browser.get(&location).await.text().await.unwrap();
    assert!(
        page.contains("ルールで 2 件をコード付けしました（うち 1 件に当てはまるテーマがありました）"),
        "{page}"
    );
}
