//! Statistics computed from tallies: the interval of a mean and Pearson's chi-square test.

use serde::Serialize;
use statrs::distribution::{ChiSquared, ContinuousCDF, StudentsT};

/// The 95% confidence interval of a mean from `n` answers with sample standard deviation `sd`,
/// from Student's t distribution; `None` below two answers.
pub fn ci95(mean: f64, sd: f64, n: u64) -> Option<[f64; 2]> {
    if n < 2 {
        return None;
    }
    let t = StudentsT::new(0.0, 1.0, (n - 1) as f64).ok()?.inverse_cdf(0.975);
    let half = t * sd / (n as f64).sqrt();
    Some([mean - half, mean + half])
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChiSquare {
    pub method: &'static str,
    pub statistic: f64,
    pub df: u64,
    pub p_value: f64,
    pub cramers_v: f64,
}

/// Pearson's chi-square test of independence without continuity correction, on `table` (rows of
/// counts) after dropping all-zero rows and columns; `None` with fewer than two of either left.
pub fn chi_square(table: &[Vec<u64>]) -> Option<ChiSquare> {
    let width = table.iter().map(Vec::len).max()?;
    let rows: Vec<&Vec<u64>> = table.iter().filter(|row| row.iter().any(|&c| c > 0)).collect();
    let columns: Vec<usize> = (0..width)
        .filter(|&j| rows.iter().any(|row| row.get(j).copied().unwrap_or(0) > 0))
        .collect();
    if rows.len() < 2 || columns.len() < 2 {
        return None;
    }
    let cell = |row: &Vec<u64>, j: usize| row.get(j).copied().unwrap_or(0) as f64;
    let row_sums: Vec<f64> = rows
        .iter()
        .map(|row| columns.iter().map(|&j| cell(row, j)).sum())
        .collect();
    let column_sums: Vec<f64> = columns
        .iter()
        .map(|&j| rows.iter().map(|row| cell(row, j)).sum())
        .collect();
    let total: f64 = row_sums.iter().sum();
    let mut statistic = 0.0;
    for (row, row_sum) in rows.iter().zip(&row_sums) {
        for (&j, column_sum) in columns.iter().zip(&column_sums) {
            let expected = row_sum * column_sum / total;
            statistic += (cell(row, j) - expected).powi(2) / expected;
        }
    }
    let df = ((rows.len() - 1) * (columns.len() - 1)) as u64;
    let p_value = ChiSquared::new(df as f64).ok()?.sf(statistic);
    let smaller_side = rows.len().min(columns.len()) as f64;
    let cramers_v = (statistic / (total * (smaller_side - 1.0))).sqrt();
    Some(ChiSquare {
        method: "chi_square",
        statistic,
        df,
        p_value,
        cramers_v,
    })
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
        let test = chi_square(&[vec![10, 20], vec![30, 40]]).unwrap();
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
        let test = chi_square(&table).unwrap();
        assert_eq!(test.df, 2);
        assert!(close(test.p_value, (-test.statistic / 2.0).exp()));
    }

    #[test]
    fn zero_rows_and_columns_are_dropped_first() {
        let with_zeros = chi_square(&[vec![10, 0, 20], vec![0, 0, 0], vec![30, 0, 40]]).unwrap();
        let without = chi_square(&[vec![10, 20], vec![30, 40]]).unwrap();
        assert_eq!(with_zeros, without);
        assert_eq!(chi_square(&[vec![10, 20]]), None);
        assert_eq!(chi_square(&[vec![10, 0], vec![5, 0]]), None);
        assert_eq!(chi_square(&[]), None);
    }

    #[test]
    fn the_interval_uses_students_t() {
        // n = 4, mean 3, sd 1: t(0.975, 3) = 3.182446305284263.
        let [lo, hi] = ci95(3.0, 1.0, 4).unwrap();
        assert!(close(hi - 3.0, 3.182446305284263 / 2.0), "{hi}");
        assert!(close(3.0 - lo, hi - 3.0));
        assert_eq!(ci95(3.0, 0.0, 1), None);
    }
}
