//! Releases for researchers: every table of a form, in total and by each shared attribute, under
//! one suppression pattern, so that no figure about fewer than `min_cell` people can be derived
//! from what a researcher can fetch, whichever releases and tables are combined.
//!
//! - Partitions: responses come in disjoint partitions (fiscal year and event kind). A partition
//!   of fewer than `min_cell` respondents is left out of every release. Each partition is
//!   protected on its own, and a release over several is their exact sum, with a figure withheld
//!   wherever any of them withholds it: it shows nothing that the partitions do not, so two
//!   releases can never be subtracted to single out a few people.
//! - Within a partition, each variable's small categories are merged away in every table that
//!   shows them (see [`protect::merged_categories`]), and each cross-table is protected with
//!   rectangles of withheld cells that keep all its totals (see [`protect::protect`]). Totals
//!   are shared between tables and never withheld beyond the merged categories, so linked
//!   tables (a table and its transposition, the tables of one question by other attributes)
//!   cannot fill each other's gaps.
//! - Means, standard deviations, intervals and tests are computed from the shown counts, and
//!   only where those determine them, so they add nothing to the counts.

pub mod counts;
mod kept;
pub mod protect;
mod publish;
mod ticks;

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};

use polars::prelude::*;
use serde::Serialize;

use self::counts::{category_of, count, count_answered, count_ticks, grid, sizes, Counted, Sources, PARTITION};
pub use self::kept::{Kept, Tally};
use self::protect::{merged_categories, or_into, protect, Skipped, Tab};
pub use self::publish::ticked_tests;
use self::publish::{categorical_table, choices_table, term_release};
use self::ticks::{n_stays_uncertain, withheld_groups, withheld_units, Ticks};
use crate::breakdown::Breakdown;
use crate::spec::{Label, QuestionType, Variable};
use crate::terms::{self, TermTable};
use crate::AnalysisError;

pub struct ReleaseSpec<'a> {
    /// The attributes every question is tabulated by (single choice).
    pub attributes: &'a [Variable],
    /// Closed questions: single choice, scale or multi choice.
    pub questions: &'a [Variable],
    /// Free-text questions; their columns hold each comment's distinct terms.
    pub texts: &'a [Variable],
    /// Coded free-text questions; their columns hold each coded comment's themes (an empty list
    /// for a comment coded with none, null where nothing was coded), their options the themes.
    pub coded: &'a [Variable],
    pub min_cell: u64,
    /// Most terms listed per free-text question.
    pub top_terms: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Release {
    /// Respondents in the partitions released; `None` when no partition is large enough.
    pub responses: Option<u64>,
    pub questions: Vec<QuestionTables>,
    pub opinions: Vec<OpinionTables>,
    /// Per coded question, its themes like a multi-choice question's ticks, `n` being the
    /// comments coded.
    pub themes: Vec<QuestionTables>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QuestionTables {
    pub total: Breakdown,
    /// By each attribute other than the question itself, in the spec's order.
    pub by: Vec<Breakdown>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OpinionTables {
    pub question: String,
    pub question_label: Label,
    pub total: TermRelease,
    pub by: Vec<TermRelease>,
}

/// A term and the number of comments that use it (each comment counted once).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TermShare {
    pub term: String,
    pub comments: u64,
    /// `comments` as a percentage of the group's comments, where that number is shown.
    pub share: Option<f64>,
}

/// A released term table: per group, its comments and the listed terms whose counts are shown,
/// most used first.
pub type TermRelease = TermTable<TermShare>;
type TermCell = terms::TermCell<TermShare>;
type TermGroup = terms::TermGroup<TermShare>;

/// Builds the release of the responses in `frames` (see [`Sources`]), whose [`PARTITION`] column
/// names each response's partition.
pub fn release(frames: &[DataFrame], spec: &ReleaseSpec) -> Result<Release, AnalysisError> {
    Ok(release_with_sections(frames, spec, |_| None)?.0)
}

/// Like [`release`], plus the release of each section: the released partitions that
/// `section_of` puts together (e.g. each fiscal year's), in the sections' order. A section is the
/// exact sum of its protected partitions, like any release, so it shows nothing they do not.
pub fn release_with_sections(
    frames: &[DataFrame],
    spec: &ReleaseSpec,
    section_of: impl Fn(&str) -> Option<String>,
) -> Result<(Release, Vec<(String, Release)>), AnalysisError> {
    let min_cell = spec.min_cell.max(1);
    let sources = Sources::new(frames);
    let partition_sizes = count(&sources, &[PARTITION])?;
    let mut partitions: Vec<(String, u64)> = partition_sizes
        .iter()
        .filter(|(_, &n)| n >= min_cell)
        .filter_map(|(key, &n)| Some((key.first()?.clone()?, n)))
        .collect();
    partitions.sort();
    let one_ways = RefCell::default();
    let release_of = |partitions: Vec<(String, u64)>| {
        Context {
            sources: &sources,
            spec,
            min_cell,
            partitions,
            one_ways: &one_ways,
        }
        .release()
    };
    let mut sections: BTreeMap<String, Vec<(String, u64)>> = BTreeMap::new();
    for (partition, n) in &partitions {
        if let Some(section) = section_of(partition) {
            sections.entry(section).or_default().push((partition.clone(), *n));
        }
    }
    let whole = release_of(partitions)?;
    let sections = sections
        .into_iter()
        .map(|(section, partitions)| Ok((section, release_of(partitions)?)))
        .collect::<Result<Vec<_>, AnalysisError>>()?;
    Ok((whole, sections))
}

struct Context<'a> {
    sources: &'a Sources,
    spec: &'a ReleaseSpec<'a>,
    min_cell: u64,
    /// The partitions released, with their sizes.
    partitions: Vec<(String, u64)>,
    /// One-way counts by variable id, counted once: every cross-table needs its two margins.
    one_ways: &'a RefCell<HashMap<String, Counted>>,
}

impl Context<'_> {
    fn release(&self) -> Result<Release, AnalysisError> {
        if self.partitions.is_empty() {
            return Ok(Release {
                responses: None,
                questions: Vec::new(),
                opinions: Vec::new(),
                themes: Vec::new(),
            });
        }
        let spec = self.spec;
        let questions = spec
            .questions
            .iter()
            .map(|question| self.question_tables(question))
            .collect::<Result<Vec<_>, _>>()?;
        let opinions = spec
            .texts
            .iter()
            .map(|question| self.opinion_tables(question))
            .collect::<Result<Vec<_>, _>>()?;
        let attributes: Vec<&Variable> = spec.attributes.iter().collect();
        let themes = spec
            .coded
            .iter()
            .map(|question| self.ticked_tables(question, &attributes, true))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Release {
            responses: Some(self.partitions.iter().map(|(_, n)| n).sum()),
            questions,
            opinions,
            themes,
        })
    }
}

/// A variable's one-way counts, per partition.
struct OneWay<'a> {
    variable: &'a Variable,
    counted: Counted,
}

impl OneWay<'_> {
    fn categories(&self) -> usize {
        self.variable.options.len() + 1
    }

    fn sizes(&self, partition: &str) -> Vec<u64> {
        sizes(&self.counted, partition, self.categories(), |v| {
            category_of(self.variable, v)
        })
    }

    fn merged(&self, partition: &str, min_cell: u64) -> Vec<bool> {
        merged_categories(&self.sizes(partition), min_cell)
    }
}

impl<'a> Context<'a> {
    fn one_way(&self, variable: &'a Variable) -> Result<OneWay<'a>, AnalysisError> {
        let cached = self.one_ways.borrow().get(&variable.id).cloned();
        let counted = match cached {
            Some(counted) => counted,
            None => {
                let counted = count(self.sources, &[PARTITION, &variable.id])?;
                self.one_ways.borrow_mut().insert(variable.id.clone(), counted.clone());
                counted
            }
        };
        Ok(OneWay { variable, counted })
    }

    /// Sums what `of` makes for each released partition (there is always one at least).
    fn sum_over<T>(&self, mut of: impl FnMut(&str) -> T, add: impl Fn(&mut T, &T)) -> T {
        let mut partitions = self.partitions.iter().map(|(p, _)| p.as_str());
        let mut sum = of(partitions.next().unwrap_or_default());
        for p in partitions {
            add(&mut sum, &of(p));
        }
        sum
    }

    /// Sums a table over the released partitions, and audits the result.
    fn combined(&self, skipped: Option<usize>, tab_of: impl FnMut(&str) -> Tab) -> Tab {
        let mut tab = self.sum_over(tab_of, Tab::absorb);
        audited(&mut tab, skipped, self.min_cell);
        tab
    }

    fn question_tables(&self, question: &'a Variable) -> Result<QuestionTables, AnalysisError> {
        let attributes: Vec<&Variable> = self.spec.attributes.iter().filter(|a| a.id != question.id).collect();
        if question.kind == QuestionType::MultiChoice {
            return self.ticked_tables(question, &attributes, false);
        }
        let own = self.one_way(question)?;
        let total = self.combined(Some(question.options.len()), |p| {
            Tab::margin(own.sizes(p), own.merged(p, self.min_cell))
        });
        let by = attributes
            .iter()
            .map(|attribute| {
                let tab = self.cross_table(attribute, question)?;
                Ok(categorical_table(question, Some(attribute), &tab, self.min_cell))
            })
            .collect::<Result<Vec<_>, AnalysisError>>()?;
        Ok(QuestionTables {
            total: categorical_table(question, None, &total, self.min_cell),
            by,
        })
    }

    /// The tables of a list column whose values are `question`'s options, in total and by each
    /// of `attributes`; an empty list counts as answered if `empty_is_answer`.
    fn ticked_tables(
        &self,
        question: &'a Variable,
        attributes: &[&'a Variable],
        empty_is_answer: bool,
    ) -> Result<QuestionTables, AnalysisError> {
        let values: Vec<String> = question.options.iter().map(|o| o.value.clone()).collect();
        let total = self.ticks(question, None, &values, empty_is_answer)?;
        let by = attributes
            .iter()
            .map(|a| {
                Ok(choices_table(
                    question,
                    Some(a),
                    &self.ticks(question, Some(a), &values, empty_is_answer)?,
                    self.min_cell,
                ))
            })
            .collect::<Result<Vec<_>, AnalysisError>>()?;
        Ok(QuestionTables {
            total: choices_table(question, None, &total, self.min_cell),
            by,
        })
    }

    /// `column` by `row`, summed over the partitions. Between two attributes it is always
    /// protected in one orientation, so a table and its transposition withhold the same cells.
    fn cross_table(&self, row: &'a Variable, column: &'a Variable) -> Result<Tab, AnalysisError> {
        let position = |v: &Variable| self.spec.attributes.iter().position(|a| a.id == v.id);
        let transposed_too = match (position(row), position(column)) {
            (Some(r), Some(c)) if r > c => {
                // Audited again this way round: its `n` are the other variable's answerers.
                let mut tab = self.cross_table(column, row)?.transposed();
                audited(&mut tab, Some(column.options.len()), self.min_cell);
                return Ok(tab);
            }
            (Some(_), Some(_)) => true,
            _ => false,
        };
        let skipped = Skipped {
            row: transposed_too.then_some(row.options.len()),
            column: Some(column.options.len()),
        };
        let rows = self.one_way(row)?;
        let columns = self.one_way(column)?;
        let counted = count(self.sources, &[PARTITION, &row.id, &column.id])?;
        Ok(self.combined(Some(column.options.len()), |p| {
            let cells = grid(
                &counted,
                p,
                rows.categories(),
                columns.categories(),
                |v| category_of(row, v),
                |v| category_of(column, v),
            );
            protect(
                &cells,
                &rows.merged(p, self.min_cell),
                &columns.merged(p, self.min_cell),
                skipped,
                self.min_cell,
            )
        }))
    }

    /// The ticks of `values` in the list column `list`, in total or by `by`, summed over the
    /// partitions. Per partition, first who answered (a merged share hides `n`), then each
    /// value as ticked or not among those who answered, each table protected with rectangles
    /// that keep every group's `n`. A group whose `n` is withheld shows no value either (unless
    /// it is the only group answering, and so the total): a rectangle that moves people between
    /// answering and not may then move their ticks too.
    fn ticks(
        &self,
        list: &Variable,
        by: Option<&Variable>,
        values: &[String],
        empty_is_answer: bool,
    ) -> Result<Ticks, AnalysisError> {
        let mut columns = vec![PARTITION];
        columns.extend(by.map(|a| a.id.as_str()));
        let answered_total = count_answered(self.sources, &[PARTITION], &list.id, empty_is_answer)?;
        let ticks_total = count_ticks(self.sources, &[PARTITION], &list.id)?;
        let answered = count_answered(self.sources, &columns, &list.id, empty_is_answer)?;
        let ticks = count_ticks(self.sources, &columns, &list.id)?;
        let group_of = by.map(|a| self.one_way(a)).transpose()?;
        let rows = group_of.as_ref().map_or(1, OneWay::categories);
        let row_index = |v: Option<&str>| by.map_or(0, |a| category_of(a, v));
        let answer_index = |v: Option<&str>| usize::from(v.is_none());
        let value_index = |v: Option<&str>| {
            v.and_then(|v| values.iter().position(|x| x == v))
                .unwrap_or(values.len())
        };
        let per_partition = |p: &str| -> Ticks {
            let merged_answered = merged_categories(&sizes(&answered_total, p, 2, answer_index), self.min_cell);
            let n_total = sizes(&answered_total, p, 2, answer_index)[0];
            let everyone: u64 = sizes(&answered_total, p, 2, answer_index).iter().sum();
            let ticked_total = sizes(&ticks_total, p, values.len() + 1, value_index);
            let value_merged: Vec<Vec<bool>> = ticked_total[..values.len()]
                .iter()
                .map(|&yes| {
                    let base = if merged_answered[0] { everyone } else { n_total };
                    let merged = merged_categories(&[yes, base.saturating_sub(yes)], self.min_cell);
                    let ticks_withheld = merged[0] || merged[1];
                    // Those who answered without ticking it are never shown, and their total
                    // follows from the others only where the number who answered is shown.
                    vec![ticks_withheld, ticks_withheld || merged_answered[0]]
                })
                .collect();
            let (answered_cells, tick_cells) = match by {
                Some(_) => (
                    grid(&answered, p, rows, 2, row_index, answer_index),
                    grid(&ticks, p, rows, values.len() + 1, row_index, value_index),
                ),
                None => (
                    vec![sizes(&answered_total, p, 2, answer_index)],
                    vec![ticked_total.clone()],
                ),
            };
            let merged_rows = group_of
                .as_ref()
                .map_or_else(|| vec![false], |g| g.merged(p, self.min_cell));
            let value_cells = |j: usize| -> Vec<Vec<u64>> {
                answered_cells
                    .iter()
                    .zip(&tick_cells)
                    .map(|(answered, ticked)| vec![ticked[j], answered[0].saturating_sub(ticked[j])])
                    .collect()
            };
            if by.is_none() {
                return Ticks {
                    values: (0..values.len())
                        .map(|j| {
                            let mut tab = Tab::margin(value_cells(j)[0].clone(), value_merged[j].clone());
                            // Its total is the number who answered, withheld with them.
                            tab.merged_rows[0] = merged_answered[0];
                            tab
                        })
                        .collect(),
                    answered: Tab::margin(answered_cells[0].clone(), merged_answered),
                };
            }
            let answered_tab = protect(
                &answered_cells,
                &merged_rows,
                &merged_answered,
                Skipped::default(),
                self.min_cell,
            );
            let mut values_tabs: Vec<Tab> = (0..values.len())
                .map(|j| {
                    protect(
                        &value_cells(j),
                        &merged_rows,
                        &value_merged[j],
                        Skipped::default(),
                        self.min_cell,
                    )
                })
                .collect();
            let n_withheld: Vec<bool> = answered_tab.hidden.iter().map(|row| row.contains(&true)).collect();
            for tab in &mut values_tabs {
                // Their totals, the groups' `n`, are withheld.
                or_into(&mut tab.merged_rows, &n_withheld);
            }
            // Whose `n` may move: the merged groups together only where their sum is withheld.
            let n_moves: Vec<bool> = answered_tab.withheld.iter().map(|row| row[0]).collect();
            let ticks_keep_n_uncertain = !merged_answered.contains(&true)
                && n_stays_uncertain(
                    &withheld_units(&answered_cells, &tick_cells, values.len(), &merged_rows, &n_moves),
                    self.min_cell,
                );
            if !ticks_keep_n_uncertain {
                for i in withheld_groups(&answered_cells, &n_withheld) {
                    for tab in &mut values_tabs {
                        tab.withhold_row(i);
                    }
                }
            }
            Ticks {
                answered: answered_tab,
                values: values_tabs,
            }
        };
        let mut ticks = self.sum_over(per_partition, Ticks::absorb);
        audited(&mut ticks.answered, Some(1), self.min_cell);
        ticks
            .values
            .iter_mut()
            .for_each(|tab| audited(tab, None, self.min_cell));
        Ok(ticks)
    }

    fn opinion_tables(&self, question: &'a Variable) -> Result<OpinionTables, AnalysisError> {
        let vocabulary = self.vocabulary(question)?;
        let total = self.ticks(question, None, &vocabulary, true)?;
        let by = self
            .spec
            .attributes
            .iter()
            .map(|a| {
                Ok(term_release(
                    Some(a),
                    &vocabulary,
                    &self.ticks(question, Some(a), &vocabulary, true)?,
                    self.min_cell,
                ))
            })
            .collect::<Result<Vec<_>, AnalysisError>>()?;
        Ok(OpinionTables {
            question: question.id.clone(),
            question_label: question.label.clone(),
            total: term_release(None, &vocabulary, &total, self.min_cell),
            by,
        })
    }

    /// The terms used in at least `min_cell` comments of the released partitions, most used first.
    fn vocabulary(&self, question: &Variable) -> Result<Vec<String>, AnalysisError> {
        let ticks = count_ticks(self.sources, &[PARTITION], &question.id)?;
        let mut totals: BTreeMap<String, u64> = BTreeMap::new();
        for (key, n) in ticks {
            let released = self
                .partitions
                .iter()
                .any(|(p, _)| key.first() == Some(&Some(p.clone())));
            if let (true, Some(Some(term))) = (released, key.get(1)) {
                *totals.entry(term.clone()).or_default() += n;
            }
        }
        let mut terms: Vec<(String, u64)> = totals.into_iter().filter(|(_, n)| *n >= self.min_cell).collect();
        terms.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        Ok(terms
            .into_iter()
            .take(self.spec.top_terms)
            .map(|(term, _)| term)
            .collect())
    }
}

/// Withholds the whole table if its pattern fails the audit: a bug here must fail closed (and
/// fail the tests, which run with debug assertions).
fn audited(tab: &mut Tab, skipped: Option<usize>, min_cell: u64) {
    if let Err(problem) = tab.audit(skipped, min_cell) {
        debug_assert!(false, "suppression pattern failed its audit: {problem}");
        tab.withhold_all();
    }
}
