//! The dashboard's list of local agencies: the publicity records name them, and attendees pick
//! the one that referred them from it.

use maud::{html, Markup};

use super::dashboard::{signed_in, Chrome, Section};
use crate::db::agencies::StoredAgency;
use crate::domain::vocabulary::AGENCY_KINDS;

pub struct AgenciesView<'a> {
    pub agencies: &'a [StoredAgency],
    /// What was typed into the form to add one, kept when it is refused.
    pub typed: [&'a str; 4],
    pub error: Option<&'a str>,
    pub saved: Option<&'a str>,
}

pub fn agencies_page(chrome: &Chrome, view: &AgenciesView) -> Markup {
    let [slug, name_ja, name_en, kind] = view.typed;
    signed_in(
        "関係機関",
        chrome,
        Section::Agencies,
        html! {
            h1 { "関係機関" }
            p { "イベントの周知先として記録し、参加者が「紹介元」として選べる機関の一覧です。アンケートにはこの一覧がそのまま表示されます。" }
            @if let Some(saved) = view.saved { p.notice role="status" { (saved) " を保存しました。" } }
            @if let Some(error) = view.error { p.error role="alert" { (error) } }
            @if view.agencies.is_empty() {
                p { "まだ登録されていません。" }
            } @else {
                table {
                    thead { tr { th scope="col" { "名前" } th scope="col" { "英語名" } th scope="col" { "種別" } th scope="col" { "識別子" } th scope="col" { "" } } }
                    tbody {
                        @for agency in view.agencies {
                            tr {
                                th scope="row" { (agency.name_ja) }
                                td { (agency.name_en.as_deref().unwrap_or("—")) }
                                td { (AGENCY_KINDS.find(&agency.kind).map_or(agency.kind.as_str(), |k| k.ja)) }
                                td { code { (agency.slug) } }
                                td {
                                    form method="post" action={ "/dashboard/agencies/" (agency.slug) "/delete" } {
                                        input type="hidden" name="csrf" value=(chrome.csrf);
                                        button.secondary type="submit" aria-label={ (agency.name_ja) "を削除" } { "削除" }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            section.card aria-labelledby="add-agency" {
                h2 id="add-agency" { "機関を追加・更新" }
                form method="post" action="/dashboard/agencies" {
                    input type="hidden" name="csrf" value=(chrome.csrf);
                    div.field {
                        label for="agency-name_ja" { "名前" }
                        input #agency-name_ja type="text" name="name_ja" value=(name_ja) required maxlength="200";
                    }
                    div.field {
                        label for="agency-name_en" { "英語名" span.optional { "任意" } }
                        input #agency-name_en type="text" name="name_en" value=(name_en) maxlength="200";
                    }
                    div.field {
                        label for="agency-kind" { "種別" }
                        select #agency-kind name="kind" {
                            @for term in AGENCY_KINDS.terms() {
                                option value=(term.id) selected[kind == term.id] { (term.ja) }
                            }
                        }
                    }
                    div.field {
                        label for="agency-slug" { "識別子" }
                        p.hint { "半角英小文字・数字・ハイフン（例: city-hospital）。同じ識別子で保存すると上書きします。" }
                        input #agency-slug type="text" name="slug" value=(slug) required maxlength="64" pattern="[a-z0-9_-]{1,64}";
                    }
                    button type="submit" { "保存する" }
                }
            }
        },
    )
}
