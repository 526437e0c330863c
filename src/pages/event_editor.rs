//! Editing one event: its details, speakers and costs, its cancellation (with the reason, and
//! undoing it) and, for an event nobody has answered, deleting it after a confirmation.

use maud::{html, Markup};

use super::dashboard::{confirm_page, kind_label, signed_in, text_field, Chrome, Confirmation, NewEventForm, Section};
use super::{paper, yen};
use crate::db::agencies::StoredAgency;
use crate::db::events::EventRecord;
use crate::db::publicity::PublicityRecord;
use crate::domain::vocabulary::{CHANNELS, FORMATS, SPEAKER_TYPES};

/// Cost items as the form names them, with their labels.
pub const COST_FIELDS: [(&str, &str); 4] = [
    ("honorarium", "謝金"),
    ("travel", "旅費"),
    ("venue", "会場費"),
    ("other", "その他"),
];

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
    let event = view.event;
    let form = &view.form;
    let action = format!("/dashboard/events/{}", event.id);
    signed_in(
        "イベントの編集",
        chrome,
        Section::Events,
        html! {
            p { a href={ "/dashboard/events?fiscal_year=" (crate::domain::fiscal_year::FiscalYear::of(event.held_on).0) } { "← イベント一覧" } }
            h1 { (event.title) "（" (kind_label(&event.kind)) "）の編集" }
            @if let Some(notice) = view.notice { p.notice role="status" { (notice) } }
            @if let Some((_, message)) = &form.error { p.error role="alert" { (message) } }
            form method="post" action={ (action) "/edit" } {
                input type="hidden" name="csrf" value=(chrome.csrf);
                section.card aria-labelledby="edit-details" {
                    h2 #edit-details { "開催の内容" }
                    (text_field(form, "edit", "title", "タイトル", "text", true, None))
                    (text_field(form, "edit", "title_en", "タイトル（英語）", "text", false, None))
                    (text_field(form, "edit", "held_on", "開催日", "date", true, None))
                    (text_field(form, "edit", "venue", "会場", "text", false, None))
                    (text_field(form, "edit", "venue_en", "会場（英語）", "text", false, None))
                    (text_field(form, "edit", "theme", "テーマ", "text", false, None))
                    (choice(form, "format", "形式", FORMATS.terms().map(|t| (t.id, t.ja))))
                    (text_field(form, "edit", "headcount", "参加者数（人）", "text", false, Some("会場で数えた人数。空欄なら未記録です。")))
                    (text_field(form, "edit", "notes", "メモ（スタッフ用）", "text", false, None))
                }
                fieldset.card {
                    legend { "講師・登壇者" }
                    @if let Some(error) = form.error_for("speakers") { p.error #edit-speakers-error { (error) } }
                    p.hint { "名前は任意です。種別の「第一人者の専門家」が、参加を左右する要因の分析に使われます。" }
                    @for row in 0..view.speaker_rows {
                        @let (name, kind) = (format!("speaker_name_{row}"), format!("speaker_type_{row}"));
                        div.speaker role="group" aria-label={ (row + 1) "人目" } {
                            label for={ "edit-" (name) } { (row + 1) "人目の名前" }
                            input id={ "edit-" (name) } type="text" name=(name) value=(form.value(&name)) maxlength="100";
                            label for={ "edit-" (kind) } { "種別" }
                            select id={ "edit-" (kind) } name=(kind) {
                                option value="" { "—" }
                                @for term in SPEAKER_TYPES.terms() {
                                    option value=(term.id) selected[form.value(&kind) == term.id] { (term.ja) }
                                }
                            }
                        }
                    }
                }
                fieldset.card {
                    legend { "費用（円）" }
                    @if let Some(error) = form.error_for("costs") { p.error { (error) } }
                    @for (item, label) in COST_FIELDS {
                        @let name = format!("cost_{item}");
                        div.field {
                            label for={ "edit-" (name) } { (label) span.optional { "任意" } }
                            input id={ "edit-" (name) } type="text" inputmode="numeric" name=(name) value=(form.value(&name));
                        }
                    }
                }
                button type="submit" { "保存する" }
            }
            section.card aria-labelledby="edit-paper" {
                h2 #edit-paper { "紙のアンケート" }
                p { "紙で回答された用紙を、このイベントの回答として入力します（締め切った回や過去の回も入力できます）。回答数：" (event.response_count) " 件" }
                p { a href={ (action) "/paper" } { "1枚ずつ入力する" } }
                (paper::import_form(chrome, event.id))
            }
            (publicity_section(chrome, view))
            section.card aria-labelledby="edit-cancel" {
                h2 #edit-cancel { "中止" }
                @match event.cancelled_at {
                    Some(at) => {
                        p { "このイベントは " (at.format("%Y-%m-%d")) " に中止になりました。" }
                        @if let Some(reason) = &event.cancellation_reason { p { "理由：" (reason) } }
                        form method="post" action={ (action) "/reinstate" } {
                            input type="hidden" name="csrf" value=(chrome.csrf);
                            button.secondary type="submit" { "中止を取り消す" }
                        }
                    }
                    None => {
                        p { "中止にすると回答ページは回答を受け付けなくなり、報告書には中止として載ります。あとで取り消せます。" }
                        form method="post" action={ (action) "/cancel" } {
                            input type="hidden" name="csrf" value=(chrome.csrf);
                            div.field.has-error[view.cancel_error.is_some()] {
                                label for="cancel-reason" { "中止の理由" }
                                @if let Some(error) = view.cancel_error { p.error #cancel-reason-error { (error) } }
                                textarea #cancel-reason name="cancellation_reason" rows="2" maxlength="1000" required
                                    aria-invalid=[view.cancel_error.map(|_| "true")] { (form.value("cancellation_reason")) }
                            }
                            button type="submit" { "中止にする" }
                        }
                    }
                }
            }
            @if view.deletable {
                section.card aria-labelledby="edit-delete" {
                    h2 #edit-delete { "削除" }
                    p { "まだ回答がないため、このイベントは削除できます（会議の記録と広報の記録も消えます）。" }
                    a href={ (action) "/delete" } { "このイベントを削除する…" }
                }
            }
        },
    )
}

/// The event's publicity records, each deletable, and the form to add one.
fn publicity_section(chrome: &Chrome, view: &EditView) -> Markup {
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
            h2 #edit-publicity { "広報の記録" }
            p.hint { "どの媒体で、どの機関に、いつ周知したか。「広報と参加」のページと報告書の「ア 周知・広報」に使います。" }
            @if view.publicity.is_empty() {
                p { "まだ記録がありません。" }
            } @else {
                table {
                    thead { tr {
                        th scope="col" { "送付日" } th scope="col" { "媒体" } th scope="col" { "周知した機関" }
                        th scope="col" { "数量" } th scope="col" { "費用" } th scope="col" { "メモ" } th scope="col" { "" }
                    } }
                    tbody {
                        @for record in view.publicity {
                            @let channel = CHANNELS.find(&record.channel).map_or(record.channel.as_str(), |term| term.ja);
                            tr {
                                td { (record.sent_on) }
                                th scope="row" { (channel) }
                                td { (record.agency_slug.as_deref().map(agency_name).unwrap_or_default()) }
                                td.number { (record.quantity.map(|n| n.to_string()).unwrap_or_default()) }
                                td.number { (yen(record.cost.map(|c| c as f64))) }
                                td { (record.note.as_deref().unwrap_or_default()) }
                                td { a href={ "/dashboard/events/" (event.id) "/publicity/" (record.id) "/delete" }
                                    aria-label={ (record.sent_on) "の" (channel) "の記録を削除" } { "削除" } }
                            }
                        }
                    }
                }
            }
            form method="post" action={ "/dashboard/events/" (event.id) "/publicity" } {
                input type="hidden" name="csrf" value=(chrome.csrf);
                @let channel_error = form.error_for("channel");
                div.field.has-error[channel_error.is_some()] {
                    label for="publicity-channel" { "媒体" }
                    @if let Some(error) = channel_error { p.error { (error) } }
                    select #publicity-channel name="channel" {
                        @for term in CHANNELS.terms() {
                            option value=(term.id) selected[form.value("channel") == term.id] { (term.ja) }
                        }
                    }
                }
                @let agency_error = form.error_for("agency");
                div.field.has-error[agency_error.is_some()] {
                    label for="publicity-agency" { "周知した機関" span.optional { "任意" } }
                    @if let Some(error) = agency_error { p.error { (error) } }
                    select #publicity-agency name="agency" {
                        option value="" { "—" }
                        @for agency in view.agencies {
                            option value=(agency.slug) selected[form.value("agency") == agency.slug] { (agency.name_ja) }
                        }
                    }
                }
                (text_field(form, "publicity", "sent_on", "送付日・掲載日", "date", true, None))
                (text_field(form, "publicity", "quantity", "数量（部数・通数）", "text", false, None))
                (text_field(form, "publicity", "cost", "費用（円）", "text", false, None))
                (text_field(form, "publicity", "note", "メモ", "text", false, None))
                button type="submit" { "記録する" }
            }
        }
    }
}

/// Asks before deleting a publicity record.
pub fn delete_publicity_page(chrome: &Chrome, event: &EventRecord, record: &PublicityRecord) -> Markup {
    let (action, back) = (
        format!("/dashboard/events/{}/publicity/{}/delete", event.id, record.id),
        format!("/dashboard/events/{}#publicity", event.id),
    );
    let channel = CHANNELS
        .find(&record.channel)
        .map_or(record.channel.as_str(), |term| term.ja);
    confirm_page(
        chrome,
        Confirmation {
            section: Section::Events,
            title: "広報の記録の削除",
            question: "広報の記録を削除しますか？",
            explanation: html! { p { "「" (event.title) "」の " (record.sent_on) " の" (channel) "の記録を削除します。元に戻せません。" } },
            action: &action,
            button: "削除する",
            back: &back,
        },
    )
}

fn choice<'t>(
    form: &NewEventForm,
    name: &str,
    label: &str,
    options: impl Iterator<Item = (&'t str, &'t str)>,
) -> Markup {
    let id = format!("edit-{name}");
    let error = form.error_for(name);
    html! {
        div.field.has-error[error.is_some()] {
            label for=(id) { (label) span.optional { "任意" } }
            @if let Some(error) = error { p.error { (error) } }
            select id=(id) name=(name) {
                option value="" { "選ばない" }
                @for (value, text) in options {
                    option value=(value) selected[form.value(name) == value] { (text) }
                }
            }
        }
    }
}

/// Asks before deleting an event.
pub fn delete_page(chrome: &Chrome, event: &EventRecord) -> Markup {
    let (action, back) = (
        format!("/dashboard/events/{}/delete", event.id),
        format!("/dashboard/events/{}", event.id),
    );
    confirm_page(
        chrome,
        Confirmation {
            section: Section::Events,
            title: "イベントの削除",
            question: "イベントを削除しますか？",
            explanation: html! {
                p { (event.held_on) " の「" (event.title) "」を削除します。会議の記録と広報の記録も消え、元に戻せません。開催しなかった場合は、削除ではなく中止にすると記録が残ります。" }
            },
            action: &action,
            button: "削除する",
            back: &back,
        },
    )
}
