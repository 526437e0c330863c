//! Indicator plans in the dashboard: the editor (title, kinds, assumed population, a target per
//! fiscal year, and what the report says of the plan), deleting after a confirmation, and the
//! considerations of a year with a preview as the report will print them.

use crate::domain::lang::Lang;
use maud::{html, Markup};

use super::dashboard::{
    confirm_page, kind_label, signed_in, text_field, year_option, Chrome, Confirmation, Field, NewEventForm, Section,
};
use crate::domain::era::fiscal_year_in;
use crate::domain::event::EventKind;
use crate::domain::fiscal_year::FiscalYear;
use crate::reports::staff_text;

/// The plan's texts as the form names them, with their labels and hints.
pub fn text_fields(l: Lang) -> [(&'static str, &'static str, &'static str); 5] {
    [
        (
            "description",
            (l.pick("取組内容", "What the programme does")),
            (l.pick(
                "どのような取組か（報告書の「取組内容」）。",
                "What is done (the report's first section). ",
            )),
        ),
        (
            "indicator_reason",
            (l.pick("成果指標設定理由", "Why this outcome indicator")),
            (l.pick(
                "なぜこの指標で効果を測るのか。",
                "Why the effect is measured by this indicator. ",
            )),
        ),
        (
            "method_publicity",
            (l.pick("効果検証の方法：ア 周知・広報", "Evaluation method: A. publicity")),
            (l.pick(
                "広報の方法と、その効果をどう分析するか。",
                "How events are publicised and how its effect is analysed. ",
            )),
        ),
        (
            "method_questionnaires",
            (l.pick("効果検証の方法：イ アンケート", "Evaluation method: B. questionnaires")),
            (l.pick(
                "アンケートをどう集計し、意見をどう読むか。",
                "How questionnaires are tabulated and opinions read. ",
            )),
        ),
        (
            "method_drivers",
            (l.pick(
                "効果検証の方法：ウ 参加の要因",
                "Evaluation method: C. attendance drivers",
            )),
            (l.pick(
                "参加を増やす要因・妨げる要因をどう検討するか。",
                "How what raises attendance and what keeps people away is worked out. ",
            )),
        ),
    ]
}

/// Target rows the form offers: those set and three empty ones.
pub fn target_rows(set: usize) -> usize {
    set + 3
}

/// Years a target may be set for, newest last.
pub fn pickable_years() -> impl DoubleEndedIterator<Item = FiscalYear> {
    let current = FiscalYear::of(crate::domain::clock::today()).0;
    (current - 12..=current + 5).map(FiscalYear)
}

pub struct PlanEditView<'a> {
    /// `None` for a new plan.
    pub slug: Option<&'a str>,
    pub form: NewEventForm,
    pub target_rows: usize,
}

pub fn plan_page(chrome: &Chrome, view: &PlanEditView) -> Markup {
    let l = chrome.lang;
    let form = &view.form;
    let (title, action) = match view.slug {
        Some(slug) => (
            (l.pick("指標の計画の編集", "Edit indicator plan")),
            format!("/dashboard/indicator-plans/{slug}"),
        ),
        None => (
            (l.pick("指標の計画を作る", "Create an indicator plan")),
            "/dashboard/indicator-plans".to_owned(),
        ),
    };
    signed_in(
        title,
        chrome,
        Section::Indicators,
        html! {
            p { a href="/dashboard/indicators" { (l.pick("← 活動指標・成果指標", "← Indicators")) } }
            h1 { (title) }
            @if let Some((_, message)) = &form.error { p.error role="alert" { (message) } }
            form method="post" action=(action) {
                input type="hidden" name="csrf" value=(chrome.csrf);
                section.card {
                    @match view.slug {
                        Some(slug) => p { (l.pick("識別子：", "Identifier: ")) code { (slug) } },
                        None => (text_field(l, form, "plan", Field { name: "slug", label: l.pick("識別子", "Identifier"), kind: "text", required: true, hint: Some(l.pick("半角英小文字・数字・ハイフン（例: seminar-attendance）。API とファイル名で使います。", "Lower-case letters, digits and hyphens (e.g. seminar-attendance). Used by the API and in file names. ")) })),
                    }
                    (text_field(l, form, "plan", Field { name: "title_ja", label: l.pick("指標の名前", "Indicator name"), kind: "text", required: true, hint: Some(l.pick("例：回復セミナーへの参加", "e.g. 回復セミナーへの参加")) }))
                    (text_field(l, form, "plan", Field { name: "title_en", label: l.pick("指標の名前（英語）", "Indicator name (English)"), kind: "text", required: true, hint: None }))
                    fieldset.field.has-error[form.error_for("event_kinds").is_some()] {
                        legend { (l.pick("数えるイベントの種別", "Event kinds counted")) }
                        @if let Some(error) = form.error_for("event_kinds") { p.error { (error) } }
                        @for kind in EventKind::ATTENDED {
                            @let name = format!("kind_{}", kind.as_str());
                            label.inline { input type="checkbox" name=(name) checked[!form.value(&name).is_empty()]; (kind_label(l, kind.as_str())) }
                        }
                    }
                    (text_field(l, form, "plan", Field { name: "assumed_population", label: l.pick("想定対象者数（人）", "Assumed population (people)"), kind: "text", required: true, hint: Some(l.pick("成果指標は、参加者数がこの人数に占める割合です。", "The outcome indicator is attendance as a share of this population. ")) }))
                }
                fieldset.card.has-error[form.error_for("targets").is_some()] {
                    legend { (l.pick("年度ごとの目標（参加者数）", "Targets per fiscal year (attendance)")) }
                    @if let Some(error) = form.error_for("targets") { p.error { (error) } }
                    table {
                        thead { tr { th scope="col" { (l.pick("年度", "Fiscal year")) } th scope="col" { (l.pick("目標（人）", "Target (people)")) } } }
                        tbody {
                            @for row in 0..view.target_rows {
                                @let (year, target) = (format!("target_year_{row}"), format!("target_value_{row}"));
                                tr {
                                    td {
                                        select name=(year) aria-label=(row_label(l, row + 1, "年度", "Fiscal year")) {
                                            option value="" { "—" }
                                            @for pick in pickable_years() {
                                                @let value = pick.0.to_string();
                                                option value=(value) selected[form.value(&year) == value] { (year_option(l, pick)) }
                                            }
                                        }
                                    }
                                    td { input type="text" inputmode="numeric" name=(target) value=(form.value(&target)) aria-label=(row_label(l, row + 1, "目標", "Target")); }
                                }
                            }
                        }
                    }
                }
                section.card {
                    h2 { (l.pick("報告書に載せる説明", "Texts for the report")) }
                    p.hint { (l.pick("段落は空行で区切ります。「- 」や「・」で始まる行は箇条書き、「1. 」で始まる行は番号付きの箇条書きになります。", "Separate paragraphs with an empty line. Lines starting with \"- \" or \"・\" become a list, lines starting with \"1. \" a numbered list. ")) }
                    @for (name, label, hint) in text_fields(l) {
                        @let error = form.error_for(name).or_else(|| name.starts_with("method_").then(|| form.error_for("method")).flatten());
                        div.field.has-error[error.is_some()] {
                            label for={ "plan-" (name) } { (label) span.optional { (l.pick("任意", "optional")) } }
                            p.hint { (hint) }
                            @if let Some(error) = error { p.error { (error) } }
                            textarea id={ "plan-" (name) } name=(name) rows="4" maxlength="5000" { (form.value(name)) }
                        }
                    }
                }
                button type="submit" { (l.pick("保存する", "Save")) }
            }
            @if let Some(slug) = view.slug {
                section.card {
                    h2 { (l.pick("削除", "Delete")) }
                    a href={ "/dashboard/indicator-plans/" (slug) "/delete" } { (l.pick("この計画を削除する…", "Delete this plan…")) }
                }
            }
        },
    )
}

pub fn delete_plan_page(chrome: &Chrome, slug: &str, title: &str) -> Markup {
    let l = chrome.lang;
    let (action, back) = (
        format!("/dashboard/indicator-plans/{slug}/delete"),
        format!("/dashboard/indicator-plans/{slug}"),
    );
    confirm_page(
        chrome,
        Confirmation {
            section: Section::Indicators,
            title: (l.pick("指標の計画の削除", "Delete indicator plan")),
            question: (l.pick("計画を削除しますか？", "Delete this plan?")),
            explanation: html! { p { (l.pick("「", "\"")) (title) (l.pick("」の計画を、目標と考察ごと削除します。イベントと回答は消えません。元に戻せません。", "\" will be deleted with its targets and considerations. Events and responses stay. This cannot be undone. ")) } },
            action: &action,
            button: (l.pick("削除する", "Delete")),
            back: &back,
        },
    )
}

pub struct ConsiderationView<'a> {
    pub slug: &'a str,
    pub plan_title: &'a str,
    pub year: FiscalYear,
    pub text: &'a str,
    pub error: Option<&'a str>,
    pub notice: Option<&'a str>,
}

/// The considerations of a year: an editor and, beside it, the text as the report prints it.
pub fn consideration_page(chrome: &Chrome, view: &ConsiderationView) -> Markup {
    let l = chrome.lang;
    let label = fiscal_year_in(view.year, l);
    signed_in(
        l.pick("考察", "Considerations"),
        chrome,
        Section::Indicators,
        html! {
            p { a href="/dashboard/indicators" { (l.pick("← 活動指標・成果指標", "← Indicators")) } }
            h1 { (view.plan_title) (l.pick("：", ": ")) (label) (l.pick("の考察", ": considerations")) }
            @if let Some(notice) = view.notice { p.notice role="status" { (notice) } }
            form.card method="post" action={ "/dashboard/indicator-plans/" (view.slug) "/considerations/" (view.year.0) } {
                input type="hidden" name="csrf" value=(chrome.csrf);
                div.field.has-error[view.error.is_some()] {
                    label for="consideration-text" { (l.pick("考察", "Considerations")) }
                    p.hint #consideration-hint { (l.pick("目標に届いたか、なぜか、次に何をするか。段落は空行で区切り、「- 」や「・」で始まる行は箇条書き、「1. 」で始まる行は番号付きになります。", "Whether the target was reached, why, and what comes next. Separate paragraphs with an empty line; lines starting with \"- \" or \"・\" become a list, with \"1. \" a numbered one. ")) }
                    @if let Some(error) = view.error { p.error #consideration-error { (error) } }
                    textarea #consideration-text name="text" rows="12" maxlength="20000"
                        aria-describedby="consideration-hint" aria-invalid=[view.error.map(|_| "true")] { (view.text) }
                }
                button type="submit" name="action" value="preview" .secondary { (l.pick("プレビュー", "Preview")) }
                " "
                button type="submit" name="action" value="save" { (l.pick("保存する", "Save")) }
            }
            section.card aria-labelledby="preview-title" {
                h2 #preview-title { (l.pick("報告書での見え方", "As the report shows it")) }
                @if view.text.trim().is_empty() { p { (l.pick("（未記入）", "(not written)")) } } @else { (staff_text::to_html(view.text)) }
            }
        },
    )
}

/// A cell of the targets table named for a screen reader: `2行目の年度`, `Fiscal year, row 2`.
fn row_label(l: Lang, row: usize, ja: &str, en: &str) -> String {
    match l {
        Lang::Ja => format!("{row}行目の{ja}"),
        Lang::En => format!("{en}, row {row}"),
    }
}
