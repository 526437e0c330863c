//! The events page (a fiscal year's events, a new event or series, headcounts) and an event's poster.

use maud::{html, Markup, PreEscaped};
use uuid::Uuid;

use crate::db::events::EventRecord;
use crate::domain::era::{fiscal_year_label, short_date};
use crate::domain::event::EventKind;
use crate::domain::fiscal_year::FiscalYear;
use crate::domain::schedule::{weekday_code, WEEKDAYS};
use crate::domain::vocabulary::FORMATS;

use super::dashboard::{kind_label, page, signed_in, text_field, Chrome, NewEventForm, Section};

/// Under the English title and venue fields.
const ENGLISH_HINT: &str = "英語のアンケートに表示します。空欄なら日本語のものを表示します。";

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
