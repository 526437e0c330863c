//! What a release keeps: how many counts of its closed-question tables it shows and how many it
//! withholds, read from those tables alone, so that it tells a reader nothing the tables do not.

use serde::Serialize;

use super::Release;
use crate::breakdown::Cell;
use crate::spec::Choice;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Kept {
    /// Each question's count of each option among everyone.
    pub one_way: Tally,
    /// Each cell of each question's tables by an attribute: every listed group by every option
    /// (a group withheld whole withholds one per option, a count shown only within a merged
    /// figure is withheld).
    pub cross_tables: Tally,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Tally {
    pub shown: u64,
    pub withheld: u64,
}

impl Tally {
    fn add(&mut self, cell: &Cell, options: &[Choice]) {
        for option in options {
            let count = cell.counts.as_ref().and_then(|counts| counts.get(&option.value));
            match count.copied().flatten() {
                Some(_) => self.shown += 1,
                None => self.withheld += 1,
            }
        }
    }
}

impl Release {
    pub fn kept(&self) -> Kept {
        let mut kept = Kept::default();
        for tables in &self.questions {
            kept.one_way.add(&tables.total.total, &tables.total.options);
            for table in &tables.by {
                for group in &table.groups {
                    kept.cross_tables.add(&group.cell, &table.options);
                }
            }
        }
        kept
    }
}
