//! The dashboard's page of an event's meeting notes: what was said, never who said it.

use crate::domain::lang::Lang;
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
    let l = chrome.lang;
    let role = |id: Option<&str>| {
        id.and_then(|id| SPEAKER_ROLES.find(id))
            .map_or("—", |term| l.pick(term.ja, term.en))
    };
    signed_in(
        l.pick("会議の記録", "Meeting notes"),
        chrome,
        Section::Events,
        html! {
            h1 { (l.pick("会議の記録：", "Meeting notes: ")) (event.title) (l.pick("（", " (")) (short_date(event.held_on)) (l.pick("）", ")")) }
            p { (l.pick("参加者やスタッフの話し合いで出た意見を記録します。名前は書かないでください（記録は匿名で扱い、意見の分析とコード付けに使います）。", "Record the opinions voiced in attendees' and staff's discussions. Do not write names (notes are anonymous and used for analysing and coding opinions). ")) }
            @if let Some(error) = error { p.error role="alert" { (error) } }
            @if notes.is_empty() {
                p { (l.pick("まだ記録がありません。", "Nothing recorded yet. ")) }
            } @else {
                table {
                    thead { tr { th scope="col" { (l.pick("記録", "Record")) } th scope="col" { (l.pick("話した人の立場", "Speaker's role")) } th scope="col" { "" } } }
                    tbody {
                        @for (n, note) in notes.iter().enumerate() {
                            tr {
                                td.verbatim { (note.text) }
                                td { (role(note.speaker_role.as_deref())) }
                                td {
                                    a href={ "/dashboard/events/" (event.id) "/notes/" (note.id) } aria-label=(note_label(l, n + 1, "直す", "Correct")) { (l.pick("直す", "Correct")) }
                                    " · "
                                    a href={ "/dashboard/events/" (event.id) "/notes/" (note.id) "/delete" } aria-label=(note_label(l, n + 1, "削除", "Delete")) { (l.pick("削除", "Delete")) }
                                }
                            }
                        }
                    }
                }
            }
            section.card aria-labelledby="add-note" {
                h2 id="add-note" { (l.pick("記録を追加", "Add a note")) }
                form method="post" action={ "/dashboard/events/" (event.id) "/notes" } {
                    input type="hidden" name="csrf" value=(chrome.csrf);
                    div.field {
                        label for="note-text" { (l.pick("出た意見", "Opinion voiced")) }
                        textarea #note-text name="text" rows="4" required maxlength="5000" { (typed) }
                    }
                    (role_field(l, None))
                    button type="submit" { (l.pick("記録する", "Record")) }
                }
            }
            p { a href="/dashboard/events" { (l.pick("イベントの一覧に戻る", "Back to the events")) } }
        },
    )
}

fn role_field(l: Lang, selected: Option<&str>) -> Markup {
    html! {
        div.field {
            label for="note-role" { (l.pick("話した人の立場", "Speaker's role")) span.optional { (l.pick("任意", "optional")) } }
            select #note-role name="speaker_role" {
                option value="" { (l.pick("記録しない", "Not recorded")) }
                @for term in SPEAKER_ROLES.terms() { option value=(term.id) selected[selected == Some(term.id)] { (l.pick(term.ja, term.en)) } }
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
    let l = chrome.lang;
    signed_in(
        l.pick("会議の記録を直す", "Correct a meeting note"),
        chrome,
        Section::Events,
        html! {
            h1 { (l.pick("会議の記録を直す：", "Correct a meeting note: ")) (event.title) (l.pick("（", " (")) (short_date(event.held_on)) (l.pick("）", ")")) }
            @if let Some(error) = error { p.error role="alert" { (error) } }
            form.card method="post" action={ "/dashboard/events/" (event.id) "/notes/" (note.id) } {
                input type="hidden" name="csrf" value=(chrome.csrf);
                div.field {
                    label for="note-text" { (l.pick("出た意見", "Opinion voiced")) }
                    textarea #note-text name="text" rows="6" required maxlength="5000" { (typed) }
                }
                (role_field(l, note.speaker_role.as_deref()))
                button type="submit" { (l.pick("保存する", "Save")) }
                " "
                a href={ "/dashboard/events/" (event.id) "/notes" } { (l.pick("やめる", "Cancel")) }
            }
        },
    )
}

/// Asks before deleting a note (its codings go with it).
pub fn delete_note_page(chrome: &Chrome, event: &EventRecord, note: &StoredNote) -> Markup {
    let l = chrome.lang;
    let (action, back) = (
        format!("/dashboard/events/{}/notes/{}/delete", event.id, note.id),
        format!("/dashboard/events/{}/notes", event.id),
    );
    confirm_page(
        chrome,
        Confirmation {
            section: Section::Events,
            title: (l.pick("会議の記録の削除", "Delete a meeting note")),
            question: (l.pick("この記録を削除しますか？", "Delete this note?")),
            explanation: html! {
                blockquote.verbatim { (note.text) }
                p { (l.pick("この記録と、それに付けたコードを削除します。元に戻せません。", "The note and its codes will be deleted. This cannot be undone. ")) }
            },
            action: &action,
            button: (l.pick("削除する", "Delete")),
            back: &back,
        },
    )
}

/// What a note's link does, named for a screen reader: `2件目の記録を直す`, `Correct note 2`.
fn note_label(l: Lang, n: usize, ja: &str, en: &str) -> String {
    match l {
        Lang::Ja => format!("{n}件目の記録を{ja}"),
        Lang::En => format!("{en} note {n}"),
    }
}
