//! The evaluation report (効果検証) written by the service: per goal (indicator plan), the activity
//! and outcome indicators, ア how events were publicised and which channels reached people, イ who
//! answered and what they said (attributes, satisfaction, opinion themes with quotes staff chose),
//! ウ staff's considerations, and whether each target was met. Every figure comes from the
//! functions the API serves.

use std::collections::BTreeMap;

use analysis::breakdown::{Breakdown, Cell};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::db::{self, Connections};
use crate::domain::analysis_request::{BreakdownRequest, CommentSource};
use crate::domain::era::fiscal_year_label;
use crate::domain::event::EventKind;
use crate::domain::event_column::EventColumn;
use crate::domain::event_comparison::EventScope;
use crate::domain::fiscal_year::FiscalYear;
use crate::domain::indicator::{IndicatorPlan, ReportRow};
use crate::domain::query_params::QueryParams;
use crate::domain::release_request::Readers;
use crate::domain::response_filter::{fiscal_year_text, ResponseFilter};
use crate::domain::token::Staff;
use crate::domain::validation::ValidationError;
use crate::reports::document::{Block, Document};
use crate::services::analyses::{self, AnalysesError, Tabulation, OPINION_QUESTION};
use crate::services::coding::{self, ThemesRequest};
use crate::services::publicity_reach;

/// The attributes the method tabulates respondents by.
const ATTRIBUTES: [&str; 3] = ["gender", "age_band", "occupation"];
const SATISFACTION: &str = "satisfaction";
const STARTER_CODEBOOK: &str = "starter";

/// The fiscal years a report covers and the codebook it counts themes by.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReportParams {
    /// The first fiscal year, by the year it starts.
    #[param(value_type = i32)]
    from_fiscal_year: String,
    /// The last, at most ten years later.
    #[param(value_type = i32)]
    to_fiscal_year: String,
    /// The codebook whose themes the report counts (`starter` when left out).
    codebook: Option<String>,
}

pub struct ReportRequest {
    /// The report holds live figures: staff's only.
    pub staff: Staff,
    pub from: FiscalYear,
    pub to: FiscalYear,
    pub codebook: String,
}

impl ReportRequest {
    pub fn parse(params: &mut QueryParams, staff: Staff) -> Result<Self, ValidationError> {
        let given: ReportParams = params.take()?;
        let from = fiscal_year_text("from_fiscal_year", &given.from_fiscal_year)?;
        let to = fiscal_year_text("to_fiscal_year", &given.to_fiscal_year)?;
        if to < from || to.0 - from.0 > 10 {
            return Err(ValidationError::new(
                "to_fiscal_year",
                "invalid_value",
                "to_fiscal_year is from_fiscal_year or up to ten years after it",
            ));
        }
        let codebook = given.codebook.unwrap_or_else(|| STARTER_CODEBOOK.to_owned());
        Ok(Self {
            staff,
            from,
            to,
            codebook,
        })
    }

    pub fn years(&self) -> Vec<FiscalYear> {
        (self.from.0..=self.to.0).map(FiscalYear).collect()
    }
}

fn year_range(request: &ReportRequest) -> String {
    format!("{}〜{}", fiscal_year_label(request.from), fiscal_year_label(request.to))
}

pub fn build(connections: &mut impl Connections, request: &ReportRequest) -> Result<Document, AnalysesError> {
    let plans = connections.with(|conn| {
        db::indicator_plans::list(conn)?
            .into_iter()
            .map(|stored| {
                let considerations = db::indicator_plans::considerations(conn, &stored.plan.slug)?;
                Ok((
                    analyses::plan_report(conn, stored.plan, Readers::Staff)?,
                    considerations,
                ))
            })
            .collect::<Result<Vec<_>, _>>()
    })?;
    let mut blocks = Vec::new();
    if plans.is_empty() {
        blocks.push(Block::Paragraph("指標の計画がまだありません。".into()));
    }
    for (report, considerations) in plans {
        let plan = &report.plan;
        blocks.push(Block::Heading(2, plan.title.ja.clone()));
        let texts = &plan.texts;
        for (heading, text) in [
            ("取組内容", &texts.description),
            ("成果指標設定理由", &texts.indicator_reason),
        ] {
            if let Some(text) = text {
                blocks.push(Block::Heading(3, heading.into()));
                blocks.push(Block::StaffText(text.clone()));
            }
        }
        let rows: Vec<&ReportRow> = report
            .rows
            .iter()
            .filter(|row| {
                row.fiscal_year
                    .is_some_and(|y| (request.from.0..=request.to.0).contains(&y))
            })
            .collect();
        indicator_blocks(&mut blocks, &rows, plan.assumed_population);
        findings(connections, &mut blocks, request, plan, 3, true)?;
        blocks.push(Block::Heading(3, "ウ 考察".into()));
        blocks.extend(method_text(texts.method_drivers.as_deref()));
        for year in request.years() {
            blocks.push(Block::Heading(4, fiscal_year_label(year)));
            blocks.push(match considerations.get(&year) {
                Some(text) => Block::StaffText(text.clone()),
                None => Block::Paragraph("（未記入）".into()),
            });
        }
    }
    Ok(Document {
        title: format!("効果検証（{}）", year_range(request)),
        blocks,
    })
}

/// ア and イ of one goal: how its events were publicised and which channels reached people, then
/// who answered and what they said, under headings of `level` (their tables one below), each
/// after the plan's text of how it is done if `with_methods`.
pub fn findings(
    connections: &mut impl Connections,
    blocks: &mut Vec<Block>,
    request: &ReportRequest,
    plan: &IndicatorPlan,
    level: u8,
    with_methods: bool,
) -> Result<(), AnalysesError> {
    let texts = &plan.texts;
    let method = |text: &Option<String>| method_text(text.as_deref().filter(|_| with_methods));
    let scope = EventScope {
        kinds: plan.event_kinds.clone(),
        from: Some(request.from),
        to: Some(request.to),
    };
    blocks.push(Block::Heading(level, "ア 周知・広報".into()));
    blocks.extend(method(&texts.method_publicity));
    publicity_blocks(connections, blocks, &scope)?;
    blocks.push(Block::Heading(level, "イ アンケートの集計と意見".into()));
    blocks.extend(method(&texts.method_questionnaires));
    for kind in &plan.event_kinds {
        survey_blocks(connections, blocks, request, *kind, level + 1)?;
    }
    Ok(())
}

fn or_dash<T: ToString>(value: Option<T>) -> String {
    value.map_or_else(|| "—".to_owned(), |v| v.to_string())
}

fn verdict(row: &ReportRow) -> &'static str {
    if row.actual >= row.target {
        "目標を達成した"
    } else {
        "目標は達成できなかった"
    }
}

fn indicator_blocks(blocks: &mut Vec<Block>, rows: &[&ReportRow], population: i64) {
    blocks.push(Block::Heading(3, "活動指標（目標と実績）".into()));
    blocks.push(Block::Table {
        headers: [
            "年度",
            "目標（人）",
            "実績（人）",
            "開催回数",
            "1回あたり平均（人）",
            "達成率（%）",
        ]
        .map(String::from)
        .to_vec(),
        rows: rows
            .iter()
            .map(|row| {
                vec![
                    row.label_ja.clone(),
                    row.target.to_string(),
                    row.actual.to_string(),
                    row.events.to_string(),
                    or_dash(row.mean_per_event),
                    or_dash(row.achievement_rate),
                ]
            })
            .collect(),
    });
    blocks.push(Block::Heading(
        3,
        format!("成果指標（想定対象者 {population} 人に対する割合）"),
    ));
    blocks.push(Block::Table {
        headers: ["年度", "目標（%）", "実績（%）"].map(String::from).to_vec(),
        rows: rows
            .iter()
            .map(|row| {
                vec![
                    row.label_ja.clone(),
                    or_dash(row.target_share),
                    or_dash(row.actual_share),
                ]
            })
            .collect(),
    });
    for row in rows {
        blocks.push(Block::Paragraph(format!(
            "{}：目標{}人に対し実績{}人（{}回開催）。{}。",
            row.label_ja,
            row.target,
            row.actual,
            row.events,
            verdict(row)
        )));
    }
}

/// How a step of the evaluation was carried out, as the plan says, before its results.
fn method_text(text: Option<&str>) -> Option<Block> {
    text.map(|text| Block::StaffText(text.to_owned()))
}

fn publicity_blocks(
    connections: &mut impl Connections,
    blocks: &mut Vec<Block>,
    scope: &EventScope,
) -> Result<(), AnalysesError> {
    let reach = publicity_reach::analyse(connections, scope)?;
    if reach.channels.is_empty() {
        blocks.push(Block::Paragraph("広報の記録がないため、この項は省略しました。".into()));
        return Ok(());
    }
    blocks.push(Block::Paragraph(format!(
        "対象の {} 回のうち {} 回で広報を記録した。",
        reach.events, reach.events_with_publicity
    )));
    let percent = |share: Option<f64>| share.map_or_else(|| "—".to_owned(), |s| format!("{:.1}%", s * 100.0));
    let rows = |rows: &[publicity_reach::ReachRow]| -> Vec<Vec<String>> {
        rows.iter()
            .map(|row| {
                vec![
                    row.label["ja"].as_str().unwrap_or(&row.key).to_owned(),
                    row.events.to_string(),
                    percent(row.reach.share),
                    row.reach
                        .attendees_reached
                        .map_or_else(|| "—".to_owned(), |n| format!("{n:.1}")),
                    row.reach.cost.to_string(),
                    row.reach
                        .cost_per_attendee_reached
                        .map_or_else(|| "—".to_owned(), |y| format!("{y:.0}")),
                ]
            })
            .collect()
    };
    let headers = |first: &str, share: &str| {
        vec![
            first.to_owned(),
            "使った回".into(),
            share.to_owned(),
            "届いた参加者（推計）".into(),
            "費用（円）".into(),
            "1人あたり（円）".into(),
        ]
    };
    blocks.push(Block::Table {
        headers: headers("経路", "この経路で知った回答者"),
        rows: rows(&reach.channels),
    });
    if !reach.agency_kinds.is_empty() {
        blocks.push(Block::Table {
            headers: headers("周知した機関の種別", "この種別から紹介された回答者"),
            rows: rows(&reach.agency_kinds),
        });
    }
    Ok(())
}

/// The breakdown of `question` by fiscal year over events of `kind` in the report's years.
fn by_year(
    connections: &mut impl Connections,
    request: &ReportRequest,
    kind: EventKind,
    question: &str,
) -> Result<Option<Breakdown>, AnalysesError> {
    let breakdown = BreakdownRequest {
        staff: request.staff,
        filter: filter_of(request, kind),
        question: question.to_owned(),
        by: vec![EventColumn::FiscalYear.id().to_owned()],
        min_cell: 0,
    };
    match analyses::breakdown(connections, &breakdown, Tabulation::Breakdown) {
        Ok(result) => Ok(Some(result.table)),
        // A form without the question has nothing to show here.
        Err(AnalysesError::Invalid(_)) => Ok(None),
        Err(error) => Err(error),
    }
}

fn filter_of(request: &ReportRequest, kind: EventKind) -> ResponseFilter {
    ResponseFilter {
        form: kind.default_form().to_owned(),
        kind: Some(kind),
        from: Some(request.from.first_day()),
        to: Some(request.to.last_day()),
        ..ResponseFilter::default()
    }
}

/// The group of `table` for fiscal year `year`.
fn year_cell(table: &Breakdown, year: FiscalYear) -> Option<&Cell> {
    let key = year.0.to_string();
    table
        .groups
        .iter()
        .find(|group| {
            group
                .key
                .get(EventColumn::FiscalYear.id())
                .cloned()
                .flatten()
                .as_deref()
                == Some(key.as_str())
        })
        .map(|group| &group.cell)
}

fn count_and_share(cell: Option<&Cell>, option: &str) -> String {
    let Some(cell) = cell else { return "—".to_owned() };
    let count = cell.counts.as_ref().and_then(|c| c.get(option).copied().flatten());
    let share = cell.percentages.as_ref().and_then(|p| p.get(option).copied().flatten());
    match (count, share) {
        (Some(count), Some(share)) => format!("{count}（{share:.1}%）"),
        (Some(count), None) => count.to_string(),
        _ => "—".to_owned(),
    }
}

fn survey_blocks(
    connections: &mut impl Connections,
    blocks: &mut Vec<Block>,
    request: &ReportRequest,
    kind: EventKind,
    level: u8,
) -> Result<(), AnalysesError> {
    let years = request.years();
    let mut headers = vec!["項目".to_owned()];
    headers.extend(years.iter().map(|y| fiscal_year_label(*y)));
    headers.push("合計".into());
    blocks.push(Block::Heading(level, format!("{}（回答者の属性）", kind.names().0)));
    let mut asks_attributes = false;
    for attribute in ATTRIBUTES {
        let Some(table) = by_year(connections, request, kind, attribute)? else {
            continue;
        };
        asks_attributes = true;
        if table.total.n.unwrap_or(0) == 0 {
            blocks.push(Block::Paragraph(format!(
                "{}：回答がありません。",
                table.question_label.ja
            )));
            continue;
        }
        let mut header = headers.clone();
        header[0] = table.question_label.ja.clone();
        let rows = table
            .options
            .iter()
            .map(|option| {
                let mut row = vec![option.label.ja.clone()];
                row.extend(
                    years
                        .iter()
                        .map(|y| count_and_share(year_cell(&table, *y), &option.value)),
                );
                row.push(count_and_share(Some(&table.total), &option.value));
                row
            })
            .collect();
        blocks.push(Block::Table { headers: header, rows });
    }
    if !asks_attributes {
        blocks.push(Block::Paragraph(
            "この催しの様式は性別・年代・職業をたずねていないため、属性別の集計はありません。".into(),
        ));
    }
    if let Some(table) = by_year(connections, request, kind, SATISFACTION)? {
        let mean = |cell: Option<&Cell>| {
            cell.and_then(|c| c.moments.as_ref())
                .and_then(|m| m.mean)
                .map_or_else(|| "—".to_owned(), |m| format!("{m:.2}"))
        };
        let n = |cell: Option<&Cell>| or_dash(cell.and_then(|c| c.n));
        let mut row_mean = vec![format!("{}（平均）", table.question_label.ja)];
        row_mean.extend(years.iter().map(|y| mean(year_cell(&table, *y))));
        row_mean.push(mean(Some(&table.total)));
        let mut row_n = vec!["回答者数".to_owned()];
        row_n.extend(years.iter().map(|y| n(year_cell(&table, *y))));
        row_n.push(n(Some(&table.total)));
        blocks.push(Block::Table {
            headers: headers.clone(),
            rows: vec![row_mean, row_n],
        });
    }
    theme_blocks(connections, blocks, request, kind, &headers, level)
}

fn theme_blocks(
    connections: &mut impl Connections,
    blocks: &mut Vec<Block>,
    request: &ReportRequest,
    kind: EventKind,
    headers: &[String],
    level: u8,
) -> Result<(), AnalysesError> {
    blocks.push(Block::Heading(level, format!("{}（意見のテーマ）", kind.names().0)));
    let themes_request = ThemesRequest {
        breakdown: BreakdownRequest {
            staff: request.staff,
            filter: filter_of(request, kind),
            question: OPINION_QUESTION.to_owned(),
            by: vec![EventColumn::FiscalYear.id().to_owned()],
            min_cell: 0,
        },
        codebook: request.codebook.clone(),
        source: CommentSource::Both,
    };
    let result = match coding::themes(connections, &themes_request) {
        Ok(result) => result,
        Err(AnalysesError::Invalid(_)) => {
            blocks.push(Block::Paragraph(
                "意見のコード付けがないため、この項は省略しました。".into(),
            ));
            return Ok(());
        }
        Err(error) => return Err(error),
    };
    if result.table.total.items.unwrap_or(0) == 0 {
        blocks.push(Block::Paragraph("コード付けされた意見がまだありません。".into()));
        return Ok(());
    }
    let years = request.years();
    let in_year = |year: FiscalYear| {
        result
            .table
            .groups
            .iter()
            .find(|group| group.key.first().cloned().flatten() == Some(year.0.to_string()))
    };
    let count = |counts: &BTreeMap<String, Option<u64>>, theme: &str| or_dash(counts.get(theme).copied().flatten());
    let mut rows = Vec::new();
    for theme in &result.codebook.codebook.themes {
        if result.table.total.counts.get(&theme.id).copied().flatten().unwrap_or(0) == 0 {
            continue;
        }
        let mut row = vec![theme.label.ja.clone()];
        row.extend(
            years
                .iter()
                .map(|y| in_year(*y).map_or_else(|| "—".to_owned(), |g| count(&g.counts.counts, &theme.id))),
        );
        row.push(count(&result.table.total.counts, &theme.id));
        rows.push(row);
    }
    let mut header = headers.to_vec();
    header[0] = "テーマ（件数）".into();
    blocks.push(Block::Table { headers: header, rows });
    blocks.push(Block::Paragraph(format!(
        "コード付けした意見 {} 件（{}）。",
        or_dash(result.table.total.items),
        result.codebook.codebook.title.ja
    )));
    for theme in &result.codebook.codebook.themes {
        if let Some(quotes) = result.quotes.get(&theme.id).filter(|q| !q.is_empty()) {
            blocks.push(Block::Paragraph(format!("{}：", theme.label.ja)));
            blocks.push(Block::Quotes(quotes.clone()));
        }
    }
    Ok(())
}
