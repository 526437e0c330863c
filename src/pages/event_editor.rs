//! Editing one event: its details, speakers and costs, its cancellation (with the reason, and
//! undoing it) and, for an event nobody has answered, deleting it after a confirmation.

use crate::domain::lang::Lang;
use maud::{html, Markup};

use super::dashboard::{
    confirm_page, kind_label, signed_in, text_field, Chrome, Confirmation, Field, NewEventForm, Section,
};
use super::{paper, yen};
use crate::db::agencies::StoredAgency;
use crate::db::events::EventRecord;
use crate::db::publicity::PublicityRecord;
use crate::domain::vocabulary::{CHANNELS, FORMATS, SPEAKER_TYPES};

/// Cost items as the form names them, with their labels.
pub fn cost_fields(l: Lang) -> [(&'static str, &'static str); 4] {
    [
        ("honorarium", (l.pick("謝金", "Fees"))),
        ("travel", (l.pick("旅費", "Travel"))),
        ("venue", (l.pick("会場費", "Venue"))),
        ("other", (l.pick("その他", "Other"))),
    ]
}

/// Speaker rows the form offers: those recorded and two empty ones, at least three.
pub fn speaker_rows(recorded: usize) -> usize {
    (recorded + 2).clamp(3, 20)
}

pub struct EditView<'a> {
    pub event: &'a EventRecord,
    pub form: NewEventForm,
    pub publicity: &'a [PublicityRecord],
    pub agencies: &'a [StoredAgency],
    /// The new publicity record as typed, and what was wrong with it.
    pub publicity_form: NewEventForm,
    pub speaker_rows: usize,
    /// Whether deleting is offered: nobody answered and no release counts it.
    pub deletable: bool,
    pub cancel_error: Option<&'a str>,
    pub notice: Option<&'a str>,
}

pub fn edit_page(chrome: &Chrome, view: &EditView) -> Markup {
    let l = chrome.lang;
    let event = view.event;
    let form = &view.form;
    let action = format!("/dashboard/events/{}", event.id);
    signed_in(
        l.pick("イベントの編集", "Edit event"),
        chrome,
        Section::Events,
        html! {
            p { a href={ "/dashboard/events?fiscal_year=" (crate::domain::fiscal_year::FiscalYear::of(event.held_on).0) } { (l.pick("← イベント一覧", "← Events")) } }
            h1 { (event.title) (l.pick("（", " (")) (kind_label(l, &event.kind)) (l.pick("）の編集", "): edit")) }
            @if let Some(notice) = view.notice { p.notice role="status" { (notice) } }
            @if let Some((_, message)) = &form.error { p.error role="alert" { (message) } }
            form method="post" action={ (action) "/edit" } {
                input type="hidden" name="csrf" value=(chrome.csrf);
                section.card aria-labelledby="edit-details" {
                    h2 #edit-details { (l.pick("開催の内容", "Details")) }
                    (text_field(l, form, "edit", Field { name: "title", label: l.pick("タイトル", "Title"), kind: "text", required: true, hint: None }))
                    (text_field(l, form, "edit", Field { name: "title_en", label: l.pick("タイトル（英語）", "Title (English)"), kind: "text", required: false, hint: None }))
                    (text_field(l, form, "edit", Field { name: "held_on", label: l.pick("開催日", "Date"), kind: "date", required: true, hint: None }))
                    (text_field(l, form, "edit", Field { name: "venue", label: l.pick("会場", "Venue"), kind: "text", required: false, hint: None }))
                    (text_field(l, form, "edit", Field { name: "venue_en", label: l.pick("会場（英語）", "Venue (English)"), kind: "text", required: false, hint: None }))
                    (text_field(l, form, "edit", Field { name: "theme", label: l.pick("テーマ", "Theme"), kind: "text", required: false, hint: None }))
                    (choice(l, form, "format", l.pick("形式", "Format"), FORMATS.terms().map(|t| (t.id, l.pick(t.ja, t.en)))))
                    (text_field(l, form, "edit", Field { name: "headcount", label: l.pick("参加者数（人）", "Headcount"), kind: "text", required: false, hint: Some(l.pick("会場で数えた人数。空欄なら未記録です。", "People counted at the venue. Empty means not recorded. ")) }))
                    (text_field(l, form, "edit", Field { name: "notes", label: l.pick("メモ（スタッフ用）", "Note (staff only)"), kind: "text", required: false, hint: None }))
                }
                fieldset.card {
                    legend { (l.pick("講師・登壇者", "Speakers")) }
                    @if let Some(error) = form.error_for("speakers") { p.error #edit-speakers-error { (error) } }
                    p.hint { (l.pick("名前は任意です。種別の「第一人者の専門家」が、参加を左右する要因の分析に使われます。", "Names are optional. The kind \"leading expert\" is used in the analysis of what drives attendance. ")) }
                    @for row in 0..view.speaker_rows {
                        @let (name, kind) = (format!("speaker_name_{row}"), format!("speaker_type_{row}"));
                        div.speaker role="group" aria-label=(speaker_label(l, row + 1, "")) {
                            label for={ "edit-" (name) } { (speaker_label(l, row + 1, l.pick("の名前", ": name"))) }
                            input id={ "edit-" (name) } type="text" name=(name) value=(form.value(&name)) maxlength="100";
                            label for={ "edit-" (kind) } { (l.pick("種別", "Kind")) }
                            select id={ "edit-" (kind) } name=(kind) {
                                option value="" { "—" }
                                @for term in SPEAKER_TYPES.terms() {
                                    option value=(term.id) selected[form.value(&kind) == term.id] { (l.pick(term.ja, term.en)) }
                                }
                            }
                        }
                    }
                }
                fieldset.card {
                    legend { (l.pick("費用（円）", "Costs (yen)")) }
                    @if let Some(error) = form.error_for("costs") { p.error { (error) } }
                    @for (item, label) in cost_fields(l) {
                        @let name = format!("cost_{item}");
                        div.field {
                            label for={ "edit-" (name) } { (label) span.optional { (l.pick("任意", "optional")) } }
                            input id={ "edit-" (name) } type="text" inputmode="numeric" name=(name) value=(form.value(&name));
                        }
                    }
                }
                button type="submit" { (l.pick("保存する", "Save")) }
            }
            section.card aria-labelledby="edit-paper" {
                h2 #edit-paper { (l.pick("紙のアンケート", "Paper questionnaires")) }
                p { (l.pick("紙で回答された用紙を、このイベントの回答として入力します（締め切った回や過去の回も入力できます）。回答数：", "Key in questionnaires answered on paper as this event's responses (closed and past events too). Responses: ")) (event.response_count) (l.pick(" 件", "")) }
                p { a href={ (action) "/paper" } { (l.pick("1枚ずつ入力する", "Key in one by one")) } }
                (paper::import_form(chrome, event.id))
            }
            (publicity_section(chrome, view))
            section.card aria-labelledby="edit-cancel" {
                h2 #edit-cancel { (l.pick("中止", "Cancellation")) }
                @match event.cancelled_at {
                    Some(at) => {
                        p { (l.pick("このイベントは ", "This event was cancelled on ")) (at.format("%Y-%m-%d")) (l.pick(" に中止になりました。", ". ")) }
                        @if let Some(reason) = &event.cancellation_reason { p { (l.pick("理由：", "Reason: ")) (reason) } }
                        form method="post" action={ (action) "/reinstate" } {
                            input type="hidden" name="csrf" value=(chrome.csrf);
                            button.secondary type="submit" { (l.pick("中止を取り消す", "Reinstate")) }
                        }
                    }
                    None => {
                        p { (l.pick("中止にすると回答ページは回答を受け付けなくなり、報告書には中止として載ります。あとで取り消せます。", "A cancelled event's form takes no answers, and the report lists it as cancelled. It can be reinstated later. ")) }
                        form method="post" action={ (action) "/cancel" } {
                            input type="hidden" name="csrf" value=(chrome.csrf);
                            div.field.has-error[view.cancel_error.is_some()] {
                                label for="cancel-reason" { (l.pick("中止の理由", "Reason for cancelling")) }
                                @if let Some(error) = view.cancel_error { p.error #cancel-reason-error { (error) } }
                                textarea #cancel-reason name="cancellation_reason" rows="2" maxlength="1000" required
                                    aria-invalid=[view.cancel_error.map(|_| "true")] { (form.value("cancellation_reason")) }
                            }
                            button type="submit" { (l.pick("中止にする", "Cancel the event")) }
                        }
                    }
                }
            }
            @if view.deletable {
                section.card aria-labelledby="edit-delete" {
                    h2 #edit-delete { (l.pick("削除", "Delete")) }
                    p { (l.pick("まだ回答がないため、このイベントは削除できます（会議の記録と広報の記録も消えます）。", "Nobody has answered yet, so this event can be deleted (its meeting notes and publicity records go with it). ")) }
                    a href={ (action) "/delete" } { (l.pick("このイベントを削除する…", "Delete this event…")) }
                }
            }
        },
    )
}

/// The event's publicity records, each deletable, and the form to add one.
fn publicity_section(chrome: &Chrome, view: &EditView) -> Markup {
    let l = chrome.lang;
    let event = view.event;
    let form = &view.publicity_form;
    let agency_name = |slug: &str| {
        view.agencies
            .iter()
            .find(|agency| agency.slug == slug)
            .map_or_else(|| slug.to_owned(), |agency| agency.name_ja.clone())
    };
    html! {
        section.card #publicity aria-labelledby="edit-publicity" {
            h2 #edit-publicity { (l.pick("広報の記録", "Publicity")) }
            p.hint { (l.pick("どの媒体で、どの機関に、いつ周知したか。「広報と参加」のページと報告書の「ア 周知・広報」に使います。", "Which channel, which agency, when. Used by the publicity and attendance page and in the report's section A (publicity). ")) }
            @if view.publicity.is_empty() {
                p { (l.pick("まだ記録がありません。", "Nothing recorded yet. ")) }
            } @else {
                table {
                    thead { tr {
                        th scope="col" { (l.pick("送付日", "Sent on")) } th scope="col" { (l.pick("媒体", "Channel")) } th scope="col" { (l.pick("周知した機関", "Agency told")) }
                        th scope="col" { (l.pick("数量", "Quantity")) } th scope="col" { (l.pick("費用", "Cost")) } th scope="col" { (l.pick("メモ", "Note")) } th scope="col" { "" }
                    } }
                    tbody {
                        @for record in view.publicity {
                            @let channel = CHANNELS.find(&record.channel).map_or(record.channel.as_str(), |term| l.pick(term.ja, term.en));
                            tr {
                                td { (record.sent_on) }
                                th scope="row" { (channel) }
                                td { (record.agency_slug.as_deref().map(agency_name).unwrap_or_default()) }
                                td.number { (record.quantity.map(|n| n.to_string()).unwrap_or_default()) }
                                td.number { (yen(l, record.cost.map(|c| c as f64))) }
                                td { (record.note.as_deref().unwrap_or_default()) }
                                td { a href={ "/dashboard/events/" (event.id) "/publicity/" (record.id) "/delete" }
                                    aria-label={ (record.sent_on) (l.pick("の", " ")) (channel) (l.pick("の記録を削除", ": delete the record")) } { (l.pick("削除", "Delete")) } }
                            }
                        }
                    }
                }
            }
            form method="post" action={ "/dashboard/events/" (event.id) "/publicity" } {
                input type="hidden" name="csrf" value=(chrome.csrf);
                @let channel_error = form.error_for("channel");
                div.field.has-error[channel_error.is_some()] {
                    label for="publicity-channel" { (l.pick("媒体", "Channel")) }
                    @if let Some(error) = channel_error { p.error { (error) } }
                    select #publicity-channel name="channel" {
                        @for term in CHANNELS.terms() {
                            option value=(term.id) selected[form.value("channel") == term.id] { (l.pick(term.ja, term.en)) }
                        }
                    }
                }
                @let agency_error = form.error_for("agency");
                div.field.has-error[agency_error.is_some()] {
                    label for="publicity-agency" { (l.pick("周知した機関", "Agency told")) span.optional { (l.pick("任意", "optional")) } }
                    @if let Some(error) = agency_error { p.error { (error) } }
                    select #publicity-agency name="agency" {
                        option value="" { "—" }
                        @for agency in view.agencies {
                            option value=(agency.slug) selected[form.value("agency") == agency.slug] { (agency.name_ja) }
                        }
                    }
                }
                (text_field(l, form, "publicity", Field { name: "sent_on", label: l.pick("送付日・掲載日", "Sent or published on"), kind: "date", required: true, hint: None }))
                (text_field(l, form, "publicity", Field { name: "quantity", label: l.pick("数量（部数・通数）", "Quantity (copies, letters)"), kind: "text", required: false, hint: None }))
                (text_field(l, form, "publicity", Field { name: "cost", label: l.pick("費用（円）", "Costs (yen)"), kind: "text", required: false, hint: None }))
                (text_field(l, form, "publicity", Field { name: "note", label: l.pick("メモ", "Note"), kind: "text", required: false, hint: None }))
                button type="submit" { (l.pick("記録する", "Record")) }
            }
        }
    }
}

/// Asks before deleting a publicity record.
pub fn delete_publicity_page(chrome: &Chrome, event: &EventRecord, record: &PublicityRecord) -> Markup {
    let l = chrome.lang;
    let (action, back) = (
        format!("/dashboard/events/{}/publicity/{}/delete", event.id, record.id),
        format!("/dashboard/events/{}#publicity", event.id),
    );
    let channel = CHANNELS
        .find(&record.channel)
        .map_or(record.channel.as_str(), |term| l.pick(term.ja, term.en));
    confirm_page(
        chrome,
        Confirmation {
            section: Section::Events,
            title: (l.pick("広報の記録の削除", "Delete publicity record")),
            question: (l.pick("広報の記録を削除しますか？", "Delete this publicity record?")),
            explanation: html! { p { (l.pick("「", "\"")) (event.title) (l.pick("」の ", "\": the ")) (record.sent_on) (l.pick(" の", " ")) (channel) (l.pick("の記録を削除します。元に戻せません。", " record will be deleted. This cannot be undone. ")) } },
            action: &action,
            button: (l.pick("削除する", "Delete")),
            back: &back,
        },
    )
}

fn choice<'t>(
    l: Lang,
    form: &NewEventForm,
    name: &str,
    label: &str,
    options: impl Iterator<Item = (&'t str, &'t str)>,
) -> Markup {
    let id = format!("edit-{name}");
    let error = form.error_for(name);
    html! {
        div.field.has-error[error.is_some()] {
            label for=(id) { (label) span.optional { (l.pick("任意", "optional")) } }
            @if let Some(error) = error { p.error { (error) } }
            select id=(id) name=(name) {
                option value="" { (l.pick("選ばない", "None")) }
                @for (value, text) in options {
                    option value=(value) selected[form.value(name) == value] { (text) }
                }
            }
        }
    }
}

/// Asks before deleting an event.
pub fn delete_page(chrome: &Chrome, event: &EventRecord) -> Markup {
    let l = chrome.lang;
    let (action, back) = (
        format!("/dashboard/events/{}/delete", event.id),
        format!("/dashboard/events/{}", event.id),
    );
    confirm_page(
        chrome,
        Confirmation {
            section: Section::Events,
            title: (l.pick("イベントの削除", "Delete event")),
            question: (l.pick("イベントを削除しますか？", "Delete this event?")),
            explanation: html! {
                p { (event.held_on) (l.pick(" の「", " \"")) (event.title) (l.pick("」を削除します。会議の記録と広報の記録も消え、元に戻せません。開催しなかった場合は、削除ではなく中止にすると記録が残ります。", "\" will be deleted with its meeting notes and publicity records; this cannot be undone. If it did not take place, cancelling it keeps the record. ")) }
            },
            action: &action,
            button: (l.pick("削除する", "Delete")),
            back: &back,
        },
    )
}

/// The `n`th speaker row, as its fields are named: `2人目の名前`, `Speaker 2: name`.
fn speaker_label(l: Lang, n: usize, what: &str) -> String {
    match l {
        Lang::Ja => format!("{n}人目{what}"),
        Lang::En => format!("Speaker {n}{what}"),
    }
}
