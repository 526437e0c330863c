//! Correspondence analysis of a contingency table (terms by groups), as KH Coder draws it: the
//! standardised residuals S = D_r^-1/2 (P - r c') D_c^-1/2 are decomposed S = U Σ V', rows get
//! principal coordinates D_r^-1/2 U Σ and columns D_c^-1/2 V Σ, and each dimension explains
//! σ² / Σσ² of the inertia. The decomposition is computed from the eigenvectors of S'S
//! (a groups-by-groups matrix, small) by Jacobi rotations.

use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Correspondence {
    /// Per row: its coordinates on the dimensions kept.
    pub rows: Vec<Vec<f64>>,
    pub columns: Vec<Vec<f64>>,
    /// Each kept dimension's share of the total inertia.
    pub inertia_shares: Vec<f64>,
    pub total_inertia: f64,
}

/// The first `dimensions` dimensions of `table` (rows of counts, every row and column with a
/// positive total); `None` if it has fewer than two rows or columns with counts.
pub fn correspondence(table: &[Vec<f64>], dimensions: usize) -> Option<Correspondence> {
    let rows = table.len();
    let columns = table.first()?.len();
    let n: f64 = table.iter().flatten().sum();
    if rows < 2 || columns < 2 || n <= 0.0 {
        return None;
    }
    let r: Vec<f64> = table.iter().map(|row| row.iter().sum::<f64>() / n).collect();
    let c: Vec<f64> = (0..columns)
        .map(|j| table.iter().map(|row| row[j]).sum::<f64>() / n)
        .collect();
    if r.iter().chain(&c).any(|&mass| mass <= 0.0) {
        return None;
    }
    let s: Vec<Vec<f64>> = (0..rows)
        .map(|i| {
            (0..columns)
                .map(|j| (table[i][j] / n - r[i] * c[j]) / (r[i] * c[j]).sqrt())
                .collect()
        })
        .collect();
    let mut gram = vec![vec![0.0; columns]; columns];
    for a in 0..columns {
        for b in a..columns {
            let value: f64 = (0..rows).map(|i| s[i][a] * s[i][b]).sum();
            gram[a][b] = value;
            gram[b][a] = value;
        }
    }
    let (values, vectors) = symmetric_eigen(gram);
    let mut order: Vec<usize> = (0..columns).collect();
    order.sort_by(|&a, &b| values[b].total_cmp(&values[a]));
    let total_inertia: f64 = values.iter().map(|v| v.max(0.0)).sum();
    let kept: Vec<usize> = order
        .into_iter()
        .filter(|&k| values[k] > 1e-12 * total_inertia.max(1e-300))
        .take(dimensions)
        .collect();
    let sigma: Vec<f64> = kept.iter().map(|&k| values[k].sqrt()).collect();
    let v: Vec<Vec<f64>> = kept
        .iter()
        .map(|&k| (0..columns).map(|j| vectors[j][k]).collect())
        .collect();
    let column_coordinates = (0..columns)
        .map(|j| (0..kept.len()).map(|d| v[d][j] * sigma[d] / c[j].sqrt()).collect())
        .collect();
    // U Σ = S V, so a row's principal coordinate is (S V)_i / sqrt(r_i).
    let row_coordinates = (0..rows)
        .map(|i| {
            (0..kept.len())
                .map(|d| (0..columns).map(|j| s[i][j] * v[d][j]).sum::<f64>() / r[i].sqrt())
                .collect()
        })
        .collect();
    Some(Correspondence {
        rows: row_coordinates,
        columns: column_coordinates,
        inertia_shares: kept.iter().map(|&k| values[k] / total_inertia).collect(),
        total_inertia,
    })
}

/// Eigenvalues and eigenvectors (as the columns of the second) of a symmetric matrix, by cyclic
/// Jacobi rotations: exact to rounding for the small matrices here.
fn symmetric_eigen(mut a: Vec<Vec<f64>>) -> (Vec<f64>, Vec<Vec<f64>>) {
    let n = a.len();
    let mut v: Vec<Vec<f64>> = (0..n)
        .map(|i| (0..n).map(|j| f64::from(u8::from(i == j))).collect())
        .collect();
    for _sweep in 0..100 {
        let off: f64 = (0..n)
            .flat_map(|i| (0..n).filter(move |&j| j != i).map(move |j| (i, j)))
            .map(|(i, j)| a[i][j] * a[i][j])
            .sum();
        if off < 1e-30 {
            break;
        }
        for p in 0..n {
            for q in (p + 1)..n {
                if a[p][q].abs() < 1e-300 {
                    continue;
                }
                let theta = (a[q][q] - a[p][p]) / (2.0 * a[p][q]);
                let t = theta.signum() / (theta.abs() + (theta * theta + 1.0).sqrt());
                let t = if theta == 0.0 { 1.0 } else { t };
                let cos = 1.0 / (t * t + 1.0).sqrt();
                let sin = t * cos;
                // Columns p and q of A and V, then rows p and q of A.
                for row in a.iter_mut().chain(v.iter_mut()) {
                    let (kp, kq) = (row[p], row[q]);
                    row[p] = cos * kp - sin * kq;
                    row[q] = sin * kp + cos * kq;
                }
                let (upper, lower) = a.split_at_mut(q);
                for (apk, aqk) in upper[p].iter_mut().zip(lower[0].iter_mut()) {
                    let (x, y) = (*apk, *aqk);
                    *apk = cos * x - sin * y;
                    *aqk = sin * x + cos * y;
                }
            }
        }
    }
    ((0..n).map(|i| a[i][i]).collect(), v)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Computed with numpy 2.4 from the same table:
    /// `S = (P - outer(r, c)) / sqrt(outer(r, c)); U, s, Vt = svd(S)`,
    /// rows `U * s / sqrt(r)`, columns `Vt.T * s / sqrt(c)`.
    #[test]
    fn coordinates_match_numpys_svd_up_to_each_axis_sign() {
        let table = vec![
            vec![12.0, 3.0, 5.0],
            vec![4.0, 10.0, 2.0],
            vec![6.0, 6.0, 9.0],
            vec![1.0, 2.0, 8.0],
            vec![7.0, 1.0, 1.0],
        ];
        let rows = [
            [-0.39390069641743475, -0.20023047061289118],
            [0.10172087920758321, 0.7519188981531866],
            [0.2374536771323708, -0.06758795875521581],
            [0.7492385560335496, -0.4523793715396788],
            [-0.7752968305690515, -0.1811747485996852],
        ];
        let columns = [
            [-0.5531288447878203, -0.1259005567878628],
            [0.19754534628838524, 0.6124869036496654],
            [0.4899147090116055, -0.3879078070662703],
        ];
        let found = correspondence(&table, 2).unwrap();
        assert!((found.total_inertia - 0.3704923695832786).abs() < 1e-12);
        for (share, want) in found
            .inertia_shares
            .iter()
            .zip([0.5621682886500039, 0.4378317113499962])
        {
            assert!((share - want).abs() < 1e-9, "{share} against {want}");
        }
        for dimension in 0..2 {
            let sign = (found.columns[0][dimension] * columns[0][dimension]).signum();
            for (got, want) in found.rows.iter().zip(&rows).chain(found.columns.iter().zip(&columns)) {
                assert!(
                    (got[dimension] * sign - want[dimension]).abs() < 1e-9,
                    "{got:?} against {want:?}"
                );
            }
        }
        assert_eq!(
            correspondence(&[vec![1.0, 2.0]], 2),
            None,
            "one row has nothing to compare"
        );
    }
}
