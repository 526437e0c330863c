//! The opinions' themes as staff read them beside the terms: per group, the comments and notes
//! coded and how many carry each theme, with a test of each theme by group where one is valid.

use crate::domain::lang::Lang;
use crate::pages::InLang;
use maud::{html, Markup};

use crate::services::coding::ThemesResult;

pub fn themes_section(l: Lang, result: &ThemesResult) -> Markup {
    let table = &result.table;
    let group_label = |key: &[Option<String>]| {
        result
            .by
            .iter()
            .zip(key)
            .map(|(variable, value)| variable.label_of(value.as_deref()).get(l).to_owned())
            .collect::<Vec<_>>()
            .join(" × ")
    };
    let columns: Vec<(String, _)> = table
        .groups
        .iter()
        .map(|group| (group_label(&group.key), &group.counts))
        .chain(std::iter::once(((l.pick("全体", "Total")).to_owned(), &table.total)))
        .collect();
    let title = &result.codebook.codebook.title.get(l);
    html! {
        section.card.wide {
            h2 { (l.pick("テーマ別の件数（", "Counts by theme (")) (title) (l.pick("）", ")")) }
            @if table.total.items.unwrap_or(0) == 0 {
                p { (l.pick("この条件でコード付けされた意見はまだありません。", "No coded opinions here yet. ")) }
            } @else {
                table {
                    caption { (l.pick("テーマごとの件数と、コード付けされた意見に占める割合", "Counts by theme and share of the coded opinions")) }
                    thead { tr {
                        th scope="col" { (l.pick("テーマ", "Theme")) }
                        @for (name, _) in &columns { th scope="col" { (name) } }
                        @if !table.tests.is_empty() { th scope="col" { (l.pick("グループ間の差（p 値）", "Difference between groups (p)")) } }
                    } }
                    tbody {
                        tr {
                            th scope="row" { (l.pick("コード付け済み", "Coded")) }
                            @for (_, counts) in &columns {
                                td.number { (counts.items.map_or_else(|| "—".to_owned(), |n| n.to_string())) }
                            }
                            @if !table.tests.is_empty() { td {} }
                        }
                        @for theme in &result.codebook.codebook.themes {
                            tr {
                                th scope="row" { (theme.label.get(l)) }
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
                    (l.pick("「—」は件数が少なく表示しないもの、または検定できないもの。", "\"—\" is a count too small to show, or a test that cannot be made. ")) (result.coders) (l.pick(" 人がコード付けしました。", " people coded them. "))
                    @if result.by_rules > 0 { (l.pick("集計した ", "Of the ")) (result.by_rules + result.by_people) (l.pick(" 件のうち、", " counted, ")) (result.by_rules) (l.pick(" 件はルールによる一括コード付け、", " were coded by the rules and ")) (result.by_people) (l.pick(" 件は人によるものです。", " by people. ")) }
                }
            }
        }
    }
}
