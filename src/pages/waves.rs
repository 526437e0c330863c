//! The agency survey's waves in the dashboard: each wave's dates, answers so far, link and
//! letter to send the agencies; opening a new wave; closing one early.

use chrono::NaiveDate;
use maud::{html, Markup, PreEscaped};

use super::dashboard::{page, select, signed_in, text_field, year_option, Chrome, Field, NewEventForm, Pick, Section};
use crate::db::events::EventRecord;
use crate::domain::clock::zone_name;
use crate::domain::era::fiscal_year_in;
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
    let l = chrome.lang;
    let closing_hint = match l {
        Lang::Ja => format!("この日の終わり（{}）まで受け付けます。", zone_name(l)),
        Lang::En => format!("Answers are taken until the end of this day ({}).", zone_name(l)),
    };
    let form = &view.form;
    let current = FiscalYear::of(crate::domain::clock::today()).0;
    signed_in(
        l.pick("関係機関調査", "Agency survey"),
        chrome,
        Section::Waves,
        html! {
            h1 { (l.pick("関係機関調査", "Agency survey")) }
            p { (l.pick("地域の関係機関への調査を繰り返し、前回からの変化を見ます。各回にアンケートの回答ページと、関係機関に送る依頼状（QR コード付き）があります。", "The survey of local agencies, repeated to see what changed since the last wave. Each wave has a form and a letter to send agencies (with a QR code). ")) }
            @if let Some(notice) = view.notice { p.notice role="status" { (notice) } }
            @if view.waves.is_empty() {
                p { (l.pick("まだ調査の回がありません。", "No waves yet. ")) }
            } @else {
                table {
                    thead { tr {
                        th scope="col" { (l.pick("年度", "Fiscal year")) } th scope="col" { (l.pick("調査", "Wave")) } th scope="col" { (l.pick("回答期間", "Open")) }
                        th scope="col" { (l.pick("回答数", "Responses")) } th scope="col" { (l.pick("状態", "State")) } th scope="col" { "" }
                    } }
                    tbody {
                        @for wave in view.waves {
                            @let event = wave.event;
                            tr {
                                td { (fiscal_year_in(FiscalYear::of(event.held_on), l)) }
                                th scope="row" { (event.title) }
                                td { (event.held_on) " 〜 " (wave.closes_on) }
                                td.number { (event.response_count) }
                                td { @if wave.is_open { (l.pick("受付中", "Open now")) } @else { (l.pick("締切", "Closed")) } }
                                td {
                                    a href=(wave.survey_url) { (l.pick("回答ページ", "Form")) }
                                    " · "
                                    a href={ "/dashboard/waves/" (event.id) "/letter" } { (l.pick("依頼状", "Letter")) }
                                    @if wave.is_open {
                                        form.inline method="post" action={ "/dashboard/waves/" (event.id) "/close" } {
                                            input type="hidden" name="csrf" value=(chrome.csrf);
                                            button.secondary type="submit" aria-label={ (event.title) (l.pick("の受付を今すぐ締め切る", ": close now")) } { (l.pick("今すぐ締め切る", "Close now")) }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            section.card aria-labelledby="new-wave" {
                h2 #new-wave { (l.pick("調査の回を作る", "Open a new wave")) }
                @if let Some((_, message)) = &form.error { p.error role="alert" { (message) } }
                form method="post" action="/dashboard/waves" {
                    input type="hidden" name="csrf" value=(chrome.csrf);
                    (select("form", l.pick("アンケート", "Questionnaire"), view.forms, form.value("form"), None))
                    (text_field(l, form, "wave", Field { name: "title", label: l.pick("調査の名前", "Wave title"), kind: "text", required: true, hint: Some(l.pick("例：第2回 関係機関調査", "e.g. 第2回 関係機関調査")) }))
                    (text_field(l, form, "wave", Field { name: "title_en", label: l.pick("調査の名前（英語）", "Wave title (English)"), kind: "text", required: false, hint: None }))
                    div.field {
                        label for="wave-fiscal_year" { (l.pick("年度", "Fiscal year")) }
                        select #wave-fiscal_year name="fiscal_year" {
                            @for year in (current - 10..=current + 1).rev() {
                                @let value = year.to_string();
                                @let chosen = if form.value("fiscal_year").is_empty() { year == current } else { form.value("fiscal_year") == value };
                                option value=(value) selected[chosen] { (year_option(l, FiscalYear(year))) }
                            }
                        }
                    }
                    (text_field(l, form, "wave", Field { name: "opens_on", label: l.pick("回答の受付開始日", "Opens on"), kind: "date", required: true, hint: None }))
                    (text_field(l, form, "wave", Field { name: "closes_on", label: l.pick("回答の締切日", "Closes on"), kind: "date", required: true, hint: Some(&closing_hint) }))
                    button type="submit" { (l.pick("作る", "Make")) }
                }
            }
        },
    )
}

/// A letter asking an agency to answer, printable on A4: the link, its QR code and the last day.
pub fn letter_page(l: Lang, event: &EventRecord, closes_on: NaiveDate, survey_url: &str, qr_svg: &str) -> Markup {
    page(
        l,
        &format!("{}{}", l.pick("依頼状: ", "Letter: "), event.title),
        html! {
            main.poster {
                p.kind { (l.pick("関係機関の皆様へ", "To the agencies")) }
                h1 { (event.title) (l.pick("へのご協力のお願い", ": a request for your answers")) }
                p {
                    (l.pick("日頃より、薬物依存症からの回復支援にご協力いただき、ありがとうございます。", "Thank you for your continued support of recovery from drug dependence. "))
                    (l.pick("地域での支援の状況と、前回の調査からの変化を知るため、アンケートへのご回答をお願いいたします。", "To learn how support stands locally and what has changed since the last survey, please answer the questionnaire. "))
                }
                p.when { (l.pick("回答期限 ", "Answer by ")) (format_date(closes_on, Lang::Ja)) }
                figure.qr {
                    (PreEscaped(qr_svg))
                    figcaption { (l.pick("スマートフォンで読み取るか、下のアドレスを開いてご回答ください。", "Scan the code with a phone or open the address below to answer. ")) }
                }
                p.link { (survey_url) }
                p.anonymous { (l.pick("ご回答は集計にのみ使い、機関名を公表することはありません。", "Answers are used only in totals; no agency's name is published. ")) }
                p.print-hint { (l.pick("ブラウザの印刷機能で A4 に印刷できます。", "Print it on A4 from the browser. ")) }
            }
        },
    )
}
