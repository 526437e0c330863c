//! The audit log's policy: which requests are recorded and what an entry keeps. Recorded: every
//! change a signed-in person makes (and signing in and out), every read of raw answers or of
//! comments in full, and everything a researcher fetches (with the partitions it names). An
//! entry keeps who (the token), what (method and route pattern), which (the ids in the path and
//! the filters named below) and the outcome; never a body, an answer or an address.

use diesel::PgConnection;
use serde_json::{Map, Value};

use crate::db::audit_log::{self, Actor, Entry, Filter, NewEntry};
use crate::db::DbError;
use crate::domain::analysis_request::CommentTextParams;
use crate::domain::query_params::QueryParams;
use crate::domain::token::Role;

/// Reads that hand out answers as people gave them.
const RAW_READS: [&str; 8] = [
    "/api/v1/exports/responses.csv",
    "/api/v1/analysis/kwic",
    "/dashboard/kwic",
    "/api/v1/exports/responses.parquet",
    "/api/v1/codings/next",
    "/dashboard/downloads/{file}",
    "/dashboard/opinions",
    "/dashboard/coding",
];

/// Query parameters an entry keeps: they say which data, never what anyone answered.
const KEPT_PARAMETERS: [&str; 14] = [
    "form",
    "fiscal_year",
    "kind",
    "by",
    "question",
    "codebook",
    "format",
    "include_text",
    "source",
    "from_fiscal_year",
    "to_fiscal_year",
    "waves",
    "event",
    "min_cell",
];

/// Whether a request `actor` made is recorded. Whether it reads the comments themselves is read
/// as the analysis reads it (` true` included), so no spelling the analysis takes escapes the log.
pub fn is_audited(method: &str, route: &str, actor: Actor, query: &[(String, String)]) -> bool {
    // Read last, and only where it decides: most requests are settled by the cheaper tests.
    let reads_comments = || {
        QueryParams::new(query.iter().cloned().collect())
            .take::<CommentTextParams>()
            .is_ok_and(|params| params.include_text)
    };
    !matches!(method, "GET" | "HEAD")
        || actor.role == Role::Researcher
        || RAW_READS.contains(&route)
        || reads_comments()
}

/// The entry of a recorded request.
pub fn entry(
    actor: Actor,
    method: &str,
    route: &str,
    path: Vec<(String, String)>,
    query: &[(String, String)],
    status: u16,
) -> NewEntry {
    let text = |value: &str| Value::String(value.chars().take(200).collect());
    let mut subject = Map::new();
    for (name, value) in path {
        subject.insert(name, text(&value));
    }
    for (name, value) in query.iter().filter(|(k, _)| KEPT_PARAMETERS.contains(&k.as_str())) {
        subject.insert(name.clone(), text(value));
    }
    NewEntry {
        actor: Some(actor),
        action: format!("{method} {route}"),
        subject: Value::Object(subject),
        status: Some(status),
    }
}

/// What the command line on the server did (no token: whoever runs it has the server).
pub fn server_action(action: &str, subject: Value) -> NewEntry {
    NewEntry {
        actor: None,
        action: action.to_owned(),
        subject,
        status: None,
    }
}

pub fn record(conn: &mut PgConnection, entry: &NewEntry) -> Result<(), DbError> {
    audit_log::append(conn, entry)
}

pub fn entries(conn: &mut PgConnection, filter: &Filter) -> Result<Vec<Entry>, DbError> {
    audit_log::list(conn, filter)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor(role: Role) -> Actor {
        Actor {
            token_id: uuid::Uuid::nil(),
            role,
        }
    }

    #[test]
    fn changes_raw_reads_and_researchers_are_recorded_and_other_reads_are_not() {
        let staff = actor(Role::Analyst);
        assert!(is_audited("POST", "/api/v1/events", staff, &[]));
        assert!(is_audited("GET", "/api/v1/exports/responses.csv", staff, &[]));
        for spelling in ["true", " true "] {
            let texts = [("include_text".to_owned(), spelling.to_owned())];
            assert!(
                is_audited("GET", "/api/v1/analysis/opinions", staff, &texts),
                "{spelling:?}"
            );
        }
        let not_texts = [("include_text".to_owned(), "false".to_owned())];
        assert!(!is_audited("GET", "/api/v1/analysis/opinions", staff, &not_texts));
        assert!(!is_audited("GET", "/api/v1/analysis/opinions", staff, &[]));
        assert!(!is_audited("GET", "/api/v1/events", staff, &[]));
        assert!(is_audited(
            "GET",
            "/api/v1/exports/aggregate.json",
            actor(Role::Researcher),
            &[]
        ));
    }

    #[test]
    fn an_entry_keeps_ids_and_filters_only() {
        let query = [
            ("form".to_owned(), "seminar".to_owned()),
            ("answers".to_owned(), "secret".to_owned()),
        ];
        let path = vec![("id".to_owned(), "e1".to_owned())];
        let entry = entry(actor(Role::Admin), "PATCH", "/api/v1/events/{id}", path, &query, 200);
        assert_eq!(entry.action, "PATCH /api/v1/events/{id}");
        assert_eq!(entry.subject, serde_json::json!({"id": "e1", "form": "seminar"}));
    }
}
