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
    let l = chrome.lang;
    let [slug, name_ja, name_en, kind] = view.typed;
    signed_in(
        l.pick("関係機関", "Agencies"),
        chrome,
        Section::Agencies,
        html! {
            h1 { (l.pick("関係機関", "Agencies")) }
            p { (l.pick("イベントの周知先として記録し、参加者が「紹介元」として選べる機関の一覧です。アンケートにはこの一覧がそのまま表示されます。", "The agencies that events are publicised to and that attendees can name as the one that referred them. The questionnaire shows this list as it is. ")) }
            @if let Some(saved) = view.saved { p.notice role="status" { (saved) (l.pick(" を保存しました。", " saved. ")) } }
            @if let Some(error) = view.error { p.error role="alert" { (error) } }
            @if view.agencies.is_empty() {
                p { (l.pick("まだ登録されていません。", "None registered yet. ")) }
            } @else {
                table {
                    thead { tr { th scope="col" { (l.pick("名前", "Name")) } th scope="col" { (l.pick("英語名", "English name")) } th scope="col" { (l.pick("種別", "Kind")) } th scope="col" { (l.pick("識別子", "Identifier")) } th scope="col" { "" } } }
                    tbody {
                        @for agency in view.agencies {
                            tr {
                                th scope="row" { (agency.name_ja) }
                                td { (agency.name_en.as_deref().unwrap_or("—")) }
                                td { (AGENCY_KINDS.find(&agency.kind).map_or(agency.kind.as_str(), |k| l.pick(k.ja, k.en))) }
                                td { code { (agency.slug) } }
                                td {
                                    form method="post" action={ "/dashboard/agencies/" (agency.slug) "/delete" } {
                                        input type="hidden" name="csrf" value=(chrome.csrf);
                                        button.secondary type="submit" aria-label={ (agency.name_ja) (l.pick("を削除", ": delete")) } { (l.pick("削除", "Delete")) }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            section.card aria-labelledby="add-agency" {
                h2 id="add-agency" { (l.pick("機関を追加・更新", "Add or update an agency")) }
                form method="post" action="/dashboard/agencies" {
                    input type="hidden" name="csrf" value=(chrome.csrf);
                    div.field {
                        label for="agency-name_ja" { (l.pick("名前", "Name")) }
                        input #agency-name_ja type="text" name="name_ja" value=(name_ja) required maxlength="200";
                    }
                    div.field {
                        label for="agency-name_en" { (l.pick("英語名", "English name")) span.optional { (l.pick("任意", "optional")) } }
                        input #agency-name_en type="text" name="name_en" value=(name_en) maxlength="200";
                    }
                    div.field {
                        label for="agency-kind" { (l.pick("種別", "Kind")) }
                        select #agency-kind name="kind" {
                            @for term in AGENCY_KINDS.terms() {
                                option value=(term.id) selected[kind == term.id] { (l.pick(term.ja, term.en)) }
                            }
                        }
                    }
                    div.field {
                        label for="agency-slug" { (l.pick("識別子", "Identifier")) }
                        p.hint { (l.pick("半角英小文字・数字・ハイフン（例: city-hospital）。同じ識別子で保存すると上書きします。", "Lower-case letters, digits and hyphens (e.g. city-hospital). Saving under an existing identifier replaces it. ")) }
                        input #agency-slug type="text" name="slug" value=(slug) required maxlength="64" pattern="[a-z0-9_-]{1,64}";
                    }
                    button type="submit" { (l.pick("保存する", "Save")) }
                }
            }
        },
    )
}
