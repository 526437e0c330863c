//! The agency survey's waves in the dashboard: each wave's dates, answers so far, link and
//! letter to send the agencies; opening a new wave; closing one early.

use chrono::NaiveDate;
use maud::{html, Markup, PreEscaped};

use super::dashboard::{page, select, signed_in, text_field, Chrome, NewEventForm, Pick, Section};
use crate::db::events::EventRecord;
use crate::domain::era::fiscal_year_label;
use crate::domain::fiscal_year::FiscalYear;
use crate::domain::lang::Lang;
use crate::pages::survey::format_date;

pub struct WaveRow<'a> {
    pub event: &'a EventRecord,
    pub closes_on: NaiveDate,
    pub is_open: bool,
    pub survey_url: String,
}

pub struct WavesView<'a> {
    pub waves: &'a [WaveRow<'a>],
    pub forms: &'a [Pick],
    pub form: NewEventForm,
    pub notice: Option<&'a str>,
}

pub fn waves_page(chrome: &Chrome, view: &WavesView) -> Markup {
    let form = &view.form;
    let current = FiscalYear::of(chrono::Utc::now().date_naive()).0;
    signed_in(
        "関係機関調査",
        chrome,
        Section::Waves,
        html! {
            h1 { "関係機関調査" }
            p { "地域の関係機関への調査を繰り返し、前回からの変化を見ます。各回にアンケートの回答ページと、関係機関に送る依頼状（QR コード付き）があります。" }
            @if let Some(notice) = view.notice { p.notice role="status" { (notice) } }
            @if view.waves.is_empty() {
                p { "まだ調査の回がありません。" }
            } @else {
                table {
                    thead { tr {
                        th scope="col" { "年度" } th scope="col" { "調査" } th scope="col" { "回答期間" }
                        th scope="col" { "回答数" } th scope="col" { "状態" } th scope="col" { "" }
                    } }
                    tbody {
                        @for wave in view.waves {
                            @let event = wave.event;
                            tr {
                                td { (fiscal_year_label(FiscalYear::of(event.held_on))) }
                                th scope="row" { (event.title) }
                                td { (event.held_on) " 〜 " (wave.closes_on) }
                                td.number { (event.response_count) }
                                td { @if wave.is_open { "受付中" } @else { "締切" } }
                                td {
                                    a href=(wave.survey_url) { "回答ページ" }
                                    " · "
                                    a href={ "/dashboard/waves/" (event.id) "/letter" } { "依頼状" }
                                    @if wave.is_open {
                                        form.inline method="post" action={ "/dashboard/waves/" (event.id) "/close" } {
                                            input type="hidden" name="csrf" value=(chrome.csrf);
                                            button.secondary type="submit" aria-label={ (event.title) "の受付を今すぐ締め切る" } { "今すぐ締め切る" }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            section.card aria-labelledby="new-wave" {
                h2 #new-wave { "調査の回を作る" }
                @if let Some((_, message)) = &form.error { p.error role="alert" { (message) } }
                form method="post" action="/dashboard/waves" {
                    input type="hidden" name="csrf" value=(chrome.csrf);
                    (select("form", "アンケート", view.forms, form.value("form"), None))
                    (text_field(form, "wave", "title", "調査の名前", "text", true, Some("例：第2回 関係機関調査")))
                    (text_field(form, "wave", "title_en", "調査の名前（英語）", "text", false, None))
                    div.field {
                        label for="wave-fiscal_year" { "年度" }
                        select #wave-fiscal_year name="fiscal_year" {
                            @for year in (current - 10..=current + 1).rev() {
                                @let value = year.to_string();
                                @let chosen = if form.value("fiscal_year").is_empty() { year == current } else { form.value("fiscal_year") == value };
                                option value=(value) selected[chosen] { (fiscal_year_label(FiscalYear(year))) "（" (year) "）" }
                            }
                        }
                    }
                    (text_field(form, "wave", "opens_on", "回答の受付開始日", "date", true, None))
                    (text_field(form, "wave", "closes_on", "回答の締切日", "date", true, Some("この日の終わり（日本時間）まで受け付けます。")))
                    button type="submit" { "作る" }
                }
            }
        },
    )
}

/// A letter asking an agency to answer, printable on A4: the link, its QR code and the last day.
pub fn letter_page(event: &EventRecord, closes_on: NaiveDate, survey_url: &str, qr_svg: &str) -> Markup {
    page(
        &format!("依頼状: {}", event.title),
        html! {
            main.poster {
                p.kind { "関係機関の皆様へ" }
                h1 { (event.title) "へのご協力のお願い" }
                p {
                    "日頃より、薬物依存症からの回復支援にご協力いただき、ありがとうございます。"
                    "地域での支援の状況と、前回の調査からの変化を知るため、アンケートへのご回答をお願いいたします。"
                }
                p.when { "回答期限 " (format_date(closes_on, Lang::Ja)) }
                figure.qr {
                    (PreEscaped(qr_svg))
                    figcaption { "スマートフォンで読み取るか、下のアドレスを開いてご回答ください。" }
                }
                p.link { (survey_url) }
                p.anonymous { "ご回答は集計にのみ使い、機関名を公表することはありません。" }
                p.print-hint { "ブラウザの印刷機能で A4 に印刷できます。" }
            }
        },
    )
}
