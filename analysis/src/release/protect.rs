//! The suppression pattern of one partition: which categories are merged away and which cells of
//! each cross-table are withheld, so that every withheld figure stays uncertain by at least
//! `min_cell` whatever the shown figures are combined with.

/// A cross-table of one partition with its pattern: `cells[row][column]`, rows the categories
/// of the grouping attribute, columns those of the counted variable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tab {
    pub cells: Vec<Vec<u64>>,
    pub hidden: Vec<Vec<bool>>,
    /// Rows whose category is merged away in this partition: shown nowhere in it.
    pub merged_rows: Vec<bool>,
    pub merged_columns: Vec<bool>,
    /// Per cell, whether the pattern withholds the cell of the coarser table (merged rows and
    /// columns each one category) that holds it: what decides the figures of merged categories
    /// together.
    pub withheld: Vec<Vec<bool>>,
}

/// A table with its merged rows and columns each made one category (the last), and where each
/// category of the table went in it.
pub struct Coarse {
    pub tab: Tab,
    pub row_of: Vec<usize>,
    pub column_of: Vec<usize>,
}

impl Tab {
    /// A one-row table (everyone) whose merged columns are its only withheld cells.
    pub fn margin(sizes: Vec<u64>, merged_columns: Vec<bool>) -> Self {
        Self {
            hidden: vec![merged_columns.clone()],
            withheld: vec![vec![false; sizes.len()]],
            cells: vec![sizes],
            merged_rows: vec![false],
            merged_columns,
        }
    }

    /// The table of the union of two disjoint partitions: counts add up, and whatever either
    /// withholds stays withheld, so the union shows nothing that the two do not show already.
    pub fn absorb(&mut self, other: &Tab) {
        for (row, other_row) in self.cells.iter_mut().zip(&other.cells) {
            row.iter_mut().zip(other_row).for_each(|(cell, add)| *cell += add);
        }
        for (row, other_row) in self.hidden.iter_mut().zip(&other.hidden) {
            or_into(row, other_row);
        }
        for (row, other_row) in self.withheld.iter_mut().zip(&other.withheld) {
            or_into(row, other_row);
        }
        or_into(&mut self.merged_rows, &other.merged_rows);
        or_into(&mut self.merged_columns, &other.merged_columns);
    }

    pub fn transposed(&self) -> Self {
        let flip = |grid: &Vec<Vec<bool>>| transpose(grid, false);
        Self {
            cells: transpose(&self.cells, 0),
            hidden: flip(&self.hidden),
            withheld: flip(&self.withheld),
            merged_rows: self.merged_columns.clone(),
            merged_columns: self.merged_rows.clone(),
        }
    }

    /// Checks the pattern before it is released: no shown cell (nor shown `n`, the row less its
    /// `skipped` cell) counts 1 to `min_cell - 1` people, and no row or column that may hold anyone
    /// withholds a single cell, which would be its total minus the others.
    pub fn audit(&self, skipped: Option<usize>, min_cell: u64) -> Result<(), String> {
        let small = |count: u64| count > 0 && count < min_cell;
        let rows = self.cells.len();
        let columns = self.merged_columns.len();
        for (i, row) in self.cells.iter().enumerate() {
            if let Some(j) = (0..row.len()).find(|&j| !self.hidden[i][j] && small(row[j])) {
                return Err(format!("cell {i},{j} shows {}", row[j]));
            }
            if let Some(j) = skipped.filter(|&j| !self.hidden[i][j]) {
                let n = row.iter().sum::<u64>() - row[j];
                if small(n) {
                    return Err(format!("row {i} shows n = {n}"));
                }
            }
        }
        let lone = |cells: &mut dyn Iterator<Item = (u64, bool)>| {
            let line: Vec<(u64, bool)> = cells.collect();
            line.iter().any(|(count, _)| *count > 0) && line.iter().filter(|(_, hidden)| *hidden).count() == 1
        };
        // The totals of rows and columns that are not merged are shown; a one-row table is its
        // own column totals.
        let shown_rows = (0..rows).filter(|&i| !self.merged_rows[i]);
        if let Some(i) = shown_rows
            .clone()
            .find(|&i| lone(&mut (0..columns).map(|j| (self.cells[i][j], self.hidden[i][j]))))
        {
            return Err(format!("row {i} withholds one cell"));
        }
        // A row with no one in it and nothing withheld is known to be empty; any other row may
        // hold what a column withholds.
        let open_rows: Vec<usize> = (0..rows)
            .filter(|&i| self.cells[i].iter().any(|&c| c > 0) || self.hidden[i].contains(&true))
            .collect();
        let mut shown_columns = (0..columns).filter(|&j| rows > 1 && !self.merged_columns[j]);
        match shown_columns.find(|&j| {
            let mut line = open_rows.iter().map(|&i| (self.cells[i][j], self.hidden[i][j]));
            lone(&mut line)
        }) {
            Some(j) => Err(format!("column {j} withholds one cell")),
            None => Ok(()),
        }
    }

    /// Withholds everything: what a pattern that fails its audit falls back to.
    pub fn withhold_all(&mut self) {
        self.hidden
            .iter_mut()
            .chain(&mut self.withheld)
            .flatten()
            .for_each(|h| *h = true);
    }

    /// Withholds every cell of row `i`.
    pub fn withhold_row(&mut self, i: usize) {
        self.hidden[i]
            .iter_mut()
            .chain(&mut self.withheld[i])
            .for_each(|h| *h = true);
    }

    /// The coarser table whose merged rows and columns are each one category: its cells are the
    /// sums of theirs, withheld where any part of them is. In a union of partitions a merged
    /// category is one merged in any of them, so a cell of it is shown only where every partition
    /// shows all of its parts.
    pub fn coarse(&self) -> Coarse {
        let row_of = coarse_index(&self.merged_rows);
        let column_of = coarse_index(&self.merged_columns);
        let rows = row_of.iter().max().map_or(0, |m| m + 1);
        let columns = column_of.iter().max().map_or(0, |m| m + 1);
        let mut cells = vec![vec![0u64; columns]; rows];
        let mut withheld = vec![vec![false; columns]; rows];
        for (i, row) in self.cells.iter().enumerate() {
            for (j, &count) in row.iter().enumerate() {
                cells[row_of[i]][column_of[j]] += count;
                withheld[row_of[i]][column_of[j]] |= self.withheld[i][j];
            }
        }
        let tab = Tab {
            cells,
            hidden: withheld.clone(),
            merged_rows: vec![false; rows],
            merged_columns: vec![false; columns],
            withheld,
        };
        Coarse { tab, row_of, column_of }
    }
}

pub(super) fn or_into(flags: &mut [bool], other: &[bool]) {
    flags.iter_mut().zip(other).for_each(|(flag, add)| *flag |= add);
}

fn transpose<T: Copy>(grid: &[Vec<T>], empty: T) -> Vec<Vec<T>> {
    let width = grid.first().map_or(0, Vec::len);
    (0..width)
        .map(|j| grid.iter().map(|row| row.get(j).copied().unwrap_or(empty)).collect())
        .collect()
}

/// The categories of one variable to merge away in a partition, from their sizes: every one
/// with 1 to `min_cell - 1` people, then the smallest of the others until the merged total
/// leaves each merged category a range of `min_cell`. Zeros are shown and a category is listed
/// whether or not anyone is in it, so each merged category is known to hold someone: `k` of them
/// sharing `total` people each lie in `1..=total - k + 1`, so `total` must reach
/// `min_cell + k` (four merged age bands of five people would each be known to hold one or
/// two). Merging the empty categories too would say nothing of them, but a category empty in
/// one partition would then be withheld in every release that sums it with another.
pub fn merged_categories(sizes: &[u64], min_cell: u64) -> Vec<bool> {
    let small = |size: u64| size > 0 && size < min_cell;
    let mut merged: Vec<bool> = sizes.iter().map(|&size| small(size)).collect();
    loop {
        let (total, count) = sizes
            .iter()
            .zip(&merged)
            .filter(|(_, &m)| m)
            .fold((0, 0), |(t, k), (s, _)| (t + s, k + 1));
        if count == 0 || total >= min_cell + count {
            return merged;
        }
        let next = (0..sizes.len())
            .filter(|&i| !merged[i] && sizes[i] > 0)
            .min_by_key(|&i| (sizes[i], i));
        match next {
            Some(i) => merged[i] = true,
            None => {
                // Every category with someone in it is merged and still too few: with the empty
                // ones merged too, none is known to hold anyone.
                for (flag, &size) in merged.iter_mut().zip(sizes) {
                    *flag |= size == 0;
                }
                return merged;
            }
        }
    }
}

/// Withholds the cells of a cross-table whose merged rows and columns are known. The merged
/// rows (and columns) act as one category whose figures follow from the margins, so the table
/// is protected in that coarser form: each cell of 1 to `min_cell - 1` is withheld with the
/// other corners of one or more rectangles (see [`rectangles`]). Adding `d` to the cell and its
/// opposite corner and taking it from the two others keeps every row and column total, so the
/// published figures cannot tell the cell from one `d` larger or smaller. Where no rectangles
/// give a range of `min_cell`, every cell is withheld, which leaves each cell a range of at
/// least `min_cell` given margins that are each zero or at least `min_cell`.
///
/// `skipped` names the column (and, for a table also shown transposed, the row) of those who
/// skipped the question: a row's respondents to it (its total less that cell) are shown as its
/// `n`, so where they are fewer than `min_cell` that cell is withheld too.
pub fn protect(
    cells: &[Vec<u64>],
    merged_rows: &[bool],
    merged_columns: &[bool],
    skipped: Skipped,
    min_cell: u64,
) -> Tab {
    let unprotected = Tab {
        cells: cells.to_vec(),
        hidden: Vec::new(),
        merged_rows: merged_rows.to_vec(),
        merged_columns: merged_columns.to_vec(),
        withheld: cells.iter().map(|row| vec![false; row.len()]).collect(),
    };
    let Coarse {
        tab: Tab {
            cells: coarse,
            mut withheld,
            ..
        },
        row_of,
        column_of,
    } = unprotected.coarse();
    let (rows, columns) = (coarse.len(), coarse.first().map_or(0, Vec::len));
    let small = |count: u64| count > 0 && count < min_cell;
    let mut primaries: Vec<(usize, usize)> = (0..rows)
        .flat_map(|r| (0..columns).map(move |c| (r, c)))
        .filter(|&(r, c)| small(coarse[r][c]))
        .collect();
    if let Some(skipped) = skipped.column.filter(|&j| !merged_columns[j]).map(|j| column_of[j]) {
        primaries.extend((0..rows).filter_map(|r| {
            let answered = coarse[r].iter().sum::<u64>() - coarse[r][skipped];
            (small(answered) && !small(coarse[r][skipped])).then_some((r, skipped))
        }));
    }
    if let Some(skipped) = skipped.row.filter(|&i| !merged_rows[i]).map(|i| row_of[i]) {
        primaries.extend((0..columns).filter_map(|c| {
            let answered = coarse.iter().map(|row| row[c]).sum::<u64>() - coarse[skipped][c];
            (small(answered) && !small(coarse[skipped][c])).then_some((skipped, c))
        }));
    }
    for (r, c) in primaries {
        withheld[r][c] = true;
        match rectangles(&coarse, &withheld, (r, c), min_cell) {
            Some(corners) => corners.into_iter().for_each(|(a, b)| withheld[a][b] = true),
            None => {
                withheld.iter_mut().flatten().for_each(|cell| *cell = true);
                break;
            }
        }
    }
    let expanded: Vec<Vec<bool>> = cells
        .iter()
        .enumerate()
        .map(|(i, row)| (0..row.len()).map(|j| withheld[row_of[i]][column_of[j]]).collect())
        .collect();
    let hidden = expanded
        .iter()
        .enumerate()
        .map(|(i, row)| {
            row.iter()
                .enumerate()
                .map(|(j, &withheld)| merged_rows[i] || merged_columns[j] || withheld)
                .collect()
        })
        .collect();
    Tab {
        cells: cells.to_vec(),
        hidden,
        merged_rows: merged_rows.to_vec(),
        merged_columns: merged_columns.to_vec(),
        withheld: expanded,
    }
}

/// Corners of rectangles around cell `p` that leave it a range of at least `min_cell`: with
/// rectangles whose other corners are all distinct, the cell can rise by the sum over them of
/// the smaller neighbouring corner and fall to zero, or by the sum of the opposite corners. One
/// rectangle is preferred (the one that withholds fewest new cells, then the fewest people),
/// then several.
fn rectangles(
    coarse: &[Vec<u64>],
    withheld: &[Vec<bool>],
    (r, c): (usize, usize),
    min_cell: u64,
) -> Option<Vec<(usize, usize)>> {
    let x = coarse[r][c];
    let range = |chosen: &[(usize, usize)]| {
        let up: u64 = chosen.iter().map(|&(r2, c2)| coarse[r2][c].min(coarse[r][c2])).sum();
        let down: u64 = chosen.iter().map(|&(r2, c2)| coarse[r2][c2]).sum();
        up + x.min(down)
    };
    let corners = |chosen: &[(usize, usize)]| -> Vec<(usize, usize)> {
        chosen
            .iter()
            .flat_map(|&(r2, c2)| [(r2, c), (r, c2), (r2, c2)])
            .collect()
    };
    let other_rows = (0..coarse.len()).filter(|&r2| r2 != r);
    let other_columns = || (0..coarse[r].len()).filter(|&c2| c2 != c);
    let single = other_rows
        .clone()
        .flat_map(|r2| other_columns().map(move |c2| (r2, c2)))
        .filter(|&pair| range(&[pair]) >= min_cell)
        .min_by_key(|&pair| {
            let new: Vec<u64> = corners(&[pair])
                .into_iter()
                .filter(|&(a, b)| !withheld[a][b])
                .map(|(a, b)| coarse[a][b])
                .collect();
            (new.len(), new.iter().sum::<u64>(), pair)
        });
    if let Some(pair) = single {
        return Some(corners(&[pair]));
    }
    let mut rows: Vec<usize> = other_rows.collect();
    rows.sort_by_key(|&r2| (std::cmp::Reverse(coarse[r2][c]), r2));
    let mut columns: Vec<usize> = other_columns().collect();
    columns.sort_by_key(|&c2| (std::cmp::Reverse(coarse[r][c2]), c2));
    let mut chosen = Vec::new();
    for pair in rows.iter().copied().zip(columns.iter().copied()) {
        if coarse[pair.0][c].min(coarse[r][pair.1]) == 0 {
            break;
        }
        chosen.push(pair);
        if range(&chosen) >= min_cell {
            return Some(corners(&chosen));
        }
    }
    block(coarse, (r, c), &rows, &columns, min_cell)
}

/// The smallest block of other rows `S` and other columns `T` (the rows with most people in the
/// cell's column first, the columns with most in its row) whose cells, withheld with the cell's
/// own in `S` and `T`, leave it a range of `min_cell`: where the small figures of a column are
/// spread over many rows, no set of rectangles with distinct corners does. People can move
/// between the cell and the block through its row and column without changing any total: the
/// cell can rise by the smaller of the people in `S` in its column and in `T` in its row, and
/// fall by the people in the block, to zero.
fn block(
    coarse: &[Vec<u64>],
    (r, c): (usize, usize),
    rows: &[usize],
    columns: &[usize],
    min_cell: u64,
) -> Option<Vec<(usize, usize)>> {
    let x = coarse[r][c];
    let range = |rows: &[usize], columns: &[usize]| {
        let column_side: u64 = rows.iter().map(|&s| coarse[s][c]).sum();
        let row_side: u64 = columns.iter().map(|&t| coarse[r][t]).sum();
        let inside: u64 = rows
            .iter()
            .flat_map(|&s| columns.iter().map(move |&t| coarse[s][t]))
            .sum();
        column_side.min(row_side) + x.min(inside)
    };
    let sizes = (1..=rows.len()).flat_map(|s| (1..=columns.len()).map(move |t| (s, t)));
    let (s, t) = sizes
        .filter(|&(s, t)| range(&rows[..s], &columns[..t]) >= min_cell)
        .min_by_key(|&(s, t)| (s + t + s * t, s))?;
    let (rows, columns) = (&rows[..s], &columns[..t]);
    let mut corners: Vec<(usize, usize)> = rows.iter().map(|&s| (s, c)).collect();
    corners.extend(columns.iter().map(|&t| (r, t)));
    corners.extend(rows.iter().flat_map(|&s| columns.iter().map(move |&t| (s, t))));
    Some(corners)
}

/// Where the "skipped the question" categories of a table are, if its figures include the
/// number who answered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Skipped {
    pub row: Option<usize>,
    pub column: Option<usize>,
}

/// Each category's index in the coarser table where all merged ones are one category (last).
fn coarse_index(merged: &[bool]) -> Vec<usize> {
    let shown = merged.iter().filter(|&&m| !m).count();
    let mut next = 0;
    merged
        .iter()
        .map(|&m| {
            if m {
                shown
            } else {
                next += 1;
                next - 1
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_categories_merge_until_they_hide_at_least_min_cell_people() {
        assert_eq!(merged_categories(&[40, 3, 0, 20], 5), [false, true, false, true]);
        assert_eq!(merged_categories(&[40, 3, 4, 20], 5), [false, true, true, false]);
        assert_eq!(merged_categories(&[40, 2, 3, 20], 5), [false, true, true, true]);
        assert_eq!(merged_categories(&[40, 3, 6, 20], 5), [false, true, true, false]);
        assert_eq!(merged_categories(&[40, 0, 20], 5), [false, false, false]);
        assert_eq!(merged_categories(&[2, 1], 5), [true, true]);
        // Six people in two categories would each be known to be one to five: the empty
        // category is merged with them.
        assert_eq!(merged_categories(&[1, 5, 0], 5), [true, true, true]);
        // The tester's seminar: four age bands of five people in all, each known to hold
        // someone, would each lie in 1..=2; with the twenties (8) they lie in 1..=9.
        assert_eq!(
            merged_categories(&[1, 8, 24, 27, 39, 17, 1, 2, 1, 0], 5),
            [true, true, false, false, false, false, true, true, true, false]
        );
    }

    #[test]
    fn a_small_cell_is_hidden_with_a_rectangle_that_keeps_every_total() {
        let cells = vec![vec![2, 10, 9], vec![12, 30, 1], vec![20, 20, 20]];
        let tab = protect(&cells, &[false; 3], &[false; 3], Skipped::default(), 5);
        for row in 0..3 {
            let hidden = (0..3).filter(|&j| tab.hidden[row][j]).count();
            assert_ne!(hidden, 1, "row {row}: a lone hidden cell is the total minus the others");
        }
        for column in 0..3 {
            let hidden = (0..3).filter(|&i| tab.hidden[i][column]).count();
            assert_ne!(hidden, 1, "column {column}");
        }
        assert!(tab.hidden[0][0] && tab.hidden[1][2]);
    }

    #[test]
    fn the_audit_refuses_small_shown_cells_and_lone_withheld_ones() {
        let mut tab = Tab::margin(vec![3, 10], vec![false, false]);
        assert!(tab.audit(None, 5).is_err());
        tab.hidden[0][0] = true;
        assert!(tab.audit(None, 5).unwrap_err().contains("withholds one"));
        tab.withhold_all();
        assert_eq!(tab.audit(None, 5), Ok(()));
        // A withheld row of zeros may hold what the column withholds; a shown one may not.
        let mut two_rows = Tab::margin(vec![20, 0], vec![false, false]).transposed();
        two_rows.hidden = vec![vec![true], vec![true]];
        two_rows.merged_rows = vec![true, true];
        assert_eq!(two_rows.audit(None, 5), Ok(()));
        two_rows.hidden[1][0] = false;
        assert!(two_rows.audit(None, 5).unwrap_err().contains("column 0"));
        let n_of_four = Tab::margin(vec![2, 2, 30], vec![true, true, false]);
        assert!(n_of_four.audit(Some(2), 5).unwrap_err().contains("n = 4"));
    }

    #[test]
    fn without_a_rectangle_the_whole_table_is_hidden() {
        let cells = vec![vec![2, 3], vec![3, 2]];
        let tab = protect(&cells, &[false; 2], &[false; 2], Skipped::default(), 5);
        assert!(tab.hidden.iter().flatten().all(|&h| h));
    }

    #[test]
    fn small_figures_spread_over_many_groups_are_hidden_with_a_block_not_the_whole_table() {
        // Those who ticked an option, and those who answered without ticking it, by group: no
        // rectangle leaves the first group's one person a range of five, a block of three
        // groups does (it can rise by the four others' ticks, fall to zero).
        let cells = vec![vec![1, 20], vec![2, 29], vec![2, 26], vec![1, 9], vec![0, 12]];
        let tab = protect(&cells, &[false; 5], &[false; 2], Skipped::default(), 5);
        assert!(
            !tab.hidden[4].contains(&true),
            "a group without small figures: {:?}",
            tab.hidden
        );
        assert_eq!(tab.audit(None, 5), Ok(()));
        let (mut lowest, mut highest) = (u64::MAX, 0);
        // Every table with the shown figures and the same totals, by brute force over the
        // withheld cells of the first column (the second follows from the rows).
        let hidden_rows: Vec<usize> = (0..5).filter(|&i| tab.hidden[i][0]).collect();
        let column_total: u64 = hidden_rows.iter().map(|&i| cells[i][0]).sum();
        let mut values = vec![0u64; hidden_rows.len()];
        loop {
            let fits = values.iter().sum::<u64>() == column_total
                && hidden_rows
                    .iter()
                    .zip(&values)
                    .all(|(&i, &v)| v <= cells[i][0] + cells[i][1]);
            if fits {
                lowest = lowest.min(values[0]);
                highest = highest.max(values[0]);
            }
            let Some(k) = (0..values.len()).find(|&k| values[k] < column_total) else {
                break;
            };
            values[k] += 1;
            values[..k].iter_mut().for_each(|v| *v = 0);
        }
        assert!(
            highest - lowest + 1 >= 5,
            "the first group's one lies in {lowest}..={highest}"
        );
    }

    #[test]
    fn a_few_respondents_among_many_who_skipped_are_not_shown_as_n() {
        let cells = vec![vec![0, 3, 20], vec![10, 10, 5], vec![12, 9, 6]];
        let tab = protect(
            &cells,
            &[false; 3],
            &[false; 3],
            Skipped {
                row: None,
                column: Some(2),
            },
            5,
        );
        assert!(tab.hidden[0][2], "n of the first row would be 3");
    }

    #[test]
    fn merged_rows_are_hidden_and_tables_combine() {
        let mut tab = protect(
            &[vec![10, 10], vec![5, 6]],
            &[false, true],
            &[false, false],
            Skipped::default(),
            5,
        );
        assert_eq!(tab.hidden, [[false, false], [true, true]]);
        let other = Tab::margin(vec![5, 5], vec![false, false]);
        let mut one_row = Tab::margin(vec![1, 1], vec![true, true]);
        one_row.absorb(&other);
        assert_eq!(one_row.cells, [[6, 6]]);
        assert_eq!(one_row.hidden, [[true, true]], "whatever either withholds");
        tab = tab.transposed();
        assert_eq!(tab.cells, [[10, 5], [10, 6]]);
        assert_eq!(tab.merged_columns, [false, true]);
    }
}
