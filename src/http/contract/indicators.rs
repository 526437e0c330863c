//! Indicator plans, their reports and considerations, and the programme profile.

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use crate::db::indicator_plans::StoredPlan;
use crate::domain::indicator::PlanView;
use crate::domain::programme::ProgrammeProfile;
use crate::reports::indicators::PlanReportView;

/// A stored plan: its definition and when it was made and last replaced.
#[derive(Serialize, ToSchema)]
pub struct IndicatorPlanView {
    #[serde(flatten)]
    pub plan: PlanView,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<&StoredPlan> for IndicatorPlanView {
    fn from(stored: &StoredPlan) -> Self {
        Self {
            plan: stored.plan.view(),
            created_at: stored.created_at,
            updated_at: stored.updated_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct IndicatorPlanList {
    pub plans: Vec<IndicatorPlanView>,
}

#[derive(Serialize, ToSchema)]
pub struct PlanReportList {
    pub plans: Vec<PlanReportView>,
}

/// Staff's considerations of a plan for a fiscal year.
#[derive(Serialize, ToSchema)]
pub struct ConsiderationView<'a> {
    pub plan: &'a str,
    /// The year the fiscal year starts.
    pub fiscal_year: i32,
    pub text: &'a str,
}

/// The stored profile, every field present, and when it was last written (`null` before).
#[derive(Serialize, ToSchema)]
pub struct ProgrammeView<'a> {
    #[serde(flatten)]
    pub profile: &'a ProgrammeProfile,
    pub updated_at: Option<DateTime<Utc>>,
}
