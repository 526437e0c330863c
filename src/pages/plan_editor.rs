//! Indicator plans in the dashboard: the editor (title, kinds, assumed population, a target per
//! fiscal year, and what the report says of the plan), deleting after a confirmation, and the
//! considerations of a year with a preview as the report will print them.

use maud::{html, Markup};

use super::dashboard::{confirm_page, kind_label, signed_in, text_field, Chrome, Confirmation, NewEventForm, Section};
use crate::domain::era::fiscal_year_label;
use crate::domain::event::EventKind;
use crate::domain::fiscal_year::FiscalYear;
use crate::reports::staff_text;

/// The plan's texts as the form names them, with their labels and hints.
pub const TEXT_FIELDS: [(&str, &str, &str); 5] = [
    ("description", "取組内容", "どのような取組か（報告書の「取組内容」）。"),
    ("indicator_reason", "成果指標設定理由", "なぜこの指標で効果を測るのか。"),
    (
        "method_publicity",
        "効果検証の方法：ア 周知・広報",
        "広報の方法と、その効果をどう分析するか。",
    ),
    (
        "method_questionnaires",
        "効果検証の方法：イ アンケート",
        "アンケートをどう集計し、意見をどう読むか。",
    ),
    (
        "method_drivers",
        "効果検証の方法：ウ 参加の要因",
        "参加を増やす要因・妨げる要因をどう検討するか。",
    ),
];

/// Target rows the form offers: those set and three empty ones.
pub fn target_rows(set: usize) -> usize {
    set + 3
}

/// Years a target may be set for, newest last.
pub fn pickable_years() -> impl DoubleEndedIterator<Item = FiscalYear> {
    let current = FiscalYear::of(chrono::Utc::now().date_naive()).0;
    (current - 12..=current + 5).map(FiscalYear)
}

pub struct PlanEditView<'a> {
    /// `None` for a new plan.
    pub slug: Option<&'a str>,
    pub form: NewEventForm,
    pub target_rows: usize,
}

pub fn plan_page(chrome: &Chrome, view: &PlanEditView) -> Markup {
    let form = &view.form;
    let (title, action) = match view.slug {
        Some(slug) => ("指標の計画の編集", format!("/dashboard/indicator-plans/{slug}")),
        None => ("指標の計画を作る", "/dashboard/indicator-plans".to_owned()),
    };
    signed_in(
        title,
        chrome,
        Section::Indicators,
        html! {
            p { a href="/dashboard/indicators" { "← 活動指標・成果指標" } }
            h1 { (title) }
            @if let Some((_, message)) = &form.error { p.error role="alert" { (message) } }
            form method="post" action=(action) {
                input type="hidden" name="csrf" value=(chrome.csrf);
                section.card {
                    @match view.slug {
                        Some(slug) => p { "識別子：" code { (slug) } },
                        None => (text_field(form, "plan", "slug", "識別子", "text", true,
                            Some("半角英小文字・数字・ハイフン（例: seminar-attendance）。API とファイル名で使います。"))),
                    }
                    (text_field(form, "plan", "title_ja", "指標の名前", "text", true, Some("例：回復セミナーへの参加")))
                    (text_field(form, "plan", "title_en", "指標の名前（英語）", "text", true, None))
                    fieldset.field.has-error[form.error_for("event_kinds").is_some()] {
                        legend { "数えるイベントの種別" }
                        @if let Some(error) = form.error_for("event_kinds") { p.error { (error) } }
                        @for kind in EventKind::ATTENDED {
                            @let name = format!("kind_{}", kind.as_str());
                            label.inline { input type="checkbox" name=(name) checked[!form.value(&name).is_empty()]; (kind_label(kind.as_str())) }
                        }
                    }
                    (text_field(form, "plan", "assumed_population", "想定対象者数（人）", "text", true,
                        Some("成果指標は、参加者数がこの人数に占める割合です。")))
                }
                fieldset.card.has-error[form.error_for("targets").is_some()] {
                    legend { "年度ごとの目標（参加者数）" }
                    @if let Some(error) = form.error_for("targets") { p.error { (error) } }
                    table {
                        thead { tr { th scope="col" { "年度" } th scope="col" { "目標（人）" } } }
                        tbody {
                            @for row in 0..view.target_rows {
                                @let (year, target) = (format!("target_year_{row}"), format!("target_value_{row}"));
                                tr {
                                    td {
                                        select name=(year) aria-label={ (row + 1) "行目の年度" } {
                                            option value="" { "—" }
                                            @for pick in pickable_years() {
                                                @let value = pick.0.to_string();
                                                option value=(value) selected[form.value(&year) == value] { (fiscal_year_label(pick)) "（" (pick.0) "）" }
                                            }
                                        }
                                    }
                                    td { input type="text" inputmode="numeric" name=(target) value=(form.value(&target)) aria-label={ (row + 1) "行目の目標" }; }
                                }
                            }
                        }
                    }
                }
                section.card {
                    h2 { "報告書に載せる説明" }
                    p.hint { "段落は空行で区切ります。「- 」や「・」で始まる行は箇条書き、「1. 」で始まる行は番号付きの箇条書きになります。" }
                    @for (name, label, hint) in TEXT_FIELDS {
                        @let error = form.error_for(name).or_else(|| name.starts_with("method_").then(|| form.error_for("method")).flatten());
                        div.field.has-error[error.is_some()] {
                            label for={ "plan-" (name) } { (label) span.optional { "任意" } }
                            p.hint { (hint) }
                            @if let Some(error) = error { p.error { (error) } }
                            textarea id={ "plan-" (name) } name=(name) rows="4" maxlength="5000" { (form.value(name)) }
                        }
                    }
                }
                button type="submit" { "保存する" }
            }
            @if let Some(slug) = view.slug {
                section.card {
                    h2 { "削除" }
                    a href={ "/dashboard/indicator-plans/" (slug) "/delete" } { "この計画を削除する…" }
                }
            }
        },
    )
}

pub fn delete_plan_page(chrome: &Chrome, slug: &str, title: &str) -> Markup {
    let (action, back) = (
        format!("/dashboard/indicator-plans/{slug}/delete"),
        format!("/dashboard/indicator-plans/{slug}"),
    );
    confirm_page(
        chrome,
        Confirmation {
            section: Section::Indicators,
            title: "指標の計画の削除",
            question: "計画を削除しますか？",
            explanation: html! { p { "「" (title) "」の計画を、目標と考察ごと削除します。イベントと回答は消えません。元に戻せません。" } },
            action: &action,
            button: "削除する",
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
    let label = fiscal_year_label(view.year);
    signed_in(
        "考察",
        chrome,
        Section::Indicators,
        html! {
            p { a href="/dashboard/indicators" { "← 活動指標・成果指標" } }
            h1 { (view.plan_title) "：" (label) "の考察" }
            @if let Some(notice) = view.notice { p.notice role="status" { (notice) } }
            form.card method="post" action={ "/dashboard/indicator-plans/" (view.slug) "/considerations/" (view.year.0) } {
                input type="hidden" name="csrf" value=(chrome.csrf);
                div.field.has-error[view.error.is_some()] {
                    label for="consideration-text" { "考察" }
                    p.hint #consideration-hint { "目標に届いたか、なぜか、次に何をするか。段落は空行で区切り、「- 」や「・」で始まる行は箇条書き、「1. 」で始まる行は番号付きになります。" }
                    @if let Some(error) = view.error { p.error #consideration-error { (error) } }
                    textarea #consideration-text name="text" rows="12" maxlength="20000"
                        aria-describedby="consideration-hint" aria-invalid=[view.error.map(|_| "true")] { (view.text) }
                }
                button type="submit" name="action" value="preview" .secondary { "プレビュー" }
                " "
                button type="submit" name="action" value="save" { "保存する" }
            }
            section.card aria-labelledby="preview-title" {
                h2 #preview-title { "報告書での見え方" }
                @if view.text.trim().is_empty() { p { "（未記入）" } } @else { (staff_text::to_html(view.text)) }
            }
        },
    )
}
