//! Maps of opinions drawn on the server as SVG, each with a table beside it for those who do not
//! see it: the co-occurrence network of terms (communities coloured) and the correspondence
//! analysis of terms against an attribute's groups (a biplot).

use crate::domain::lang::Lang;
use crate::pages::InLang;
use analysis::cooccurrence::Network;
use maud::{html, Markup};

use super::chart::PALETTE;
use super::dashboard::{signed_in, Chrome, Section};
use super::opinions::{kwic_href, CommentPicks};
use crate::services::text_tools::TermMap;

const WIDTH: f64 = 760.0;
const HEIGHT: f64 = 560.0;
const MARGIN: f64 = 50.0;

pub struct MapView<'a, T> {
    pub picks: CommentPicks<'a>,
    /// For the network: whether terms are joined to the attribute's groups rather than to terms.
    pub groups: Option<bool>,
    pub min_comments: u64,
    pub top: usize,
    pub result: Option<&'a T>,
    pub error: Option<&'a str>,
}

fn size_fields(l: Lang, min_comments: u64, top: usize, top_label: &str) -> Markup {
    html! {
        div.field {
            label for="map-min" { (l.pick("最小コメント数", "Minimum comments")) }
            input #map-min type="number" name="min_comments" min="1" max="1000" value=(min_comments);
        }
        div.field {
            label for="map-top" { (top_label) }
            input #map-top type="number" name="top" min="1" max="300" value=(top);
        }
    }
}

fn map_page<T>(
    chrome: &Chrome,
    view: &MapView<T>,
    (title, action, top_label): (&str, &str, &str),
    body: impl FnOnce(&T) -> Markup,
) -> Markup {
    let l = chrome.lang;
    signed_in(
        title,
        chrome,
        Section::Opinions,
        html! {
            p { a href={ "/dashboard/opinions?" (view.picks.query()) } { (l.pick("← 自由記述の傾向", "← Tendency of opinions")) } }
            h1 { (title) }
            form.picker method="get" action=(action) {
                (view.picks.pickers(l))
                @if let Some(groups) = view.groups {
                    div.field {
                        label for="map-joins" { (l.pick("線で結ぶもの", "Connect")) }
                        select #map-joins name="joins" {
                            option value="terms" selected[!groups] { (l.pick("語と語", "Terms with terms")) }
                            option value="groups" selected[groups] { (l.pick("語と属性（外部変数）", "Terms with an attribute")) }
                        }
                    }
                }
                (size_fields(l, view.min_comments, view.top, top_label))
                button type="submit" { (l.pick("描く", "Draw")) }
            }
            @if let Some(error) = view.error { p.error role="alert" { (error) } }
            @if let Some(result) = view.result { (body(result)) }
        },
    )
}

/// A point of the unit square on the drawing.
fn at(x: f64, y: f64) -> (f64, f64) {
    (
        MARGIN + x * (WIDTH - 2.0 * MARGIN),
        MARGIN + y * (HEIGHT - 2.0 * MARGIN),
    )
}

pub fn network_page(chrome: &Chrome, view: &MapView<Network>) -> Markup {
    let l = chrome.lang;
    let kwic = format!("/dashboard/kwic?{}", view.picks.query());
    map_page(
        chrome,
        view,
        (
            (l.pick("共起ネットワーク", "Co-occurrence network")),
            "/dashboard/network",
            (l.pick("最大の線の数", "Most lines")),
        ),
        |network| {
            let index = |term: &str| network.nodes.iter().position(|n| n.term == term);
            let max_uses = network.nodes.iter().map(|n| n.comments).max().unwrap_or(1) as f64;
            html! {
                @if network.nodes.is_empty() {
                    p { (l.pick("線を引ける語の組がありません。最小コメント数を下げてください。", "No pairs of terms to connect. Lower the minimum comments. ")) }
                } @else {
                    p { (l.pick("同じコメントで使われやすい語を線で結びました（Jaccard 係数の大きい順に ", "Terms often used in the same comment are connected (the ")) (network.edges.len()) (l.pick(" 本）。円の大きさは使ったコメントの数、色はまとまり（コミュニティ、モジュラリティ ", " with the highest Jaccard coefficients). A circle's size is the number of comments using it, its colour its community (modularity ")) (format!("{:.2}", network.modularity)) (l.pick("）です。", "). ")) }
                    svg viewBox=(format!("0 0 {WIDTH} {HEIGHT}")) width="100%" role="img" aria-labelledby="network-title network-desc" class="map" {
                        title #network-title { (l.pick("共起ネットワーク", "Co-occurrence network")) }
                        desc #network-desc { (network.nodes.len()) (l.pick(" 語、", " terms, ")) (network.edges.len()) (l.pick(" 本の線。下の表に同じ内容があります。", " lines. The table below says the same. ")) }
                        @for edge in &network.edges {
                            @if let (Some(a), Some(b)) = (index(&edge.source), index(&edge.target)) {
                                @let ((x1, y1), (x2, y2)) = (at(network.nodes[a].x, network.nodes[a].y), at(network.nodes[b].x, network.nodes[b].y));
                                line x1=(format!("{x1:.1}")) y1=(format!("{y1:.1}")) x2=(format!("{x2:.1}")) y2=(format!("{y2:.1}"))
                                    stroke="#777" stroke-width=(format!("{:.1}", 0.5 + 4.0 * edge.jaccard)) {
                                    title { (edge.source) "—" (edge.target) (l.pick("：Jaccard ", ": Jaccard ")) (format!("{:.3}", edge.jaccard)) }
                                }
                            }
                        }
                        @for node in &network.nodes {
                            @let (x, y) = at(node.x, node.y);
                            @let radius = 6.0 + 14.0 * (node.comments as f64 / max_uses).sqrt();
                            g {
                                title { (node.term) (l.pick("：", ": ")) (node.comments) (l.pick(" 件、まとまり ", " comments, community ")) (node.community + 1) }
                                @if node.group {
                                    rect x=(format!("{:.1}", x - radius)) y=(format!("{:.1}", y - radius))
                                        width=(format!("{:.1}", 2.0 * radius)) height=(format!("{:.1}", 2.0 * radius))
                                        fill="#ffffff" stroke="#0072B2" stroke-width="3" {}
                                } @else {
                                    circle cx=(format!("{x:.1}")) cy=(format!("{y:.1}")) r=(format!("{radius:.1}"))
                                        fill=(PALETTE[node.community % PALETTE.len()]) fill-opacity="0.75" stroke="#222" {}
                                }
                                text x=(format!("{x:.1}")) y=(format!("{:.1}", y - radius - 3.0)) text-anchor="middle" font-size="13" { (node.term) }
                            }
                        }
                    }
                    table {
                        caption { (l.pick("まとまりごとの語", "Terms by community")) }
                        thead { tr { th scope="col" { (l.pick("まとまり", "Community")) } th scope="col" { (l.pick("語", "Term")) } } }
                        tbody {
                            @for (i, terms) in network.communities.iter().enumerate() {
                                tr {
                                th scope="row" { (i + 1) }
                                td {
                                    @for (j, term) in terms.iter().enumerate() {
                                        @if j > 0 { (l.pick("、", ", ")) }
                                        a href=(kwic_href(&kwic, term)) { (term) }
                                    }
                                }
                            }
                            }
                        }
                    }
                    table {
                        caption { (l.pick("線（語の組）", "Lines (pairs of terms)")) }
                        thead { tr { th scope="col" { (l.pick("語の組", "Pair")) } th scope="col" { "Jaccard" } th scope="col" { (l.pick("両方を使ったコメント", "Comments using both")) } } }
                        tbody {
                            @for edge in &network.edges {
                                tr { th scope="row" { (edge.source) " — " (edge.target) } td.number { (format!("{:.3}", edge.jaccard)) } td.number { (edge.comments) } }
                            }
                        }
                    }
                }
            }
        },
    )
}

/// Coordinates to the drawing, the same scale on both axes so distances read true.
fn biplot_scale(points: &[&Vec<f64>]) -> impl Fn(&[f64]) -> (f64, f64) {
    let extent = points
        .iter()
        .flat_map(|p| p.iter().take(2))
        .fold(1e-9_f64, |m, v| m.max(v.abs()));
    move |p: &[f64]| {
        let (x, y) = (p.first().copied().unwrap_or(0.0), p.get(1).copied().unwrap_or(0.0));
        at(0.5 + x / (2.0 * extent), 0.5 - y / (2.0 * extent))
    }
}

pub fn correspondence_page(chrome: &Chrome, view: &MapView<Option<TermMap>>) -> Markup {
    let l = chrome.lang;
    let kwic = format!("/dashboard/kwic?{}", view.picks.query());
    map_page(
        chrome,
        view,
        (
            (l.pick("対応分析", "Correspondence analysis")),
            "/dashboard/correspondence",
            (l.pick("最大の語の数", "Most terms")),
        ),
        |map| match map {
            None => {
                html! { p { (l.pick("比べられる語かグループが二つ以上ありません。属性を選ぶか、最小コメント数を下げてください。", "Fewer than two terms or groups to compare. Choose an attribute or lower the minimum comments. ")) } }
            }
            Some(map) => {
                let group_name = |i: usize| {
                    let group = &map.groups[i];
                    group
                        .label
                        .as_ref()
                        .map(|label| label.get(l).to_owned())
                        .or_else(|| group.value.clone())
                        .unwrap_or_else(|| (l.pick("無回答", "Not answered")).to_owned())
                };
                let share = |d: usize| {
                    map.inertia_shares
                        .get(d)
                        .map_or_else(|| "—".to_owned(), |s| format!("{:.1}%", s * 100.0))
                };
                let points: Vec<&Vec<f64>> = map.term_coordinates.iter().chain(&map.group_coordinates).collect();
                let place = biplot_scale(&points);
                let (cx, cy) = at(0.5, 0.5);
                html! {
                    p { (l.pick("語と「", "Terms and the groups of \"")) (map.by) (l.pick("」のグループを同じ平面に置きました。近い語ほど、そのグループのコメントで多く使われています。成分1 は ", "\" on one plane: the nearer a term, the more that group's comments use it. Dimension 1 explains ")) (share(0)) (l.pick("、成分2 は ", ", dimension 2 ")) (share(1)) (l.pick(" を説明します。", ". ")) }
                    svg viewBox=(format!("0 0 {WIDTH} {HEIGHT}")) width="100%" role="img" aria-labelledby="biplot-title biplot-desc" class="map" {
                        title #biplot-title { (l.pick("対応分析（語とグループ）", "Correspondence analysis (terms and groups)")) }
                        desc #biplot-desc { (map.terms.len()) (l.pick(" 語と ", " terms and ")) (map.groups.len()) (l.pick(" グループ。下の表に座標があります。", " groups. The table below gives the coordinates. ")) }
                        line x1=(MARGIN) y1=(format!("{cy:.1}")) x2=(WIDTH - MARGIN) y2=(format!("{cy:.1}")) stroke="#bbb" {}
                        line x1=(format!("{cx:.1}")) y1=(MARGIN) x2=(format!("{cx:.1}")) y2=(HEIGHT - MARGIN) stroke="#bbb" {}
                        text x=(WIDTH - MARGIN) y=(format!("{:.1}", cy - 6.0)) text-anchor="end" font-size="12" { (l.pick("成分1（", "Dimension 1 (")) (share(0)) (l.pick("）", ")")) }
                        text x=(format!("{:.1}", cx + 6.0)) y=(MARGIN - 8.0) font-size="12" { (l.pick("成分2（", "Dimension 2 (")) (share(1)) (l.pick("）", ")")) }
                        @for (term, point) in map.terms.iter().zip(&map.term_coordinates) {
                            @let (x, y) = place(point);
                            g {
                                title { (term) }
                                circle cx=(format!("{x:.1}")) cy=(format!("{y:.1}")) r="3" fill="#555" {}
                                text x=(format!("{:.1}", x + 5.0)) y=(format!("{:.1}", y + 4.0)) font-size="12" fill="#333" { (term) }
                            }
                        }
                        @for (i, point) in map.group_coordinates.iter().enumerate() {
                            @let (x, y) = place(point);
                            g {
                                title { (group_name(i)) }
                                rect x=(format!("{:.1}", x - 5.0)) y=(format!("{:.1}", y - 5.0)) width="10" height="10" fill="#0072B2" {}
                                text x=(format!("{:.1}", x + 8.0)) y=(format!("{:.1}", y + 5.0)) font-size="14" font-weight="700" fill="#0072B2" { (group_name(i)) }
                            }
                        }
                    }
                    table {
                        caption { (l.pick("分析した表（その語を使ったコメントの数）と座標", "The table analysed (comments using the term) and the coordinates")) }
                        thead {
                            tr {
                                th scope="col" { (l.pick("語", "Term")) }
                                @for i in 0..map.groups.len() { th scope="col" { (group_name(i)) } }
                                th scope="col" { (l.pick("成分1", "Dimension 1")) } th scope="col" { (l.pick("成分2", "Dimension 2")) }
                            }
                        }
                        tbody {
                            @for ((term, counts), point) in map.terms.iter().zip(&map.counts).zip(&map.term_coordinates) {
                                tr {
                                    th scope="row" { a href=(kwic_href(&kwic, term)) { (term) } }
                                    @for n in counts { td.number { (n) } }
                                    @for d in 0..2 { td.number { (point.get(d).map_or_else(|| "—".to_owned(), |v| format!("{v:.3}"))) } }
                                }
                            }
                        }
                    }
                }
            }
        },
    )
}
