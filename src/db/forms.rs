//! Forms and their versions. A version is immutable: a changed file adds a version, it never edits one.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use uuid::Uuid;

use super::schema::{api_tokens, form_versions, forms};
use super::DbError;
use crate::domain::form::FormDefinition;

#[derive(Debug, Clone)]
pub struct StoredForm {
    pub id: Uuid,
    pub version: i32,
    pub definition: FormDefinition,
    pub created_at: DateTime<Utc>,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = form_versions)]
struct FormVersionRow {
    id: Uuid,
    version: i32,
    definition: serde_json::Value,
    created_at: DateTime<Utc>,
}

impl TryFrom<FormVersionRow> for StoredForm {
    type Error = DbError;

    fn try_from(row: FormVersionRow) -> Result<Self, DbError> {
        let definition = FormDefinition::from_value(row.definition)
            .map_err(|e| DbError::Corrupt(format!("form version {}: {e}", row.id)))?;
        Ok(Self {
            id: row.id,
            version: row.version,
            definition,
            created_at: row.created_at,
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SyncOutcome {
    pub version: i32,
    pub is_new: bool,
}

/// Stores `form` as a new version unless its content is already stored, as uploaded with the token
/// `created_by` (none for the shipped files). Safe to run from several processes at once: the
/// form's row is locked while its versions are compared.
pub fn sync(conn: &mut PgConnection, form: &FormDefinition, created_by: Option<Uuid>) -> Result<SyncOutcome, DbError> {
    let hash = form.content_hash();
    conn.transaction(|conn| {
        diesel::insert_into(forms::table)
            .values(forms::slug.eq(&form.slug))
            .on_conflict_do_nothing()
            .execute(conn)?;
        forms::table
            .find(&form.slug)
            .select(forms::slug)
            .for_update()
            .first::<String>(conn)?;
        let existing = form_versions::table
            .filter(form_versions::form_slug.eq(&form.slug))
            .filter(form_versions::content_hash.eq(&hash))
            .select(form_versions::version)
            .first::<i32>(conn)
            .optional()?;
        if let Some(version) = existing {
            return Ok(SyncOutcome { version, is_new: false });
        }
        let latest: Option<i32> = form_versions::table
            .filter(form_versions::form_slug.eq(&form.slug))
            .select(diesel::dsl::max(form_versions::version))
            .first(conn)?;
        let version = latest.unwrap_or(0) + 1;
        diesel::insert_into(form_versions::table)
            .values((
                form_versions::id.eq(Uuid::now_v7()),
                form_versions::form_slug.eq(&form.slug),
                form_versions::version.eq(version),
                form_versions::content_hash.eq(&hash),
                form_versions::definition.eq(form.to_value()),
                form_versions::created_by.eq(created_by),
            ))
            .execute(conn)?;
        Ok(SyncOutcome { version, is_new: true })
    })
}

pub fn latest(conn: &mut PgConnection, slug: &str) -> Result<StoredForm, DbError> {
    form_versions::table
        .filter(form_versions::form_slug.eq(slug))
        .order(form_versions::version.desc())
        .select(FormVersionRow::as_select())
        .first(conn)?
        .try_into()
}

pub fn by_version(conn: &mut PgConnection, slug: &str, version: i32) -> Result<StoredForm, DbError> {
    form_versions::table
        .filter(form_versions::form_slug.eq(slug))
        .filter(form_versions::version.eq(version))
        .select(FormVersionRow::as_select())
        .first(conn)?
        .try_into()
}

/// Versions `from` and `to` of `slug`, to compare; `NotFound` when either is missing.
pub fn pair(conn: &mut PgConnection, slug: &str, from: i32, to: i32) -> Result<(StoredForm, StoredForm), DbError> {
    Ok((by_version(conn, slug, from)?, by_version(conn, slug, to)?))
}

pub fn by_id(conn: &mut PgConnection, id: Uuid) -> Result<StoredForm, DbError> {
    form_versions::table
        .find(id)
        .select(FormVersionRow::as_select())
        .first(conn)?
        .try_into()
}

/// The latest version of every form, by slug.
pub fn all_latest(conn: &mut PgConnection) -> Result<Vec<StoredForm>, DbError> {
    form_versions::table
        .distinct_on(form_versions::form_slug)
        .order((form_versions::form_slug, form_versions::version.desc()))
        .select(FormVersionRow::as_select())
        .load(conn)?
        .into_iter()
        .map(StoredForm::try_from)
        .collect()
}

/// A version as the forms page lists it.
#[derive(Debug, Clone, Queryable)]
pub struct VersionSummary {
    pub version: i32,
    pub created_at: DateTime<Utc>,
    /// The name of the token that uploaded it; none for a shipped file.
    pub created_by: Option<String>,
    /// How many events ask it.
    pub events: i64,
}

/// Every version of `slug`, newest first.
pub fn versions(conn: &mut PgConnection, slug: &str) -> Result<Vec<VersionSummary>, DbError> {
    use super::schema::events;
    let asked_by = events::table
        .filter(events::form_version_id.eq(form_versions::id))
        .count()
        .single_value();
    Ok(form_versions::table
        .left_join(api_tokens::table)
        .filter(form_versions::form_slug.eq(slug))
        .order(form_versions::version.desc())
        .select((
            form_versions::version,
            form_versions::created_at,
            api_tokens::name.nullable(),
            asked_by.assume_not_null(),
        ))
        .load(conn)?)
}
