//! What a protected table shows: the groups and cells of a released table from its pattern,
//! figures only where they are shown, statistics only where the shown counts determine them.

use std::collections::BTreeMap;

use super::protect::{Coarse, Tab};
use super::{TermCell, TermGroup, TermRelease, TermShare, Ticks};
use crate::breakdown::{percentages, Breakdown, Cell, Counts, Group, Merged, MergedGroup, Moments, TestBasis};
use crate::spec::{Choice, Label, QuestionType, Variable};
use crate::stats::{independence_test, IndependenceTest};
use crate::terms::MergedTermGroup;

/// Per option, a test of ticking it by group over released `groups` (cells of a multi-choice or
/// theme table), among the groups whose `n` and count of that option are shown (two at least):
/// it follows from what is shown, so it adds nothing to it.
pub fn ticked_tests(options: &[Choice], groups: &[&Cell]) -> BTreeMap<String, IndependenceTest> {
    options
        .iter()
        .filter_map(|option| {
            let rows: Vec<Vec<u64>> = groups
                .iter()
                .filter_map(|cell| {
                    let n = cell.n?;
                    let ticked = (*cell.counts.as_ref()?.get(&option.value)?)?;
                    Some(vec![ticked, n.checked_sub(ticked)?])
                })
                .collect();
            let test = (rows.len() >= 2).then(|| independence_test(&rows)).flatten()?;
            Some((option.value.clone(), test))
        })
        .collect()
}

type Labels = BTreeMap<String, Label>;

/// The groups of a table by `by` (none for a total), each made by `group` from its row, key and
/// labels: every category of the attribute and those who did not answer it, whether or not
/// anyone is in them, so that which groups are listed says nothing about the data.
fn listed<T>(
    tab: &Tab,
    by: Option<&Variable>,
    group: impl Fn(usize, BTreeMap<String, Option<String>>, Labels) -> T,
) -> Vec<T> {
    let Some(attribute) = by else {
        return Vec::new();
    };
    (0..tab.cells.len())
        .map(|i| {
            let value = attribute.options.get(i).map(|o| o.value.clone());
            let labels = BTreeMap::from([(attribute.id.clone(), attribute.label_of(value.as_deref()))]);
            group(i, BTreeMap::from([(attribute.id.clone(), value)]), labels)
        })
        .collect()
}

fn withheld_cell(question: &Variable) -> Cell {
    Cell {
        n: None,
        counts: None,
        percentages: None,
        moments: question.kind.is_numeric().then(Moments::withheld),
        only: None,
        merged_count: None,
        suppressed: true,
    }
}

/// A group's figures from its shown counts (and its count in the merged options, if any);
/// moments only where the shown counts add up to `n`, so that they follow from what is shown.
fn shown_cell(question: &Variable, n: Option<u64>, counts: Vec<Option<u64>>, merged_count: Option<u64>) -> Cell {
    if n.is_none() && merged_count.is_none() && counts.iter().all(Option::is_none) {
        return withheld_cell(question);
    }
    let values: Counts = question
        .options
        .iter()
        .zip(&counts)
        .map(|(o, c)| (o.value.clone(), *c))
        .collect();
    let shown_sum: u64 = counts.iter().flatten().sum();
    let determined = n.filter(|&n| n == shown_sum && n > 0);
    let moments = question.kind.is_numeric().then(|| match determined {
        Some(n) => moments_of(question, &counts, n),
        None => Moments::withheld(),
    });
    Cell {
        n,
        percentages: Some(percentages(&values, n)),
        counts: Some(values),
        moments,
        only: None,
        merged_count,
        suppressed: false,
    }
}

fn moments_of(question: &Variable, counts: &[Option<u64>], n: u64) -> Moments {
    let points: Vec<(f64, f64)> = question
        .options
        .iter()
        .zip(counts)
        .filter_map(|(o, c)| Some((o.value.parse::<f64>().ok()?, c.unwrap_or(0) as f64)))
        .collect();
    let total = n as f64;
    let mean = points.iter().map(|(x, c)| x * c).sum::<f64>() / total;
    let sd = (n > 1).then(|| (points.iter().map(|(x, c)| c * (x - mean).powi(2)).sum::<f64>() / (total - 1.0)).sqrt());
    Moments::of(question, Some(mean), sd, n)
}

fn breakdown_of(
    question: &Variable,
    by: Option<&Variable>,
    (groups, merged): (Vec<Group>, Option<Merged>),
    total: Cell,
    tab: &Tab,
) -> Breakdown {
    let tested = match (by, question.kind) {
        (Some(by), QuestionType::SingleChoice | QuestionType::Scale) => shown_test(question, by, tab),
        _ => None,
    };
    let (test, test_rests_on) = tested.unzip();
    Breakdown {
        question: question.id.clone(),
        question_label: question.label.clone(),
        question_type: question.kind,
        options: question.options.clone(),
        by: by.map(|a| vec![a.id.clone()]).unwrap_or_default(),
        n: total.n,
        groups,
        total,
        test,
        test_rests_on,
        merged,
    }
}

/// A test of independence on the largest block of a table whose counts are all shown: the
/// options no group withholds, and the groups that withhold none of them (the option most groups
/// withhold is left out until two groups remain). It follows from shown counts alone, so it adds
/// nothing to them; where nothing is withheld it is the whole table's test.
fn shown_test(question: &Variable, by: &Variable, tab: &Tab) -> Option<(IndependenceTest, TestBasis)> {
    let open_rows = || (0..tab.cells.len()).filter(|&i| !tab.merged_rows[i]);
    let mut columns: Vec<usize> = (0..question.options.len())
        .filter(|&j| !tab.merged_columns[j])
        .collect();
    loop {
        let rows: Vec<usize> = open_rows()
            .filter(|&i| columns.iter().all(|&j| !tab.hidden[i][j]))
            .collect();
        if rows.len() >= 2 && columns.len() >= 2 {
            let table: Vec<Vec<u64>> = rows
                .iter()
                .map(|&i| columns.iter().map(|&j| tab.cells[i][j]).collect())
                .collect();
            let basis = TestBasis {
                groups: rows
                    .iter()
                    .map(|&i| by.options.get(i).map(|o| o.value.clone()))
                    .collect(),
                options: columns.iter().map(|&j| question.options[j].value.clone()).collect(),
            };
            return Some((independence_test(&table)?, basis));
        }
        if columns.len() <= 2 {
            return None;
        }
        let withheld_by = |j: usize| open_rows().filter(|&i| tab.hidden[i][j]).count();
        let worst = columns.iter().copied().max_by_key(|&j| (withheld_by(j), j))?;
        columns.retain(|&j| j != worst);
    }
}

/// A single-choice or scale question's table from its combined cross-table (rows: the
/// attribute's categories, or everyone; columns: the options, then no answer). Merged categories
/// are shown together: each group's count in the merged options, and the merged groups as one
/// group, where the pattern withholds no part of them.
pub(super) fn categorical_table(question: &Variable, by: Option<&Variable>, tab: &Tab, min_cell: u64) -> Breakdown {
    let none = question.options.len();
    let Coarse {
        tab: coarse,
        row_of,
        column_of,
    } = shown_together(tab, none, min_cell);
    let merged_options: Vec<usize> = (0..=none).filter(|&j| tab.merged_columns[j]).collect();
    let merged_rows: Vec<usize> = (0..tab.cells.len()).filter(|&i| tab.merged_rows[i]).collect();
    let cell_of = |r: usize| {
        let row = &coarse.cells[r];
        let shown = |j: usize| (!tab.merged_columns[j] && !coarse.hidden[r][column_of[j]]).then_some(row[column_of[j]]);
        let n = shown(none).map(|skipped| row.iter().sum::<u64>() - skipped);
        let merged_count = merged_options
            .first()
            .filter(|&&j| !coarse.hidden[r][column_of[j]])
            .map(|&j| row[column_of[j]]);
        shown_cell(question, n, (0..none).map(shown).collect(), merged_count)
    };
    let groups = listed(tab, by, |i, key, labels| Group {
        key,
        labels,
        cell: if tab.merged_rows[i] {
            withheld_cell(question)
        } else {
            cell_of(row_of[i])
        },
    });
    let group = by.zip(merged_rows.first()).map(|(attribute, &first)| {
        let (values, labels) = merged_values(attribute, &tab.merged_rows);
        MergedGroup {
            labels,
            values,
            cell: cell_of(row_of[first]),
        }
    });
    let merged = (!merged_options.is_empty() || group.is_some()).then(|| Merged {
        options: merged_options
            .iter()
            .map(|&j| question.options.get(j).map(|o| o.value.clone()))
            .collect(),
        group,
    });
    let total = if by.is_none() {
        cell_of(0)
    } else {
        total_of_columns(question, tab, min_cell)
    };
    breakdown_of(question, by, (groups, merged), total, tab)
}

/// The values of `attribute` merged away (`None`: those who did not answer it), with their labels.
fn merged_values(attribute: &Variable, merged: &[bool]) -> (Vec<Option<String>>, Vec<Label>) {
    let values: Vec<Option<String>> = (0..merged.len())
        .filter(|&i| merged[i])
        .map(|i| attribute.options.get(i).map(|o| o.value.clone()))
        .collect();
    let labels = values.iter().map(|v| attribute.label_of(v.as_deref())).collect();
    (values, labels)
}

/// The table with its merged categories each made one, as it may be shown: the coarser table the
/// pattern protects, with the cells that follow from its totals shown, audited as such; where
/// that audit fails, the table as it is, its merged categories shown nowhere (a cell that
/// follows from the totals may follow only through the merged figures then withheld).
fn shown_together(tab: &Tab, skipped: usize, min_cell: u64) -> Coarse {
    let mut coarse = tab.coarse();
    show_what_follows(&mut coarse.tab.hidden);
    let skipped = (!tab.merged_columns[skipped]).then_some(coarse.column_of[skipped]);
    if coarse.tab.audit(skipped, min_cell).is_err() {
        coarse = tab.coarse();
        if tab.merged_rows.contains(&true) {
            coarse
                .tab
                .hidden
                .last_mut()
                .into_iter()
                .flatten()
                .for_each(|h| *h = true);
        }
        if tab.merged_columns.contains(&true) {
            coarse
                .tab
                .hidden
                .iter_mut()
                .filter_map(|row| row.last_mut())
                .for_each(|h| *h = true);
        }
    }
    coarse
}

/// Shows every withheld cell that is the only one withheld in its row or column: the totals of
/// a coarse table's rows and columns are all known (its merged ones are the whole less the
/// others), so such a cell is known already. In a union of partitions a merged category's cell
/// is withheld wherever one partition withholds a part of it, though the parts withheld in each
/// partition may add up to what its totals give away.
fn show_what_follows(hidden: &mut [Vec<bool>]) {
    let columns = hidden.first().map_or(0, Vec::len);
    loop {
        let lone_in_row = (0..hidden.len()).find_map(|i| {
            let withheld: Vec<usize> = (0..columns).filter(|&j| hidden[i][j]).collect();
            (withheld.len() == 1).then(|| (i, withheld[0]))
        });
        let lone_in_column = || {
            (0..columns).find_map(|j| {
                let withheld: Vec<usize> = (0..hidden.len()).filter(|&i| hidden[i][j]).collect();
                (withheld.len() == 1).then(|| (withheld[0], j))
            })
        };
        match lone_in_row.or_else(lone_in_column) {
            Some((i, j)) => hidden[i][j] = false,
            None => return,
        }
    }
}

/// The total row of a cross-table: its column totals, which are the question's own margins and
/// withheld only where a category is merged.
fn total_of_columns(question: &Variable, tab: &Tab, min_cell: u64) -> Cell {
    let columns = tab.merged_columns.len();
    let sums: Vec<u64> = (0..columns).map(|j| tab.cells.iter().map(|row| row[j]).sum()).collect();
    categorical_table(question, None, &Tab::margin(sums, tab.merged_columns.clone()), min_cell).total
}

/// A multi-choice question's table from its answered and ticked tables; the groups merged away
/// shown as one where their sums are.
pub(super) fn choices_table(question: &Variable, by: Option<&Variable>, ticks: &Ticks, min_cell: u64) -> Breakdown {
    let cell_of = |i: usize| {
        if ticks.answered.merged_rows[i] {
            return withheld_cell(question);
        }
        let n = (!ticks.answered.hidden[i][0]).then_some(ticks.answered.cells[i][0]);
        let counts = ticks
            .values
            .iter()
            .map(|tab| (!tab.hidden[i][0]).then_some(tab.cells[i][0]))
            .collect();
        shown_cell(question, n, counts, None)
    };
    let groups = listed(&ticks.answered, by, |i, key, labels| Group {
        key,
        labels,
        cell: cell_of(i),
    });
    let total = match by {
        None => cell_of(0),
        Some(_) => withheld_cell(question),
    };
    let merged = by
        .and_then(|attribute| merged_ticks(question, attribute, ticks, min_cell))
        .map(|group| Merged {
            options: Vec::new(),
            group: Some(group),
        });
    breakdown_of(question, by, (groups, merged), total, &ticks.answered)
}

/// The groups merged away in a ticked table as one: their values and labels, their `n` and each
/// value's ticks, each shown where the cell of the coarser table holding them is withheld in no
/// partition (the protected form of each table; a group's `n` and ticks are not known where `n`
/// is withheld, so nothing is inferred from rows).
struct MergedSums {
    values: Vec<Option<String>>,
    labels: Vec<Label>,
    n: Option<u64>,
    ticks: Vec<Option<u64>>,
}

fn merged_sums(attribute: &Variable, ticks: &Ticks, min_cell: u64) -> Option<MergedSums> {
    let merged_rows = &ticks.answered.merged_rows;
    let first = merged_rows.iter().position(|&m| m)?;
    let block = |tab: &Tab| {
        let mut tab = tab.clone();
        tab.merged_rows.clone_from(merged_rows);
        let coarse = tab.coarse();
        let (row, shown) = (coarse.row_of[first], !tab.merged_columns[0]);
        let count = coarse.tab.cells[row][0];
        (shown && !coarse.tab.hidden[row][0] && (count == 0 || count >= min_cell)).then_some(count)
    };
    let (values, labels) = merged_values(attribute, merged_rows);
    Some(MergedSums {
        labels,
        values,
        n: block(&ticks.answered),
        ticks: ticks.values.iter().map(block).collect(),
    })
}

fn merged_ticks(question: &Variable, attribute: &Variable, ticks: &Ticks, min_cell: u64) -> Option<MergedGroup> {
    let sums = merged_sums(attribute, ticks, min_cell)?;
    Some(MergedGroup {
        cell: shown_cell(question, sums.n, sums.ticks, None),
        values: sums.values,
        labels: sums.labels,
    })
}

fn withheld_terms() -> TermCell {
    TermCell {
        comments: None,
        terms: None,
        suppressed: true,
    }
}

/// A group's term cell from its comments and each vocabulary term's count, where shown: the
/// terms shown and used, most used first.
fn term_cell(vocabulary: &[String], comments: Option<u64>, counts: &[Option<u64>]) -> TermCell {
    let mut terms: Vec<TermShare> = vocabulary
        .iter()
        .zip(counts)
        .filter_map(|(term, count)| Some((term, (*count).filter(|&c| c > 0)?)))
        .map(|(term, count)| TermShare {
            term: term.clone(),
            comments: count,
            share: comments.filter(|&c| c > 0).map(|c| count as f64 * 100.0 / c as f64),
        })
        .collect();
    terms.sort_by(|a, b| b.comments.cmp(&a.comments).then_with(|| a.term.cmp(&b.term)));
    let suppressed = comments.is_none() && terms.is_empty();
    TermCell {
        suppressed,
        comments,
        terms: (!suppressed).then_some(terms),
    }
}

pub(super) fn term_release(by: Option<&Variable>, vocabulary: &[String], ticks: &Ticks, min_cell: u64) -> TermRelease {
    let cell_of = |i: usize| {
        if ticks.answered.merged_rows[i] {
            return withheld_terms();
        }
        let comments = (!ticks.answered.hidden[i][0]).then_some(ticks.answered.cells[i][0]);
        let counts: Vec<Option<u64>> = ticks
            .values
            .iter()
            .map(|tab| (!tab.hidden[i][0]).then_some(tab.cells[i][0]))
            .collect();
        term_cell(vocabulary, comments, &counts)
    };
    let groups = listed(&ticks.answered, by, |i, key, labels| TermGroup {
        key,
        labels,
        cell: cell_of(i),
    });
    let total = match by {
        None => cell_of(0),
        Some(_) => withheld_terms(),
    };
    let merged_group = by
        .and_then(|attribute| merged_sums(attribute, ticks, min_cell))
        .map(|sums| MergedTermGroup {
            cell: term_cell(vocabulary, sums.n, &sums.ticks),
            values: sums.values,
            labels: sums.labels,
        });
    TermRelease {
        by: by.map(|a| vec![a.id.clone()]).unwrap_or_default(),
        comments: total.comments,
        groups,
        total,
        merged_group,
    }
}

#[cfg(test)]
mod tests {
    use super::{categorical_table, shown_test, Tab, TestBasis};
    use crate::spec::{QuestionType, Variable};
    use crate::stats::independence_test;

    #[test]
    fn a_test_rests_on_the_groups_and_options_whose_counts_are_all_shown() {
        let question = Variable::unlabelled("satisfaction", QuestionType::Scale, &["1", "2", "3"]);
        let by = Variable::unlabelled("gender", QuestionType::SingleChoice, &["female", "male"]);
        // Columns: the three points, then no answer; rows: women, men, no gender given.
        let cells = vec![vec![20, 10, 2, 0], vec![15, 12, 30, 1], vec![1, 0, 9, 0]];
        let mut hidden = vec![vec![false; 4]; 3];
        hidden[2] = vec![true; 4];
        (hidden[0][2], hidden[1][2]) = (true, true);
        let tab = Tab {
            cells,
            withheld: hidden.clone(),
            hidden,
            merged_rows: vec![false, false, true],
            merged_columns: vec![false; 4],
        };
        let (test, basis) = shown_test(&question, &by, &tab).unwrap();
        assert_eq!(
            basis,
            TestBasis {
                groups: vec![Some("female".into()), Some("male".into())],
                options: vec!["1".into(), "2".into()],
            }
        );
        assert_eq!(Some(test), independence_test(&[vec![20, 10], vec![15, 12]]));
        // Where every group withholds a different option, no two groups share two shown ones.
        let mut scattered = tab.clone();
        scattered.hidden = vec![
            vec![true, false, false, false],
            vec![false, true, false, false],
            vec![true; 4],
        ];
        (scattered.hidden[0][2], scattered.hidden[1][2]) = (false, true);
        assert!(shown_test(&question, &by, &scattered).is_none());
    }

    #[test]
    fn a_failed_audit_of_the_merged_figures_shows_the_table_as_it_is() {
        let question = Variable::unlabelled("satisfaction", QuestionType::Scale, &["1", "2", "3"]);
        let by = Variable::unlabelled("gender", QuestionType::SingleChoice, &["female", "male"]);
        // Men and those who gave no gender merged. Shown together, the merged groups' "2" would
        // be the only figure withheld in its row, then the women's "2" in its column, then the
        // women's two people in "1": the merged figures fail the audit, and the women's "1"
        // followed only through them.
        let cells = vec![vec![2, 10, 20, 0], vec![6, 1, 10, 0], vec![5, 3, 10, 0]];
        let mut withheld = vec![vec![false; 4]; 3];
        (withheld[0][0], withheld[0][1], withheld[1][1]) = (true, true, true);
        let merged_rows = vec![false, true, true];
        let hidden = (0..3)
            .map(|i| (0..4).map(|j| merged_rows[i] || withheld[i][j]).collect())
            .collect();
        let tab = Tab {
            cells,
            hidden,
            merged_rows,
            merged_columns: vec![false; 4],
            withheld,
        };
        let table = categorical_table(&question, Some(&by), &tab, 5);
        let women = &table.groups[0].cell;
        let counts = women.counts.as_ref().unwrap();
        assert_eq!((counts["1"], counts["2"], counts["3"]), (None, None, Some(20)));
        assert!(table.merged.unwrap().group.unwrap().cell.suppressed);
    }
}
