//! The published contract, fuzzed: schemathesis (installed by `scripts/setup-tests`) reads
//! `/api/v1/openapi.json` from the running service and sends generated requests to every
//! operation, following the document's links (an event created, then read, changed and answered),
//! with an admin token and without one. Any server error, undocumented status, wrong content type
//! or response that breaks its schema fails the test.

use std::path::Path;
use std::process::Command;

use crate::common::{shipped_forms_dir, TestApp, TestDatabase};

const CHECKS: &str = "not_a_server_error,status_code_conformance,content_type_conformance,\
                      response_schema_conformance,response_headers_conformance";

fn schemathesis() -> std::path::PathBuf {
    let installed = Path::new(env!("CARGO_MANIFEST_DIR")).join(".tools/schemathesis/bin/st");
    assert!(
        installed.exists(),
        "schemathesis is not installed: run scripts/setup-tests ({} is missing)",
        installed.display()
    );
    installed
}

async fn fuzz(app: &TestApp, token: Option<&str>, seconds: u32) {
    let mut command = Command::new(schemathesis());
    command
        .arg("run")
        .arg(format!("{}/api/v1/openapi.json", app.address))
        .args(["--checks", CHECKS, "--max-time", &seconds.to_string(), "--workers", "1"])
        .args(["--no-color", "--report-dir"])
        .arg(std::env::temp_dir().join(format!("schemathesis-{}", uuid::Uuid::new_v4().simple())))
        .current_dir(std::env::temp_dir());
    if let Some(token) = token {
        command.args(["--header", &format!("Authorization: Bearer {token}")]);
    }
    let output = tokio::task::spawn_blocking(move || command.output().expect("schemathesis runs"))
        .await
        .unwrap();
    let report = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "schemathesis found failures (token: {}):\n{report}\n{}",
        token.is_some(),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        report.contains("Stateful"),
        "the run reached its stateful phase:\n{report}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_operation_keeps_its_contract_with_an_admin_token_and_without() {
    let app = TestApp::spawn_with(
        std::sync::Arc::new(TestDatabase::new()),
        &shipped_forms_dir(),
        |config| {
            // The fuzzer sends far more than a venue's phones would.
            config.submissions_per_minute = 1_000_000;
        },
    )
    .await;
    fuzz(&app, Some(&app.admin), 45).await;
    fuzz(&app, None, 15).await;
}

/// Every JSON route in `src/http` (attendee pages and the dashboard are HTML, not the API) has
/// its operation in the document, and the browsable page comes from the binary, not a CDN.
#[tokio::test]
async fn the_document_covers_every_api_route_and_is_browsable() {
    let app = TestApp::spawn().await;
    let response = app.get("/api/v1/openapi.json", None).await;
    assert_eq!(response.status(), 200);
    let document: serde_json::Value = response.json().await.unwrap();
    assert!(document["openapi"].as_str().unwrap().starts_with("3.1"));
    assert_eq!(document["components"]["securitySchemes"]["bearer"]["scheme"], "bearer");
    assert!(document["components"]["schemas"]["ErrorBody"].is_object());

    let http = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/http");
    let mut routes = 0;
    for entry in std::fs::read_dir(&http).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|ext| ext != "rs") || path.ends_with("survey_page.rs") {
            continue;
        }
        let source = std::fs::read_to_string(&path).unwrap();
        for (method, route) in route_attributes(&source) {
            let full = if ["/healthz", "/readyz", "/metrics"].contains(&route.as_str()) {
                route.clone()
            } else {
                format!("/api/v1{route}")
            };
            assert!(
                document["paths"][&full][&method].is_object(),
                "{method} {full} ({}) is not in the OpenAPI document",
                path.display()
            );
            routes += 1;
        }
    }
    assert!(routes >= 25, "found only {routes} routes");

    let page = app.get("/api/docs/", None).await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("swagger-ui"), "{html}");
    assert!(!html.contains("https://"), "nothing is loaded from elsewhere: {html}");
}

/// `#[get("/path")]` and the like, as (method, path).
fn route_attributes(source: &str) -> Vec<(String, String)> {
    source
        .lines()
        .filter_map(|line| {
            let rest = line.trim().strip_prefix("#[")?;
            let (method, rest) = rest.split_once("(\"")?;
            let route = rest.strip_suffix("\")]")?;
            ["get", "post", "put", "patch", "delete"]
                .contains(&method)
                .then(|| (method.to_owned(), route.to_owned()))
        })
        .collect()
}

/// Every query parameter the document lists is one its operation reads: sent alone with a value
/// of the wrong kind, it is never refused as unknown (what the operation reads comes from the
/// same structs the document is generated from, so this finds an operation listing a struct it
/// does not read).
#[tokio::test]
async fn every_documented_query_parameter_is_read() {
    let app = TestApp::spawn().await;
    let document: serde_json::Value = app.get("/api/v1/openapi.json", None).await.json().await.unwrap();
    let mut read = 0;
    for (path, operations) in document["paths"].as_object().unwrap() {
        let Some(parameters) = operations["get"]["parameters"].as_array() else {
            continue;
        };
        let concrete = path
            .replace("{id}", "00000000-0000-4000-8000-000000000000")
            .replace("{slug}", "seminar")
            .replace("{fiscal_year}", "2019");
        for parameter in parameters.iter().filter(|p| p["in"] == "query") {
            let name = parameter["name"].as_str().unwrap();
            let response = app.get(&format!("{concrete}?{name}=%3F%3F"), Some(&app.admin)).await;
            let status = response.status().as_u16();
            assert!(status < 500, "GET {path}?{name}: {status}");
            if status == 404 {
                continue;
            }
            let body: serde_json::Value = response.json().await.unwrap_or_default();
            assert!(
                !(body["error"]["code"] == "unknown_field" && body["error"]["field"] == name),
                "GET {path} lists {name} but refuses it as unknown"
            );
            read += 1;
        }
    }
    assert!(read >= 60, "only {read} parameters checked");
}

/// PostgreSQL stores no NUL in any text or JSON, so a body holding one (or another control
/// character) anywhere, in a value or a key, is refused with 422 naming where, never a 500:
/// schemathesis found a codebook label with NUL reaching the database.
#[tokio::test]
async fn a_control_character_anywhere_in_a_body_is_refused_before_the_database() {
    use reqwest::Method;
    use serde_json::{json, Value};

    let app = TestApp::spawn().await;
    let mut form: Value =
        serde_json::from_str(&std::fs::read_to_string(shipped_forms_dir().join("seminar.json")).unwrap()).unwrap();
    form["slug"] = json!("nul_form");
    form["questions"][0]["label"]["en"] = json!("Age\u{0}");
    let cases = [
        (
            Method::PUT,
            "/api/v1/codebooks/city",
            json!({"title": {"ja": "市", "en": "City"}, "themes": [
                {"id": "uk", "label": {"ja": "\u{0}", "en": "x"}, "keywords": ["k"]}]}),
            "themes.label.ja",
        ),
        (
            Method::PUT,
            "/api/v1/indicator-plans/plan",
            json!({"title": {"ja": "計画", "en": "Pl\u{0}an"}, "event_kinds": ["seminar"], "assumed_population": 10,
                   "targets": {"2019": 5}}),
            "title.en",
        ),
        (
            Method::PUT,
            "/api/v1/indicator-plans/plan",
            json!({"title": {"ja": "計画", "en": "Plan"}, "event_kinds": ["seminar"], "assumed_population": 10,
                   "targets": {"2019\u{0}": 5}}),
            "targets.2019\u{0}",
        ),
        (Method::POST, "/api/v1/forms", form, ""),
    ];
    for (method, path, body, field) in cases {
        let response = app.send_json(method.clone(), path, Some(&app.admin), &body).await;
        let status = response.status().as_u16();
        let error: Value = response.json().await.unwrap();
        assert_eq!(status, 422, "{method} {path}: {error}");
        if !field.is_empty() {
            assert_eq!(error["error"]["field"], field, "{method} {path}: {error}");
        }
        assert!(error.to_string().contains("U+0000"), "{method} {path}: {error}");
    }
    assert_eq!(app.get("/api/v1/codebooks/city", Some(&app.admin)).await.status(), 404);
    assert_eq!(app.get("/api/v1/forms/nul_form", None).await.status(), 404);
}

/// Numbers below the minimum the document gives are refused with 422 naming the parameter, as
/// are values of the wrong type, before anything is read.
#[tokio::test]
async fn query_numbers_below_their_minimum_are_refused_naming_the_parameter() {
    let app = TestApp::spawn().await;
    for (path, field) in [
        ("/api/v1/audit-log?limit=0", "limit"),
        ("/api/v1/audit-log?limit=many", "limit"),
        ("/api/v1/codebooks/starter?version=0", "version"),
        ("/api/v1/forms/seminar/diff?from=0&to=1", "from"),
        ("/api/v1/forms/seminar/diff?from=1&to=-2", "to"),
        ("/api/v1/forms/seminar/diff?from=1", "to"),
        ("/api/v1/analysis/correspondence?form=forum&by=gender&top=0", "top"),
        (
            "/api/v1/analysis/breakdown?form=forum&question=satisfaction&min_cell=-1",
            "min_cell",
        ),
    ] {
        let response = app.get(path, Some(&app.admin)).await;
        assert_eq!(response.status(), 422, "{path}");
        assert_eq!(
            crate::common::error_of(response).await.1.as_deref(),
            Some(field),
            "{path}"
        );
    }
}
