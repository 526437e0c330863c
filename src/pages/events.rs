//! The events page (a fiscal year's events, a new event or series, headcounts) and an event's poster.

use crate::domain::lang::Lang;
use maud::{html, Markup, PreEscaped};
use uuid::Uuid;

use crate::db::events::EventRecord;
use crate::domain::era::{fiscal_year_in, short_date};
use crate::domain::event::EventKind;
use crate::domain::fiscal_year::FiscalYear;
use crate::domain::schedule::{weekday_code, WEEKDAYS};
use crate::domain::vocabulary::FORMATS;

use super::dashboard::{kind_label, page, signed_in, text_field, Chrome, Field, NewEventForm, Section};

/// Under the English title and venue fields.
fn english_hint(l: Lang) -> &'static str {
    l.pick(
        "英語のアンケートに表示します。空欄なら日本語のものを表示します。",
        "Shown on the English questionnaire. Left empty, the Japanese is shown. ",
    )
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
    let l = chrome.lang;
    let year = view.year;
    signed_in(
        l.pick("イベント", "Events"),
        chrome,
        Section::Events,
        html! {
            h1 { (l.pick("イベント ", "Events ")) (fiscal_year_in(year, l)) }
            nav.years aria-label=(l.pick("年度", "Fiscal year")) {
                a href=(format!("/dashboard/events?fiscal_year={}", year.0 - 1)) { "← " (fiscal_year_in(FiscalYear(year.0 - 1), l)) }
                a href=(format!("/dashboard/events?fiscal_year={}", year.0 + 1)) { (fiscal_year_in(FiscalYear(year.0 + 1), l)) " →" }
            }
            @if let Some(notice) = view.notice { p.notice role="status" { (notice) } }
            @if view.events.is_empty() {
                p { (l.pick("この年度のイベントはまだありません。", "No events in this fiscal year yet. ")) }
            } @else {
                table {
                    caption { (fiscal_year_in(year, l)) (l.pick("（", " (")) (year.first_day().format(l.pick("%Y年%-m月", "%B %Y"))) (l.pick("〜", " – ")) (year.last_day().format(l.pick("%Y年%-m月", "%B %Y"))) (l.pick("）のイベント", "): events")) }
                    thead { tr { th scope="col" { (l.pick("開催日", "Date")) } th scope="col" { (l.pick("種別", "Kind")) } th scope="col" { (l.pick("タイトル", "Title")) } th scope="col" { (l.pick("回答数", "Responses")) } th scope="col" { (l.pick("参加者数", "Headcount")) } th scope="col" { (l.pick("リンク", "Links")) } } }
                    tbody {
                        @for event in view.events {
                            tr.cancelled[event.cancelled_at.is_some()] {
                                td { (short_date(event.held_on)) br; small { (event.held_on) } }
                                td { (kind_label(l, &event.kind)) }
                                td {
                                    a href=(format!("/dashboard/events/{}", event.id)) aria-label={ (event.title) (l.pick("を編集", ": edit")) } { (event.title) }
                                    @if event.cancelled_at.is_some() { " " strong.tag { (l.pick("中止", "Cancelled")) } }
                                    @if let Some(reason) = &event.cancellation_reason { br; small { (l.pick("理由：", "Reason: ")) (reason) } }
                                    @if event.demo { " " span.tag.demo title=(l.pick("tsunagari demo で入れたデモデータ", "Demo data loaded by tsunagari demo")) { (l.pick("デモ", "Demo")) } }
                                }
                                td.number { (event.response_count) }
                                td { (headcount_form(chrome, event, view.headcount_error.as_ref())) }
                                td {
                                    a href=((view.survey_url)(&event.code)) { (l.pick("回答ページ", "Form")) }
                                    " · "
                                    a href=(format!("/events/{}/poster", event.id)) { (l.pick("ポスター", "Poster")) }
                                    " · "
                                    a href=(format!("/dashboard/events/{}/notes", event.id)) { (l.pick("会議の記録", "Meeting notes")) }
                                }
                            }
                        }
                    }
                }
            }
            section.card aria-labelledby="new-event" {
                h2 #new-event { (l.pick("イベントを作成", "Create an event")) }
                form method="post" action="/dashboard/events" {
                    input type="hidden" name="csrf" value=(chrome.csrf);
                    (kind_field(l, &view.new_event, "new"))
                    (text_field(l, &view.new_event, "new", Field { name: "title", label: l.pick("タイトル", "Title"), kind: "text", required: true, hint: None }))
                    (text_field(l, &view.new_event, "new", Field { name: "title_en", label: l.pick("タイトル（英語）", "Title (English)"), kind: "text", required: false, hint: Some(english_hint(l)) }))
                    (text_field(l, &view.new_event, "new", Field { name: "held_on", label: l.pick("開催日", "Date"), kind: "date", required: true, hint: None }))
                    (text_field(l, &view.new_event, "new", Field { name: "venue", label: l.pick("会場", "Venue"), kind: "text", required: false, hint: None }))
                    (text_field(l, &view.new_event, "new", Field { name: "venue_en", label: l.pick("会場（英語）", "Venue (English)"), kind: "text", required: false, hint: Some(english_hint(l)) }))
                    (text_field(l, &view.new_event, "new", Field { name: "theme", label: l.pick("テーマ", "Theme"), kind: "text", required: false, hint: None }))
                    (format_field(l, &view.new_event, "new"))
                    (text_field(l, &view.new_event, "new", Field { name: "notes", label: l.pick("メモ（スタッフ用）", "Note (staff only)"), kind: "text", required: false, hint: Some(notes_hint(l)) }))
                    button type="submit" { (l.pick("作成する", "Create")) }
                }
            }
            section.card aria-labelledby="new-series" {
                h2 #new-series { (l.pick("定期開催のイベントをまとめて作成", "Create a series of events")) }
                form method="post" action="/dashboard/series" {
                    input type="hidden" name="csrf" value=(chrome.csrf);
                    (kind_field(l, &view.new_series, "series"))
                    (text_field(l, &view.new_series, "series", Field { name: "title", label: l.pick("タイトル", "Title"), kind: "text", required: true, hint: None }))
                    (text_field(l, &view.new_series, "series", Field { name: "title_en", label: l.pick("タイトル（英語）", "Title (English)"), kind: "text", required: false, hint: Some(english_hint(l)) }))
                    (text_field(l, &view.new_series, "series", Field { name: "venue", label: l.pick("会場", "Venue"), kind: "text", required: false, hint: None }))
                    (text_field(l, &view.new_series, "series", Field { name: "venue_en", label: l.pick("会場（英語）", "Venue (English)"), kind: "text", required: false, hint: Some(english_hint(l)) }))
                    (format_field(l, &view.new_series, "series"))
                    (text_field(l, &view.new_series, "series", Field { name: "notes", label: l.pick("メモ（スタッフ用）", "Note (staff only)"), kind: "text", required: false, hint: Some(notes_hint(l)) }))
                    (schedule_picker(l, &view.new_series))
                    (text_field(l, &view.new_series, "series", Field { name: "starts_on", label: l.pick("開始日", "First day"), kind: "date", required: true, hint: None }))
                    (text_field(l, &view.new_series, "series", Field { name: "ends_on", label: l.pick("終了日", "Last day"), kind: "date", required: true, hint: None }))
                    (text_field(l, &view.new_series, "series", Field { name: "skip", label: l.pick("開催しない日", "Days without an event"), kind: "text", required: false, hint: Some(l.pick("YYYY-MM-DD をカンマ区切りで（例: 2026-08-13, 2026-12-24）", "YYYY-MM-DD, separated by commas (e.g. 2026-08-13, 2026-12-24)")) }))
                    button type="submit" { (l.pick("まとめて作成する", "Create the series")) }
                }
            }
        },
    )
}

/// Every week, or the Nth weekday(s) of each month, without writing iCalendar; the raw rule
/// stays under "advanced" and wins when given.
fn schedule_picker(l: Lang, form: &NewEventForm) -> Markup {
    let day_names: [&str; 7] = [
        (l.pick("月", "Mon")),
        (l.pick("火", "Tue")),
        (l.pick("水", "Wed")),
        (l.pick("木", "Thu")),
        (l.pick("金", "Fri")),
        (l.pick("土", "Sat")),
        (l.pick("日", "Sun")),
    ];
    let ticked = |name: &str| !form.value(name).is_empty();
    let advanced = !form.value("rrule").is_empty() || form.error_for("rrule").is_some();
    html! {
        fieldset.field.schedule {
            legend { (l.pick("繰り返し", "Repeats")) }
            label.inline { input type="radio" name="repeat" value="monthly" checked[form.value("repeat") != "weekly"]; (l.pick("毎月", "Monthly")) }
            label.inline { input type="radio" name="repeat" value="weekly" checked[form.value("repeat") == "weekly"]; (l.pick("毎週", "Weekly")) }
            div {
                label for="series-weekday" { (l.pick("曜日", "Weekday")) }
                select #series-weekday name="weekday" {
                    @for (day, name) in WEEKDAYS.into_iter().zip(day_names) {
                        option value=(weekday_code(day)) selected[form.value("weekday") == weekday_code(day)] { (name) (l.pick("曜日", "Weekday")) }
                    }
                }
            }
            div.nths role="group" aria-label=(l.pick("毎月の何回目か（毎月のとき）", "Which week of the month (monthly)")) {
                @for n in 1..=5 {
                    @let name = format!("nth{n}");
                    label.inline { input type="checkbox" name=(name) checked[ticked(&name)]; (l.pick("第", "Week ")) (n) }
                }
                label.inline { input type="checkbox" name="nth_last" checked[ticked("nth_last")]; (l.pick("最終", "Last")) }
            }
        }
        details open[advanced] {
            summary { (l.pick("詳しく指定する（iCalendar の RRULE を直接入力）", "More precisely (an iCalendar RRULE)")) }
            (text_field(l, form, "series", Field { name: "rrule", label: l.pick("繰り返しの規則（RRULE）", "Recurrence rule (RRULE)"), kind: "text", required: false, hint: Some(l.pick("入力するとこちらが優先されます。第2・第4木曜日は FREQ=MONTHLY;BYDAY=2TH,4TH、毎週木曜日は FREQ=WEEKLY;BYDAY=TH", "Takes precedence when given. The 2nd and 4th Thursday: FREQ=MONTHLY;BYDAY=2TH,4TH; every Thursday: FREQ=WEEKLY;BYDAY=TH")) }))
        }
    }
}

/// Under the notes field.
fn notes_hint(l: Lang) -> &'static str {
    l.pick(
        "参加者には表示しません（例: 感染対策のためマスクとフェイスシールドを着用）。",
        "Not shown to attendees (e.g. masks and face shields worn against infection). ",
    )
}

/// An event's format, to compare events by it; the speakers and costs are given through the API.
fn format_field(l: Lang, form: &NewEventForm, prefix: &str) -> Markup {
    let id = format!("{prefix}-format");
    let error = form.error_for("format");
    html! {
        div.field.has-error[error.is_some()] {
            label for=(id) { (l.pick("形式", "Format")) span.optional { (l.pick("任意", "optional")) } }
            @if let Some(error) = error { p.error { (error) } }
            select id=(id) name="format" {
                option value="" { (l.pick("選ばない", "None")) }
                @for format in FORMATS.terms() {
                    option value=(format.id) selected[form.value("format") == format.id] { (l.pick(format.ja, format.en)) }
                }
            }
        }
    }
}

fn kind_field(l: Lang, form: &NewEventForm, prefix: &str) -> Markup {
    let error = form.error_for("kind");
    html! {
        div.field.has-error[error.is_some()] {
            label for=(format!("{prefix}-kind")) { (l.pick("種別", "Kind")) }
            @if let Some(error) = error { p.error { (error) } }
            select id=(format!("{prefix}-kind")) name="kind" {
                @for kind in EventKind::ATTENDED {
                    option value=(kind.as_str()) selected[form.value("kind") == kind.as_str()] { (kind_label(l, kind.as_str())) }
                }
            }
        }
    }
}

fn headcount_form(chrome: &Chrome, event: &EventRecord, error: Option<&(Uuid, String)>) -> Markup {
    let l = chrome.lang;
    let error = error.filter(|(id, _)| *id == event.id).map(|(_, message)| message);
    let input_id = format!("headcount-{}", event.id);
    html! {
        form.inline method="post" action=(format!("/dashboard/events/{}/headcount", event.id)) {
            input type="hidden" name="csrf" value=(chrome.csrf);
            label.visually-hidden for=(input_id) { (event.title) (l.pick(" の参加者数", ": headcount")) }
            input id=(input_id) type="text" inputmode="numeric" name="headcount" size="4"
                value=(event.headcount.map(|n| n.to_string()).unwrap_or_default())
                aria-invalid=[error.map(|_| "true")];
            button type="submit" { (l.pick("記録", "Record")) }
            @if let Some(error) = error { p.error role="alert" { (error) } }
        }
    }
}

/// An A4 poster: what, when, where, the QR code and short link, and that answers are anonymous.
pub fn poster_page(l: Lang, event: &EventRecord, survey_url: &str, qr_svg: &str) -> Markup {
    let date = crate::pages::survey::format_date(event.held_on, l);
    let title = match l {
        Lang::Ja => &event.title,
        Lang::En => event.title_en.as_ref().unwrap_or(&event.title),
    };
    page(
        l,
        &format!("{}{title}", l.pick("ポスター: ", "Poster: ")),
        html! {
            main.poster {
                p.kind { (kind_label(l, &event.kind)) }
                h1 { (title) }
                @if let Some(theme) = &event.theme { p.theme { (theme) } }
                p.when { (date) }
                @if let Some(venue) = &event.venue { p.where_ { (l.pick("会場：", "Venue: ")) (venue) } }
                figure.qr {
                    (PreEscaped(qr_svg))
                    figcaption { (l.pick("スマートフォンで読み取って、アンケートにご協力ください。", "Scan with your phone to answer the questionnaire. ")) }
                }
                p.link { (survey_url) }
                p.anonymous { (l.pick("アンケートは無記名です。お名前や連絡先をうかがうことはありません。", "The questionnaire is anonymous: it never asks your name or contact details. ")) }
                p.print-hint { (l.pick("ブラウザの印刷機能で A4 に印刷できます。", "Print it on A4 from the browser. ")) }
            }
        },
    )
}
