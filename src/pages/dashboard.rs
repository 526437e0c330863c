//! What the analysts' dashboard pages share: the document and its menu, sign-in, the fiscal-year
//! pickers, form fields that keep what was typed, and the confirmation before a deletion.
//! Japanese first (English at a switch), server-rendered, no script; every form carries the session's CSRF token. Each page
//! has a module of its own beside this one.

use std::collections::HashMap;

use maud::{html, Markup, PreEscaped, DOCTYPE};

use crate::domain::era::{fiscal_year_in, fiscal_year_label};
use crate::domain::event::EventKind;
use crate::domain::fiscal_year::FiscalYear;
use crate::domain::lang::Lang;

const STYLE: &str = include_str!("dashboard.css");

/// What every signed-in page needs to draw its header.
pub struct Chrome<'a> {
    pub lang: Lang,
    /// The page shown, where switching the language comes back to.
    pub here: &'a str,
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

pub fn kind_label(l: Lang, kind: &str) -> &'static str {
    EventKind::parse(kind).map_or(l.pick("その他", "Other"), |kind| {
        let (ja, en) = kind.names();
        l.pick(ja, en)
    })
}

/// The link to the same page in the other language, named in that language.
pub(super) fn language_switch(l: Lang, here: &str) -> Markup {
    let other = l.other();
    let href = format!(
        "/dashboard/language/{}?back={}",
        other.code(),
        form_urlencoded::byte_serialize(here.as_bytes()).collect::<String>()
    );
    html! {
        a.language href=(href) lang=(other.code()) hreflang=(other.code()) { (other.pick("日本語", "English")) }
    }
}

pub(super) fn page(l: Lang, title: &str, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang=(l.code()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="robots" content="noindex";
                title { (title) (l.pick(" | つながり", " | Tsunagari")) }
                style { (PreEscaped(STYLE)) }
            }
            body { (body) }
        }
    }
}

pub(super) fn signed_in(title: &str, chrome: &Chrome, current: Section, body: Markup) -> Markup {
    let l = chrome.lang;
    let nav = [
        (Section::Events, "/dashboard/events", (l.pick("イベント", "Events"))),
        (
            Section::Breakdown,
            "/dashboard/breakdown",
            (l.pick("属性別集計", "Breakdowns")),
        ),
        (
            Section::Opinions,
            "/dashboard/opinions",
            (l.pick("自由記述", "Opinions")),
        ),
        (
            Section::Outreach,
            "/dashboard/outreach",
            (l.pick("広報と参加", "Publicity and attendance")),
        ),
        (
            Section::Agencies,
            "/dashboard/agencies",
            (l.pick("関係機関", "Agencies")),
        ),
        (
            Section::Waves,
            "/dashboard/waves",
            (l.pick("機関調査", "Agency survey")),
        ),
        (Section::Forms, "/dashboard/forms", (l.pick("フォーム", "Forms"))),
        (
            Section::Indicators,
            "/dashboard/indicators",
            (l.pick("指標", "Indicators")),
        ),
        (
            Section::Downloads,
            "/dashboard/downloads",
            (l.pick("ダウンロード", "Downloads")),
        ),
    ];
    let admin = [
        (Section::Tokens, "/dashboard/tokens", (l.pick("トークン", "Tokens"))),
        (
            Section::Audit,
            "/dashboard/audit-log",
            (l.pick("操作記録", "Audit log")),
        ),
    ];
    let admin = admin.into_iter().filter(|_| chrome.is_admin);
    page(
        l,
        title,
        html! {
            header.bar {
                span.brand { (l.pick("つながり", "Tsunagari")) }
                nav aria-label=(l.pick("メニュー", "Menu")) {
                    @for (section, href, label) in nav.into_iter().chain(admin) {
                        a href=(href) aria-current=[(section == current).then_some("page")] { (label) }
                    }
                }
                form.sign-out method="post" action="/dashboard/logout" {
                    input type="hidden" name="csrf" value=(chrome.csrf);
                    span.who { (chrome.signed_in_as) }
                    button type="submit" { (l.pick("サインアウト", "Sign out")) }
                }
                (language_switch(l, chrome.here))
            }
            main { (body) }
        },
    )
}

pub fn login_page(l: Lang, csrf: &str, error: Option<&str>) -> Markup {
    page(
        l,
        l.pick("サインイン", "Sign in"),
        html! {
            main.narrow {
                p.language-bar { (language_switch(l, "/dashboard/login")) }
                h1 { (l.pick("ダッシュボードにサインイン", "Sign in to the dashboard")) }
                p { (l.pick("API トークンを入力してください。研究者のトークンでは、研究者向けの公開データのページが開きます。", "Enter your API token. A researcher's token opens the pages of the researchers' release. ")) }
                p.hint {
                    (l.pick("トークンは管理者がダッシュボードの「トークン」ページで作って渡します。最初の管理者のトークンは、サーバーで ", "An administrator makes tokens on the dashboard's Tokens page and hands them over. The first administrator's token is made on the server with "))
                    code { (l.pick("tsunagari token create --role admin --name あなたの名前", "tsunagari token create --role admin --name \"Your name\"")) }
                    (l.pick(" を実行して作ります（表示されるのはその一度だけです）。", " (it is shown that once only). "))
                }
                @if let Some(error) = error {
                    p.error role="alert" { (error) }
                }
                form method="post" action="/dashboard/login" {
                    input type="hidden" name="csrf" value=(csrf);
                    label for="token" { (l.pick("API トークン", "API token")) }
                    input #token type="password" name="token" autocomplete="off" required;
                    button type="submit" { (l.pick("サインイン", "Sign in")) }
                }
            }
        },
    )
}

/// Fiscal years offered by the pickers: from this many before the current one to the next.
const PICKABLE_PAST_YEARS: i32 = 10;

/// A fiscal-year picker that speaks the era as the rest of the dashboard does (`R1年度（2019）`),
/// newest first, with "every year" first; `selected` is the year as the query gives it.
pub(super) fn fiscal_year_picker(l: Lang, id: &str, selected: &str) -> Markup {
    let current = FiscalYear::of(crate::domain::clock::today()).0;
    html! {
        div.field {
            label for=(id) { (l.pick("年度", "Fiscal year")) }
            select id=(id) name="fiscal_year" {
                option value="" selected[selected.is_empty()] { (l.pick("すべての年度", "All fiscal years")) }
                @for year in (current - PICKABLE_PAST_YEARS..=current + 1).rev() {
                    @let value = year.to_string();
                    option value=(value) selected[selected == value] {
                        (year_option(l, FiscalYear(year)))
                    }
                }
            }
        }
    }
}

/// A fiscal year as the pickers offer it: `R1年度（2019）`, or `FY2019 (R1)` in English.
pub(super) fn year_option(l: Lang, year: FiscalYear) -> String {
    match l {
        Lang::Ja => format!("{}（{}）", fiscal_year_label(year), year.0),
        Lang::En => fiscal_year_in(year, l),
    }
}

/// A required fiscal year, named as the era names it, `selected` picked.
pub(super) fn fiscal_year_select(l: Lang, id: &str, name: &str, label: &str, selected: FiscalYear) -> Markup {
    let current = FiscalYear::of(crate::domain::clock::today()).0;
    let first = (current - PICKABLE_PAST_YEARS).min(selected.0);
    html! {
        div.field {
            label for=(id) { (label) }
            select id=(id) name=(name) {
                @for year in (first..=current).rev() {
                    option value=(year) selected[year == selected.0] { (year_option(l, FiscalYear(year))) }
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

/// A text input: its name, label, input type, whether it must be filled, and a hint under it.
pub(super) struct Field<'a> {
    pub name: &'a str,
    pub label: &'a str,
    pub kind: &'a str,
    pub required: bool,
    pub hint: Option<&'a str>,
}

pub(super) fn text_field(l: Lang, form: &NewEventForm, prefix: &str, field: Field) -> Markup {
    let Field {
        name,
        label,
        kind,
        required,
        hint,
    } = field;
    let error = form.error_for(name);
    let id = format!("{prefix}-{name}");
    let described_by: Vec<String> = [hint.map(|_| format!("{id}-hint")), error.map(|_| format!("{id}-error"))]
        .into_iter()
        .flatten()
        .collect();
    html! {
        div.field.has-error[error.is_some()] {
            label for=(id) { (label) @if !required { span.optional { (l.pick("任意", "optional")) } } }
            @if let Some(hint) = hint { p.hint id=(format!("{id}-hint")) { (hint) } }
            @if let Some(error) = error { p.error id=(format!("{id}-error")) { (error) } }
            input id=(id) type=(kind) name=(name) value=(form.value(name)) required[required]
                aria-describedby=[(!described_by.is_empty()).then(|| described_by.join(" "))];
        }
    }
}

/// A choice in a select: value and label in the page's language.
pub type Pick = (String, String);

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
    let l = chrome.lang;
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
                a href=(confirmation.back) { (l.pick("やめる", "Cancel")) }
            }
        },
    )
}
