//! The tables of a list column (a multi-choice question, a comment's terms or themes): who
//! answered, and each value as ticked or not among them, and which groups may show their ticks.

use super::protect::Tab;

/// Answered-or-not and the ticks of each value of a list column, as tables of one partition or
/// of a union of partitions.
#[derive(Clone)]
pub(super) struct Ticks {
    /// Columns: answered, not answered.
    pub answered: Tab,
    /// Per value; columns: ticked it, answered without ticking it.
    pub values: Vec<Tab>,
}

impl Ticks {
    pub fn absorb(&mut self, other: &Ticks) {
        self.answered.absorb(&other.answered);
        self.values
            .iter_mut()
            .zip(&other.values)
            .for_each(|(tab, add)| tab.absorb(add));
    }
}

/// The groups whose values a ticked table withholds, from each group's answered and not
/// answered counts and whether its `n` is withheld: those, unless only one group answered (its
/// values are then the total's, withheld as there), and never one answering group alone, whose
/// values would be the total's less the others' (the smallest other answering group joins it).
pub(super) fn withheld_groups(answered: &[Vec<u64>], n_withheld: &[bool]) -> Vec<usize> {
    let answering: Vec<usize> = (0..answered.len()).filter(|&i| answered[i][0] > 0).collect();
    if answering.len() < 2 {
        return Vec::new();
    }
    let mut withheld: Vec<usize> = (0..answered.len()).filter(|&i| n_withheld[i]).collect();
    if answering.iter().filter(|&&i| n_withheld[i]).count() == 1 {
        let partner = answering
            .iter()
            .copied()
            .filter(|&i| !n_withheld[i])
            .min_by_key(|&i| (answered[i][0], i));
        withheld.extend(partner);
    }
    withheld
}

/// The groups whose `n` may move (`n_moves`), each as those who answered, those who did not, its
/// largest tick count and its ticks in all: the groups merged away as one (each of them may hold anyone of it, and
/// only their sums follow from the shown figures), the others one by one.
pub(super) fn withheld_units(
    answered: &[Vec<u64>],
    ticks: &[Vec<u64>],
    values: usize,
    merged: &[bool],
    n_moves: &[bool],
) -> Vec<[u64; 4]> {
    let unit = |rows: &[usize]| {
        let sum = |of: &dyn Fn(usize) -> u64| rows.iter().map(|&i| of(i)).sum::<u64>();
        let top = (0..values).map(|v| sum(&|i| ticks[i][v])).max().unwrap_or(0);
        let all = sum(&|i| ticks[i][..values].iter().sum());
        [sum(&|i| answered[i][0]), sum(&|i| answered[i][1]), top, all]
    };
    let merged_rows: Vec<usize> = (0..answered.len()).filter(|&i| merged[i]).collect();
    let mut units: Vec<[u64; 4]> = (0..answered.len())
        .filter(|&i| n_moves[i] && !merged[i])
        .map(|i| unit(&[i]))
        .collect();
    if merged_rows.iter().any(|&i| n_moves[i]) {
        units.push(unit(&merged_rows));
    }
    units
}

/// Whether the groups whose `n` is withheld may show their ticks: a group's `n` is at least its
/// largest tick count and, where every answer ticks something, at most its ticks in all, so shown
/// ticks bound how far people can move between answering and not. People can move between the
/// withheld `units` (see [`withheld_units`]; withheld together, they keep every total) as far as
/// those bounds (with the true ticks, shown or not) and the non-answerers allow; each figure of
/// 1 to `min_cell - 1` people among them must keep a range of `min_cell` that way.
pub(super) fn n_stays_uncertain(units: &[[u64; 4]], min_cell: u64) -> bool {
    // How far a unit's `n` can fall, and rise.
    let fall = |[answering, _, top, _]: [u64; 4]| answering - top.min(answering);
    let rise = |[answering, silent, _, all]: [u64; 4]| silent.min(all.saturating_sub(answering));
    let small = |count: u64| count > 0 && count < min_cell;
    units.iter().enumerate().all(|(g, &unit)| {
        let others = || units.iter().enumerate().filter(move |(h, _)| *h != g).map(|(_, &u)| u);
        let (their_fall, their_rise): (u64, u64) = (others().map(fall).sum(), others().map(rise).sum());
        let [answering, silent, ..] = unit;
        // One more silent here is one fewer answering here and one more answering elsewhere:
        // both figures of the group have the same range.
        let range = fall(unit).min(their_rise) + rise(unit).min(their_fall);
        !(small(silent) || small(answering)) || range >= min_cell
    })
}

#[cfg(test)]
mod tests {
    use super::{n_stays_uncertain, withheld_groups, withheld_units};

    #[test]
    fn ticks_are_shown_beside_a_withheld_n_only_while_n_keeps_its_range() {
        // Two silent among 38 women whose most ticked channel has 30: their n can fall to 30
        // (and the men's rise) or rise by the two.
        assert!(n_stays_uncertain(&[[36, 2, 30, 60], [70, 10, 40, 100]], 5));
        // Nearly everyone ticked the same channel: n is pinned to within two.
        assert!(!n_stays_uncertain(&[[20, 2, 19, 30], [30, 1, 29, 40]], 5));
        // Everyone who answered ticked exactly one: n cannot rise, and the others' n cannot
        // rise for the women's to fall.
        assert!(!n_stays_uncertain(&[[36, 2, 30, 36], [70, 10, 40, 70]], 5));
        // Groups merged away are one unit, their ticks summed.
        let answered = [vec![20, 2], vec![2, 1], vec![1, 1], vec![30, 0]];
        let ticks = [vec![15, 3, 0], vec![2, 0, 0], vec![1, 1, 0], vec![20, 9, 0]];
        let merged = [false, true, true, false];
        let units = withheld_units(&answered, &ticks, 2, &merged, &[true, true, true, false]);
        assert_eq!(units, [[20, 2, 15, 18], [3, 2, 3, 4]]);
        // Their sum shown, they move only among themselves.
        let units = withheld_units(&answered, &ticks, 2, &merged, &[true, false, false, false]);
        assert_eq!(units, [[20, 2, 15, 18]]);
    }

    #[test]
    fn an_answering_group_is_never_withheld_alone() {
        // Women's n withheld with a rectangle through those who gave no gender, none of whom
        // answered: men are withheld too.
        let answered = [vec![20, 3], vec![15, 10], vec![0, 8]];
        assert_eq!(withheld_groups(&answered, &[true, false, true]), [0, 2, 1]);
        // Two answering groups withheld: as they are.
        let answered = [vec![20, 3], vec![15, 10], vec![9, 8]];
        assert_eq!(withheld_groups(&answered, &[true, true, false]), [0, 1]);
        // One group answering: its values are the total's.
        let answered = [vec![0, 3], vec![30, 4]];
        assert!(withheld_groups(&answered, &[true, true]).is_empty());
    }
}
