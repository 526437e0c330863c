//! The agencies list.

use chrono::{DateTime, SubsecRound, Utc};
use diesel::prelude::*;
use diesel::result::DatabaseErrorKind;

use super::schema::{agencies, responses};
use super::DbError;
use crate::domain::agency::Agency;
use crate::domain::form::{Choice, AGENCY_QUESTION};
use crate::domain::lang::Localized;
use crate::domain::vocabulary::AGENCY_KINDS;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = agencies)]
pub struct StoredAgency {
    pub slug: String,
    pub name_ja: String,
    pub name_en: Option<String>,
    pub kind: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl StoredAgency {
    pub fn agency(&self) -> Agency {
        Agency {
            slug: self.slug.clone(),
            name_ja: self.name_ja.clone(),
            name_en: self.name_en.clone(),
            kind: self.kind.clone(),
        }
    }
}

/// Creates or replaces an agency; tells which it did.
pub fn put(conn: &mut PgConnection, agency: &Agency) -> Result<(StoredAgency, bool), DbError> {
    // PostgreSQL keeps microseconds; comparing at that precision tells a new row from a replaced one.
    let now = Utc::now().trunc_subsecs(6);
    let stored: StoredAgency = diesel::insert_into(agencies::table)
        .values((
            agencies::slug.eq(&agency.slug),
            agencies::name_ja.eq(&agency.name_ja),
            agencies::name_en.eq(&agency.name_en),
            agencies::kind.eq(&agency.kind),
            agencies::created_at.eq(now),
            agencies::updated_at.eq(now),
        ))
        .on_conflict(agencies::slug)
        .do_update()
        .set((
            agencies::name_ja.eq(&agency.name_ja),
            agencies::name_en.eq(&agency.name_en),
            agencies::kind.eq(&agency.kind),
            agencies::updated_at.eq(now),
        ))
        .returning(StoredAgency::as_returning())
        .get_result(conn)?;
    let created = stored.created_at == now;
    Ok((stored, created))
}

pub fn list(conn: &mut PgConnection) -> Result<Vec<StoredAgency>, DbError> {
    Ok(agencies::table
        .order((agencies::kind, agencies::slug))
        .select(StoredAgency::as_select())
        .load(conn)?)
}

pub fn find(conn: &mut PgConnection, slug: &str) -> Result<StoredAgency, DbError> {
    Ok(agencies::table
        .find(slug)
        .select(StoredAgency::as_select())
        .first(conn)?)
}

/// Marks agencies as loaded by `tsunagari demo`.
pub fn mark_demo(conn: &mut PgConnection, slugs: &[&str]) -> Result<(), DbError> {
    diesel::update(agencies::table.filter(agencies::slug.eq_any(slugs)))
        .set(agencies::demo.eq(true))
        .execute(conn)?;
    Ok(())
}

/// Deletes the demo agencies (after the demo events, whose publicity named them).
pub fn delete_demo(conn: &mut PgConnection) -> Result<usize, DbError> {
    Ok(diesel::delete(agencies::table.filter(agencies::demo)).execute(conn)?)
}

/// Why an agency cannot be deleted: records or answers name it, and would lose their meaning.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InUse {
    Publicity,
    Answers,
}

pub fn delete(conn: &mut PgConnection, slug: &str) -> Result<Result<(), InUse>, DbError> {
    let answered = diesel::select(diesel::dsl::exists(
        responses::table.filter(responses::answers.retrieve_as_text(AGENCY_QUESTION).eq(slug)),
    ))
    .get_result::<bool>(conn)?;
    if answered {
        return Ok(Err(InUse::Answers));
    }
    match diesel::delete(agencies::table.find(slug)).execute(conn) {
        Ok(0) => Err(diesel::result::Error::NotFound.into()),
        Ok(_) => Ok(Ok(())),
        Err(diesel::result::Error::DatabaseError(DatabaseErrorKind::ForeignKeyViolation, _)) => {
            Ok(Err(InUse::Publicity))
        }
        Err(other) => Err(other.into()),
    }
}

/// The list as the options of the agency question: by kind in the list's order, then by name,
/// each named with its kind so a person can tell two alike apart.
pub fn as_choices(conn: &mut PgConnection) -> Result<Vec<Choice>, DbError> {
    let mut agencies = list(conn)?;
    let rank = |kind: &str| AGENCY_KINDS.terms().position(|term| term.id == kind);
    agencies.sort_by(|a, b| (rank(&a.kind), &a.name_ja).cmp(&(rank(&b.kind), &b.name_ja)));
    Ok(agencies
        .into_iter()
        .map(|agency| {
            let kind = AGENCY_KINDS.find(&agency.kind);
            let name_en = agency.name_en.as_deref().unwrap_or(&agency.name_ja);
            Choice {
                value: agency.slug.clone(),
                label: Localized {
                    ja: format!("{}（{}）", agency.name_ja, kind.map_or("", |k| k.ja)),
                    en: format!("{name_en} ({})", kind.map_or("", |k| k.en)),
                },
            }
        })
        .collect())
}
