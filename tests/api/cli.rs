use std::process::{Command, Output};

use crate::common::{shipped_forms_dir, TestDatabase};
use diesel::prelude::*;
use tsunagari::db::schema::api_tokens;

fn tsunagari(database: &TestDatabase, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tsunagari"))
        .args(args)
        .env("DATABASE_URL", &database.url)
        .env("RUST_LOG", "warn")
        .output()
        .expect("the binary runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

#[test]
fn forms_check_accepts_the_shipped_forms() {
    let database = TestDatabase::new();
    let output = tsunagari(&database, &["forms", "check", shipped_forms_dir().to_str().unwrap()]);
    assert!(output.status.success(), "{output:?}");
    let text = stdout(&output);
    for slug in ["seminar", "forum", "study_session"] {
        assert!(text.contains(&format!("ok  {slug}")), "{text}");
    }
}

#[test]
fn forms_check_names_the_file_and_question_at_fault() {
    let database = TestDatabase::new();
    let dir = std::env::temp_dir().join(format!("tsunagari-check-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut form: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(shipped_forms_dir().join("forum.json")).unwrap()).unwrap();
    let age_band = form["questions"]
        .as_array()
        .unwrap()
        .iter()
        .position(|q| q["id"] == "age_band")
        .unwrap();
    form["questions"][age_band]["options"] = serde_json::json!([]);
    std::fs::write(dir.join("forum.json"), form.to_string()).unwrap();

    let output = tsunagari(&database, &["forms", "check", dir.to_str().unwrap()]);
    assert!(!output.status.success());
    let message = String::from_utf8(output.stderr).unwrap();
    assert!(message.contains("forum.json"), "{message}");
    assert!(message.contains("question 'age_band'"), "{message}");
}

#[test]
fn forms_check_reads_one_workbook_as_an_upload_would() {
    let database = TestDatabase::new();
    let dir = std::env::temp_dir().join(format!("tsunagari-check-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    let form = tsunagari::domain::form::FormDefinition::parse_json(
        &std::fs::read_to_string(shipped_forms_dir().join("forum.json")).unwrap(),
    )
    .unwrap();
    let good = dir.join("forum.xlsx");
    std::fs::write(&good, tsunagari::xlsform::write(&form, 1).unwrap()).unwrap();
    let output = tsunagari(&database, &["forms", "check", good.to_str().unwrap()]);
    assert!(output.status.success(), "{output:?}");
    assert!(stdout(&output).contains("ok  forum"));

    let bad = dir.join("bad.xlsx");
    std::fs::write(&bad, b"not a workbook").unwrap();
    let output = tsunagari(&database, &["forms", "check", bad.to_str().unwrap()]);
    assert!(!output.status.success());
    let message = String::from_utf8(output.stderr).unwrap();
    assert!(message.contains("workbook: not a readable .xlsx workbook"), "{message}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn tokens_are_printed_once_and_stored_only_as_hashes() {
    let database = TestDatabase::new();
    let output = tsunagari(
        &database,
        &["token", "create", "--role", "researcher", "--name", "大学 研究班"],
    );
    assert!(output.status.success(), "{output:?}");
    let text = stdout(&output);
    let token = text.lines().last().unwrap().trim().to_owned();
    assert!(token.starts_with("tsu_") && token.len() >= 36, "{token}");

    let hashes: Vec<String> = api_tokens::table
        .select(api_tokens::token_hash)
        .load(&mut database.connect())
        .unwrap();
    assert_eq!(hashes, [tsunagari::domain::token::hash_token(&token)]);
    assert!(!hashes[0].contains(&token[4..]));

    let listed = stdout(&tsunagari(&database, &["token", "list"]));
    assert!(listed.contains("researcher") && listed.contains("大学 研究班") && listed.contains("active"));
    assert!(!listed.contains(&token));

    let id = listed.split_whitespace().next().unwrap().to_owned();
    assert!(tsunagari(&database, &["token", "revoke", &id]).status.success());
    assert!(stdout(&tsunagari(&database, &["token", "list"])).contains("revoked"));
    assert!(
        !tsunagari(&database, &["token", "revoke", &id]).status.success(),
        "a second revoke fails"
    );
}

#[test]
fn token_create_rejects_unknown_roles() {
    let database = TestDatabase::new();
    let output = tsunagari(&database, &["token", "create", "--role", "root", "--name", "x"]);
    assert!(!output.status.success());
}

#[test]
fn migrate_creates_the_database_and_is_idempotent() {
    let database = TestDatabase::new();
    assert!(tsunagari(&database, &["migrate"]).status.success());
    assert!(tsunagari(&database, &["migrate"]).status.success());
    assert_eq!(
        api_tokens::table
            .count()
            .get_result::<i64>(&mut database.connect())
            .unwrap(),
        0
    );
}

/// `migrate --check` names what would run and changes nothing: an operator's look before an
/// upgrade.
#[test]
fn migrate_check_names_pending_migrations_and_changes_nothing() {
    use diesel_migrations::MigrationHarness;
    let database = TestDatabase::new();
    assert!(tsunagari(&database, &["migrate"]).status.success());
    let current = tsunagari(&database, &["migrate", "--check"]);
    assert!(current.status.success());
    assert!(String::from_utf8_lossy(&current.stdout).contains("up to date"));
    let mut conn = database.connect();
    conn.revert_last_migration(tsunagari::db::MIGRATIONS).unwrap();
    let pending = tsunagari::db::pending_migrations(&mut conn).unwrap();
    assert_eq!(pending.len(), 1);
    for _ in 0..2 {
        let behind = tsunagari(&database, &["migrate", "--check"]);
        assert_eq!(behind.status.code(), Some(1));
        let said = String::from_utf8_lossy(&behind.stdout);
        assert!(
            said.contains("would run 1 migration") && said.contains(&pending[0]),
            "{said}"
        );
    }
}

#[tokio::test]
async fn analyze_prints_the_same_documents_as_the_api() {
    let app = crate::common::TestApp::spawn().await;
    let event = app.seminar().await;
    let id = event["id"].as_str().unwrap();
    for (relation, satisfaction) in [
        ("lived_experience", 5),
        ("lived_experience", 4),
        ("family", 2),
        ("family", 3),
        ("lived_experience", 5),
    ] {
        let answers =
            serde_json::json!({"relation": relation, "satisfaction": satisfaction, "opinion": "参加してよかったです"});
        assert_eq!(app.submit(id, uuid::Uuid::new_v4(), answers).await.status(), 201);
    }
    let path = "/api/v1/analysis/breakdown?form=seminar&question=satisfaction&by=relation";
    let from_api: serde_json::Value = app.get(path, Some(&app.analyst)).await.json().await.unwrap();

    let args = [
        "analyze",
        "breakdown",
        "--form",
        "seminar",
        "--question",
        "satisfaction",
        "--by",
        "relation",
    ];
    let output = tsunagari(&app.database, &args);
    assert!(output.status.success(), "{output:?}");
    let printed: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(printed, from_api);

    let output = tsunagari(
        &app.database,
        &["analyze", "opinions", "--form", "seminar", "--include-text"],
    );
    let opinions: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(opinions["comments"], 5);
    assert_eq!(opinions["total"]["texts"].as_array().unwrap().len(), 5);

    let output = tsunagari(&app.database, &["analyze", "aggregate", "--form", "seminar"]);
    let aggregate: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(
        (aggregate["min_cell"].clone(), aggregate["responses"].clone()),
        (serde_json::json!(5), serde_json::json!(5))
    );

    let output = tsunagari(
        &app.database,
        &["analyze", "breakdown", "--form", "seminar", "--question", "nope"],
    );
    assert!(!output.status.success());
    assert!(String::from_utf8(output.stderr).unwrap().contains("question"));
}

#[test]
fn the_demo_loads_three_marked_years_and_removes_only_itself() {
    use tsunagari::db::schema::{events, indicator_plans, responses};
    let database = TestDatabase::new();
    let loaded = tsunagari(&database, &["demo"]);
    assert!(loaded.status.success(), "{loaded:?}");
    assert!(stdout(&loaded).contains("demo --remove"));
    let mut conn = database.connect();
    let count_events = |conn: &mut PgConnection, demo: bool| -> i64 {
        events::table
            .filter(events::demo.eq(demo))
            .count()
            .get_result(conn)
            .unwrap()
    };
    assert!(count_events(&mut conn, true) > 100);
    let kinds: Vec<String> = events::table.select(events::kind).distinct().load(&mut conn).unwrap();
    assert_eq!(
        kinds.len(),
        4,
        "seminars, the forum, study and supervision sessions: {kinds:?}"
    );
    let years: Vec<i32> = diesel::dsl::sql::<diesel::sql_types::Integer>(
        "SELECT DISTINCT (extract(year FROM held_on - interval '3 months'))::int FROM events ORDER BY 1",
    )
    .load(&mut conn)
    .unwrap();
    assert_eq!(years.len(), 3);
    let answered: i64 = responses::table.count().get_result(&mut conn).unwrap();
    assert!(answered > 1000, "{answered}");
    let plans: i64 = indicator_plans::table
        .filter(indicator_plans::demo)
        .count()
        .get_result(&mut conn)
        .unwrap();
    assert_eq!(plans, 3);
    // Speakers, costs, publicity, meeting notes and considerations, for the outreach page and
    // the evaluation report.
    let count = |conn: &mut PgConnection, table: &str| -> i64 {
        diesel::dsl::sql::<diesel::sql_types::BigInt>(&format!("SELECT count(*) FROM {table}"))
            .get_result(conn)
            .unwrap()
    };
    assert!(count(&mut conn, "publicity") > 100);
    assert!(count(&mut conn, "event_notes") > 5);
    assert_eq!(count(&mut conn, "agencies WHERE demo"), 4);
    assert_eq!(count(&mut conn, "plan_considerations"), 9);
    assert!(count(&mut conn, "events WHERE speakers IS NOT NULL AND costs IS NOT NULL") > 100);
    // Analyses have something to show.
    let breakdown = tsunagari(
        &database,
        &[
            "analyze",
            "breakdown",
            "--form",
            "seminar",
            "--question",
            "satisfaction",
            "--by",
            "relation",
        ],
    );
    let breakdown: serde_json::Value = serde_json::from_str(&stdout(&breakdown)).unwrap();
    assert!(breakdown["n"].as_u64().unwrap() > 300 && breakdown["test"].is_object());

    let again = tsunagari(&database, &["demo"]);
    assert!(!again.status.success() && String::from_utf8_lossy(&again.stderr).contains("--remove"));

    // A real event and its answer, beside the demo: the demo refuses to load unless forced, and
    // removing it leaves them alone.
    diesel::sql_query(
        "INSERT INTO events (id, code, kind, title, held_on, form_version_id)
         SELECT gen_random_uuid(), 'realevent1', 'seminar', '本物', held_on, form_version_id FROM events LIMIT 1",
    )
    .execute(&mut conn)
    .unwrap();
    diesel::sql_query(
        "INSERT INTO responses (id, submission_id, event_id, form_version_id, answers)
         SELECT gen_random_uuid(), gen_random_uuid(), id, form_version_id, '{\"satisfaction\": 4}' FROM events WHERE code = 'realevent1'",
    )
    .execute(&mut conn)
    .unwrap();
    let removed = tsunagari(&database, &["demo", "--remove"]);
    assert!(removed.status.success(), "{removed:?}");
    assert_eq!(count_events(&mut conn, true), 0);
    assert_eq!(count_events(&mut conn, false), 1);
    assert_eq!(responses::table.count().get_result::<i64>(&mut conn).unwrap(), 1);
    assert_eq!(indicator_plans::table.count().get_result::<i64>(&mut conn).unwrap(), 0);
    for table in ["publicity", "event_notes", "agencies", "plan_considerations"] {
        assert_eq!(count(&mut conn, table), 0, "{table}");
    }

    let refused = tsunagari(&database, &["demo"]);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--force"));
    assert_eq!(count_events(&mut conn, true), 0, "nothing loaded");
    assert!(tsunagari(&database, &["demo", "--force"]).status.success());
    assert!(count_events(&mut conn, true) > 100);
}

fn script(name: &str, env: &[(&str, &str)]) -> Output {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scripts")
        .join(name);
    let mut command = Command::new(path);
    command.current_dir(env!("CARGO_MANIFEST_DIR"));
    for (key, value) in env {
        command.env(key, value);
    }
    command.output().expect("the script runs")
}

/// `scripts/backup` writes a dump that `scripts/restore-drill` restores into a fresh database and
/// serves: the researchers' releases and the indicator report match the live service's (late
/// answers after the backup change neither), and a drill against data that no longer matches
/// fails, naming the document. The drill leaves no database behind.
#[tokio::test]
async fn a_backup_restores_to_what_the_live_service_serves() {
    // Keeping no release once built, so that answers changed under it below (which the service
    // itself never does to frozen answers) show in what it serves.
    let live = crate::common::TestApp::spawn_with(
        std::sync::Arc::new(crate::common::TestDatabase::new()),
        &crate::common::shipped_forms_dir(),
        |config| config.release_cache_documents = 0,
    )
    .await;
    tsunagari::services::demo::load(&mut live.database.connect(), false).unwrap();
    let first = live
        .get("/api/v1/exports/aggregate.json?form=seminar", Some(&live.researcher))
        .await;
    assert_eq!(first.status(), 200, "the first release freezes the settled years");
    let backups = std::env::temp_dir().join(format!("tsunagari-backups-{}", uuid::Uuid::new_v4()));
    let backups_dir = backups.to_str().unwrap().to_owned();
    let database_url = live.database.url.clone();
    let env = vec![
        ("DATABASE_URL", database_url.clone()),
        ("TSUNAGARI_BACKUP_DIR", backups_dir.clone()),
        ("TSUNAGARI_BACKUP_KEEP", "2".to_owned()),
        ("TSUNAGARI_LIVE_URL", live.address.clone()),
        ("TSUNAGARI_DRILL_TOKEN", live.researcher.clone()),
        ("TSUNAGARI_BIN", env!("CARGO_BIN_EXE_tsunagari").to_owned()),
        ("TSUNAGARI_FORMS_DIR", shipped_forms_dir().to_str().unwrap().to_owned()),
    ];
    let run = |name: &'static str| {
        let env = env.clone();
        tokio::task::spawn_blocking(move || {
            let pairs: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
            script(name, &pairs)
        })
    };
    for _ in 0..3 {
        let backup = run("backup").await.unwrap();
        assert!(backup.status.success(), "{backup:?}");
    }
    let mut kept: Vec<_> = std::fs::read_dir(&backups)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().into_string().unwrap())
        .collect();
    kept.sort();
    assert_eq!(kept.len(), 4, "two dumps and their checksums are kept: {kept:?}");
    assert!(
        kept[0].starts_with("tsunagari-") && kept[0].ends_with(".dump"),
        "{kept:?}"
    );

    // An answer after the backup, to a current event: the releases and the report do not move.
    let current = live.seminar().await;
    let late = live
        .submit(
            current["id"].as_str().unwrap(),
            uuid::Uuid::new_v4(),
            crate::common::valid_seminar_answers(),
        )
        .await;
    assert_eq!(late.status(), 201);
    let drill = run("restore-drill").await.unwrap();
    let log = String::from_utf8_lossy(&drill.stderr).into_owned();
    assert!(drill.status.success(), "{log}");
    assert!(log.contains("same: /api/v1/indicators/report"), "{log}");
    assert!(
        log.contains("same: /api/v1/exports/aggregate.json?form=seminar"),
        "{log}"
    );

    // A released answer changed on the live side after the backup: the drill must notice.
    diesel::sql_query(
        "UPDATE responses SET answers = jsonb_set(answers, '{gender}', '\"male\"'), gender = 'male' \
         WHERE id IN (SELECT r.id FROM responses r JOIN released_events re ON re.event_id = r.event_id \
                      WHERE r.gender = 'female' LIMIT 20)",
    )
    .execute(&mut live.database.connect())
    .unwrap();
    let drill = run("restore-drill").await.unwrap();
    let log = String::from_utf8_lossy(&drill.stderr).into_owned();
    assert_eq!(drill.status.code(), Some(1), "{log}");
    assert!(log.contains("DIFFERENT /api/v1/exports/aggregate.json"), "{log}");

    #[derive(QueryableByName)]
    struct Count {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        count: i64,
    }
    let left: Count =
        diesel::sql_query("SELECT count(*) AS count FROM pg_database WHERE datname LIKE 'tsunagari_drill_%'")
            .get_result(&mut live.database.connect())
            .unwrap();
    assert_eq!(left.count, 0, "the drill drops its database");
    std::fs::remove_dir_all(&backups).unwrap();
}

fn deploy_file(name: &str) -> String {
    std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("scripts/deploy")
            .join(name),
    )
    .unwrap()
}

/// `Environment=NAME=value` lines of a unit, as (name, value).
fn unit_environment(unit: &str) -> Vec<(String, String)> {
    unit.lines()
        .filter_map(|line| line.strip_prefix("Environment="))
        .filter_map(|setting| setting.split_once('='))
        .map(|(name, value)| (name.to_owned(), value.to_owned()))
        .collect()
}

/// The systemd units pass `systemd-analyze verify` (with this build's binary and scripts in their
/// paths), the service is hardened, and every setting the units make is one the service or the
/// scripts read, with a value the service accepts.
#[test]
fn the_deployment_files_are_valid_and_hardened() {
    let service = deploy_file("tsunagari.service");
    for directive in [
        "DynamicUser=yes",
        "ProtectSystem=strict",
        "ProtectHome=yes",
        "NoNewPrivileges=yes",
        "CapabilityBoundingSet=\n",
        "PrivateTmp=yes",
        "SystemCallFilter=@system-service",
        "Environment=TSUNAGARI_ADDR=127.0.0.1:",
    ] {
        assert!(service.contains(directive), "tsunagari.service lacks {directive:?}");
    }
    let asked = std::cell::RefCell::new(Vec::new());
    let settings = unit_environment(&service);
    let config = tsunagari::config::Config::from_lookup(|name| {
        asked.borrow_mut().push(name.to_owned());
        settings
            .iter()
            .find(|(set, _)| set == name)
            .map(|(_, value)| value.clone())
    })
    .expect("the unit's settings are accepted");
    assert!(
        config.secure_cookies
            && config
                .public_url
                .as_deref()
                .is_some_and(|url| url.starts_with("https://"))
    );
    for (name, _) in &settings {
        assert!(
            name == "RUST_LOG" || asked.borrow().contains(name),
            "the service does not read {name}"
        );
    }
    let scripts = ["backup", "restore-drill"]
        .map(|name| {
            std::fs::read_to_string(
                std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                    .join("scripts")
                    .join(name),
            )
            .unwrap()
        })
        .concat();
    for (name, _) in unit_environment(&deploy_file("tsunagari-backup.service")) {
        assert!(
            scripts.contains(&name) || asked.borrow().contains(&name),
            "nothing reads {name} of tsunagari-backup.service"
        );
    }

    let caddy = deploy_file("Caddyfile");
    let port = settings
        .iter()
        .find(|(name, _)| name == "TSUNAGARI_ADDR")
        .unwrap()
        .1
        .clone();
    assert!(caddy.contains(&format!("reverse_proxy {port}")), "{caddy}");
    assert!(caddy.contains("respond /metrics 404"), "metrics stay inside: {caddy}");
    let container = deploy_file("Containerfile");
    assert_eq!(
        container.lines().filter(|line| line.starts_with("FROM ")).count(),
        2,
        "multi-stage"
    );
    let user = container
        .lines()
        .find_map(|line| line.strip_prefix("USER "))
        .expect("a USER line");
    assert!(!["root", "0"].contains(&user.trim()), "runs as {user}");
    assert!(container.contains("mecab-ipadic"));
    assert!(deploy_file("Containerfile.dockerignore")
        .lines()
        .any(|line| line == "target"));

    let Ok(found) = Command::new("systemd-analyze").arg("--version").output() else {
        eprintln!("systemd-analyze is not installed: the units were checked as text only");
        return;
    };
    assert!(found.status.success());
    let dir = std::env::temp_dir().join(format!("tsunagari-units-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    let root = env!("CARGO_MANIFEST_DIR");
    let units = [
        "tsunagari.service",
        "tsunagari-backup.service",
        "tsunagari-backup.timer",
    ];
    for unit in units {
        let text = deploy_file(unit)
            .replace("/usr/local/bin/tsunagari", env!("CARGO_BIN_EXE_tsunagari"))
            .replace("/usr/local/share/tsunagari", root);
        std::fs::write(dir.join(unit), text).unwrap();
    }
    let verify = Command::new("systemd-analyze")
        .arg("verify")
        .args(units.map(|unit| dir.join(unit)))
        .env("SYSTEMD_UNIT_PATH", format!("{}:", dir.display()))
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&verify.stderr);
    assert!(verify.status.success(), "{said}");
    for complaint in ["Unknown", "ignoring", "Failed", "not executable"] {
        assert!(!said.contains(complaint), "{said}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
