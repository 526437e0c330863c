//! What the programme's results report (成果報告書) writes from records rather than from staff's
//! texts: a series of events summarised as the filed report does ("毎月2回（第2・第4木曜日）"),
//! its cancelled sessions with their reasons, one line per single event, the indicator tables
//! with the fiscal years as columns, one verdict over the whole period, and the considerations
//! as a numbered list.

use chrono::{Datelike, NaiveDate};

use super::document::{to_html, to_markdown, Document};
use super::docx::{to_docx, DocxError};
use super::staff_text::{self, TextBlock};
use super::table_workbook::{to_xlsx, NamedTable};
use crate::db::events::EventRecord;
use crate::domain::decimal::Tenths;
use crate::domain::era::{fiscal_year_long_label, long_month, short_date};
use crate::domain::fiscal_year::FiscalYear;
use crate::domain::indicator::ReportRow;

/// The report, and its indicator tables for the workbook.
pub struct ProgrammeReport {
    pub document: Document,
    pub tables: Vec<NamedTable>,
}

/// The forms the report is delivered in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// A page that prints on A4.
    Html,
    Markdown,
    Docx,
    /// The indicator tables alone, a sheet each.
    Xlsx,
}

impl Format {
    pub const ALL: [Self; 4] = [Self::Html, Self::Markdown, Self::Docx, Self::Xlsx];
    pub const NAMES: &'static str = "html, md, docx or xlsx";

    pub fn id(self) -> &'static str {
        match self {
            Self::Html => "html",
            Self::Markdown => "md",
            Self::Docx => "docx",
            Self::Xlsx => "xlsx",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|format| format.id() == text)
    }
}

/// A rendered report: its media type, the file name to save it under (none for a page to
/// view), and its bytes.
pub struct Rendered {
    pub content_type: &'static str,
    pub filename: Option<&'static str>,
    pub body: Vec<u8>,
}

#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error(transparent)]
    Docx(#[from] DocxError),
    #[error("cannot write the workbook: {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
}

pub fn render(report: &ProgrammeReport, format: Format) -> Result<Rendered, RenderError> {
    Ok(match format {
        Format::Html => Rendered {
            content_type: "text/html; charset=utf-8",
            filename: None,
            body: to_html(&report.document).into_string().into_bytes(),
        },
        Format::Markdown => Rendered {
            content_type: "text/markdown; charset=utf-8",
            filename: Some("programme-report.md"),
            body: to_markdown(&report.document).into_bytes(),
        },
        Format::Docx => Rendered {
            content_type: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            filename: Some("programme-report.docx"),
            body: to_docx(&report.document)?,
        },
        Format::Xlsx => Rendered {
            content_type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            filename: Some("programme-indicators.xlsx"),
            body: to_xlsx(&report.tables)?,
        },
    })
}

const WEEKDAYS: [(&str, &str); 7] = [
    ("MO", "月"),
    ("TU", "火"),
    ("WE", "水"),
    ("TH", "木"),
    ("FR", "金"),
    ("SA", "土"),
    ("SU", "日"),
];

/// An iCalendar weekday with its ordinal (`2TH`, `-1FR`, `TH`) as Japanese: (`第2`, `木`).
fn weekday(by_day: &str) -> Option<(Option<String>, &'static str)> {
    let split = by_day.len().checked_sub(2)?;
    let (ordinal, code) = by_day.split_at(split);
    let (_, name) = WEEKDAYS.iter().find(|(c, _)| *c == code)?;
    let ordinal = match ordinal {
        "" => None,
        "-1" => Some("最終".to_owned()),
        n => Some(format!("第{}", n.parse::<u8>().ok().filter(|n| (1..=5).contains(n))?)),
    };
    Some((ordinal, name))
}

/// How often a series meets, as the report says it: `毎月2回（第2・第4木曜日）`, `毎週木曜日`;
/// `None` for a rule it cannot say in a few words (the report then counts the sessions only).
pub fn repeat_phrase(rrule: &str) -> Option<String> {
    let mut frequency = None;
    let mut days = Vec::new();
    for part in rrule.split(';') {
        match part.split_once('=')? {
            ("FREQ", value) => frequency = Some(value),
            ("BYDAY", value) => days = value.split(',').map(weekday).collect::<Option<Vec<_>>>()?,
            ("INTERVAL", "1") | ("WKST", _) => {}
            _ => return None,
        }
    }
    match (frequency?, days.as_slice()) {
        ("WEEKLY", [(None, day)]) => Some(format!("毎週{day}曜日")),
        ("MONTHLY", days) if !days.is_empty() && days.iter().all(|(ordinal, _)| ordinal.is_some()) => {
            let same_day = days.iter().all(|(_, day)| *day == days[0].1);
            let named: Vec<String> = days
                .iter()
                .map(|(ordinal, day)| match same_day {
                    true => ordinal.clone().unwrap_or_default(),
                    false => format!("{}{day}曜日", ordinal.clone().unwrap_or_default()),
                })
                .collect();
            let suffix = if same_day {
                format!("{}曜日", days[0].1)
            } else {
                String::new()
            };
            Some(format!("毎月{}回（{}{suffix}）", days.len(), named.join("・")))
        }
        _ => None,
    }
}

/// `は新型コロナウイルスの影響で中止。`: a reason as staff gave it reads on into "中止".
fn cancelled_because(reason: Option<&str>) -> String {
    let reason = reason
        .map(|r| r.trim().trim_end_matches(['。', '.']).trim())
        .filter(|r| !r.is_empty());
    match reason {
        None => "は中止。".to_owned(),
        Some(reason)
            if ["で", "ため", "により", "につき"]
                .iter()
                .any(|end| reason.ends_with(end)) =>
        {
            format!("は{reason}中止。")
        }
        Some(reason) => format!("は{reason}で中止。"),
    }
}

/// The lines of one series over the report's period, `events` in date order with the cancelled
/// ones: how often it met and how many sessions were held, then each cancelled session named by
/// its month and place in that month ("令和2年2月2回目は…で中止。").
pub fn series_lines(events: &[&EventRecord], rrule: Option<&str>) -> Vec<String> {
    let (Some(first), Some(last)) = (events.first(), events.last()) else {
        return Vec::new();
    };
    let held = events.iter().filter(|e| e.cancelled_at.is_none()).count();
    let how_often = rrule
        .and_then(repeat_phrase)
        .map(|phrase| format!("{phrase}、"))
        .unwrap_or_default();
    let mut lines = vec![format!(
        "{}：{how_often}{}〜{}に{held}回開催。",
        first.title,
        short_date(first.held_on),
        short_date(last.held_on)
    )];
    let month_of = |date: NaiveDate| (date.year(), date.month());
    for (i, event) in events.iter().enumerate() {
        if event.cancelled_at.is_none() {
            continue;
        }
        let month = month_of(event.held_on);
        let in_month = events.iter().filter(|e| month_of(e.held_on) == month).count();
        let place = events[..=i].iter().filter(|e| month_of(e.held_on) == month).count();
        let when = match in_month {
            1 => long_month(event.held_on),
            _ => format!("{}{place}回目", long_month(event.held_on)),
        };
        lines.push(format!(
            "{when}{}",
            cancelled_because(event.cancellation_reason.as_deref())
        ));
    }
    lines
}

/// One event held on its own: `R1.6.6 依存症フォーラム（会場：市民会館、テーマ：家族の回復、参加者120人）`.
pub fn event_line(event: &EventRecord) -> String {
    let date = short_date(event.held_on);
    if event.cancelled_at.is_some() {
        return format!(
            "{date} {}{}",
            event.title,
            cancelled_because(event.cancellation_reason.as_deref())
        );
    }
    let mut details = Vec::new();
    if let Some(venue) = &event.venue {
        details.push(format!("会場：{venue}"));
    }
    if let Some(theme) = &event.theme {
        details.push(format!("テーマ：{theme}"));
    }
    details.push(match event.headcount {
        Some(n) => format!("参加者{n}人"),
        None => "参加者数未記録".to_owned(),
    });
    format!("{date} {}（{}）", event.title, details.join("、"))
}

/// The period's sessions and mean attendance, as the 特記事項 cell says it.
fn held_note(rows: &[&ReportRow]) -> String {
    let events: i64 = rows.iter().map(|r| r.events).sum();
    let attendance: i64 = rows.iter().map(|r| r.actual).sum();
    match Tenths::ratio(attendance, events) {
        Some(mean) => format!("計{events}回開催し、平均参加者数{mean}人"),
        None => "開催なし".to_owned(),
    }
}

/// A table's header and rows.
pub type TableRows = (Vec<String>, Vec<Vec<String>>);

fn year_headers(rows: &[&ReportRow]) -> Vec<String> {
    let mut headers = vec!["区分".to_owned(), "単位".to_owned()];
    headers.extend(rows.iter().map(|r| r.label_ja.clone()));
    headers.push("特記事項".to_owned());
    headers
}

fn or_dash(value: Option<Tenths>) -> String {
    value.map_or_else(|| "—".to_owned(), |v| v.to_string())
}

/// The activity indicator: fiscal years as columns, 目標 and 実績 as rows, in people counted
/// per session (延べ人数), with the sessions and mean attendance of the period.
pub fn activity_table(rows: &[&ReportRow]) -> TableRows {
    let mut target = vec!["目標".to_owned(), "延べ人数".to_owned()];
    target.extend(rows.iter().map(|r| r.target.to_string()));
    target.push(String::new());
    let mut actual = vec!["実績".to_owned(), "延べ人数".to_owned()];
    actual.extend(rows.iter().map(|r| r.actual.to_string()));
    actual.push(held_note(rows));
    (year_headers(rows), vec![target, actual])
}

/// The outcome indicator: attendance as a share of the assumed population, laid out as the
/// activity indicator is.
pub fn outcome_table(rows: &[&ReportRow], population: i64) -> TableRows {
    let mut target = vec!["目標".to_owned(), "%".to_owned()];
    target.extend(rows.iter().map(|r| or_dash(r.target_share)));
    target.push(format!("想定対象者{population}人に対する割合"));
    let mut actual = vec!["実績".to_owned(), "%".to_owned()];
    actual.extend(rows.iter().map(|r| or_dash(r.actual_share)));
    actual.push(String::new());
    (year_headers(rows), vec![target, actual])
}

/// One verdict over the period, as the filed report judges each goal: the period's attendance
/// against the period's target, the years in prose's long era form.
pub fn period_verdict(rows: &[&ReportRow]) -> String {
    let years: Vec<FiscalYear> = rows.iter().filter_map(|r| r.fiscal_year).map(FiscalYear).collect();
    let (Some(first), Some(last)) = (years.first(), years.last()) else {
        return "この期間の目標がありません。".to_owned();
    };
    let period = if first == last {
        fiscal_year_long_label(*first)
    } else {
        format!(
            "{}から{}まで",
            fiscal_year_long_label(*first),
            fiscal_year_long_label(*last)
        )
    };
    let target: i64 = rows.iter().map(|r| r.target).sum();
    let actual: i64 = rows.iter().map(|r| r.actual).sum();
    let rate = Tenths::percent(actual, target).map_or_else(String::new, |rate| format!("（達成率{rate}%）"));
    let outcome = if actual >= target {
        "目標を達成した。"
    } else {
        "目標は達成できなかったが、改善点等について次のとおり検討を行った。"
    };
    format!("{period}の目標{target}人に対し、実績は{actual}人{rate}。{outcome}")
}

/// Staff's considerations (per fiscal year, in order) as one numbered list: each paragraph and
/// each item of a list they wrote is a point of its own, its lines joined.
pub fn numbered_considerations<'a>(texts: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    texts
        .into_iter()
        .flat_map(staff_text::parse)
        .flat_map(|block| match block {
            TextBlock::Paragraph(lines) => vec![lines.join("")],
            TextBlock::Bullets(items) | TextBlock::Numbered(items) => items,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schedules_are_said_as_the_filed_report_says_them() {
        assert_eq!(
            repeat_phrase("FREQ=MONTHLY;BYDAY=2TH,4TH").as_deref(),
            Some("毎月2回（第2・第4木曜日）")
        );
        assert_eq!(
            repeat_phrase("FREQ=MONTHLY;BYDAY=-1FR").as_deref(),
            Some("毎月1回（最終金曜日）")
        );
        assert_eq!(
            repeat_phrase("FREQ=MONTHLY;BYDAY=1MO,3WE").as_deref(),
            Some("毎月2回（第1月曜日・第3水曜日）")
        );
        assert_eq!(repeat_phrase("FREQ=WEEKLY;BYDAY=TH").as_deref(), Some("毎週木曜日"));
        for unsaid in [
            "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH",
            "FREQ=DAILY",
            "FREQ=MONTHLY;BYDAY=9TH",
            "x",
        ] {
            assert_eq!(repeat_phrase(unsaid), None, "{unsaid}");
        }
    }

    #[test]
    fn a_reason_reads_on_into_the_cancellation() {
        assert_eq!(
            cancelled_because(Some("新型コロナウイルスの影響")),
            "は新型コロナウイルスの影響で中止。"
        );
        assert_eq!(cancelled_because(Some("台風のため。")), "は台風のため中止。");
        assert_eq!(cancelled_because(Some("  ")), "は中止。");
        assert_eq!(cancelled_because(None), "は中止。");
    }

    #[test]
    fn considerations_become_one_numbered_list() {
        let points = numbered_considerations(["参加者が減った。\n理由は二つ。\n\n- 周知\n- 会場", "1. 早く告知する"]);
        assert_eq!(points, ["参加者が減った。理由は二つ。", "周知", "会場", "早く告知する"]);
    }

    fn row(year: i32, target: i64, actual: i64) -> ReportRow {
        ReportRow {
            fiscal_year: Some(year),
            label_ja: String::new(),
            target,
            actual,
            events: 1,
            mean_per_event: None,
            achievement_rate: None,
            target_share: None,
            actual_share: None,
        }
    }

    #[test]
    fn the_verdict_is_over_the_whole_period() {
        let rows = [row(2018, 10, 20), row(2019, 30, 10)];
        let rows: Vec<&ReportRow> = rows.iter().collect();
        assert_eq!(
            period_verdict(&rows),
            "平成30年度から令和元年度までの目標40人に対し、実績は30人（達成率75.0%）。目標は達成できなかったが、改善点等について次のとおり検討を行った。"
        );
        assert!(period_verdict(&rows[..1]).ends_with("（達成率200.0%）。目標を達成した。"));
        assert_eq!(period_verdict(&[]), "この期間の目標がありません。");
    }
}
