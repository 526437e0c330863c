//! Reading forms: the latest version of each, one version, and how versions differ.

use diesel::PgConnection;

use crate::db::forms::{StoredForm, VersionSummary};
use crate::db::{self, DbError};

pub fn latest(conn: &mut PgConnection, slug: &str) -> Result<StoredForm, DbError> {
    db::forms::latest(conn, slug)
}

/// The latest version of every form.
pub fn all_latest(conn: &mut PgConnection) -> Result<Vec<StoredForm>, DbError> {
    db::forms::all_latest(conn)
}

pub fn by_version(conn: &mut PgConnection, slug: &str, version: i32) -> Result<StoredForm, DbError> {
    db::forms::by_version(conn, slug, version)
}

/// Every version of form `slug`, newest first.
pub fn versions(conn: &mut PgConnection, slug: &str) -> Result<Vec<VersionSummary>, DbError> {
    db::forms::versions(conn, slug)
}

/// Versions `from` and `to` of form `slug`, to compare.
pub fn pair(conn: &mut PgConnection, slug: &str, from: i32, to: i32) -> Result<(StoredForm, StoredForm), DbError> {
    db::forms::pair(conn, slug, from, to)
}
