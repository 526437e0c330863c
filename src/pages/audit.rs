//! The audit log for administrators: who did what with data about people, newest first, with
//! a filter by action text and by day.

use maud::{html, Markup};

use crate::domain::clock::{local_time, zone_name};

use super::dashboard::{signed_in, Chrome, Section};
use crate::db::audit_log::Entry;

pub struct AuditView<'a> {
    pub entries: &'a [Entry],
    /// What was typed in the filter, shown back.
    pub action: &'a str,
    pub from: &'a str,
    pub error: Option<&'a str>,
}

pub fn audit_page(chrome: &Chrome, view: &AuditView) -> Markup {
    let l = chrome.lang;
    signed_in(
        l.pick("操作記録", "Audit log"),
        chrome,
        Section::Audit,
        html! {
            h1 { (l.pick("操作記録", "Audit log")) }
            p {
                (l.pick("個人に関わるデータへの操作（サインイン、登録・変更、回答データのダウンロード、自由記述の閲覧、研究者による取得）を記録しています。", "Every operation on personal data is recorded (sign-ins, creations and changes, downloads of responses, reading opinions, researchers' fetches). "))
                (l.pick("記録は追加されるだけで、変更・削除はできません。回答の内容は記録しません。", "Records are only ever added, never changed or deleted. The content of answers is not recorded. "))
            }
            form.card method="get" action="/dashboard/audit-log" {
                div.field {
                    label for="audit-action" { (l.pick("操作に含まれる文字", "Text in the operation")) }
                    input #audit-action type="text" name="action" value=(view.action)
                        placeholder=(l.pick("例：responses.csv、PATCH", "e.g. responses.csv, PATCH"));
                }
                div.field {
                    label for="audit-from" { (l.pick("この日以降", "On or after")) }
                    input #audit-from type="date" name="from" value=(view.from)
                        aria-invalid=[view.error.map(|_| "true")] aria-describedby=[view.error.map(|_| "audit-error")];
                    @if let Some(error) = view.error { p.error #audit-error { (error) } }
                }
                button type="submit" { (l.pick("絞り込む", "Filter")) }
            }
            @if view.entries.is_empty() {
                p { (l.pick("該当する記録はありません。", "No matching records. ")) }
            } @else {
                table {
                    thead { tr {
                        th scope="col" { (l.pick("日時（", "Time (")) (zone_name(l)) (l.pick("）", ")")) } th scope="col" { (l.pick("トークン", "Tokens")) } th scope="col" { (l.pick("役割", "Role")) }
                        th scope="col" { (l.pick("操作", "Operation")) } th scope="col" { (l.pick("対象・条件", "Target and filters")) } th scope="col" { (l.pick("結果", "Result")) }
                    } }
                    tbody {
                        @for entry in view.entries {
                            tr {
                                td { (local_time(entry.at).format("%Y-%m-%d %H:%M:%S")) }
                                td { (entry.token_name.as_deref().unwrap_or(l.pick("サーバーのコマンド", "server command"))) }
                                td { (entry.role.as_deref().unwrap_or("")) }
                                td { code { (entry.action) } }
                                td { (subject(&entry.subject)) }
                                td { (entry.status.map(|s| s.to_string()).unwrap_or_default()) }
                            }
                        }
                    }
                }
            }
        },
    )
}

fn subject(subject: &serde_json::Value) -> String {
    subject
        .as_object()
        .map(|fields| {
            fields
                .iter()
                .map(|(name, value)| {
                    format!(
                        "{name}={}",
                        value.as_str().map_or_else(|| value.to_string(), str::to_owned)
                    )
                })
                .collect::<Vec<_>>()
                .join(" ")
        })
        .unwrap_or_default()
}
