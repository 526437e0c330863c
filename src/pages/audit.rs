//! The audit log for administrators: who did what with data about people, newest first, with
//! a filter by action text and by day.

use maud::{html, Markup};

use crate::domain::era::japan_time;

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
    signed_in(
        "操作記録",
        chrome,
        Section::Audit,
        html! {
            h1 { "操作記録" }
            p {
                "個人に関わるデータへの操作（サインイン、登録・変更、回答データのダウンロード、自由記述の閲覧、研究者による取得）を記録しています。"
                "記録は追加されるだけで、変更・削除はできません。回答の内容は記録しません。"
            }
            form.card method="get" action="/dashboard/audit-log" {
                div.field {
                    label for="audit-action" { "操作に含まれる文字" }
                    input #audit-action type="text" name="action" value=(view.action)
                        placeholder="例：responses.csv、PATCH";
                }
                div.field {
                    label for="audit-from" { "この日以降" }
                    input #audit-from type="date" name="from" value=(view.from)
                        aria-invalid=[view.error.map(|_| "true")] aria-describedby=[view.error.map(|_| "audit-error")];
                    @if let Some(error) = view.error { p.error #audit-error { (error) } }
                }
                button type="submit" { "絞り込む" }
            }
            @if view.entries.is_empty() {
                p { "該当する記録はありません。" }
            } @else {
                table {
                    thead { tr {
                        th scope="col" { "日時（日本時間）" } th scope="col" { "トークン" } th scope="col" { "役割" }
                        th scope="col" { "操作" } th scope="col" { "対象・条件" } th scope="col" { "結果" }
                    } }
                    tbody {
                        @for entry in view.entries {
                            tr {
                                td { (japan_time(entry.at).format("%Y-%m-%d %H:%M:%S")) }
                                td { (entry.token_name.as_deref().unwrap_or("サーバーのコマンド")) }
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
