//! The programme profile in the dashboard (what the results report says of the programme as a
//! whole), and where the results report (成果報告書) is previewed and downloaded.

use crate::domain::lang::Lang;
use maud::{html, Markup};

use super::dashboard::{fiscal_year_select, signed_in, text_field, Chrome, Field, NewEventForm, Section};
use crate::domain::fiscal_year::FiscalYear;

/// The profile's texts as the form names them: label, report section, hint.
pub fn text_areas(l: Lang) -> [(&'static str, &'static str, &'static str); 4] {
    [
    ("purpose", (l.pick("事業の目的", "Purpose of the programme")), (l.pick("報告書の「3 事業の目的」。", "The report's section 3 (purpose). "))),
    ("background", (l.pick("事業実施の背景", "Background")), (l.pick("報告書の「4 事業実施の背景」。", "The report's section 4 (background). "))),
    (
        "other_outcomes",
        (l.pick("成果指標以外の成果", "Results beyond the outcome indicators")),
        (l.pick("報告書の「6 (2)」。研修の回数や関係機関調査の回答数は、記録から自動で加わります。", "The report's section 6 (2). The number of study sessions and of agency-survey answers are added from the records. ")),
    ),
    (
        "advice_for_others",
        (l.pick("他の地方公共団体への参考事項", "Notes for other local governments")),
        (l.pick("報告書の「8」。これから同じ事業を始める自治体へ。", "The report's section 8: for cities starting the same programme. ")),
    ),
]
}

pub struct ProgrammeView<'a> {
    pub form: NewEventForm,
    pub notice: Option<&'a str>,
    /// The years the report opens on: from the first with events (three at most) to the latest.
    pub years: (FiscalYear, FiscalYear),
}

pub fn programme_page(chrome: &Chrome, view: &ProgrammeView) -> Markup {
    let l = chrome.lang;
    let form = &view.form;
    signed_in(
        l.pick("成果報告書", "Results report"),
        chrome,
        Section::Indicators,
        html! {
            p { a href="/dashboard/indicators" { (l.pick("← 活動指標・成果指標", "← Indicators")) } }
            h1 { (l.pick("成果報告書", "Results report")) }
            @if let Some(notice) = view.notice { p.notice role="status" { (notice) } }
            section.card aria-labelledby="report-title" {
                h2 #report-title { (l.pick("報告書を開く・ダウンロードする", "Open or download the report")) }
                p.hint { (l.pick("事業の概要（下の欄）、指標の計画、イベントの記録、考察から、提出する成果報告書の8つの章を作ります。記入がない項目は「（未記入）」と表示されます。", "The eight sections of the results report are made from the programme profile (below), the indicator plans, the events' records and the considerations. Anything not written shows as 「（未記入）」. ")) }
                form.picker method="get" action="/dashboard/programme-report" {
                    (fiscal_year_select(l, "programme-from", "from_fiscal_year", l.pick("最初の年度", "First fiscal year"), view.years.0))
                    (fiscal_year_select(l, "programme-to", "to_fiscal_year", l.pick("最後の年度", "Last fiscal year"), view.years.1))
                    div.field {
                        label for="programme-format" { (l.pick("形式", "Format")) }
                        select #programme-format name="format" {
                            option value="html" { (l.pick("画面で見る（A4 で印刷できます）", "View (prints on A4)")) }
                            option value="docx" { (l.pick("Word（.docx）", "Word (.docx)")) }
                            option value="md" { (l.pick("Markdown（.md）", "Markdown (.md)")) }
                            option value="xlsx" { (l.pick("指標の表だけ Excel（.xlsx）", "Indicator tables only, Excel (.xlsx)")) }
                        }
                    }
                    button type="submit" { (l.pick("報告書を作る", "Make the report")) }
                }
            }
            @if let Some((_, message)) = &form.error { p.error role="alert" { (message) } }
            form method="post" action="/dashboard/programme" {
                input type="hidden" name="csrf" value=(chrome.csrf);
                section.card {
                    h2 { (l.pick("事業の概要", "Programme profile")) }
                    (text_field(l, form, "programme", Field { name: "organisation", label: l.pick("事業実施団体名", "Implementing body"), kind: "text", required: false, hint: Some(l.pick("報告書の「1」。例：つながり市", "The report's section 1. e.g. つながり市")) }))
                    (text_field(l, form, "programme", Field { name: "implementing_body", label: l.pick("実施主体", "Run by"), kind: "text", required: false, hint: Some(l.pick("担当部署や委託先。", "The department or contractor in charge. ")) }))
                    (text_field(l, form, "programme", Field { name: "name", label: l.pick("事業名称", "Programme name"), kind: "text", required: false, hint: Some(l.pick("報告書の「2」と表紙の題。", "The report's section 2 and cover title. ")) }))
                    p.hint { (l.pick("段落は空行で区切ります。「- 」や「・」で始まる行は箇条書き、「1. 」で始まる行は番号付きの箇条書きになります。", "Separate paragraphs with an empty line. Lines starting with \"- \" or \"・\" become a list, lines starting with \"1. \" a numbered list. ")) }
                    @for (name, label, hint) in text_areas(l) {
                        @let error = form.error_for(name);
                        div.field.has-error[error.is_some()] {
                            label for={ "programme-" (name) } { (label) span.optional { (l.pick("任意", "optional")) } }
                            p.hint id={ "programme-" (name) "-hint" } { (hint) }
                            @if let Some(error) = error { p.error { (error) } }
                            textarea id={ "programme-" (name) } name=(name) rows="6" maxlength="20000"
                                aria-describedby={ "programme-" (name) "-hint" } { (form.value(name)) }
                        }
                    }
                    @let error = form.error_for("deliverables");
                    div.field.has-error[error.is_some()] {
                        label for="programme-deliverables" { (l.pick("最終成果物", "Final deliverables")) span.optional { (l.pick("任意", "optional")) } }
                        p.hint #programme-deliverables-hint { (l.pick("報告書の「6 (3)」。1行に一つ（例：啓発リーフレット）。", "The report's section 6 (3). One per line (e.g. 啓発リーフレット). ")) }
                        @if let Some(error) = error { p.error { (error) } }
                        textarea #programme-deliverables name="deliverables" rows="4"
                            aria-describedby="programme-deliverables-hint" { (form.value("deliverables")) }
                    }
                }
                button type="submit" { (l.pick("保存する", "Save")) }
            }
        },
    )
}
