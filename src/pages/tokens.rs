//! Administrators' page of API tokens: who holds one and with which role, when each was last
//! used, a form to make one (shown once) and revocation after a confirmation.

use maud::{html, Markup};

use crate::domain::era::japan_time;

use super::dashboard::{confirm_page, signed_in, Chrome, Confirmation, Section};
use crate::db::tokens::TokenRecord;
use crate::domain::token::Role;

pub fn role_label(role: &str) -> &'static str {
    match Role::parse(role) {
        Some(Role::Admin) => "管理者",
        Some(Role::Analyst) => "分析担当者",
        Some(Role::Researcher) => "研究者",
        None => "不明",
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
    signed_in(
        "API トークン",
        chrome,
        Section::Tokens,
        html! {
            h1 { "API トークン" }
            p {
                "ダッシュボードへのサインインと API の利用に使う鍵です。分析担当者と管理者はダッシュボードに入れます。"
                "研究者は保護された集計だけを取得できます（このトークンでサインインすると研究者向けのページが開きます）。サーバーにはトークンそのものではなくハッシュだけを保存します。"
            }
            @if let Some(notice) = form.notice { p.notice role="status" { (notice) } }
            @if let Some((record, token)) = form.issued {
                section.card.issued aria-labelledby="issued-title" {
                    h2 id="issued-title" { (record.name) "（" (role_label(&record.role)) "）のトークンを作りました" }
                    p.error role="alert" { "このトークンが表示されるのは今だけです。この画面を離れる前に、本人に安全な方法で渡してください。" }
                    label for="issued-token" { "トークン" }
                    input #issued-token type="text" readonly value=(token) autocomplete="off" spellcheck="false";
                }
            }
            @if tokens.is_empty() {
                p { "トークンはまだありません。" }
            } @else {
                table {
                    thead { tr {
                        th scope="col" { "名前" } th scope="col" { "役割" } th scope="col" { "作成日" }
                        th scope="col" { "最終利用日" } th scope="col" { "状態" } th scope="col" { "" }
                    } }
                    tbody {
                        @for token in tokens {
                            tr {
                                th scope="row" { (token.name) }
                                td { (role_label(&token.role)) }
                                td { (japan_time(token.created_at).format("%Y-%m-%d")) }
                                td { (token.last_used_on.map_or("未使用".to_owned(), |day| day.to_string())) }
                                @match token.revoked_at {
                                    Some(at) => {
                                        td { "失効（" (at.format("%Y-%m-%d")) "）" }
                                        td {}
                                    }
                                    None => {
                                        td { "有効" }
                                        td { a href={ "/dashboard/tokens/" (token.id) "/revoke" } aria-label={ (token.name) "のトークンを失効させる" } { "失効させる" } }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            section.card aria-labelledby="new-token" {
                h2 id="new-token" { "トークンを作る" }
                form method="post" action="/dashboard/tokens" {
                    input type="hidden" name="csrf" value=(chrome.csrf);
                    div.field {
                        label for="token-name" { "名前" }
                        p.hint #token-name-hint { "使う人や用途（例：保健所 山田、〇〇大学 研究班）。" }
                        input #token-name type="text" name="name" value=(form.name) required maxlength="100"
                            aria-describedby={ "token-name-hint" @if form.name_error.is_some() { " token-name-error" } }
                            aria-invalid=[form.name_error.map(|_| "true")];
                        @if let Some(error) = form.name_error { p.error #token-name-error { (error) } }
                    }
                    div.field {
                        label for="token-role" { "役割" }
                        select #token-role name="role" {
                            @for role in [Role::Analyst, Role::Researcher, Role::Admin] {
                                option value=(role.as_str()) selected[form.role == role.as_str()] { (role_label(role.as_str())) }
                            }
                        }
                    }
                    button type="submit" { "作る" }
                }
            }
        },
    )
}

/// Asks before revoking: the holder loses access at once, and a dashboard session with it ends.
pub fn revoke_page(chrome: &Chrome, token: &TokenRecord, is_own: bool) -> Markup {
    let action = format!("/dashboard/tokens/{}/revoke", token.id);
    confirm_page(
        chrome,
        Confirmation {
            section: Section::Tokens,
            title: "トークンの失効",
            question: "トークンを失効させますか？",
            explanation: html! {
                p { (token.name) "（" (role_label(&token.role)) "）のトークンは、失効させるとすぐに使えなくなります。元に戻すことはできません（必要なら新しく作ります）。" }
                @if is_own { p.error role="alert" { "これは今サインインに使っているトークンです。失効させるとサインアウトされます。" } }
            },
            action: &action,
            button: "失効させる",
            back: "/dashboard/tokens",
        },
    )
}
