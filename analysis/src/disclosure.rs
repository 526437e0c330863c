//! Disclosure control for published tables: no figure may rest on fewer than `min_cell` people.

use crate::breakdown::{percentages, Breakdown, Cell, Counts, Moments};
use crate::spec::QuestionType;

/// Withholds every figure that rests on fewer than `min_cell` respondents:
/// - a group whose `n` is below it loses all its figures (`suppressed: true`); if that leaves a
///   single group hidden, it could be recovered as the total minus the others, so the next
///   smallest group is hidden too;
/// - inside a shown group, option counts from 1 to `min_cell - 1` are withheld, and for a
///   single-answer question (whose counts add up to `n`) a lone withheld count takes the next
///   smallest with it, for the same reason;
/// - the test of independence is dropped from any table where something was withheld, since it
///   is computed from the full table.
pub fn suppress(breakdown: &mut Breakdown, min_cell: u64) {
    if min_cell <= 1 {
        return;
    }
    let adds_up = matches!(
        breakdown.question_type,
        QuestionType::SingleChoice | QuestionType::Scale
    );
    let mut withheld = false;
    if breakdown.total.n.is_some_and(|n| n < min_cell) {
        hide(&mut breakdown.total);
        breakdown.groups.iter_mut().for_each(|group| hide(&mut group.cell));
        withheld = true;
    } else {
        let small: Vec<usize> = (0..breakdown.groups.len())
            .filter(|&i| breakdown.groups[i].cell.n.is_some_and(|n| n < min_cell))
            .collect();
        let mut hidden = small.clone();
        if small.len() == 1 {
            let next_smallest = (0..breakdown.groups.len())
                .filter(|i| !small.contains(i))
                .min_by_key(|&i| breakdown.groups[i].cell.n);
            hidden.extend(next_smallest);
        }
        for i in hidden {
            hide(&mut breakdown.groups[i].cell);
            withheld = true;
        }
        for cell in breakdown
            .groups
            .iter_mut()
            .map(|g| &mut g.cell)
            .chain([&mut breakdown.total])
        {
            withheld |= withhold_small_counts(cell, min_cell, adds_up);
        }
    }
    if withheld {
        breakdown.test = None;
    }
    breakdown.n = breakdown.total.n;
}

fn hide(cell: &mut Cell) {
    if cell.suppressed {
        return;
    }
    cell.n = None;
    cell.counts = None;
    cell.percentages = None;
    if cell.moments.is_some() {
        cell.moments = Some(Moments {
            mean: None,
            sd: None,
            ci95: None,
        });
    }
    if let Some(only) = cell.only.as_mut() {
        only.values_mut().for_each(|count| *count = None);
    }
    cell.suppressed = true;
}

/// Returns whether anything was withheld.
fn withhold_small_counts(cell: &mut Cell, min_cell: u64, adds_up: bool) -> bool {
    if cell.suppressed {
        return false;
    }
    let mut withheld = false;
    if let Some(counts) = cell.counts.as_mut() {
        let small = withhold(counts, min_cell);
        if adds_up && small == 1 {
            let next_smallest = counts
                .iter()
                .filter_map(|(value, count)| count.filter(|&c| c > 0).map(|c| (c, value.clone())))
                .min();
            if let Some((_, value)) = next_smallest {
                counts.insert(value, None);
            }
        }
        withheld |= small > 0;
        cell.percentages = Some(percentages(counts, cell.n));
    }
    if let Some(only) = cell.only.as_mut() {
        withheld |= withhold(only, min_cell) > 0;
    }
    withheld
}

/// Withholds counts from 1 to `min_cell - 1` (a zero reveals no one); returns how many.
fn withhold(counts: &mut Counts, min_cell: u64) -> usize {
    let mut withheld = 0;
    for count in counts.values_mut() {
        if count.is_some_and(|c| c > 0 && c < min_cell) {
            *count = None;
            withheld += 1;
        }
    }
    withheld
}
