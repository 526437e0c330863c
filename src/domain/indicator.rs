//! Indicator plans and their two tables per fiscal year: the activity indicator (target vs actual
//! attendance) and the outcome indicator (attendance as a share of the assumed target population).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::decimal::Tenths;
use super::era::fiscal_year_label;
use super::event::{attended_kind, EventKind};
use super::fiscal_year::FiscalYear;
use super::lang::Localized;
use utoipa::openapi::schema::{Array, ArrayBuilder};
use utoipa::ToSchema;

use super::validation::{field_text, from_json, invalid_value, optional_text, ValidationError};

const MAX_PEOPLE: i64 = 10_000_000;

#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorPlan {
    pub slug: String,
    pub title: Localized,
    pub event_kinds: Vec<EventKind>,
    pub assumed_population: i64,
    pub targets: BTreeMap<FiscalYear, i64>,
    pub texts: PlanTexts,
}

/// What the programme's report says of a plan beside its figures, as staff wrote it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PlanTexts {
    /// What is done (取組内容).
    pub description: Option<String>,
    /// Why this indicator (成果指標設定理由).
    pub indicator_reason: Option<String>,
    /// The evaluation method's three steps: ア publicity, イ questionnaires, ウ drivers.
    pub method_publicity: Option<String>,
    pub method_questionnaires: Option<String>,
    pub method_drivers: Option<String>,
}

/// A plan text's length: a few paragraphs.
const MAX_PLAN_TEXT_CHARS: usize = 5_000;

impl PlanTexts {
    fn from_body(
        description: Option<String>,
        reason: Option<String>,
        method: PlanMethod,
    ) -> Result<Self, ValidationError> {
        let text = |field, text| optional_text(field, text, MAX_PLAN_TEXT_CHARS);
        Ok(Self {
            description: text("description", description)?,
            indicator_reason: text("indicator_reason", reason)?,
            method_publicity: text("method.publicity", method.publicity)?,
            method_questionnaires: text("method.questionnaires", method.questionnaires)?,
            method_drivers: text("method.drivers", method.drivers)?,
        })
    }

    /// The method's steps as the body gives them, left out when none is written.
    fn method(&self) -> Option<PlanMethod> {
        let method = PlanMethod {
            publicity: self.method_publicity.clone(),
            questionnaires: self.method_questionnaires.clone(),
            drivers: self.method_drivers.clone(),
        };
        let written = method.publicity.is_some() || method.questionnaires.is_some() || method.drivers.is_some();
        written.then_some(method)
    }
}

/// Staff's considerations of a goal for a year: Markdown, shown as written.
const MAX_CONSIDERATION_CHARS: usize = 20_000;

/// Staff's considerations of a plan for a year, as `PUT .../considerations/{year}` takes them.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConsiderationBody {
    #[schema(min_length = 1, max_length = 20000)]
    pub text: String,
}

impl ConsiderationBody {
    /// The text as kept: trimmed, not empty, within the limit.
    pub fn checked(self) -> Result<String, ValidationError> {
        field_text("text", &self.text, MAX_CONSIDERATION_CHARS)
    }
}

/// Activity and outcome indicators' plan for a programme, as `PUT /indicator-plans/{slug}` takes
/// it and the dashboard's plan editor is read into: targets per fiscal year.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(examples(json!({"event_kinds": ["seminar"], "assumed_population": 270, "targets": {"2019": 240, "2020": 250}, "title": {"ja": "回復セミナー", "en": "Recovery seminars"}})))]
pub struct IndicatorPlanBody {
    pub title: Localized,
    /// The kinds of attended event the plan counts.
    #[schema(schema_with = attended_kinds)]
    pub event_kinds: Vec<String>,
    /// The population the outcome indicator is a share of.
    #[schema(minimum = 1, maximum = 10000000)]
    pub assumed_population: i64,
    /// Target attendance by fiscal year (the year it starts), e.g. `{"2019": 270}`.
    pub targets: BTreeMap<String, i64>,
    /// What is done (取組内容), as paragraphs and lists.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(max_length = 5000)]
    pub description: Option<String>,
    /// Why this indicator was chosen (成果指標設定理由).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(max_length = 5000)]
    pub indicator_reason: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub method: Option<PlanMethod>,
}

/// A plan as clients see it: its definition (as [`IndicatorPlanBody`], whose schema refuses
/// other fields, so they are listed again) and its slug.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PlanView {
    pub slug: String,
    pub title: Localized,
    #[schema(schema_with = attended_kinds)]
    pub event_kinds: Vec<String>,
    pub assumed_population: i64,
    /// Target attendance by fiscal year (the year it starts).
    pub targets: BTreeMap<String, i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub indicator_reason: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub method: Option<PlanMethod>,
}

/// The evaluation method's three steps, as staff describe them for the report.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanMethod {
    /// ア: how publicity is analysed.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(max_length = 5000)]
    pub publicity: Option<String>,
    /// イ: how questionnaires are tabulated and opinions read.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(max_length = 5000)]
    pub questionnaires: Option<String>,
    /// ウ: how what raises attendance is worked out.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(max_length = 5000)]
    pub drivers: Option<String>,
}

pub fn attended_kinds() -> Array {
    ArrayBuilder::new().items(attended_kind()).min_items(Some(1)).build()
}

impl IndicatorPlan {
    pub fn parse(slug: &str, body: Value) -> Result<Self, ValidationError> {
        if slug.is_empty()
            || slug.len() > 64
            || !slug
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-')
        {
            return Err(ValidationError::new(
                "slug",
                "invalid_value",
                "slug must be lower-case letters, digits, - and _",
            ));
        }
        let body: IndicatorPlanBody = from_json(body)?;
        if !body.title.is_complete() {
            return Err(ValidationError::new(
                "title",
                "invalid_value",
                "title needs non-empty ja and en",
            ));
        }
        if !(1..=MAX_PEOPLE).contains(&body.assumed_population) {
            return Err(ValidationError::new(
                "assumed_population",
                "invalid_value",
                "assumed_population must be a whole number above 0",
            ));
        }
        Ok(Self {
            slug: slug.to_owned(),
            title: body.title,
            event_kinds: parse_kinds(&body.event_kinds)?,
            assumed_population: body.assumed_population,
            targets: parse_targets(&body.targets)?,
            texts: PlanTexts::from_body(body.description, body.indicator_reason, body.method.unwrap_or_default())?,
        })
    }

    /// The plan as clients see it: its definition and its slug.
    pub fn view(&self) -> PlanView {
        let body = self.body();
        PlanView {
            slug: self.slug.clone(),
            title: body.title,
            event_kinds: body.event_kinds,
            assumed_population: body.assumed_population,
            targets: body.targets,
            description: body.description,
            indicator_reason: body.indicator_reason,
            method: body.method,
        }
    }

    /// The plan as `parse` reads it (the slug travels apart, in the path).
    pub fn body(&self) -> IndicatorPlanBody {
        IndicatorPlanBody {
            title: self.title.clone(),
            event_kinds: self.event_kinds.iter().map(|kind| kind.as_str().to_owned()).collect(),
            assumed_population: self.assumed_population,
            targets: self
                .targets
                .iter()
                .map(|(year, target)| (year.0.to_string(), *target))
                .collect(),
            description: self.texts.description.clone(),
            indicator_reason: self.texts.indicator_reason.clone(),
            method: self.texts.method(),
        }
    }

    /// The body as stored.
    pub fn definition(&self) -> Value {
        serde_json::to_value(self.body()).unwrap_or_default()
    }
}

fn parse_kinds(items: &[String]) -> Result<Vec<EventKind>, ValidationError> {
    let invalid = || {
        ValidationError::new(
            "event_kinds",
            "invalid_value",
            "event_kinds is a non-empty list of seminar, forum, study_session, supervision",
        )
    };
    if items.is_empty() {
        return Err(invalid());
    }
    let mut kinds = Vec::with_capacity(items.len());
    for item in items {
        // Waves of the agency survey are not attended: they never count towards attendance.
        let kind = EventKind::parse(item)
            .filter(|kind| kind.is_attended())
            .ok_or_else(invalid)?;
        if !kinds.contains(&kind) {
            kinds.push(kind);
        }
    }
    Ok(kinds)
}

fn parse_targets(map: &BTreeMap<String, i64>) -> Result<BTreeMap<FiscalYear, i64>, ValidationError> {
    let invalid = invalid_value("targets");
    if map.is_empty() {
        return Err(invalid(
            "targets maps fiscal years to attendance, e.g. {\"2019\": 326}".into(),
        ));
    }
    map.iter()
        .map(|(year, &target)| {
            let year = FiscalYear::parse(year)
                .ok_or_else(|| invalid(format!("{year:?} is not a fiscal year such as 2019")))?;
            if !(0..=MAX_PEOPLE).contains(&target) {
                return Err(invalid(format!("the target for {} must be a whole number", year.0)));
            }
            Ok((year, target))
        })
        .collect()
}

/// What happened in one fiscal year: attendance and the number of events it came from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct YearActual {
    pub actual: i64,
    pub events: i64,
}

/// Target against actual attendance for a fiscal year (or in total), and attendance as a share
/// of the assumed population.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct ReportRow {
    /// `None` on the total row.
    pub fiscal_year: Option<i32>,
    pub label_ja: String,
    pub target: i64,
    pub actual: i64,
    pub events: i64,
    #[schema(value_type = Option<f64>)]
    pub mean_per_event: Option<Tenths>,
    /// Actual as a percentage of target, one decimal.
    #[schema(value_type = Option<f64>)]
    pub achievement_rate: Option<Tenths>,
    /// Target as a percentage of the assumed population.
    #[schema(value_type = Option<f64>)]
    pub target_share: Option<Tenths>,
    /// Actual as a percentage of the assumed population.
    #[schema(value_type = Option<f64>)]
    pub actual_share: Option<Tenths>,
}

impl ReportRow {
    fn new(fiscal_year: Option<FiscalYear>, target: i64, actual: YearActual, population: i64) -> Self {
        Self {
            fiscal_year: fiscal_year.map(|y| y.0),
            label_ja: fiscal_year.map_or_else(|| "合計".to_owned(), fiscal_year_label),
            target,
            actual: actual.actual,
            events: actual.events,
            mean_per_event: Tenths::ratio(actual.actual, actual.events),
            achievement_rate: Tenths::percent(actual.actual, target),
            target_share: Tenths::percent(target, population),
            actual_share: Tenths::percent(actual.actual, population),
        }
    }
}

/// One row per fiscal year of the plan and a total row. When the targets add up to the assumed
/// population, the target shares are printed to add up to exactly 100.0, the final year taking the
/// rounding residue, as the reports do.
pub fn report(plan: &IndicatorPlan, actuals: &BTreeMap<FiscalYear, YearActual>) -> (Vec<ReportRow>, ReportRow) {
    let population = plan.assumed_population;
    let mut rows: Vec<ReportRow> = plan
        .targets
        .iter()
        .map(|(year, target)| {
            ReportRow::new(
                Some(*year),
                *target,
                actuals.get(year).copied().unwrap_or_default(),
                population,
            )
        })
        .collect();
    let target_total: i64 = plan.targets.values().sum();
    let actual_total = rows.iter().fold(YearActual::default(), |sum, row| YearActual {
        actual: sum.actual + row.actual,
        events: sum.events + row.events,
    });
    let total = ReportRow::new(None, target_total, actual_total, population);
    if target_total == population {
        let others: i64 = rows
            .iter()
            .rev()
            .skip(1)
            .filter_map(|row| row.target_share)
            .map(|share| share.0)
            .sum();
        if let Some(last) = rows.last_mut() {
            last.target_share = Some(Tenths(Tenths::HUNDRED_PERCENT.0 - others));
        }
    }
    (rows, total)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn plan(population: i64, targets: Value) -> IndicatorPlan {
        IndicatorPlan::parse(
            "seminars",
            json!({"title": {"ja": "回復セミナー", "en": "Recovery seminars"}, "event_kinds": ["seminar"],
                   "assumed_population": population, "targets": targets}),
        )
        .unwrap()
    }

    fn actuals(items: &[(i32, i64, i64)]) -> BTreeMap<FiscalYear, YearActual> {
        items
            .iter()
            .map(|(y, actual, events)| {
                (
                    FiscalYear(*y),
                    YearActual {
                        actual: *actual,
                        events: *events,
                    },
                )
            })
            .collect()
    }

    #[test]
    fn a_plans_texts_are_kept_and_read_back() {
        let body = json!({"title": {"ja": "回復セミナー", "en": "Recovery seminars"}, "event_kinds": ["seminar"],
            "assumed_population": 270, "targets": {"2019": 120},
            "description": "月2回のセミナー", "indicator_reason": "参加が回復の支えになるため",
            "method": {"publicity": "広報の記録を集計", "drivers": "形式別に比べる"}});
        let plan = IndicatorPlan::parse("seminar", body).unwrap();
        assert_eq!(
            plan.texts.indicator_reason.as_deref(),
            Some("参加が回復の支えになるため")
        );
        assert_eq!(plan.texts.method_questionnaires, None);
        assert_eq!(
            IndicatorPlan::parse("seminar", plan.definition()).unwrap(),
            plan,
            "round trip"
        );
        assert!(plan.definition()["method"].get("questionnaires").is_none());
        let without = IndicatorPlan::parse(
            "seminar",
            json!({"title": {"ja": "a", "en": "a"}, "event_kinds": ["forum"],
            "assumed_population": 1, "targets": {"2019": 1}}),
        )
        .unwrap();
        assert!(without.definition().get("method").is_none() && without.definition().get("description").is_none());
        for (body, field) in [
            (json!({"method": {"publicity": 3}}), "method.publicity"),
            (json!({"method": {"publicity": " "}}), "method.publicity"),
            (json!({"method": {"budget": "x"}}), "method.budget"),
            (json!({"method": "x"}), "method"),
            (json!({"indicator_reason": "長".repeat(5001)}), "indicator_reason"),
        ] {
            let mut full = json!({"title": {"ja": "a", "en": "a"}, "event_kinds": ["forum"], "assumed_population": 1, "targets": {"2019": 1}});
            for (key, value) in body.as_object().unwrap() {
                full[key] = value.clone();
            }
            assert_eq!(IndicatorPlan::parse("x", full).unwrap_err().field, field, "{body}");
        }
    }

    #[test]
    fn target_shares_add_up_to_exactly_one_hundred() {
        let plan = plan(270, json!({"2018": 50, "2019": 120, "2020": 100}));
        let (rows, total) = report(&plan, &BTreeMap::new());
        let shares: Vec<String> = rows.iter().map(|r| r.target_share.unwrap().to_string()).collect();
        assert_eq!(shares, ["18.5", "44.4", "37.1"]);
        assert_eq!(total.target_share.unwrap().to_string(), "100.0");
    }

    #[test]
    fn shares_are_left_alone_when_targets_do_not_fill_the_population() {
        let plan = plan(820, json!({"2018": 246, "2019": 326, "2020": 248}));
        let (rows, _) = report(&plan, &BTreeMap::new());
        let shares: Vec<String> = rows.iter().map(|r| r.target_share.unwrap().to_string()).collect();
        assert_eq!(shares, ["30.0", "39.8", "30.2"]);
    }

    #[test]
    fn the_definition_reads_back_as_the_same_plan() {
        let plan = plan(820, json!({"2018": 246, "2019": 326}));
        assert_eq!(IndicatorPlan::parse("seminars", plan.definition()).unwrap(), plan);
    }

    #[test]
    fn rows_and_total_carry_every_indicator() {
        let plan = plan(270, json!({"2018": 90, "2019": 90, "2020": 90}));
        let (rows, total) = report(&plan, &actuals(&[(2018, 20, 24), (2019, 28, 22)]));
        assert_eq!(rows[0].label_ja, "H30年度");
        assert_eq!(rows[1].label_ja, "R1年度");
        assert_eq!(rows[0].mean_per_event.unwrap().to_string(), "0.8");
        assert_eq!(rows[1].achievement_rate.unwrap().to_string(), "31.1");
        assert_eq!(rows[2].actual, 0);
        assert_eq!(rows[2].mean_per_event, None, "no events, no mean");
        assert_eq!(total.label_ja, "合計");
        assert_eq!((total.actual, total.events, total.target), (48, 46, 270));
        assert_eq!(total.actual_share.unwrap().to_string(), "17.8");
    }

    #[test]
    fn bad_plans_name_their_field() {
        let field_of = |body: Value| IndicatorPlan::parse("p", body).unwrap_err().field;
        let title = json!({"ja": "a", "en": "b"});
        assert_eq!(
            field_of(json!({"event_kinds": ["seminar"], "assumed_population": 1, "targets": {"2019": 1}})),
            "title"
        );
        assert_eq!(
            field_of(
                json!({"title": title, "event_kinds": ["party"], "assumed_population": 1, "targets": {"2019": 1}})
            ),
            "event_kinds"
        );
        assert_eq!(
            field_of(
                json!({"title": title, "event_kinds": ["seminar"], "assumed_population": 0, "targets": {"2019": 1}})
            ),
            "assumed_population"
        );
        assert_eq!(
            field_of(
                json!({"title": title, "event_kinds": ["seminar"], "assumed_population": 5, "targets": {"R1": 1}})
            ),
            "targets"
        );
        assert_eq!(
            field_of(
                json!({"title": title, "event_kinds": ["seminar"], "assumed_population": 5, "targets": {"2019": -1}})
            ),
            "targets"
        );
        assert!(IndicatorPlan::parse("Bad Slug", json!({})).is_err());
    }
}
