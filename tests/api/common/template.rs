//! One migrated database with the shipped forms per build of the tests, which every test's
//! database is copied from (`CREATE DATABASE ... TEMPLATE`) instead of migrating its own.
//! nextest runs each test in a process of its own, so the first process to need the template
//! builds it under an advisory lock and the others wait for it.

use std::path::Path;

use diesel::{PgConnection, RunQueryDsl};
use tsunagari::config::Config;
use tsunagari::services::form_files;
use tsunagari::startup::prepare_database;

const PREFIX: &str = "tsunagari_template_";
/// Any number that no other user of the server takes an advisory lock on.
const LOCK: i64 = 0x7453_7461_6d70;

/// The maintenance URL of the server `database_url` is on, and the database's name.
pub fn split(database_url: &str) -> (String, String) {
    let mut url = url::Url::parse(database_url).expect("a database URL");
    let name = url.path().trim_start_matches('/').to_owned();
    url.set_path("/postgres");
    (url.to_string(), name)
}

/// The name of this build's template, built first if need be (and any other build's dropped).
pub fn ensure(conn: &mut PgConnection, any_database_url: &str) -> String {
    let name = format!("{PREFIX}{}", build_id());
    diesel::sql_query(format!("SELECT pg_advisory_lock({LOCK})"))
        .execute(conn)
        .expect("the template lock");
    let built = names(conn).contains(&name);
    if !built {
        for stale in names(conn) {
            // Another build's: a failure to drop it (a run of that build copying it) harms no one.
            let drop = format!("DROP DATABASE IF EXISTS \"{stale}\" WITH (FORCE)");
            let _ = diesel::sql_query(drop).execute(conn);
        }
        build(conn, any_database_url, &name);
    }
    diesel::sql_query(format!("SELECT pg_advisory_unlock({LOCK})"))
        .execute(conn)
        .expect("the template lock");
    name
}

/// Builds the template under another name and renames it when it is complete, so that no test
/// copies a half-made one; no one may connect to it afterwards (a copy needs it idle).
fn build(conn: &mut PgConnection, any_database_url: &str, name: &str) {
    let building = format!("{name}_building");
    let mut url = url::Url::parse(any_database_url).expect("a database URL");
    url.set_path(&format!("/{building}"));
    let mut config = Config::from_lookup(|_| None).expect("default settings");
    config.database_url = url.to_string();
    config.db_pool_size = 1;
    {
        let pool = prepare_database(&config).expect("the template is migrated");
        let mut pooled = pool.get().expect("a connection to the template");
        let forms = Path::new(env!("CARGO_MANIFEST_DIR")).join("survey_forms");
        form_files::sync_dir(&mut pooled, &forms).expect("the shipped forms are synced");
    }
    for statement in [
        format!("ALTER DATABASE \"{building}\" RENAME TO \"{name}\""),
        format!("ALTER DATABASE \"{name}\" WITH ALLOW_CONNECTIONS false"),
    ] {
        diesel::sql_query(statement)
            .execute(conn)
            .expect("the template is finished");
    }
}

fn names(conn: &mut PgConnection) -> Vec<String> {
    #[derive(diesel::QueryableByName)]
    struct Name {
        #[diesel(sql_type = diesel::sql_types::Text)]
        datname: String,
    }
    let found: Vec<Name> = diesel::sql_query(format!(
        "SELECT datname FROM pg_database WHERE datname LIKE '{PREFIX}%' AND datname NOT LIKE '%_building'"
    ))
    .load(conn)
    .expect("the databases are listed");
    found.into_iter().map(|n| n.datname).collect()
}

/// This build of the tests and the files the template is made of: the test binary's size and
/// time, and the migrations and form files (which change without a build).
fn build_id() -> String {
    use std::hash::{Hash, Hasher};
    let exe = std::env::current_exe().expect("the test binary's path");
    let meta = std::fs::metadata(exe).expect("the test binary's metadata");
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    meta.len().hash(&mut hasher);
    meta.modified().ok().hash(&mut hasher);
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for dir in ["migrations", "survey_forms"] {
        hash_files(&root.join(dir), &mut hasher);
    }
    format!("{:016x}", hasher.finish())
}

fn hash_files(dir: &Path, hasher: &mut impl std::hash::Hasher) {
    use std::hash::Hash;
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("a folder of the repository")
        .map(|entry| entry.expect("a directory entry").path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            hash_files(&path, hasher);
        } else {
            path.hash(hasher);
            std::fs::read(&path).expect("a file of the repository").hash(hasher);
        }
    }
}
