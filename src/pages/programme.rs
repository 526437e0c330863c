//! The programme profile in the dashboard (what the results report says of the programme as a
//! whole), and where the results report (成果報告書) is previewed and downloaded.

use maud::{html, Markup};

use super::dashboard::{fiscal_year_select, signed_in, text_field, Chrome, NewEventForm, Section};
use crate::domain::fiscal_year::FiscalYear;

/// The profile's texts as the form names them: label, report section, hint.
pub const TEXT_AREAS: [(&str, &str, &str); 4] = [
    ("purpose", "事業の目的", "報告書の「3 事業の目的」。"),
    ("background", "事業実施の背景", "報告書の「4 事業実施の背景」。"),
    (
        "other_outcomes",
        "成果指標以外の成果",
        "報告書の「6 (2)」。研修の回数や関係機関調査の回答数は、記録から自動で加わります。",
    ),
    (
        "advice_for_others",
        "他の地方公共団体への参考事項",
        "報告書の「8」。これから同じ事業を始める自治体へ。",
    ),
];

pub struct ProgrammeView<'a> {
    pub form: NewEventForm,
    pub notice: Option<&'a str>,
    /// The years the report opens on: from the first with events (three at most) to the latest.
    pub years: (FiscalYear, FiscalYear),
}

pub fn programme_page(chrome: &Chrome, view: &ProgrammeView) -> Markup {
    let form = &view.form;
    signed_in(
        "成果報告書",
        chrome,
        Section::Indicators,
        html! {
            p { a href="/dashboard/indicators" { "← 活動指標・成果指標" } }
            h1 { "成果報告書" }
            @if let Some(notice) = view.notice { p.notice role="status" { (notice) } }
            section.card aria-labelledby="report-title" {
                h2 #report-title { "報告書を開く・ダウンロードする" }
                p.hint { "事業の概要（下の欄）、指標の計画、イベントの記録、考察から、提出する成果報告書の8つの章を作ります。記入がない項目は「（未記入）」と表示されます。" }
                form.picker method="get" action="/dashboard/programme-report" {
                    (fiscal_year_select("programme-from", "from_fiscal_year", "最初の年度", view.years.0))
                    (fiscal_year_select("programme-to", "to_fiscal_year", "最後の年度", view.years.1))
                    div.field {
                        label for="programme-format" { "形式" }
                        select #programme-format name="format" {
                            option value="html" { "画面で見る（A4 で印刷できます）" }
                            option value="docx" { "Word（.docx）" }
                            option value="md" { "Markdown（.md）" }
                            option value="xlsx" { "指標の表だけ Excel（.xlsx）" }
                        }
                    }
                    button type="submit" { "報告書を作る" }
                }
            }
            @if let Some((_, message)) = &form.error { p.error role="alert" { (message) } }
            form method="post" action="/dashboard/programme" {
                input type="hidden" name="csrf" value=(chrome.csrf);
                section.card {
                    h2 { "事業の概要" }
                    (text_field(form, "programme", "organisation", "事業実施団体名", "text", false, Some("報告書の「1」。例：つながり市")))
                    (text_field(form, "programme", "implementing_body", "実施主体", "text", false, Some("担当部署や委託先。")))
                    (text_field(form, "programme", "name", "事業名称", "text", false, Some("報告書の「2」と表紙の題。")))
                    p.hint { "段落は空行で区切ります。「- 」や「・」で始まる行は箇条書き、「1. 」で始まる行は番号付きの箇条書きになります。" }
                    @for (name, label, hint) in TEXT_AREAS {
                        @let error = form.error_for(name);
                        div.field.has-error[error.is_some()] {
                            label for={ "programme-" (name) } { (label) span.optional { "任意" } }
                            p.hint id={ "programme-" (name) "-hint" } { (hint) }
                            @if let Some(error) = error { p.error { (error) } }
                            textarea id={ "programme-" (name) } name=(name) rows="6" maxlength="20000"
                                aria-describedby={ "programme-" (name) "-hint" } { (form.value(name)) }
                        }
                    }
                    @let error = form.error_for("deliverables");
                    div.field.has-error[error.is_some()] {
                        label for="programme-deliverables" { "最終成果物" span.optional { "任意" } }
                        p.hint #programme-deliverables-hint { "報告書の「6 (3)」。1行に一つ（例：啓発リーフレット）。" }
                        @if let Some(error) = error { p.error { (error) } }
                        textarea #programme-deliverables name="deliverables" rows="4"
                            aria-describedby="programme-deliverables-hint" { (form.value("deliverables")) }
                    }
                }
                button type="submit" { "保存する" }
            }
        },
    )
}
