//! Indicator plans, stored as the definition staff gave and read back through its parser.

use chrono::{DateTime, SubsecRound, Utc};
use diesel::prelude::*;

use std::collections::BTreeMap;

use super::schema::{indicator_plans, plan_considerations};
use super::DbError;
use crate::domain::fiscal_year::FiscalYear;
use crate::domain::indicator::IndicatorPlan;

#[derive(Debug, Clone)]
pub struct StoredPlan {
    pub plan: IndicatorPlan,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = indicator_plans)]
struct PlanRow {
    slug: String,
    definition: serde_json::Value,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl TryFrom<PlanRow> for StoredPlan {
    type Error = DbError;

    fn try_from(row: PlanRow) -> Result<Self, DbError> {
        let plan = IndicatorPlan::parse(&row.slug, row.definition)
            .map_err(|e| DbError::Corrupt(format!("indicator plan {}: {e}", row.slug)))?;
        Ok(Self {
            plan,
            created_at: row.created_at,
            updated_at: row.updated_at,
        })
    }
}

/// Creates or replaces a plan; tells which it did.
pub fn put(conn: &mut PgConnection, plan: &IndicatorPlan) -> Result<(StoredPlan, bool), DbError> {
    // PostgreSQL keeps microseconds; comparing at that precision tells a new row from a replaced one.
    let now = Utc::now().trunc_subsecs(6);
    let created_at: DateTime<Utc> = diesel::insert_into(indicator_plans::table)
        .values((
            indicator_plans::slug.eq(&plan.slug),
            indicator_plans::definition.eq(plan.definition()),
            indicator_plans::created_at.eq(now),
            indicator_plans::updated_at.eq(now),
        ))
        .on_conflict(indicator_plans::slug)
        .do_update()
        .set((
            indicator_plans::definition.eq(plan.definition()),
            indicator_plans::updated_at.eq(now),
        ))
        .returning(indicator_plans::created_at)
        .get_result(conn)?;
    let stored = find(conn, &plan.slug)?;
    Ok((stored, created_at == now))
}

pub fn find(conn: &mut PgConnection, slug: &str) -> Result<StoredPlan, DbError> {
    indicator_plans::table
        .find(slug)
        .select(PlanRow::as_select())
        .first(conn)?
        .try_into()
}

/// Every plan in the order staff set them up (the reports number goals ①②③ so).
pub fn list(conn: &mut PgConnection) -> Result<Vec<StoredPlan>, DbError> {
    indicator_plans::table
        .order((indicator_plans::created_at, indicator_plans::slug))
        .select(PlanRow::as_select())
        .load(conn)?
        .into_iter()
        .map(StoredPlan::try_from)
        .collect()
}

pub fn delete(conn: &mut PgConnection, slug: &str) -> Result<(), DbError> {
    match diesel::delete(indicator_plans::table.find(slug)).execute(conn)? {
        0 => Err(diesel::result::Error::NotFound.into()),
        _ => Ok(()),
    }
}

pub fn mark_demo(conn: &mut PgConnection, slug: &str) -> Result<(), DbError> {
    diesel::update(indicator_plans::table.find(slug))
        .set(indicator_plans::demo.eq(true))
        .execute(conn)?;
    Ok(())
}

/// Deletes the demo plans; how many.
pub fn delete_demo(conn: &mut PgConnection) -> Result<usize, DbError> {
    Ok(diesel::delete(indicator_plans::table.filter(indicator_plans::demo)).execute(conn)?)
}

/// Staff's considerations of a plan, by fiscal year.
pub fn considerations(conn: &mut PgConnection, slug: &str) -> Result<BTreeMap<FiscalYear, String>, DbError> {
    Ok(plan_considerations::table
        .filter(plan_considerations::plan_slug.eq(slug))
        .select((plan_considerations::fiscal_year, plan_considerations::text))
        .load::<(i32, String)>(conn)?
        .into_iter()
        .map(|(year, text)| (FiscalYear(year), text))
        .collect())
}

/// Sets the considerations of `slug` for `year`; true when there were none before. A missing
/// plan is `NotFound`.
pub fn put_consideration(conn: &mut PgConnection, slug: &str, year: FiscalYear, text: &str) -> Result<bool, DbError> {
    conn.transaction(|conn| {
        find(conn, slug)?;
        let existed: bool =
            diesel::select(diesel::dsl::exists(plan_considerations::table.find((slug, year.0)))).get_result(conn)?;
        diesel::insert_into(plan_considerations::table)
            .values((
                plan_considerations::plan_slug.eq(slug),
                plan_considerations::fiscal_year.eq(year.0),
                plan_considerations::text.eq(text),
            ))
            .on_conflict((plan_considerations::plan_slug, plan_considerations::fiscal_year))
            .do_update()
            .set((
                plan_considerations::text.eq(text),
                plan_considerations::updated_at.eq(Utc::now()),
            ))
            .execute(conn)?;
        Ok(!existed)
    })
}
