//! Administrators' page of API tokens: who holds one and with which role, when each was last
//! used, a form to make one (shown once) and revocation after a confirmation.

use crate::domain::lang::Lang;
use maud::{html, Markup};

use crate::domain::clock::local_time;

use super::dashboard::{confirm_page, signed_in, Chrome, Confirmation, Section};
use crate::db::tokens::TokenRecord;
use crate::domain::token::Role;

pub fn role_label(l: Lang, role: &str) -> &'static str {
    match Role::parse(role) {
        Some(Role::Admin) => l.pick("管理者", "Administrator"),
        Some(Role::Analyst) => l.pick("分析担当者", "Analyst"),
        Some(Role::Researcher) => l.pick("研究者", "Researcher"),
        None => l.pick("不明", "Unknown"),
    }
}

/// What the page shows besides the list: the form as typed, its error, a token just made.
#[derive(Default)]
pub struct TokenForm<'a> {
    pub name: &'a str,
    pub role: &'a str,
    pub name_error: Option<&'a str>,
    pub issued: Option<(&'a TokenRecord, &'a str)>,
    pub notice: Option<&'a str>,
}

pub fn tokens_page(chrome: &Chrome, tokens: &[TokenRecord], form: &TokenForm) -> Markup {
    let l = chrome.lang;
    signed_in(
        l.pick("API トークン", "API token"),
        chrome,
        Section::Tokens,
        html! {
            h1 { (l.pick("API トークン", "API token")) }
            p {
                (l.pick("ダッシュボードへのサインインと API の利用に使う鍵です。分析担当者と管理者はダッシュボードに入れます。", "Keys to sign in to the dashboard and to use the API. Analysts and administrators can use the dashboard. "))
                (l.pick("研究者は保護された集計だけを取得できます（このトークンでサインインすると研究者向けのページが開きます）。サーバーにはトークンそのものではなくハッシュだけを保存します。", "Researchers can fetch the protected release only (signing in with their token opens the researchers' pages). The server stores a hash, never the token itself. "))
            }
            @if let Some(notice) = form.notice { p.notice role="status" { (notice) } }
            @if let Some((record, token)) = form.issued {
                section.card.issued aria-labelledby="issued-title" {
                    h2 id="issued-title" { (record.name) (l.pick("（", " (")) (role_label(l, &record.role)) (l.pick("）のトークンを作りました", ") token made")) }
                    p.error role="alert" { (l.pick("このトークンが表示されるのは今だけです。この画面を離れる前に、本人に安全な方法で渡してください。", "This token is shown now and never again. Hand it to its holder safely before leaving this page. ")) }
                    label for="issued-token" { (l.pick("トークン", "Tokens")) }
                    input #issued-token type="text" readonly value=(token) autocomplete="off" spellcheck="false";
                }
            }
            @if tokens.is_empty() {
                p { (l.pick("トークンはまだありません。", "No tokens yet. ")) }
            } @else {
                table {
                    thead { tr {
                        th scope="col" { (l.pick("名前", "Name")) } th scope="col" { (l.pick("役割", "Role")) } th scope="col" { (l.pick("作成日", "Created")) }
                        th scope="col" { (l.pick("最終利用日", "Last used")) } th scope="col" { (l.pick("状態", "State")) } th scope="col" { "" }
                    } }
                    tbody {
                        @for token in tokens {
                            tr {
                                th scope="row" { (token.name) }
                                td { (role_label(l, &token.role)) }
                                td { (local_time(token.created_at).format("%Y-%m-%d")) }
                                td { (token.last_used_on.map_or((l.pick("未使用", "Never used")).to_owned(), |day| day.to_string())) }
                                @match token.revoked_at {
                                    Some(at) => {
                                        td { (l.pick("失効（", "Revoked (")) (at.format("%Y-%m-%d")) (l.pick("）", ")")) }
                                        td {}
                                    }
                                    None => {
                                        td { (l.pick("有効", "Valid")) }
                                        td { a href={ "/dashboard/tokens/" (token.id) "/revoke" } aria-label={ (token.name) (l.pick("のトークンを失効させる", ": revoke the token")) } { (l.pick("失効させる", "Revoke")) } }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            section.card aria-labelledby="new-token" {
                h2 id="new-token" { (l.pick("トークンを作る", "Make a token")) }
                form method="post" action="/dashboard/tokens" {
                    input type="hidden" name="csrf" value=(chrome.csrf);
                    div.field {
                        label for="token-name" { (l.pick("名前", "Name")) }
                        p.hint #token-name-hint { (l.pick("使う人や用途（例：保健所 山田、〇〇大学 研究班）。", "Who uses it, or what for (e.g. Health centre Yamada, University research team). ")) }
                        input #token-name type="text" name="name" value=(form.name) required maxlength="100"
                            aria-describedby={ "token-name-hint" @if form.name_error.is_some() { " token-name-error" } }
                            aria-invalid=[form.name_error.map(|_| "true")];
                        @if let Some(error) = form.name_error { p.error #token-name-error { (error) } }
                    }
                    div.field {
                        label for="token-role" { (l.pick("役割", "Role")) }
                        select #token-role name="role" {
                            @for role in [Role::Analyst, Role::Researcher, Role::Admin] {
                                option value=(role.as_str()) selected[form.role == role.as_str()] { (role_label(l, role.as_str())) }
                            }
                        }
                    }
                    button type="submit" { (l.pick("作る", "Make")) }
                }
            }
        },
    )
}

/// Asks before revoking: the holder loses access at once, and a dashboard session with it ends.
pub fn revoke_page(chrome: &Chrome, token: &TokenRecord, is_own: bool) -> Markup {
    let l = chrome.lang;
    let action = format!("/dashboard/tokens/{}/revoke", token.id);
    confirm_page(
        chrome,
        Confirmation {
            section: Section::Tokens,
            title: (l.pick("トークンの失効", "Revoke token")),
            question: (l.pick("トークンを失効させますか？", "Revoke this token?")),
            explanation: html! {
                p { (token.name) (l.pick("（", " (")) (role_label(l, &token.role)) (l.pick("）のトークンは、失効させるとすぐに使えなくなります。元に戻すことはできません（必要なら新しく作ります）。", ") token stops working at once when revoked. This cannot be undone (make a new one if needed). ")) }
                @if is_own { p.error role="alert" { (l.pick("これは今サインインに使っているトークンです。失効させるとサインアウトされます。", "This is the token you are signed in with. Revoking it signs you out. ")) } }
            },
            action: &action,
            button: (l.pick("失効させる", "Revoke")),
            back: "/dashboard/tokens",
        },
    )
}
