//! The agencies that publicise events and refer people, kept alike from the API and the
//! dashboard.

use diesel::PgConnection;

use crate::db::agencies::{InUse, StoredAgency};
use crate::db::{self, DbError};
use crate::domain::agency::Agency;

/// Creates or replaces `agency`; `true` where it was created.
pub fn put(conn: &mut PgConnection, agency: &Agency) -> Result<(StoredAgency, bool), DbError> {
    db::agencies::put(conn, agency)
}

/// Every agency, by kind.
pub fn list(conn: &mut PgConnection) -> Result<Vec<StoredAgency>, DbError> {
    db::agencies::list(conn)
}

pub fn find(conn: &mut PgConnection, slug: &str) -> Result<StoredAgency, DbError> {
    db::agencies::find(conn, slug)
}

/// Deletes agency `slug`, unless publicity records or attendees' answers name it.
pub fn delete(conn: &mut PgConnection, slug: &str) -> Result<Result<(), InUse>, DbError> {
    db::agencies::delete(conn, slug)
}
