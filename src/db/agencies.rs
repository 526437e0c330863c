//! The agencies list.

use chrono::{DateTime, SubsecRound, Utc};
use diesel::prelude::*;

use super::schema::agencies;
use super::DbError;
use crate::domain::agency::Agency;

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

pub fn delete(conn: &mut PgConnection, slug: &str) -> Result<(), DbError> {
    match diesel::delete(agencies::table.find(slug)).execute(conn)? {
        0 => Err(diesel::result::Error::NotFound.into()),
        _ => Ok(()),
    }
}
