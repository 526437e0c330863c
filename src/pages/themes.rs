//! The opinions' themes as staff read them beside the terms: per group, the comments and notes
//! coded and how many carry each theme, with a test of each theme by group where one is valid.

use maud::{html, Markup};

use crate::services::coding::ThemesResult;

pub fn themes_section(result: &ThemesResult) -> Markup {
    let table = &result.table;
    let group_label = |key: &[Option<String>]| {
        result
            .by
            .iter()
            .zip(key)
            .map(|(variable, value)| variable.label_of(value.as_deref()).ja)
            .collect::<Vec<_>>()
            .join(" × ")
    };
    let columns: Vec<(String, _)> = table
        .groups
        .iter()
        .map(|group| (group_label(&group.key), &group.counts))
        .chain(std::iter::once(("全体".to_owned(), &table.total)))
        .collect();
    let title = &result.codebook.codebook.title.ja;
    html! {
        section.card.wide {
            h2 { "テーマ別の件数（" (title) "）" }
            @if table.total.items.unwrap_or(0) == 0 {
                p { "この条件でコード付けされた意見はまだありません。" }
            } @else {
                table {
                    caption { "テーマごとの件数と、コード付けされた意見に占める割合" }
                    thead { tr {
                        th scope="col" { "テーマ" }
                        @for (name, _) in &columns { th scope="col" { (name) } }
                        @if !table.tests.is_empty() { th scope="col" { "グループ間の差（p 値）" } }
                    } }
                    tbody {
                        tr {
                            th scope="row" { "コード付け済み" }
                            @for (_, counts) in &columns {
                                td.number { (counts.items.map_or_else(|| "—".to_owned(), |n| n.to_string())) }
                            }
                            @if !table.tests.is_empty() { td {} }
                        }
                        @for theme in &result.codebook.codebook.themes {
                            tr {
                                th scope="row" { (theme.label.ja) }
                                @for (_, counts) in &columns {
                                    @let count = counts.counts.get(&theme.id).copied().flatten();
                                    @let share = counts.shares.get(&theme.id).copied().flatten();
                                    td.number {
                                        @match (count, share) {
                                            (Some(count), Some(share)) => { (count) " (" (format!("{share:.1}%")) ")" }
                                            (Some(count), None) => { (count) }
                                            _ => { "—" }
                                        }
                                    }
                                }
                                @if !table.tests.is_empty() {
                                    td.number { (table.tests.get(&theme.id).map_or_else(|| "—".to_owned(), |t| format!("{:.3}", t.p_value))) }
                                }
                            }
                        }
                    }
                }
                p {
                    "「—」は件数が少なく表示しないもの、または検定できないもの。" (result.coders) " 人がコード付けしました。"
                    @if result.by_rules > 0 { "集計した " (result.by_rules + result.by_people) " 件のうち、" (result.by_rules) " 件はルールによる一括コード付け、" (result.by_people) " 件は人によるものです。" }
                }
            }
        }
    }
}
