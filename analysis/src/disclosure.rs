//! Disclosure control for published tables: no figure may rest on fewer than `min_cell` people.

use crate::breakdown::{percentages, Breakdown, Cell, Counts, Moments};
use crate::spec::QuestionType;
use crate::terms::{TermCell, TermTable};

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
        let sizes: Vec<Option<u64>> = breakdown.groups.iter().map(|g| g.cell.n).collect();
        for i in groups_to_hide(&sizes, min_cell) {
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

/// The groups whose size is below `min_cell`, and if that is a single group, the next smallest
/// too: one hidden group alone is the total minus the others.
pub(crate) fn groups_to_hide(sizes: &[Option<u64>], min_cell: u64) -> Vec<usize> {
    let small: Vec<usize> = (0..sizes.len())
        .filter(|&i| sizes[i].is_some_and(|n| n < min_cell))
        .collect();
    let mut hidden = small.clone();
    if small.len() == 1 {
        hidden.extend(
            (0..sizes.len())
                .filter(|i| !small.contains(i))
                .min_by_key(|&i| sizes[i]),
        );
    }
    hidden
}

fn hide(cell: &mut Cell) {
    if cell.suppressed {
        return;
    }
    cell.n = None;
    cell.counts = None;
    cell.percentages = None;
    if cell.moments.is_some() {
        cell.moments = Some(Moments::withheld());
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

/// Disclosure control for opinion term tables: groups with fewer than `min_cell` comments are
/// hidden (with the next smallest if only one is), and a term found in fewer than `min_cell`
/// comments of a group is not listed, since a rare word can point at the person who wrote it.
pub fn suppress_terms(table: &mut TermTable, min_cell: u64) {
    if min_cell <= 1 {
        return;
    }
    if table.total.comments.is_some_and(|n| n < min_cell) {
        hide_terms(&mut table.total);
        table.groups.iter_mut().for_each(|group| hide_terms(&mut group.cell));
    } else {
        let sizes: Vec<Option<u64>> = table.groups.iter().map(|g| g.cell.comments).collect();
        for i in groups_to_hide(&sizes, min_cell) {
            hide_terms(&mut table.groups[i].cell);
        }
    }
    for cell in table.groups.iter_mut().map(|g| &mut g.cell).chain([&mut table.total]) {
        if let Some(terms) = cell.terms.as_mut() {
            terms.retain(|term| term.comments >= min_cell);
        }
    }
    table.comments = table.total.comments;
}

fn hide_terms(cell: &mut TermCell) {
    cell.comments = None;
    cell.terms = None;
    cell.suppressed = true;
}
