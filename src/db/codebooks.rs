//! Codebooks and their versions. Like a form's, a version never changes: a changed codebook adds
//! one.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use super::schema::{codebook_versions, codebooks};
use super::DbError;
use crate::domain::codebook::Codebook;

#[derive(Debug, Clone)]
pub struct StoredCodebook {
    pub id: Uuid,
    pub slug: String,
    pub version: i32,
    pub codebook: Codebook,
    pub created_at: DateTime<Utc>,
}

type VersionRow = (Uuid, String, i32, serde_json::Value, DateTime<Utc>);

fn stored(row: VersionRow) -> Result<StoredCodebook, DbError> {
    let (id, slug, version, definition, created_at) = row;
    let codebook =
        Codebook::parse(definition).map_err(|e| DbError::Corrupt(format!("codebook version {id}: {}", e.message)))?;
    Ok(StoredCodebook {
        id,
        slug,
        version,
        codebook,
        created_at,
    })
}

const COLUMNS: (
    codebook_versions::id,
    codebook_versions::codebook_slug,
    codebook_versions::version,
    codebook_versions::definition,
    codebook_versions::created_at,
) = (
    codebook_versions::id,
    codebook_versions::codebook_slug,
    codebook_versions::version,
    codebook_versions::definition,
    codebook_versions::created_at,
);

/// Stores `codebook` as `slug`'s next version unless that content is stored already; with whether
/// it made a new version. The codebook's row is locked while versions are compared.
pub fn put(conn: &mut PgConnection, slug: &str, codebook: &Codebook) -> Result<(StoredCodebook, bool), DbError> {
    let hash = codebook.content_hash();
    conn.transaction(|conn| {
        diesel::insert_into(codebooks::table)
            .values(codebooks::slug.eq(slug))
            .on_conflict_do_nothing()
            .execute(conn)?;
        codebooks::table
            .find(slug)
            .select(codebooks::slug)
            .for_update()
            .first::<String>(conn)?;
        let versions = codebook_versions::table.filter(codebook_versions::codebook_slug.eq(slug));
        if let Some(row) = versions
            .filter(codebook_versions::content_hash.eq(&hash))
            .select(COLUMNS)
            .first::<VersionRow>(conn)
            .optional()?
        {
            return Ok((stored(row)?, false));
        }
        let latest: Option<i32> = versions
            .select(diesel::dsl::max(codebook_versions::version))
            .first(conn)?;
        let row = diesel::insert_into(codebook_versions::table)
            .values((
                codebook_versions::id.eq(Uuid::now_v7()),
                codebook_versions::codebook_slug.eq(slug),
                codebook_versions::version.eq(latest.unwrap_or(0) + 1),
                codebook_versions::content_hash.eq(&hash),
                codebook_versions::definition.eq(codebook.to_value()),
            ))
            .returning(COLUMNS)
            .get_result::<VersionRow>(conn)?;
        Ok((stored(row)?, true))
    })
}

pub fn latest(conn: &mut PgConnection, slug: &str) -> Result<StoredCodebook, DbError> {
    stored(
        codebook_versions::table
            .filter(codebook_versions::codebook_slug.eq(slug))
            .order(codebook_versions::version.desc())
            .select(COLUMNS)
            .first(conn)?,
    )
}

pub fn by_version(conn: &mut PgConnection, slug: &str, version: i32) -> Result<StoredCodebook, DbError> {
    stored(
        codebook_versions::table
            .filter(codebook_versions::codebook_slug.eq(slug))
            .filter(codebook_versions::version.eq(version))
            .select(COLUMNS)
            .first(conn)?,
    )
}

/// Every theme id any version of `slug` has had.
pub fn theme_ids_ever(conn: &mut PgConnection, slug: &str) -> Result<Vec<String>, DbError> {
    #[derive(QueryableByName)]
    struct Id {
        #[diesel(sql_type = diesel::sql_types::Text)]
        id: String,
    }
    let ids: Vec<Id> = diesel::sql_query(
        "SELECT DISTINCT theme ->> 'id' AS id
           FROM codebook_versions, jsonb_array_elements(definition -> 'themes') AS theme
          WHERE codebook_slug = $1 AND theme ->> 'id' IS NOT NULL",
    )
    .bind::<diesel::sql_types::Text, _>(slug)
    .load(conn)?;
    Ok(ids.into_iter().map(|row| row.id).collect())
}

/// The latest version of every codebook.
pub fn all_latest(conn: &mut PgConnection) -> Result<Vec<StoredCodebook>, DbError> {
    codebook_versions::table
        .distinct_on(codebook_versions::codebook_slug)
        .order((codebook_versions::codebook_slug, codebook_versions::version.desc()))
        .select(COLUMNS)
        .load::<VersionRow>(conn)?
        .into_iter()
        .map(stored)
        .collect()
}
