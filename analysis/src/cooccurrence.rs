//! A co-occurrence network of terms, as KH Coder draws one: terms used in at least a few
//! comments are nodes, two terms are joined by the Jaccard coefficient of the comments that use
//! them (comments using both over comments using either), the strongest edges are kept, and the
//! kept graph is cut into communities by Louvain's method (weighted modularity) and laid out by
//! Fruchterman and Reingold's forces from a fixed seed, so the same comments draw the same
//! picture.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Node {
    pub term: String,
    /// An attribute's value (KH Coder's 外部変数) rather than a term.
    pub group: bool,
    /// Comments that use the term.
    pub comments: u64,
    pub community: usize,
    /// Position in the unit square.
    pub x: f64,
    pub y: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Edge {
    pub source: String,
    pub target: String,
    pub jaccard: f64,
    /// Comments that use both terms.
    pub comments: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Network {
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
    /// Each community's terms, largest first.
    pub communities: Vec<Vec<String>>,
    pub modularity: f64,
}

/// Which nodes edges may join.
#[derive(Debug, Clone, Copy)]
pub enum Joins<'a> {
    /// Terms with terms.
    Terms,
    /// Terms with the attribute values among the comments' items (KH Coder's 外部変数): which
    /// group uses which words.
    TermsToGroups(&'a BTreeSet<String>),
}

/// The network of `comments` (each comment's distinct terms, and its group where `joins` has
/// groups): nodes used in `min_comments` comments or more, the `top` strongest edges that
/// `joins` allows (Jaccard, then co-occurring comments, then terms), and the nodes they join.
pub fn network(comments: &[BTreeSet<String>], min_comments: u64, top: usize, seed: u64, joins: Joins) -> Network {
    let is_group = |item: &str| matches!(joins, Joins::TermsToGroups(groups) if groups.contains(item));
    let mut uses: BTreeMap<&str, u64> = BTreeMap::new();
    for comment in comments {
        for term in comment {
            *uses.entry(term).or_default() += 1;
        }
    }
    uses.retain(|_, n| *n >= min_comments.max(1));
    let mut together: BTreeMap<(&str, &str), u64> = BTreeMap::new();
    for comment in comments {
        let kept: Vec<&str> = comment
            .iter()
            .map(String::as_str)
            .filter(|t| uses.contains_key(t))
            .collect();
        for (i, a) in kept.iter().enumerate() {
            for b in &kept[i + 1..] {
                let allowed = match joins {
                    Joins::Terms => true,
                    Joins::TermsToGroups(_) => is_group(a) != is_group(b),
                };
                if allowed {
                    *together.entry((a, b)).or_default() += 1;
                }
            }
        }
    }
    let mut edges: Vec<Edge> = together
        .into_iter()
        .map(|((a, b), both)| Edge {
            source: a.to_owned(),
            target: b.to_owned(),
            jaccard: both as f64 / (uses[a] + uses[b] - both) as f64,
            comments: both,
        })
        .collect();
    edges.sort_by(|x, y| {
        y.jaccard
            .total_cmp(&x.jaccard)
            .then(y.comments.cmp(&x.comments))
            .then_with(|| (&x.source, &x.target).cmp(&(&y.source, &y.target)))
    });
    edges.truncate(top);
    let terms: Vec<&str> = edges
        .iter()
        .flat_map(|e| [e.source.as_str(), e.target.as_str()])
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let index = |term: &str| terms.binary_search(&term).unwrap_or_default();
    let weighted: Vec<(usize, usize, f64)> = edges
        .iter()
        .map(|e| (index(&e.source), index(&e.target), e.jaccard))
        .collect();
    let community = louvain(terms.len(), &weighted);
    let modularity = modularity(terms.len(), &weighted, &community);
    let positions = layout(terms.len(), &weighted, seed);
    let mut communities: Vec<Vec<String>> = Vec::new();
    for (i, term) in terms.iter().enumerate() {
        if communities.len() <= community[i] {
            communities.resize(community[i] + 1, Vec::new());
        }
        communities[community[i]].push((*term).to_owned());
    }
    // Largest first, then by first term; nodes take the communities' new numbers.
    let mut order: Vec<usize> = (0..communities.len()).filter(|&c| !communities[c].is_empty()).collect();
    order.sort_by(|&a, &b| {
        communities[b]
            .len()
            .cmp(&communities[a].len())
            .then_with(|| communities[a].cmp(&communities[b]))
    });
    let renumber: BTreeMap<usize, usize> = order.iter().enumerate().map(|(new, old)| (*old, new)).collect();
    let nodes = terms
        .iter()
        .enumerate()
        .map(|(i, term)| Node {
            term: (*term).to_owned(),
            group: is_group(term),
            comments: uses[term],
            community: renumber[&community[i]],
            x: positions[i].0,
            y: positions[i].1,
        })
        .collect();
    Network {
        nodes,
        edges,
        communities: order.into_iter().map(|c| std::mem::take(&mut communities[c])).collect(),
        modularity,
    }
}

/// Weighted adjacency lists of a graph of `n` nodes.
fn adjacency(n: usize, edges: &[(usize, usize, f64)]) -> Vec<Vec<(usize, f64)>> {
    let mut neighbours = vec![Vec::new(); n];
    for &(a, b, w) in edges {
        neighbours[a].push((b, w));
        neighbours[b].push((a, w));
    }
    neighbours
}

/// Newman's weighted modularity of a partition.
pub fn modularity(n: usize, edges: &[(usize, usize, f64)], community: &[usize]) -> f64 {
    let total: f64 = edges.iter().map(|e| e.2).sum();
    if total == 0.0 {
        return 0.0;
    }
    let mut strength = vec![0.0; n];
    for &(a, b, w) in edges {
        strength[a] += w;
        strength[b] += w;
    }
    let inside: f64 = edges
        .iter()
        .filter(|(a, b, _)| community[*a] == community[*b])
        .map(|e| e.2)
        .sum();
    let mut per_community: BTreeMap<usize, f64> = BTreeMap::new();
    for (node, s) in strength.iter().enumerate() {
        *per_community.entry(community[node]).or_default() += s;
    }
    inside / total - per_community.values().map(|s| (s / (2.0 * total)).powi(2)).sum::<f64>()
}

/// Louvain's method: nodes move, in a fixed order, to the neighbouring community that gains
/// most modularity until none gains; communities then become nodes and it starts again, until a
/// pass changes nothing. Returns each node's community.
fn louvain(n: usize, edges: &[(usize, usize, f64)]) -> Vec<usize> {
    let mut membership: Vec<usize> = (0..n).collect();
    let mut graph_nodes = n;
    let mut graph_edges: Vec<(usize, usize, f64)> = edges.to_vec();
    loop {
        let local = local_moves(graph_nodes, &graph_edges);
        let mut renumber: BTreeMap<usize, usize> = BTreeMap::new();
        for &c in &local {
            let next = renumber.len();
            renumber.entry(c).or_insert(next);
        }
        if renumber.len() == graph_nodes {
            return membership;
        }
        membership = membership.into_iter().map(|m| renumber[&local[m]]).collect();
        let mut merged: BTreeMap<(usize, usize), f64> = BTreeMap::new();
        for &(a, b, w) in &graph_edges {
            let (ca, cb) = (renumber[&local[a]], renumber[&local[b]]);
            *merged.entry((ca.min(cb), ca.max(cb))).or_default() += w;
        }
        graph_nodes = renumber.len();
        graph_edges = merged.into_iter().map(|((a, b), w)| (a, b, w)).collect();
    }
}

fn local_moves(n: usize, edges: &[(usize, usize, f64)]) -> Vec<usize> {
    let neighbours = adjacency(n, edges);
    // A self-loop (a community merged into one node) counts twice in its node's strength.
    let strength: Vec<f64> = (0..n)
        .map(|i| {
            neighbours[i]
                .iter()
                .map(|(j, w)| if *j == i { 2.0 * w } else { *w })
                .sum()
        })
        .collect();
    let total: f64 = strength.iter().sum::<f64>() / 2.0;
    let mut community: Vec<usize> = (0..n).collect();
    if total == 0.0 {
        return community;
    }
    let mut community_strength = strength.clone();
    loop {
        let mut moved = false;
        for node in 0..n {
            let current = community[node];
            let mut links: BTreeMap<usize, f64> = BTreeMap::new();
            for &(other, w) in &neighbours[node] {
                if other != node {
                    *links.entry(community[other]).or_default() += w;
                }
            }
            community_strength[current] -= strength[node];
            let gain = |c: usize, link: f64| link - community_strength[c] * strength[node] / (2.0 * total);
            let stay = gain(current, links.get(&current).copied().unwrap_or(0.0));
            let best = links
                .iter()
                .map(|(&c, &link)| (c, gain(c, link)))
                .filter(|&(c, g)| c != current && g > stay + 1e-12)
                .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)));
            let chosen = best.map_or(current, |(c, _)| c);
            community_strength[chosen] += strength[node];
            if chosen != current {
                community[node] = chosen;
                moved = true;
            }
        }
        if !moved {
            return community;
        }
    }
}

const GRAVITY: f64 = 2.0;

/// Fruchterman and Reingold's layout in the unit square: edges pull (more the stronger),
/// every pair pushes, a weak gravity holds parts together, and the step cools; the start is
/// drawn from `seed`.
fn layout(n: usize, edges: &[(usize, usize, f64)], seed: u64) -> Vec<(f64, f64)> {
    let mut state = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
    let mut next = || {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    let mut position: Vec<(f64, f64)> = (0..n).map(|_| (next(), next())).collect();
    if n < 2 {
        return position.into_iter().map(|_| (0.5, 0.5)).collect();
    }
    let k = (1.0 / n as f64).sqrt();
    let iterations = 300;
    for step in 0..iterations {
        let temperature = 0.1 * (1.0 - step as f64 / iterations as f64);
        let mut shift = vec![(0.0, 0.0); n];
        for i in 0..n {
            for j in (i + 1)..n {
                let (dx, dy) = (position[i].0 - position[j].0, position[i].1 - position[j].1);
                let distance = (dx * dx + dy * dy).sqrt().max(1e-6);
                let push = k * k / distance;
                let (ux, uy) = (dx / distance, dy / distance);
                shift[i].0 += ux * push;
                shift[i].1 += uy * push;
                shift[j].0 -= ux * push;
                shift[j].1 -= uy * push;
            }
        }
        for &(a, b, w) in edges {
            let (dx, dy) = (position[a].0 - position[b].0, position[a].1 - position[b].1);
            let distance = (dx * dx + dy * dy).sqrt().max(1e-6);
            let pull = distance * distance / k * (0.5 + w);
            let (ux, uy) = (dx / distance, dy / distance);
            shift[a].0 -= ux * pull;
            shift[a].1 -= uy * pull;
            shift[b].0 += ux * pull;
            shift[b].1 += uy * pull;
        }
        // Gravity towards the centre keeps unconnected parts of the graph near each other.
        for (p, s) in position.iter().zip(shift.iter_mut()) {
            s.0 -= GRAVITY * (p.0 - 0.5);
            s.1 -= GRAVITY * (p.1 - 0.5);
        }
        for (p, (sx, sy)) in position.iter_mut().zip(shift) {
            let length = (sx * sx + sy * sy).sqrt().max(1e-9);
            let moved = length.min(temperature);
            p.0 += sx / length * moved;
            p.1 += sy / length * moved;
        }
    }
    // Fitted into the unit square, keeping proportions.
    let (min_x, max_x) = position
        .iter()
        .fold((f64::MAX, f64::MIN), |(lo, hi), p| (lo.min(p.0), hi.max(p.0)));
    let (min_y, max_y) = position
        .iter()
        .fold((f64::MAX, f64::MIN), |(lo, hi), p| (lo.min(p.1), hi.max(p.1)));
    let span = (max_x - min_x).max(max_y - min_y).max(1e-9);
    position
        .into_iter()
        .map(|(x, y)| ((x - min_x) / span, (y - min_y) / span))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn corpus(comments: &[&[&str]]) -> Vec<BTreeSet<String>> {
        comments
            .iter()
            .map(|terms| terms.iter().map(|t| (*t).to_owned()).collect())
            .collect()
    }

    #[test]
    fn two_clusters_are_two_communities_and_the_layout_is_repeatable() {
        let comments = corpus(&[
            &["フリートーク", "話", "安心"],
            &["フリートーク", "話"],
            &["フリートーク", "安心"],
            &["講師", "資料", "説明"],
            &["講師", "資料"],
            &["講師", "説明", "資料"],
            &["話", "講師"],
        ]);
        let network = network(&comments, 2, 20, 7, Joins::Terms);
        assert_eq!(
            network.communities,
            [vec!["フリートーク", "安心", "話"], vec!["説明", "講師", "資料"]]
        );
        let edge = network
            .edges
            .iter()
            .find(|e| e.source == "フリートーク" && e.target == "話")
            .unwrap();
        // Both in 2 comments, either in 3 + 3 - 2 = 4.
        assert_eq!((edge.comments, edge.jaccard), (2, 0.5));
        assert_eq!(
            network,
            super::network(&comments, 2, 20, 7, Joins::Terms),
            "the same picture every time"
        );
        assert!(network
            .nodes
            .iter()
            .all(|n| (0.0..=1.0).contains(&n.x) && (0.0..=1.0).contains(&n.y)));
        assert_eq!(network.edges.len(), 7);
        // networkx 3.6 (`louvain_communities(G, weight="weight")`, then `modularity`) finds the
        // same two communities with modularity 0.4421768707482993.
        assert!(
            (network.modularity - 0.4421768707482993).abs() < 1e-12,
            "{}",
            network.modularity
        );
        assert_eq!(
            super::network(&comments, 2, 3, 7, Joins::Terms).edges.len(),
            3,
            "the strongest edges only"
        );
    }

    #[test]
    fn attribute_values_join_the_words_their_group_uses() {
        let comments = corpus(&[
            &["フリートーク", "話", "女性"],
            &["フリートーク", "安心", "女性"],
            &["講師", "資料", "男性"],
            &["講師", "話", "男性"],
        ]);
        let groups = BTreeSet::from(["女性".to_owned(), "男性".to_owned()]);
        let network = network(&comments, 1, 20, 7, Joins::TermsToGroups(&groups));
        assert!(
            network
                .edges
                .iter()
                .all(|e| groups.contains(&e.source) != groups.contains(&e.target)),
            "only words to groups"
        );
        let strongest = &network.edges[0];
        assert_eq!(
            (strongest.source.as_str(), strongest.target.as_str(), strongest.jaccard),
            ("フリートーク", "女性", 1.0)
        );
        assert!(network.nodes.iter().any(|n| n.term == "男性" && n.group));
        assert!(network.nodes.iter().any(|n| n.term == "講師" && !n.group));
    }
}
