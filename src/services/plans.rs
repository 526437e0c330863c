//! Indicator plans and staff's considerations of them, written alike from the API and the
//! dashboard.

use std::collections::BTreeMap;

use diesel::{Connection, PgConnection};

use crate::db::indicator_plans::StoredPlan;
use crate::db::{self, DbError};
use crate::domain::fiscal_year::FiscalYear;
use crate::domain::indicator::IndicatorPlan;
use crate::domain::validation::ValidationError;

/// Stores `plan`, replacing one of the same slug; true if it is new.
pub fn find(conn: &mut PgConnection, slug: &str) -> Result<StoredPlan, DbError> {
    db::indicator_plans::find(conn, slug)
}

pub fn save(conn: &mut PgConnection, plan: &IndicatorPlan) -> Result<(StoredPlan, bool), DbError> {
    db::indicator_plans::put(conn, plan)
}

/// Stores a new plan; a slug already taken is the caller's mistake (nothing is replaced).
pub fn create(conn: &mut PgConnection, plan: &IndicatorPlan) -> Result<Result<StoredPlan, ValidationError>, DbError> {
    conn.transaction(|conn| match db::indicator_plans::find(conn, &plan.slug) {
        Ok(_) => Ok(Err(ValidationError::new(
            "slug",
            "taken",
            format!("a plan named {} exists already", plan.slug),
        ))),
        Err(error) if error.is_not_found() => save(conn, plan).map(|(stored, _)| Ok(stored)),
        Err(error) => Err(error),
    })
}

pub fn delete(conn: &mut PgConnection, slug: &str) -> Result<(), DbError> {
    db::indicator_plans::delete(conn, slug)
}

/// The considerations written for plan `slug`, by fiscal year (a missing plan is not found).
pub fn considerations(conn: &mut PgConnection, slug: &str) -> Result<BTreeMap<FiscalYear, String>, DbError> {
    db::indicator_plans::find(conn, slug)?;
    db::indicator_plans::considerations(conn, slug)
}

/// Writes the considerations of plan `slug` for `year`; true if there were none.
pub fn write_consideration(conn: &mut PgConnection, slug: &str, year: FiscalYear, text: &str) -> Result<bool, DbError> {
    db::indicator_plans::put_consideration(conn, slug, year, text)
}
