//! Codebooks, written alike from the API and the dashboard: a changed codebook becomes a new
//! version, and codings keep the version they were made with.

use diesel::PgConnection;

use crate::db::codebooks::StoredCodebook;
use crate::db::{self, DbError};
use crate::domain::codebook::{is_codebook_slug, Codebook};
use crate::domain::validation::ValidationError;

pub fn check_slug(slug: &str) -> Result<(), ValidationError> {
    if is_codebook_slug(slug) {
        Ok(())
    } else {
        Err(ValidationError::new(
            "slug",
            "invalid_value",
            "a codebook's slug is 1 to 64 lower-case letters, digits, '-' and '_'",
        ))
    }
}

/// Stores `codebook` as `slug`'s next version unless nothing changed; with whether it is new.
pub fn save(conn: &mut PgConnection, slug: &str, codebook: &Codebook) -> Result<(StoredCodebook, bool), DbError> {
    db::codebooks::put(conn, slug, codebook)
}

/// Theme ids any version of `slug` has used: a new theme never takes one, since codings made
/// with the old theme would read as the new one's.
pub fn theme_ids_ever(conn: &mut PgConnection, slug: &str) -> Result<Vec<String>, DbError> {
    db::codebooks::theme_ids_ever(conn, slug)
}

/// Version `version` of codebook `slug`, or its latest.
pub fn find(conn: &mut PgConnection, slug: &str, version: Option<i32>) -> Result<StoredCodebook, DbError> {
    match version {
        Some(version) => db::codebooks::by_version(conn, slug, version),
        None => db::codebooks::latest(conn, slug),
    }
}

pub fn all_latest(conn: &mut PgConnection) -> Result<Vec<StoredCodebook>, DbError> {
    db::codebooks::all_latest(conn)
}

/// The latest version of `slug` and the one before it, if any.
pub fn latest_and_previous(
    conn: &mut PgConnection,
    slug: &str,
) -> Result<(StoredCodebook, Option<StoredCodebook>), DbError> {
    let latest = db::codebooks::latest(conn, slug)?;
    let previous = match latest.version {
        1 => None,
        version => Some(db::codebooks::by_version(conn, slug, version - 1)?),
    };
    Ok((latest, previous))
}
