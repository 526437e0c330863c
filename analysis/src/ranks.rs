//! Rank tests of whether groups of numbers (events' headcounts) differ: Mann-Whitney U for two
//! groups, Kruskal-Wallis H for more. They compute what `scipy.stats.mannwhitneyu` (two-sided,
//! continuity-corrected, `method="auto"`) and `scipy.stats.kruskal` compute, ties corrected the
//! same way, so a researcher can check a figure with the tool they know.

use serde::Serialize;
use statrs::distribution::{ChiSquared, ContinuousCDF};
use statrs::function::erf::erfc;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RankTest {
    /// `mann_whitney_u` or `kruskal_wallis_h`.
    pub method: &'static str,
    /// U of the first group, or H.
    pub statistic: f64,
    pub p_value: f64,
    /// `exact` (Mann-Whitney with no ties and a group of at most eight) or `asymptotic`.
    pub distribution: &'static str,
    /// Values compared, all groups together.
    pub n: usize,
}

/// Where scipy's `method="auto"` stops using the exact distribution of U.
const EXACT_MAX_SMALLER_GROUP: usize = 8;

/// Mann-Whitney U, two-sided; `None` when a group is empty.
pub fn mann_whitney_u(x: &[f64], y: &[f64]) -> Option<RankTest> {
    let (n1, n2) = (x.len(), y.len());
    if n1 == 0 || n2 == 0 {
        return None;
    }
    let ranked = Ranked::of(&[x, y]);
    let u1 = ranked.rank_sums[0] - (n1 * (n1 + 1)) as f64 / 2.0;
    let product = (n1 * n2) as f64;
    let u = u1.max(product - u1);
    let exact = !ranked.has_ties() && n1.min(n2) <= EXACT_MAX_SMALLER_GROUP;
    let p = if exact {
        // P(U >= u) = P(U <= n1 n2 - u) by symmetry, and u is an integer without ties.
        2.0 * exact_cdf(n1.min(n2), n1.max(n2), (product - u).round() as usize)
    } else {
        let n = (n1 + n2) as f64;
        let spread = (product / 12.0 * ((n + 1.0) - ranked.tie_term / (n * (n - 1.0)))).sqrt();
        let z = (u - product / 2.0 - 0.5) / spread;
        // Twice the normal tail beyond z.
        erfc(z / std::f64::consts::SQRT_2)
    };
    Some(RankTest {
        method: "mann_whitney_u",
        statistic: u1,
        p_value: p.clamp(0.0, 1.0),
        distribution: if exact { "exact" } else { "asymptotic" },
        n: n1 + n2,
    })
}

/// Kruskal-Wallis H across `groups`; `None` with fewer than two non-empty groups or when every
/// value is the same (nothing to rank).
pub fn kruskal_wallis_h(groups: &[&[f64]]) -> Option<RankTest> {
    let groups: Vec<&[f64]> = groups.iter().copied().filter(|g| !g.is_empty()).collect();
    if groups.len() < 2 {
        return None;
    }
    let ranked = Ranked::of(&groups);
    let n = ranked.n as f64;
    let ties = 1.0 - ranked.tie_term / (n * n * n - n);
    if ties <= 0.0 {
        return None;
    }
    let sum: f64 = groups
        .iter()
        .zip(&ranked.rank_sums)
        .map(|(group, rank_sum)| rank_sum * rank_sum / group.len() as f64)
        .sum();
    let h = (12.0 / (n * (n + 1.0)) * sum - 3.0 * (n + 1.0)) / ties;
    let df = (groups.len() - 1) as f64;
    let p = ChiSquared::new(df).ok()?.sf(h);
    Some(RankTest {
        method: "kruskal_wallis_h",
        statistic: h,
        p_value: p,
        distribution: "asymptotic",
        n: ranked.n,
    })
}

/// Mann-Whitney for two groups, Kruskal-Wallis for more.
pub fn compare_groups(groups: &[&[f64]]) -> Option<RankTest> {
    let present: Vec<&[f64]> = groups.iter().copied().filter(|g| !g.is_empty()).collect();
    match present.as_slice() {
        [x, y] => mann_whitney_u(x, y),
        _ => kruskal_wallis_h(&present),
    }
}

/// [`compare_groups`] on groups given as tallies: (value, how many gave it), e.g. a scale's
/// counts per point.
pub fn compare_tallies(groups: &[Vec<(f64, u64)>]) -> Option<RankTest> {
    let expanded: Vec<Vec<f64>> = groups
        .iter()
        .map(|tally| {
            tally
                .iter()
                .flat_map(|&(value, n)| std::iter::repeat_n(value, usize::try_from(n).unwrap_or(0)))
                .collect()
        })
        .collect();
    compare_groups(&expanded.iter().map(Vec::as_slice).collect::<Vec<_>>())
}

/// Average ranks of all values pooled, summed per group, and the ties' sum of t^3 - t.
struct Ranked {
    rank_sums: Vec<f64>,
    tie_term: f64,
    n: usize,
}

impl Ranked {
    fn of(groups: &[&[f64]]) -> Self {
        let mut pooled: Vec<(f64, usize)> = groups
            .iter()
            .enumerate()
            .flat_map(|(index, values)| values.iter().map(move |&value| (value, index)))
            .collect();
        pooled.sort_by(|a, b| a.0.total_cmp(&b.0));
        let mut rank_sums = vec![0.0; groups.len()];
        let mut tie_term = 0.0;
        let mut start = 0;
        while start < pooled.len() {
            let end = start
                + pooled[start..]
                    .iter()
                    .take_while(|(v, _)| *v == pooled[start].0)
                    .count();
            let tied = (end - start) as f64;
            // Ranks start at 1: the run start+1..=end shares their average.
            let average = (start + 1 + end) as f64 / 2.0;
            for &(_, group) in &pooled[start..end] {
                rank_sums[group] += average;
            }
            tie_term += tied * tied * tied - tied;
            start = end;
        }
        Self {
            rank_sums,
            tie_term,
            n: pooled.len(),
        }
    }

    fn has_ties(&self) -> bool {
        self.tie_term > 0.0
    }
}

/// P(U <= k) for groups of `m <= n` values without ties: the coefficients of the Gaussian
/// binomial [m + n choose m] count the orderings giving each U.
fn exact_cdf(m: usize, n: usize, k: usize) -> f64 {
    let top = m * n;
    let mut counts = vec![0_i128; top + 1];
    counts[0] = 1;
    // Multiply by (1 - q^(n+i)) / (1 - q^i) for i = 1..=m; each step leaves [n+i choose i].
    for i in 1..=m {
        for u in (n + i..=top).rev() {
            counts[u] -= counts[u - n - i];
        }
        for u in i..=top {
            counts[u] += counts[u - i];
        }
    }
    let total: i128 = counts.iter().sum();
    let below: i128 = counts[..=k.min(top)].iter().sum();
    below as f64 / total as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_exact_distribution_counts_every_ordering_once() {
        // m = 2, n = 2: U takes 0,1,2,2,3,4 over the six orderings.
        assert_eq!(exact_cdf(2, 2, 0), 1.0 / 6.0);
        assert_eq!(exact_cdf(2, 2, 2), 4.0 / 6.0);
        assert_eq!(exact_cdf(2, 2, 4), 1.0);
    }

    #[test]
    fn groups_that_cannot_be_compared_get_no_test() {
        assert_eq!(mann_whitney_u(&[], &[1.0]), None);
        assert_eq!(kruskal_wallis_h(&[&[1.0, 2.0]]), None);
        assert_eq!(kruskal_wallis_h(&[&[3.0, 3.0], &[3.0]]), None);
        assert_eq!(
            compare_groups(&[&[1.0, 2.0], &[], &[5.0, 6.0]]).unwrap().method,
            "mann_whitney_u"
        );
    }

    #[test]
    fn tallies_are_ranked_as_the_values_they_count() {
        let tallied = compare_tallies(&[vec![(1.0, 2), (3.0, 1)], vec![(2.0, 1), (3.0, 2)]]);
        assert_eq!(tallied, mann_whitney_u(&[1.0, 1.0, 3.0], &[2.0, 3.0, 3.0]));
    }
}
