//! The dashboard's page of an event's meeting notes: what was said, never who said it.

use maud::{html, Markup};

use super::dashboard::{confirm_page, signed_in, Chrome, Confirmation, Section};
use crate::db::events::EventRecord;
use crate::db::notes::StoredNote;
use crate::domain::era::short_date;
use crate::domain::meeting_note::SPEAKER_ROLES;

pub fn notes_page(
    chrome: &Chrome,
    event: &EventRecord,
    notes: &[StoredNote],
    typed: &str,
    error: Option<&str>,
) -> Markup {
    let role = |id: Option<&str>| id.and_then(|id| SPEAKER_ROLES.find(id)).map_or("—", |term| term.ja);
    signed_in(
        "会議の記録",
        chrome,
        Section::Events,
        html! {
            h1 { "会議の記録：" (event.title) "（" (short_date(event.held_on)) "）" }
            p { "参加者やスタッフの話し合いで出た意見を記録します。名前は書かないでください（記録は匿名で扱い、意見の分析とコード付けに使います）。" }
            @if let Some(error) = error { p.error role="alert" { (error) } }
            @if notes.is_empty() {
                p { "まだ記録がありません。" }
            } @else {
                table {
                    thead { tr { th scope="col" { "記録" } th scope="col" { "話した人の立場" } th scope="col" { "" } } }
                    tbody {
                        @for (n, note) in notes.iter().enumerate() {
                            tr {
                                td.verbatim { (note.text) }
                                td { (role(note.speaker_role.as_deref())) }
                                td {
                                    a href={ "/dashboard/events/" (event.id) "/notes/" (note.id) } aria-label={ (n + 1) "件目の記録を直す" } { "直す" }
                                    " · "
                                    a href={ "/dashboard/events/" (event.id) "/notes/" (note.id) "/delete" } aria-label={ (n + 1) "件目の記録を削除" } { "削除" }
                                }
                            }
                        }
                    }
                }
            }
            section.card aria-labelledby="add-note" {
                h2 id="add-note" { "記録を追加" }
                form method="post" action={ "/dashboard/events/" (event.id) "/notes" } {
                    input type="hidden" name="csrf" value=(chrome.csrf);
                    div.field {
                        label for="note-text" { "出た意見" }
                        textarea #note-text name="text" rows="4" required maxlength="5000" { (typed) }
                    }
                    (role_field(None))
                    button type="submit" { "記録する" }
                }
            }
            p { a href="/dashboard/events" { "イベントの一覧に戻る" } }
        },
    )
}

fn role_field(selected: Option<&str>) -> Markup {
    html! {
        div.field {
            label for="note-role" { "話した人の立場" span.optional { "任意" } }
            select #note-role name="speaker_role" {
                option value="" { "記録しない" }
                @for term in SPEAKER_ROLES.terms() { option value=(term.id) selected[selected == Some(term.id)] { (term.ja) } }
            }
        }
    }
}

/// Correcting one note: its text and the speaker's role, as typed when refused.
pub fn note_edit_page(
    chrome: &Chrome,
    event: &EventRecord,
    note: &StoredNote,
    typed: &str,
    error: Option<&str>,
) -> Markup {
    signed_in(
        "会議の記録を直す",
        chrome,
        Section::Events,
        html! {
            h1 { "会議の記録を直す：" (event.title) "（" (short_date(event.held_on)) "）" }
            @if let Some(error) = error { p.error role="alert" { (error) } }
            form.card method="post" action={ "/dashboard/events/" (event.id) "/notes/" (note.id) } {
                input type="hidden" name="csrf" value=(chrome.csrf);
                div.field {
                    label for="note-text" { "出た意見" }
                    textarea #note-text name="text" rows="6" required maxlength="5000" { (typed) }
                }
                (role_field(note.speaker_role.as_deref()))
                button type="submit" { "保存する" }
                " "
                a href={ "/dashboard/events/" (event.id) "/notes" } { "やめる" }
            }
        },
    )
}

/// Asks before deleting a note (its codings go with it).
pub fn delete_note_page(chrome: &Chrome, event: &EventRecord, note: &StoredNote) -> Markup {
    let (action, back) = (
        format!("/dashboard/events/{}/notes/{}/delete", event.id, note.id),
        format!("/dashboard/events/{}/notes", event.id),
    );
    confirm_page(
        chrome,
        Confirmation {
            section: Section::Events,
            title: "会議の記録の削除",
            question: "この記録を削除しますか？",
            explanation: html! {
                blockquote.verbatim { (note.text) }
                p { "この記録と、それに付けたコードを削除します。元に戻せません。" }
            },
            action: &action,
            button: "削除する",
            back: &back,
        },
    )
}
