//! The analysts' dashboard pages: Japanese, server-rendered, no script. Every form carries the
//! session's CSRF token.

use std::collections::HashMap;

use maud::{html, Markup, PreEscaped, DOCTYPE};
use uuid::Uuid;

use analysis::breakdown::{Breakdown, Cell, Group, Moments};
use analysis::spec::scale_range;
use analysis::terms::{TermCell, TermGroup};

use super::chart::{clustered_bars, stacked_bars, BarGroup, Scale, StackedRow};
use super::themes::themes_section;
use crate::db::events::EventRecord;
use crate::domain::decimal::Tenths;
use crate::domain::era::{fiscal_year_label, short_date};
use crate::domain::event::EventKind;
use crate::domain::fiscal_year::FiscalYear;
use crate::domain::indicator::ReportRow;
use crate::domain::response_filter::SOURCE_PARAM;
use crate::domain::response_source::Source;
use crate::domain::schedule::{weekday_code, WEEKDAYS};
use crate::domain::vocabulary::FORMATS;
use crate::reports::indicators::{HeadcountMissing, PlanReport};
use crate::services::coding::ThemesResult;
use crate::services::insights::OpinionsResult;

const STYLE: &str = include_str!("dashboard.css");

/// What every signed-in page needs to draw its header.
pub struct Chrome<'a> {
    pub csrf: &'a str,
    pub signed_in_as: &'a str,
    /// Administrators also see the tokens and the audit log.
    pub is_admin: bool,
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Events,
    Breakdown,
    Opinions,
    Outreach,
    Agencies,
    Waves,
    Forms,
    Indicators,
    Downloads,
    Tokens,
    Audit,
}

/// Under the English title and venue fields.
const ENGLISH_HINT: &str = "英語のアンケートに表示します。空欄なら日本語のものを表示します。";

pub fn kind_label(kind: &str) -> &'static str {
    EventKind::parse(kind).map_or("その他", |kind| kind.names().0)
}

pub(super) fn page(title: &str, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="ja" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="robots" content="noindex";
                title { (title) " | つながり" }
                style { (PreEscaped(STYLE)) }
            }
            body { (body) }
        }
    }
}

pub(super) fn signed_in(title: &str, chrome: &Chrome, current: Section, body: Markup) -> Markup {
    let nav = [
        (Section::Events, "/dashboard/events", "イベント"),
        (Section::Breakdown, "/dashboard/breakdown", "属性別集計"),
        (Section::Opinions, "/dashboard/opinions", "自由記述"),
        (Section::Outreach, "/dashboard/outreach", "広報と参加"),
        (Section::Agencies, "/dashboard/agencies", "関係機関"),
        (Section::Waves, "/dashboard/waves", "機関調査"),
        (Section::Forms, "/dashboard/forms", "フォーム"),
        (Section::Indicators, "/dashboard/indicators", "指標"),
        (Section::Downloads, "/dashboard/downloads", "ダウンロード"),
    ];
    let admin = [
        (Section::Tokens, "/dashboard/tokens", "トークン"),
        (Section::Audit, "/dashboard/audit-log", "操作記録"),
    ];
    let admin = admin.into_iter().filter(|_| chrome.is_admin);
    page(
        title,
        html! {
            header.bar {
                span.brand { "つながり" }
                nav aria-label="メニュー" {
                    @for (section, href, label) in nav.into_iter().chain(admin) {
                        a href=(href) aria-current=[(section == current).then_some("page")] { (label) }
                    }
                }
                form.sign-out method="post" action="/dashboard/logout" {
                    input type="hidden" name="csrf" value=(chrome.csrf);
                    span.who { (chrome.signed_in_as) }
                    button type="submit" { "サインアウト" }
                }
            }
            main { (body) }
        },
    )
}

pub fn login_page(csrf: &str, error: Option<&str>) -> Markup {
    page(
        "サインイン",
        html! {
            main.narrow {
                h1 { "ダッシュボードにサインイン" }
                p { "API トークンを入力してください。研究者のトークンでは、研究者向けの公開データのページが開きます。" }
                p.hint {
                    "トークンは管理者がダッシュボードの「トークン」ページで作って渡します。最初の管理者のトークンは、サーバーで "
                    code { "tsunagari token create --role admin --name あなたの名前" }
                    " を実行して作ります（表示されるのはその一度だけです）。"
                }
                @if let Some(error) = error {
                    p.error role="alert" { (error) }
                }
                form method="post" action="/dashboard/login" {
                    input type="hidden" name="csrf" value=(csrf);
                    label for="token" { "API トークン" }
                    input #token type="password" name="token" autocomplete="off" required;
                    button type="submit" { "サインイン" }
                }
            }
        },
    )
}

/// Fiscal years offered by the pickers: from this many before the current one to the next.
const PICKABLE_PAST_YEARS: i32 = 10;

/// A fiscal-year picker that speaks the era as the rest of the dashboard does (`R1年度（2019）`),
/// newest first, with "every year" first; `selected` is the year as the query gives it.
pub(super) fn fiscal_year_picker(id: &str, selected: &str) -> Markup {
    let current = FiscalYear::of(chrono::Utc::now().date_naive()).0;
    html! {
        div.field {
            label for=(id) { "年度" }
            select id=(id) name="fiscal_year" {
                option value="" selected[selected.is_empty()] { "すべての年度" }
                @for year in (current - PICKABLE_PAST_YEARS..=current + 1).rev() {
                    @let value = year.to_string();
                    option value=(value) selected[selected == value] {
                        (fiscal_year_label(FiscalYear(year))) "（" (year) "）"
                    }
                }
            }
        }
    }
}

/// A required fiscal year, named as the era names it, `selected` picked.
fn fiscal_year_select(id: &str, name: &str, label: &str, selected: FiscalYear) -> Markup {
    let current = FiscalYear::of(chrono::Utc::now().date_naive()).0;
    let first = (current - PICKABLE_PAST_YEARS).min(selected.0);
    html! {
        div.field {
            label for=(id) { (label) }
            select id=(id) name=(name) {
                @for year in (first..=current).rev() {
                    option value=(year) selected[year == selected.0] { (fiscal_year_label(FiscalYear(year))) "（" (year) "）" }
                }
            }
        }
    }
}

/// The fields of the new-event form as typed, and what was wrong with them.
#[derive(Default)]
pub struct NewEventForm {
    pub values: HashMap<String, String>,
    pub error: Option<(String, String)>,
}

impl NewEventForm {
    pub fn value(&self, name: &str) -> &str {
        self.values.get(name).map_or("", String::as_str)
    }

    pub fn error_for(&self, name: &str) -> Option<&str> {
        self.error
            .as_ref()
            .filter(|(field, _)| field == name)
            .map(|(_, message)| message.as_str())
    }
}

pub struct EventsView<'a> {
    pub year: FiscalYear,
    pub events: &'a [EventRecord],
    pub survey_url: &'a dyn Fn(&str) -> String,
    pub new_event: NewEventForm,
    pub new_series: NewEventForm,
    /// An event whose headcount could not be recorded, and why.
    pub headcount_error: Option<(Uuid, String)>,
    pub notice: Option<&'a str>,
}

pub fn events_page(chrome: &Chrome, view: &EventsView) -> Markup {
    let year = view.year;
    signed_in(
        "イベント",
        chrome,
        Section::Events,
        html! {
            h1 { "イベント " (fiscal_year_label(year)) }
            nav.years aria-label="年度" {
                a href=(format!("/dashboard/events?fiscal_year={}", year.0 - 1)) { "← " (fiscal_year_label(FiscalYear(year.0 - 1))) }
                a href=(format!("/dashboard/events?fiscal_year={}", year.0 + 1)) { (fiscal_year_label(FiscalYear(year.0 + 1))) " →" }
            }
            @if let Some(notice) = view.notice { p.notice role="status" { (notice) } }
            @if view.events.is_empty() {
                p { "この年度のイベントはまだありません。" }
            } @else {
                table {
                    caption { (fiscal_year_label(year)) "（" (year.first_day().format("%Y年%-m月")) "〜" (year.last_day().format("%Y年%-m月")) "）のイベント" }
                    thead { tr { th scope="col" { "開催日" } th scope="col" { "種別" } th scope="col" { "タイトル" } th scope="col" { "回答数" } th scope="col" { "参加者数" } th scope="col" { "リンク" } } }
                    tbody {
                        @for event in view.events {
                            tr.cancelled[event.cancelled_at.is_some()] {
                                td { (short_date(event.held_on)) br; small { (event.held_on) } }
                                td { (kind_label(&event.kind)) }
                                td {
                                    a href=(format!("/dashboard/events/{}", event.id)) aria-label={ (event.title) "を編集" } { (event.title) }
                                    @if event.cancelled_at.is_some() { " " strong.tag { "中止" } }
                                    @if let Some(reason) = &event.cancellation_reason { br; small { "理由：" (reason) } }
                                    @if event.demo { " " span.tag.demo title="tsunagari demo で入れたデモデータ" { "デモ" } }
                                }
                                td.number { (event.response_count) }
                                td { (headcount_form(chrome, event, view.headcount_error.as_ref())) }
                                td {
                                    a href=((view.survey_url)(&event.code)) { "回答ページ" }
                                    " · "
                                    a href=(format!("/events/{}/poster", event.id)) { "ポスター" }
                                    " · "
                                    a href=(format!("/dashboard/events/{}/notes", event.id)) { "会議の記録" }
                                }
                            }
                        }
                    }
                }
            }
            section.card aria-labelledby="new-event" {
                h2 #new-event { "イベントを作成" }
                form method="post" action="/dashboard/events" {
                    input type="hidden" name="csrf" value=(chrome.csrf);
                    (kind_field(&view.new_event, "new"))
                    (text_field(&view.new_event, "new", "title", "タイトル", "text", true, None))
                    (text_field(&view.new_event, "new", "title_en", "タイトル（英語）", "text", false, Some(ENGLISH_HINT)))
                    (text_field(&view.new_event, "new", "held_on", "開催日", "date", true, None))
                    (text_field(&view.new_event, "new", "venue", "会場", "text", false, None))
                    (text_field(&view.new_event, "new", "venue_en", "会場（英語）", "text", false, Some(ENGLISH_HINT)))
                    (text_field(&view.new_event, "new", "theme", "テーマ", "text", false, None))
                    (format_field(&view.new_event, "new"))
                    (text_field(&view.new_event, "new", "notes", "メモ（スタッフ用）", "text", false, Some(NOTES_HINT)))
                    button type="submit" { "作成する" }
                }
            }
            section.card aria-labelledby="new-series" {
                h2 #new-series { "定期開催のイベントをまとめて作成" }
                form method="post" action="/dashboard/series" {
                    input type="hidden" name="csrf" value=(chrome.csrf);
                    (kind_field(&view.new_series, "series"))
                    (text_field(&view.new_series, "series", "title", "タイトル", "text", true, None))
                    (text_field(&view.new_series, "series", "title_en", "タイトル（英語）", "text", false, Some(ENGLISH_HINT)))
                    (text_field(&view.new_series, "series", "venue", "会場", "text", false, None))
                    (text_field(&view.new_series, "series", "venue_en", "会場（英語）", "text", false, Some(ENGLISH_HINT)))
                    (format_field(&view.new_series, "series"))
                    (text_field(&view.new_series, "series", "notes", "メモ（スタッフ用）", "text", false, Some(NOTES_HINT)))
                    (schedule_picker(&view.new_series))
                    (text_field(&view.new_series, "series", "starts_on", "開始日", "date", true, None))
                    (text_field(&view.new_series, "series", "ends_on", "終了日", "date", true, None))
                    (text_field(&view.new_series, "series", "skip", "開催しない日", "text", false,
                        Some("YYYY-MM-DD をカンマ区切りで（例: 2026-08-13, 2026-12-24）")))
                    button type="submit" { "まとめて作成する" }
                }
            }
        },
    )
}

/// Every week, or the Nth weekday(s) of each month, without writing iCalendar; the raw rule
/// stays under "advanced" and wins when given.
fn schedule_picker(form: &NewEventForm) -> Markup {
    const DAY_NAMES: [&str; 7] = ["月", "火", "水", "木", "金", "土", "日"];
    let ticked = |name: &str| !form.value(name).is_empty();
    let advanced = !form.value("rrule").is_empty() || form.error_for("rrule").is_some();
    html! {
        fieldset.field.schedule {
            legend { "繰り返し" }
            label.inline { input type="radio" name="repeat" value="monthly" checked[form.value("repeat") != "weekly"]; "毎月" }
            label.inline { input type="radio" name="repeat" value="weekly" checked[form.value("repeat") == "weekly"]; "毎週" }
            div {
                label for="series-weekday" { "曜日" }
                select #series-weekday name="weekday" {
                    @for (day, name) in WEEKDAYS.into_iter().zip(DAY_NAMES) {
                        option value=(weekday_code(day)) selected[form.value("weekday") == weekday_code(day)] { (name) "曜日" }
                    }
                }
            }
            div.nths role="group" aria-label="毎月の何回目か（毎月のとき）" {
                @for n in 1..=5 {
                    @let name = format!("nth{n}");
                    label.inline { input type="checkbox" name=(name) checked[ticked(&name)]; "第" (n) }
                }
                label.inline { input type="checkbox" name="nth_last" checked[ticked("nth_last")]; "最終" }
            }
        }
        details open[advanced] {
            summary { "詳しく指定する（iCalendar の RRULE を直接入力）" }
            (text_field(form, "series", "rrule", "繰り返しの規則（RRULE）", "text", false,
                Some("入力するとこちらが優先されます。第2・第4木曜日は FREQ=MONTHLY;BYDAY=2TH,4TH、毎週木曜日は FREQ=WEEKLY;BYDAY=TH")))
        }
    }
}

/// Under the notes field.
const NOTES_HINT: &str = "参加者には表示しません（例: 感染対策のためマスクとフェイスシールドを着用）。";

/// An event's format, to compare events by it; the speakers and costs are given through the API.
fn format_field(form: &NewEventForm, prefix: &str) -> Markup {
    let id = format!("{prefix}-format");
    let error = form.error_for("format");
    html! {
        div.field.has-error[error.is_some()] {
            label for=(id) { "形式" span.optional { "任意" } }
            @if let Some(error) = error { p.error { (error) } }
            select id=(id) name="format" {
                option value="" { "選ばない" }
                @for format in FORMATS.terms() {
                    option value=(format.id) selected[form.value("format") == format.id] { (format.ja) }
                }
            }
        }
    }
}

fn kind_field(form: &NewEventForm, prefix: &str) -> Markup {
    let error = form.error_for("kind");
    html! {
        div.field.has-error[error.is_some()] {
            label for=(format!("{prefix}-kind")) { "種別" }
            @if let Some(error) = error { p.error { (error) } }
            select id=(format!("{prefix}-kind")) name="kind" {
                @for kind in EventKind::ATTENDED {
                    option value=(kind.as_str()) selected[form.value("kind") == kind.as_str()] { (kind_label(kind.as_str())) }
                }
            }
        }
    }
}

pub(super) fn text_field(
    form: &NewEventForm,
    prefix: &str,
    name: &str,
    label: &str,
    kind: &str,
    required: bool,
    hint: Option<&str>,
) -> Markup {
    let error = form.error_for(name);
    let id = format!("{prefix}-{name}");
    let described_by: Vec<String> = [hint.map(|_| format!("{id}-hint")), error.map(|_| format!("{id}-error"))]
        .into_iter()
        .flatten()
        .collect();
    html! {
        div.field.has-error[error.is_some()] {
            label for=(id) { (label) @if !required { span.optional { "任意" } } }
            @if let Some(hint) = hint { p.hint id=(format!("{id}-hint")) { (hint) } }
            @if let Some(error) = error { p.error id=(format!("{id}-error")) { (error) } }
            input id=(id) type=(kind) name=(name) value=(form.value(name)) required[required]
                aria-describedby=[(!described_by.is_empty()).then(|| described_by.join(" "))];
        }
    }
}

fn headcount_form(chrome: &Chrome, event: &EventRecord, error: Option<&(Uuid, String)>) -> Markup {
    let error = error.filter(|(id, _)| *id == event.id).map(|(_, message)| message);
    let input_id = format!("headcount-{}", event.id);
    html! {
        form.inline method="post" action=(format!("/dashboard/events/{}/headcount", event.id)) {
            input type="hidden" name="csrf" value=(chrome.csrf);
            label.visually-hidden for=(input_id) { (event.title) " の参加者数" }
            input id=(input_id) type="text" inputmode="numeric" name="headcount" size="4"
                value=(event.headcount.map(|n| n.to_string()).unwrap_or_default())
                aria-invalid=[error.map(|_| "true")];
            button type="submit" { "記録" }
            @if let Some(error) = error { p.error role="alert" { (error) } }
        }
    }
}

/// An A4 poster: what, when, where, the QR code and short link, and that answers are anonymous.
pub fn poster_page(event: &EventRecord, survey_url: &str, qr_svg: &str) -> Markup {
    let date = crate::pages::survey::format_date(event.held_on, crate::domain::lang::Lang::Ja);
    page(
        &format!("ポスター: {}", event.title),
        html! {
            main.poster {
                p.kind { (kind_label(&event.kind)) }
                h1 { (event.title) }
                @if let Some(theme) = &event.theme { p.theme { (theme) } }
                p.when { (date) }
                @if let Some(venue) = &event.venue { p.where_ { "会場：" (venue) } }
                figure.qr {
                    (PreEscaped(qr_svg))
                    figcaption { "スマートフォンで読み取って、アンケートにご協力ください。" }
                }
                p.link { (survey_url) }
                p.anonymous { "アンケートは無記名です。お名前や連絡先をうかがうことはありません。" }
                p.print-hint { "ブラウザの印刷機能で A4 に印刷できます。" }
            }
        },
    )
}

/// A choice in a select: value and Japanese label.
pub type Pick = (String, String);

/// The ways answers arrive, as staff name them.
fn source_picks() -> Vec<Pick> {
    Source::ALL
        .into_iter()
        .map(|source| {
            let label = match source {
                Source::Phone => "スマートフォン",
                Source::Paper => "紙",
                Source::Api => "システム連携（API）",
            };
            (source.as_str().to_owned(), label.to_owned())
        })
        .collect()
}

pub struct BreakdownView<'a> {
    pub forms: &'a [Pick],
    pub form: &'a str,
    pub questions: &'a [Pick],
    pub question: &'a str,
    pub attributes: &'a [Pick],
    /// The first and the optional second attribute.
    pub by: [&'a str; 2],
    pub fiscal_year: &'a str,
    /// How the answers came, or empty for all.
    pub source: &'a str,
    pub result: Option<&'a Breakdown>,
    pub error: Option<&'a str>,
    /// The view's query string, for its JSON and CSV links.
    pub query: &'a str,
}

pub(super) fn select(name: &str, label: &str, picks: &[Pick], selected: &str, blank: Option<&str>) -> Markup {
    html! {
        div.field {
            label for=(format!("pick-{name}")) { (label) }
            select id=(format!("pick-{name}")) name=(name) {
                @if let Some(blank) = blank { option value="" selected[selected.is_empty()] { (blank) } }
                @for (value, text) in picks {
                    option value=(value) selected[value == selected] { (text) }
                }
            }
        }
    }
}

pub fn breakdown_page(chrome: &Chrome, view: &BreakdownView) -> Markup {
    signed_in(
        "属性別集計",
        chrome,
        Section::Breakdown,
        html! {
            h1 { "属性別集計" }
            form.picker method="get" action="/dashboard/breakdown" {
                (select("form", "アンケート", view.forms, view.form, None))
                (select("question", "質問", view.questions, view.question, None))
                (select("by", "属性 1", view.attributes, view.by[0], None))
                (select("by2", "属性 2（任意）", view.attributes, view.by[1], Some("なし")))
                (fiscal_year_picker("pick-fiscal_year", view.fiscal_year))
                (select(SOURCE_PARAM, "回答の方法", &source_picks(), view.source, Some("すべて")))
                button type="submit" { "集計する" }
            }
            @if let Some(error) = view.error { p.error role="alert" { (error) } }
            @if let Some(result) = view.result { (breakdown_result(result, view.query)) }
        },
    )
}

fn group_name(group: &Group) -> String {
    group
        .labels
        .values()
        .map(|label| label.ja.as_str())
        .collect::<Vec<_>>()
        .join(" × ")
}

/// The result as a chart: an ordered scale as one 100 % bar per group, light to dark, with each
/// group's mean; unordered options as clustered bars.
fn result_chart(result: &Breakdown, rows: &[(String, &Cell)]) -> Markup {
    let title = &result.question_label.ja;
    let label = |name: &str, cell: &Cell| {
        format!(
            "{name}（n={}）",
            cell.n.map_or_else(|| "—".to_owned(), |n| n.to_string())
        )
    };
    let shares = |cell: &Cell| -> Vec<Option<f64>> {
        result
            .options
            .iter()
            .map(|o| {
                cell.percentages
                    .as_ref()
                    .and_then(|p| p.get(&o.value).copied().flatten())
            })
            .collect()
    };
    let points: Vec<String> = result.options.iter().map(|o| o.label.ja.clone()).collect();
    if let Some(range) = scale_range(result.question_type, &result.options) {
        let stacked: Vec<StackedRow> = rows
            .iter()
            .map(|(name, cell)| StackedRow {
                label: label(name, cell),
                shares: shares(cell),
                mean: cell.moments.as_ref().and_then(|m| m.mean),
            })
            .collect();
        return stacked_bars(title, &points, &stacked, range);
    }
    if result.options.is_empty() {
        return html! {};
    }
    let groups: Vec<BarGroup> = rows
        .iter()
        .map(|(name, cell)| BarGroup {
            label: label(name, cell),
            bars: points.iter().cloned().zip(shares(cell)).collect(),
        })
        .collect();
    clustered_bars(title, &groups, &Scale::Percent)
}

fn breakdown_result(result: &Breakdown, query: &str) -> Markup {
    let percent = |share: Option<f64>| share.map_or_else(|| "—".to_owned(), |s| format!("{s:.1}%"));
    let count = |n: Option<u64>| n.map_or_else(|| "—".to_owned(), |n| n.to_string());
    let rows: Vec<(String, &Cell)> = result
        .groups
        .iter()
        .map(|g| (group_name(g), &g.cell))
        .chain([("全体".to_owned(), &result.total)])
        .collect();
    html! {
        section aria-labelledby="result-title" {
            h2 #result-title { (result.question_label.ja) }
            p.links {
                a href=(format!("/dashboard/breakdown.json?{query}")) { "JSON" }
                " · "
                a href=(format!("/dashboard/breakdown.csv?{query}")) { "CSV" }
            }
            (result_chart(result, &rows))
            table {
                caption { "回答者数と割合（無回答は除く）" }
                thead {
                    tr {
                        th scope="col" { "グループ" }
                        th scope="col" { "n" }
                        @for option in &result.options { th scope="col" { (option.label.ja) } }
                        @if result.question_type.is_numeric() { th scope="col" { "平均" } th scope="col" { "95%信頼区間" } }
                    }
                }
                tbody {
                    @for (name, cell) in &rows {
                        tr {
                            th scope="row" { (name) @if cell.suppressed { " " span.tag { "秘匿" } } }
                            td.number { (count(cell.n)) }
                            @for option in &result.options {
                                td.number {
                                    (count(cell.counts.as_ref().and_then(|c| c.get(&option.value).copied().flatten())))
                                    br;
                                    small { (percent(cell.percentages.as_ref().and_then(|p| p.get(&option.value).copied().flatten()))) }
                                }
                            }
                            @if let Some(moments) = &cell.moments {
                                td.number { (moments.mean.map_or_else(|| "—".to_owned(), |m| format!("{m:.2}"))) }
                                td.number { (interval_text(moments)) }
                            }
                        }
                    }
                }
            }
            p.test { (test_in_words(result)) }
        }
    }
}

/// A mean's interval, marked where it was cut at an end of the scale; a dash for a group too
/// small to be given one.
fn interval_text(moments: &Moments) -> String {
    match (moments.ci95, moments.ci95_clipped) {
        (Some([lo, hi]), false) => format!("{lo:.2}〜{hi:.2}"),
        (Some([lo, hi]), true) => format!("{lo:.2}〜{hi:.2}（尺度の端まで）"),
        (None, _) => "—".to_owned(),
    }
}

/// The test of independence as a sentence an analyst can paste into a report: how many
/// respondents it rests on, which test was used and why, and its verdict.
pub fn test_in_words(result: &Breakdown) -> String {
    let respondents = result
        .n
        .map_or_else(String::new, |n| format!("この表は回答者 {n} 人にもとづきます。"));
    let Some(test) = &result.test else {
        let why = if result.by.is_empty() {
            "属性を選ぶと、グループによる違いを検定します。"
        } else {
            "この表では独立性の検定を行いません（複数回答、グループや選択肢が2つ未満、または秘匿あり）。"
        };
        return format!("{respondents}{why}");
    };
    let method = match &test.monte_carlo {
        _ if test.method == "fisher_exact" => "フィッシャーの正確検定".to_owned(),
        Some(drawn) => format!("モンテカルロ法（{} 回、乱数の種 {}）", drawn.draws, drawn.seed),
        None => "カイ二乗検定".to_owned(),
    };
    let small_groups = if test.chi_square_valid {
        String::new()
    } else {
        format!(
            "グループの人数が少なく、期待度数が 5 未満のセルが {:.0}% あるため、カイ二乗分布による近似は使えません。p 値は次の方法で求めました。",
            test.expected_below_5_share * 100.0
        )
    };
    let verdict = if test.p_value < 0.05 {
        "グループによって回答の分布に統計的に有意な差があります"
    } else {
        "グループによる回答の分布の差は統計的に有意ではありません"
    };
    let p = if test.p_value < 0.001 {
        "p < 0.001".to_owned()
    } else {
        format!("p = {:.3}", test.p_value)
    };
    format!(
        "{respondents}{small_groups}{verdict}（{method}: χ² = {:.2}, 自由度 {}, {p}, クラメールの V = {:.2}）。",
        test.statistic, test.df, test.cramers_v
    )
}

/// The activity and outcome indicator tables of every plan, as the reports print them, with a
/// chart of target against actual attendance.
/// `report_years`: the evaluation report's first and last year as the picker opens.
pub fn indicators_page(
    chrome: &Chrome,
    reports: &[PlanReport],
    report_years: (FiscalYear, FiscalYear),
    notice: Option<&str>,
) -> Markup {
    let (from, to) = report_years;
    let tenths = |value: Option<Tenths>| value.map_or_else(|| "—".to_owned(), |v| v.to_string());
    signed_in(
        "指標",
        chrome,
        Section::Indicators,
        html! {
            h1 { "活動指標・成果指標" }
            @if let Some(notice) = notice { p.notice role="status" { (notice) } }
            p.links {
                a href="/dashboard/indicator-plans/new" { "指標の計画を作る" }
                " · "
                a href="/dashboard/indicators.csv" { "報告書の形式でダウンロード（CSV）" }
            }
            form.picker method="get" action="/dashboard/evaluation-report" {
                (fiscal_year_select("report-from", "from_fiscal_year", "効果検証の報告書：最初の年度", from))
                (fiscal_year_select("report-to", "to_fiscal_year", "最後の年度", to))
                button type="submit" { "報告書を開く（A4 で印刷できます）" }
            }
            @if reports.is_empty() {
                p { "指標の計画がまだありません。「指標の計画を作る」から、数えるイベントの種別、想定対象者数、年度ごとの目標を登録してください。" }
            }
            @for report in reports {
                @let rows: Vec<&ReportRow> = report.rows.iter().chain([&report.total]).collect();
                section.card.wide aria-labelledby=(format!("plan-{}", report.plan.slug)) {
                    h2 id=(format!("plan-{}", report.plan.slug)) { (report.plan.title.ja) }
                    p { "想定対象者数 " (report.plan.assumed_population) " 人 · "
                        a href=(format!("/dashboard/indicator-plans/{}", report.plan.slug)) aria-label={ (report.plan.title.ja) "の計画を編集" } { "計画を編集" } }
                    p.links {
                        "考察を書く："
                        @for row in &report.rows {
                            @if let Some(year) = row.fiscal_year {
                                " "
                                a href=(format!("/dashboard/indicator-plans/{}/considerations/{year}", report.plan.slug))
                                    aria-label={ (report.plan.title.ja) " " (row.label_ja) "の考察" } { (row.label_ja) }
                            }
                        }
                    }
                    (clustered_bars(
                        &format!("{} 目標と実績", report.plan.title.ja),
                        &report.rows.iter().map(|row| BarGroup {
                            label: row.label_ja.clone(),
                            bars: vec![("目標".to_owned(), Some(row.target as f64)), ("実績".to_owned(), Some(row.actual as f64))],
                        }).collect::<Vec<_>>(),
                        &Scale::Count { max: report.rows.iter().map(|r| r.target.max(r.actual)).max().unwrap_or(0) as f64, unit: "人" },
                    ))
                    table {
                        caption { "活動指標（参加者数）と成果指標（想定対象者に占める割合）" }
                        thead { tr { th scope="col" { "指標" } @for row in &rows { th scope="col" { (row.label_ja) } } } }
                        tbody {
                            tr { th scope="row" { "目標（人）" } @for row in &rows { td.number { (row.target) } } }
                            tr { th scope="row" { "実績（人）" } @for row in &rows { td.number { (row.actual) } } }
                            tr { th scope="row" { "達成率（%）" } @for row in &rows { td.number { (tenths(row.achievement_rate)) } } }
                            tr { th scope="row" { "開催回数" } @for row in &rows { td.number { (row.events) } } }
                            tr { th scope="row" { "1回あたり（人）" } @for row in &rows { td.number { (tenths(row.mean_per_event)) } } }
                            tr { th scope="row" { "目標の割合（%）" } @for row in &rows { td.number { (tenths(row.target_share)) } } }
                            tr { th scope="row" { "実績の割合（%）" } @for row in &rows { td.number { (tenths(row.actual_share)) } } }
                        }
                    }
                    @if let HeadcountMissing::Listed(missing) = &report.headcount_missing {
                        @if !missing.is_empty() {
                        p.error { "参加者数が未記録のため回答数で数えたイベント：" }
                        ul {
                            @for missing in missing {
                                li { (missing.held_on_ja) " " (missing.title) "（回答 " (missing.responses) " 件）" }
                            }
                        }
                        }
                    }
                }
            }
        },
    )
}

/// Downloads of the aggregate JSON and the raw rows, for a form and an optional fiscal year.
pub fn downloads_page(chrome: &Chrome, forms: &[Pick], release_delay_days: u32) -> Markup {
    let kinds = [
        (
            "researchers-aggregate.json",
            "研究者向け集計 JSON（確定版・秘匿処理済み）",
        ),
        ("aggregate.json", "内部用集計 JSON（最新のデータ・職員のみ）"),
        ("responses.csv", "回答データ CSV（Excel 用）"),
        ("responses.parquet", "回答データ Parquet"),
    ];
    signed_in(
        "ダウンロード",
        chrome,
        Section::Downloads,
        html! {
            h1 { "ダウンロード" }
            p {
                "研究者に渡すのは「研究者向け集計（確定版）」です。研究者用トークンで API から取得するものと同じで、"
                "締まった年度（年度末から" (release_delay_days) "日後）だけを、初めて公開した時点の回答で固定して集計します。何度渡しても同じ内容です。"
            }
            p { "「内部用集計」は今のデータから作るため、渡すたびに内容が変わります。外部には渡さないでください。回答データには自由記述が含まれます。取り扱いにご注意ください。" }
            form.card method="get" action="/dashboard/downloads/aggregate.json" {
                (select("form", "アンケート", forms, "seminar", None))
                (fiscal_year_picker("download-year", ""))
                div.buttons {
                    @for (file, label) in kinds {
                        button type="submit" formaction=(format!("/dashboard/downloads/{file}")) { (label) }
                    }
                }
            }
        },
    )
}

pub struct OpinionsView<'a> {
    pub forms: &'a [Pick],
    pub form: &'a str,
    pub attributes: &'a [Pick],
    pub by: &'a str,
    /// `responses`, `notes` or `both`.
    pub source: &'a str,
    pub fiscal_year: &'a str,
    pub result: Option<&'a OpinionsResult>,
    /// The codebooks to count themes with, the one picked, and its counts.
    pub codebooks: &'a [Pick],
    pub codebook: &'a str,
    pub themes: Option<&'a ThemesResult>,
    pub error: Option<&'a str>,
}

/// Where opinions come from, as the picker offers them; meeting notes group by the event only.
const COMMENT_SOURCES: [(&str, &str); 3] = [
    ("responses", "アンケートの自由記述"),
    ("notes", "会議の記録（年度・事業・回でのみ分けられます）"),
    ("both", "両方"),
];

pub fn opinions_page(chrome: &Chrome, view: &OpinionsView) -> Markup {
    signed_in(
        "自由記述",
        chrome,
        Section::Opinions,
        html! {
            h1 { "自由記述の傾向" }
            p.links { a href={ "/dashboard/coding?form=" (view.form) } { "意見をテーマでコード付けする" } }
            form.picker method="get" action="/dashboard/opinions" {
                (select("form", "アンケート", view.forms, view.form, None))
                (select("by", "属性（任意）", view.attributes, view.by, Some("全体のみ")))
                (select("source", "意見の出どころ", &COMMENT_SOURCES.map(|(value, label)| (value.to_owned(), label.to_owned())), view.source, None))
                (fiscal_year_picker("pick-fiscal_year", view.fiscal_year))
                (select("codebook", "テーマの一覧", view.codebooks, view.codebook, None))
                button type="submit" { "表示する" }
            }
            @if let Some(error) = view.error { p.error role="alert" { (error) } }
            @if let Some(result) = view.result {
                p { "コメント " (result.table.comments.unwrap_or(0)) " 件。語は名詞・動詞・形容詞の基本形です。「特徴度」はそのグループが他の人より多く使う度合い（対数オッズ比、3回以上使われた語のみ）です。" }
                @let everyone = result.texts.as_ref().map(|(_, all)| all.as_slice());
                @for (i, group) in result.table.groups.iter().enumerate() {
                    @let texts = result.texts.as_ref().and_then(|(per_group, _)| per_group.get(i)).map(Vec::as_slice);
                    (term_section(&group_label(group), &group.cell, texts))
                }
                (term_section("全体", &result.table.total, everyone))
            }
            @if let Some(themes) = view.themes { (themes_section(themes)) }
        },
    )
}

fn group_label(group: &TermGroup) -> String {
    group
        .labels
        .values()
        .map(|label| label.ja.as_str())
        .collect::<Vec<_>>()
        .join(" × ")
}

fn term_section(name: &str, cell: &TermCell, texts: Option<&[String]>) -> Markup {
    html! {
        section.card.wide {
            h2 { (name) "（" (cell.comments.map_or_else(|| "—".to_owned(), |n| n.to_string())) " 件）" }
            @match &cell.terms {
                Some(terms) if !terms.is_empty() => {
                    table {
                        caption { (name) " でよく使われた語" }
                        thead { tr { th scope="col" { "語" } th scope="col" { "回数" } th scope="col" { "含むコメントの割合" } th scope="col" { "特徴度" } } }
                        tbody {
                            @for term in terms {
                                tr {
                                    th scope="row" { (term.term) }
                                    td.number { (term.count) }
                                    td.number { (format!("{:.1}%", term.share)) }
                                    td.number { (term.log_odds.map_or_else(|| "—".to_owned(), |l| format!("{l:+.2}"))) }
                                }
                            }
                        }
                    }
                }
                _ => { p { "表示できる語はありません。" } }
            }
            @if let Some(texts) = texts.filter(|t| !t.is_empty()) {
                details {
                    summary { "コメントを読む（" (texts.len()) " 件）" }
                    ul.comments { @for text in texts { li { (text) } } }
                }
            }
        }
    }
}

/// What a confirmation page asks before something is deleted or revoked.
pub struct Confirmation<'a> {
    pub section: Section,
    pub title: &'a str,
    pub question: &'a str,
    pub explanation: Markup,
    /// Where the form posts.
    pub action: &'a str,
    pub button: &'a str,
    /// Where "やめる" leads.
    pub back: &'a str,
}

/// Asks before an action that cannot be undone: a form that posts, and a way back.
pub fn confirm_page(chrome: &Chrome, confirmation: Confirmation) -> Markup {
    signed_in(
        confirmation.title,
        chrome,
        confirmation.section,
        html! {
            h1 { (confirmation.question) }
            (confirmation.explanation)
            form method="post" action=(confirmation.action) {
                input type="hidden" name="csrf" value=(chrome.csrf);
                button type="submit" { (confirmation.button) }
                " "
                a href=(confirmation.back) { "やめる" }
            }
        },
    )
}
