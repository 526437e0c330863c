//! Statistics computed from tallies: the interval of a mean and a test of independence that says
//! which method it used and whether Pearson's chi-square may be trusted on the table.

use rand::seq::SliceRandom;
use rand::SeedableRng;
use rand_distr::{Distribution, Hypergeometric};
use rand_pcg::Pcg64;
use serde::Serialize;
use statrs::distribution::{ChiSquared, ContinuousCDF, StudentsT};
use statrs::function::factorial::ln_factorial;

/// Fewest answers a mean is given an interval for: below, the interval says little and is easily
/// misread.
pub const MIN_N_FOR_INTERVAL: u64 = 10;

/// The 95% confidence interval of a mean from `n` answers with sample standard deviation `sd`,
/// from Student's t distribution, cut at the scale's ends (`range`) if it passes them, with
/// whether it was cut; `None` below [`MIN_N_FOR_INTERVAL`] answers.
pub fn ci95(mean: f64, sd: f64, n: u64, range: Option<(f64, f64)>) -> Option<([f64; 2], bool)> {
    if n < MIN_N_FOR_INTERVAL {
        return None;
    }
    let t = StudentsT::new(0.0, 1.0, (n - 1) as f64).ok()?.inverse_cdf(0.975);
    let half = t * sd / (n as f64).sqrt();
    let (low, high) = (mean - half, mean + half);
    Some(match range {
        Some((min, max)) if low < min || high > max => ([low.max(min), high.min(max)], true),
        _ => ([low, high], false),
    })
}

/// Draws of the Monte-Carlo test, and the seed that makes its p-value the same on every request.
pub const MONTE_CARLO_DRAWS: u64 = 10_000;
pub const MONTE_CARLO_SEED: u64 = 20_180_401;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndependenceTest {
    /// `chi_square` where its approximation holds (see `chi_square_valid`); otherwise
    /// `fisher_exact` (two-sided) for a 2x2 table, or `monte_carlo`: the share of tables drawn
    /// at random with the same margins whose statistic is at least the observed one.
    pub method: &'static str,
    /// Pearson's chi-square statistic, whichever method gave the p-value.
    pub statistic: f64,
    pub df: u64,
    pub p_value: f64,
    pub cramers_v: f64,
    /// Respondents the table is built on.
    pub n: u64,
    /// Share of cells whose expected count is below 5.
    pub expected_below_5_share: f64,
    pub min_expected: f64,
    /// Cochran's rule: no expected count below 1 and at most 20% of them below 5.
    pub chi_square_valid: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub monte_carlo: Option<MonteCarlo>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MonteCarlo {
    pub draws: u64,
    pub seed: u64,
}

/// A test of independence on `table` (rows of counts) after dropping all-zero rows and columns;
/// `None` with fewer than two of either left.
pub fn independence_test(table: &[Vec<u64>]) -> Option<IndependenceTest> {
    let width = table.iter().map(Vec::len).max()?;
    let rows: Vec<&Vec<u64>> = table.iter().filter(|row| row.iter().any(|&c| c > 0)).collect();
    let columns: Vec<usize> = (0..width)
        .filter(|&j| rows.iter().any(|row| row.get(j).copied().unwrap_or(0) > 0))
        .collect();
    if rows.len() < 2 || columns.len() < 2 {
        return None;
    }
    let cells: Vec<Vec<u64>> = rows
        .iter()
        .map(|row| columns.iter().map(|&j| row.get(j).copied().unwrap_or(0)).collect())
        .collect();
    let row_sums: Vec<u64> = cells.iter().map(|row| row.iter().sum()).collect();
    let column_sums: Vec<u64> = (0..columns.len())
        .map(|j| cells.iter().map(|row| row[j]).sum())
        .collect();
    let n: u64 = row_sums.iter().sum();
    let expected = expected_counts(&row_sums, &column_sums);
    let statistic = pearson(&cells, &expected);
    let df = ((rows.len() - 1) * (columns.len() - 1)) as u64;
    let flat = expected.iter().flatten();
    let below_5 = flat.clone().filter(|&&e| e < 5.0).count();
    let min_expected = flat.clone().copied().fold(f64::INFINITY, f64::min);
    let expected_below_5_share = below_5 as f64 / (rows.len() * columns.len()) as f64;
    let chi_square_valid = min_expected >= 1.0 && expected_below_5_share <= 0.2;
    let (method, p_value, monte_carlo) = if chi_square_valid {
        ("chi_square", ChiSquared::new(df as f64).ok()?.sf(statistic), None)
    } else if cells.len() == 2 && columns.len() == 2 {
        ("fisher_exact", fisher_exact(&cells), None)
    } else {
        let p = monte_carlo_p(&row_sums, &column_sums, &expected, statistic)?;
        let drawn = MonteCarlo {
            draws: MONTE_CARLO_DRAWS,
            seed: MONTE_CARLO_SEED,
        };
        ("monte_carlo", p, Some(drawn))
    };
    let smaller_side = rows.len().min(columns.len()) as f64;
    let cramers_v = (statistic / (n as f64 * (smaller_side - 1.0))).sqrt();
    Some(IndependenceTest {
        method,
        statistic,
        df,
        p_value,
        cramers_v,
        n,
        expected_below_5_share,
        min_expected,
        chi_square_valid,
        monte_carlo,
    })
}

fn expected_counts(row_sums: &[u64], column_sums: &[u64]) -> Vec<Vec<f64>> {
    let n: u64 = row_sums.iter().sum();
    row_sums
        .iter()
        .map(|&r| column_sums.iter().map(|&c| r as f64 * c as f64 / n as f64).collect())
        .collect()
}

fn pearson(cells: &[Vec<u64>], expected: &[Vec<f64>]) -> f64 {
    cells
        .iter()
        .zip(expected)
        .flat_map(|(row, expected)| row.iter().zip(expected))
        .map(|(&observed, &e)| (observed as f64 - e).powi(2) / e)
        .sum()
}

/// Relative tolerance under which two probabilities or statistics count as equal, as R and scipy
/// allow for rounding.
const TIES: f64 = 1e-7;

/// Fisher's exact test, two-sided as scipy and R compute it: the probability, with the margins
/// fixed, of every table no more likely than the observed one.
fn fisher_exact(cells: &[Vec<u64>]) -> f64 {
    let (a, b, c) = (cells[0][0], cells[0][1], cells[1][0]);
    let n: u64 = cells.iter().flatten().sum();
    let (row, column) = (a + b, a + c);
    let ln_choose = |n: u64, k: u64| ln_factorial(n) - ln_factorial(k) - ln_factorial(n - k);
    let ln_p = |x: u64| ln_choose(column, x) + ln_choose(n - column, row - x) - ln_choose(n, row);
    let observed = ln_p(a);
    let low = (row + column).saturating_sub(n);
    let p: f64 = (low..=row.min(column))
        .map(ln_p)
        .filter(|&l| l <= observed + TIES.ln_1p())
        .map(f64::exp)
        .sum();
    p.min(1.0)
}

/// The Monte-Carlo p-value of `observed` (as R's `chisq.test(simulate.p.value = TRUE)`): the
/// share of tables drawn at random with the same margins whose statistic is at least as large,
/// `(1 + at least as large) / (draws + 1)`.
fn monte_carlo_p(row_sums: &[u64], column_sums: &[u64], expected: &[Vec<f64>], observed: f64) -> Option<f64> {
    let n: u64 = row_sums.iter().sum();
    let cells = (row_sums.len() * column_sums.len()) as u64;
    let sampler = if n <= cells * SHUFFLE_PER_CELL {
        Sampler::shuffle(row_sums, column_sums)
    } else {
        Sampler::Hypergeometric
    };
    monte_carlo_p_with(&sampler, row_sums, column_sums, expected, observed)
}

/// Up to this many respondents per cell, shuffling them is cheaper than a hypergeometric draw
/// per cell.
const SHUFFLE_PER_CELL: u64 = 50;

/// How tables with fixed margins are drawn; both give every arrangement of the respondents the
/// same chance.
enum Sampler {
    /// Each respondent's row and column; the columns are shuffled.
    Shuffle { rows: Vec<usize>, columns: Vec<usize> },
    /// Row by row, each cell a hypergeometric draw from the columns left by the rows before it.
    Hypergeometric,
}

impl Sampler {
    fn shuffle(row_sums: &[u64], column_sums: &[u64]) -> Self {
        let labels = |sums: &[u64]| -> Vec<usize> {
            sums.iter()
                .enumerate()
                .flat_map(|(i, &count)| std::iter::repeat_n(i, count as usize))
                .collect()
        };
        Self::Shuffle {
            rows: labels(row_sums),
            columns: labels(column_sums),
        }
    }
}

fn monte_carlo_p_with(
    sampler: &Sampler,
    row_sums: &[u64],
    column_sums: &[u64],
    expected: &[Vec<f64>],
    observed: f64,
) -> Option<f64> {
    let mut rng = Pcg64::seed_from_u64(MONTE_CARLO_SEED);
    let mut table = vec![vec![0u64; column_sums.len()]; row_sums.len()];
    let mut shuffled = match sampler {
        Sampler::Shuffle { columns, .. } => columns.clone(),
        Sampler::Hypergeometric => Vec::new(),
    };
    let mut at_least = 0u64;
    for _ in 0..MONTE_CARLO_DRAWS {
        table.iter_mut().flatten().for_each(|cell| *cell = 0);
        match sampler {
            Sampler::Shuffle { rows, .. } => {
                shuffled.shuffle(&mut rng);
                for (&i, &j) in rows.iter().zip(&shuffled) {
                    table[i][j] += 1;
                }
            }
            Sampler::Hypergeometric => {
                let mut columns_left = column_sums.to_vec();
                for (row, &row_sum) in table.iter_mut().zip(row_sums) {
                    let mut to_place = row_sum;
                    let mut population: u64 = columns_left.iter().sum();
                    for (cell, left) in row.iter_mut().zip(columns_left.iter_mut()) {
                        *cell = if to_place == 0 || *left == 0 {
                            0
                        } else if population == *left {
                            to_place
                        } else {
                            Hypergeometric::new(population, *left, to_place).ok()?.sample(&mut rng)
                        };
                        population -= *left;
                        *left -= *cell;
                        to_place -= *cell;
                    }
                }
            }
        }
        if pearson(&table, expected) >= observed * (1.0 - TIES) {
            at_least += 1;
        }
    }
    Some((1 + at_least) as f64 / (MONTE_CARLO_DRAWS + 1) as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn a_two_by_two_table_matches_the_textbook() {
        // [[10, 20], [30, 40]]: expected 12, 18, 28, 42; statistic 0.793650793650..., df 1.
        let test = independence_test(&[vec![10, 20], vec![30, 40]]).unwrap();
        assert_eq!((test.method, test.chi_square_valid, test.n), ("chi_square", true, 100));
        assert!(close(test.statistic, 50.0 / 63.0), "{}", test.statistic);
        assert_eq!(test.df, 1);
        // For df = 1 the survival function is erfc(sqrt(x / 2)); R gives 0.3729984.
        assert!((test.p_value - 0.372998).abs() < 1e-6, "{}", test.p_value);
        assert!(close(test.cramers_v, (50.0 / 63.0 / 100.0_f64).sqrt()));
    }

    #[test]
    fn an_even_df_p_value_has_a_closed_form() {
        // df = 2: P(X > x) = exp(-x / 2) exactly.
        let table = [vec![12, 5, 9], vec![3, 14, 8]];
        let test = independence_test(&table).unwrap();
        assert_eq!(test.df, 2);
        assert!(close(test.p_value, (-test.statistic / 2.0).exp()));
    }

    #[test]
    fn zero_rows_and_columns_are_dropped_first() {
        let with_zeros = independence_test(&[vec![10, 0, 20], vec![0, 0, 0], vec![30, 0, 40]]).unwrap();
        let without = independence_test(&[vec![10, 20], vec![30, 40]]).unwrap();
        assert_eq!(with_zeros, without);
        assert_eq!(independence_test(&[vec![10, 20]]), None);
        assert_eq!(independence_test(&[vec![10, 0], vec![5, 0]]), None);
        assert_eq!(independence_test(&[]), None);
    }

    #[test]
    fn the_interval_uses_students_t_and_stays_within_the_scale() {
        // n = 16, mean 3, sd 1: t(0.975, 15) = 2.131449545559323.
        let ([lo, hi], clipped) = ci95(3.0, 1.0, 16, Some((1.0, 5.0))).unwrap();
        assert!(close(hi - 3.0, 2.131449545559323 / 4.0), "{hi}");
        assert!(close(3.0 - lo, hi - 3.0));
        assert!(!clipped);
        let ([lo, hi], clipped) = ci95(4.9, 0.5, 10, Some((1.0, 5.0))).unwrap();
        assert!(clipped && hi == 5.0 && lo < 4.9, "{lo} {hi}");
        let (_, unbounded) = ci95(4.9, 0.5, 10, None).unwrap();
        assert!(!unbounded);
        assert_eq!(ci95(3.0, 1.0, MIN_N_FOR_INTERVAL - 1, None), None);
    }

    #[test]
    fn cochrans_rule_decides_whether_chi_square_is_trusted() {
        // Expected 2.0 in every cell: all below 5.
        let small = independence_test(&[vec![3, 1], vec![1, 3]]).unwrap();
        assert_eq!((small.chi_square_valid, small.expected_below_5_share), (false, 1.0));
        assert!(close(small.min_expected, 2.0));
        // One cell of four below 5 (25% > 20%), none below 1.
        let quarter = independence_test(&[vec![2, 500], vec![10, 300]]).unwrap();
        assert_eq!(
            (quarter.chi_square_valid, quarter.expected_below_5_share),
            (false, 0.25)
        );
        // Two of twelve cells below 5 (16.7%) but below 1: still not trusted.
        let below_one = independence_test(&[vec![1, 50, 50, 50, 50, 49], vec![0, 50, 50, 50, 50, 51]]).unwrap();
        assert!(below_one.min_expected < 1.0 && !below_one.chi_square_valid);
        assert!(below_one.expected_below_5_share <= 0.2);
        // Two of twelve between 1 and 5 (16.7%): trusted.
        let fine = independence_test(&[vec![3, 40, 40, 40, 40, 40], vec![3, 40, 40, 40, 40, 40]]).unwrap();
        assert!(fine.chi_square_valid);
        assert_eq!(fine.method, "chi_square");
    }

    #[test]
    fn small_two_by_two_tables_get_fishers_exact_test_as_scipy_computes_it() {
        // scipy.stats.fisher_exact(table).pvalue
        let cases: [([[u64; 2]; 2], f64); 4] = [
            ([[3, 1], [1, 3]], 0.48571428571428565),
            ([[8, 2], [1, 5]], 0.034965034965034975),
            ([[2, 500], [10, 300]], 0.0017289961643828168),
            ([[0, 7], [4, 2]], 0.02097902097902098),
        ];
        for (table, scipy) in cases {
            let test = independence_test(&table.map(Vec::from)).unwrap();
            assert_eq!(test.method, "fisher_exact", "{table:?}");
            assert!(
                (test.p_value - scipy).abs() < 1e-9 * scipy.max(1e-3),
                "{table:?}: {} vs {scipy}",
                test.p_value
            );
            assert_eq!(test.monte_carlo, None);
        }
    }

    #[test]
    fn larger_small_tables_get_a_seeded_monte_carlo_p_value_near_the_exact_one() {
        // The exact permutation p-values of Pearson's statistic, by enumerating every table with
        // the same margins in Python (each weighted by its multivariate hypergeometric probability).
        let cases: [(Vec<Vec<u64>>, f64); 2] = [
            (vec![vec![3, 1, 0], vec![0, 2, 4]], 0.03333333333333341),
            (vec![vec![5, 2, 1], vec![1, 3, 6], vec![0, 2, 3]], 0.05586618376789563),
        ];
        for (table, exact) in cases {
            let test = independence_test(&table).unwrap();
            assert_eq!(test.method, "monte_carlo");
            assert_eq!(
                test.monte_carlo,
                Some(MonteCarlo {
                    draws: MONTE_CARLO_DRAWS,
                    seed: MONTE_CARLO_SEED
                })
            );
            let error = (exact * (1.0 - exact) / MONTE_CARLO_DRAWS as f64).sqrt();
            assert!(
                (test.p_value - exact).abs() < 4.0 * error,
                "{table:?}: {} vs {exact}",
                test.p_value
            );
            assert_eq!(independence_test(&table), Some(test), "the same on every request");
        }
    }

    #[test]
    fn both_ways_of_drawing_tables_agree_with_the_exact_p_value() {
        // Exact permutation p-values enumerated in Python as above; 400 respondents in six
        // cells and 401 in nine are drawn cell by cell unless forced to shuffle.
        let cases: [(Vec<Vec<u64>>, f64); 2] = [
            (vec![vec![2, 0, 198], vec![0, 3, 197]], 0.12375396930612217),
            (vec![vec![2, 1, 98], vec![0, 3, 97], vec![1, 0, 99]], 0.2913909538999047),
        ];
        for (table, exact) in cases {
            let test = independence_test(&table).unwrap();
            assert_eq!(test.method, "monte_carlo");
            let rows: Vec<u64> = table.iter().map(|r| r.iter().sum()).collect();
            let columns: Vec<u64> = (0..3).map(|j| table.iter().map(|r| r[j]).sum()).collect();
            let expected = expected_counts(&rows, &columns);
            let error = (exact * (1.0 - exact) / MONTE_CARLO_DRAWS as f64).sqrt();
            for sampler in [Sampler::shuffle(&rows, &columns), Sampler::Hypergeometric] {
                let p = monte_carlo_p_with(&sampler, &rows, &columns, &expected, test.statistic).unwrap();
                assert!((p - exact).abs() < 4.0 * error, "{table:?}: {p} vs {exact}");
            }
        }
    }
}
