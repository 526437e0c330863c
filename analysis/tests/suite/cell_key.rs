//! The cell-key method (perturbation instead of suppression) measured on the programme the
//! releases are measured on (`programme`), against an attacker who knows the noise table and
//! reads every release a researcher may request. Two designs: every release perturbs each figure
//! of its cross-tables (cells, group sizes, option totals, respondents) by its own key, as table
//! builders do; or only each partition's cells and one-way counts are perturbed, and every other
//! figure is their sum. The attacker bounds every count of 1 to `MIN_CELL - 1` people with
//! integer programs over the partitions' unknown cross-tables. Prints, per design and noise
//! bound, how many such counts narrow below `MIN_CELL` and what the noise costs a researcher.
//! `cargo test -p analysis --test suite cell_key -- --ignored --nocapture` prints the table.
#![allow(clippy::unwrap_used)]

use std::collections::{BTreeMap, BTreeSet};

use crate::common::Lcg;
use crate::programme::{forms, options, releases, respondents, values, Partitions, Respondent, ATTRIBUTES, MIN_CELL};
use microlp::{ComparisonOp, OptimizationDirection, Problem, SolveOutcome};

/// Record keys are whole numbers below this, so a cell's key (their sum modulo it) is exact.
const KEYS: u64 = 1 << 20;

/// A noise table: a count of `n` people is shown as a value within `bound` of it, never below
/// `floor` unless it is zero, and zero as zero; which value is drawn by the cell's key, the
/// nearer ones more often.
struct Noise {
    bound: u64,
    floor: u64,
}

impl Noise {
    /// The floor is set so that whatever a small count is shown as, the counts behind it span
    /// `MIN_CELL`: from 1 (a shown value is not zero) to the shown value plus the bound.
    fn new(bound: u64) -> Self {
        Self {
            bound,
            floor: (MIN_CELL + 1).saturating_sub(bound).max(1),
        }
    }

    fn shown(&self, n: u64, key: u64) -> u64 {
        if n == 0 {
            return 0;
        }
        let values = n.saturating_sub(self.bound).max(self.floor)..=n + self.bound;
        let weight = |s: u64| self.bound + 1 - s.abs_diff(n);
        let total: u64 = values.clone().map(weight).sum();
        let mut draw = key * total / KEYS;
        for s in values {
            if draw < weight(s) {
                return s;
            }
            draw -= weight(s);
        }
        unreachable!("the draw is below the total weight")
    }

    /// The counts that could be shown as `shown`: what the published table tells an attacker.
    fn behind(&self, shown: u64) -> (u64, u64) {
        match shown {
            0 => (0, 0),
            s => (s.saturating_sub(self.bound).max(1), s + self.bound),
        }
    }
}

/// A variable a table counts by: its categories, the last being "not answered".
struct Variable {
    name: String,
    categories: usize,
    category_of: Box<dyn Fn(&Respondent) -> usize>,
}

fn variables() -> Vec<Variable> {
    let mut all: Vec<Variable> = ATTRIBUTES
        .iter()
        .chain(&["satisfaction"])
        .map(|&id| Variable {
            name: id.to_owned(),
            categories: values(id).len() + 1,
            category_of: Box::new(move |r: &Respondent| r.category(id)),
        })
        .collect();
    for channel in options("heard_from") {
        // Ticked, not ticked, the list not answered: a release shows only the first; the attacker
        // is given all three.
        all.push(Variable {
            name: format!("heard_from={channel}"),
            categories: 3,
            category_of: Box::new(move |r: &Respondent| match &r.heard {
                Some(ticks) if ticks.iter().any(|t| t == channel) => 0,
                Some(_) => 1,
                None => 2,
            }),
        });
    }
    all
}

/// One form's cross-table of two variables, per partition: counts and key sums by cell.
struct Table {
    rows: usize,
    columns: usize,
    counts: Vec<u64>,
    keys: Vec<u64>,
}

impl Table {
    fn new(partitions: usize, rows: &Variable, columns: &Variable, people: &[(usize, &Respondent, u64)]) -> Self {
        let cells = partitions * rows.categories * columns.categories;
        let mut table = Self {
            rows: rows.categories,
            columns: columns.categories,
            counts: vec![0; cells],
            keys: vec![0; cells],
        };
        for &(p, r, key) in people {
            let cell = table.unknown(p, (rows.category_of)(r), (columns.category_of)(r));
            table.counts[cell] += 1;
            table.keys[cell] = (table.keys[cell] + key) % KEYS;
        }
        table
    }

    fn unknown(&self, partition: usize, row: usize, column: usize) -> usize {
        (partition * self.rows + row) * self.columns + column
    }

    /// Every figure a release over `covered` shows of the table: its cells, its groups' sizes,
    /// its options' totals and its respondents, each as the unknowns it sums, labelled.
    fn figures(&self, covered: &[usize]) -> Vec<(Figure, Vec<usize>)> {
        let sum = |keep: &dyn Fn(usize, usize) -> bool| -> Vec<usize> {
            let mut unknowns = Vec::new();
            for &p in covered {
                for row in 0..self.rows {
                    for column in (0..self.columns).filter(|&c| keep(row, c)) {
                        unknowns.push(self.unknown(p, row, column));
                    }
                }
            }
            unknowns
        };
        let mut figures = Vec::new();
        for row in 0..self.rows {
            for column in 0..self.columns {
                figures.push((Figure::Cell, sum(&|r, c| r == row && c == column)));
            }
            figures.push((Figure::Group, sum(&|r, _| r == row)));
        }
        for column in 0..self.columns {
            figures.push((Figure::Total, sum(&|_, c| c == column)));
        }
        figures.push((Figure::Total, sum(&|_, _| true)));
        figures
    }

    fn count(&self, unknowns: &[usize]) -> u64 {
        unknowns.iter().map(|&u| self.counts[u]).sum()
    }

    fn key(&self, unknowns: &[usize]) -> u64 {
        unknowns.iter().map(|&u| self.keys[u]).sum::<u64>() % KEYS
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Figure {
    Cell,
    Group,
    Total,
}

/// A linear expression over the attacker's unknowns.
type Expr = Vec<(usize, f64)>;

fn sum_of(unknowns: &[usize]) -> Expr {
    unknowns.iter().map(|&u| (u, 1.0)).collect()
}

/// The attacker's integer program: each shown figure bounds its sum, and what the attacker knows
/// to be equal is equal.
#[derive(Default)]
struct Attack {
    unknowns: usize,
    constraints: Vec<(Expr, u64, u64)>,
    ties: Vec<Expr>,
}

impl Attack {
    fn bound(&self, figure: &[usize], direction: OptimizationDirection) -> f64 {
        let mut problem = Problem::new(direction);
        let mut objective = vec![0.0; self.unknowns];
        figure.iter().for_each(|&u| objective[u] = 1.0);
        let vars: Vec<_> = objective
            .iter()
            .map(|&c| problem.add_integer_var(c, (0, i32::MAX)))
            .collect();
        let expr = |e: &Expr| -> Vec<_> { e.iter().map(|&(u, c)| (vars[u], c)).collect() };
        for (sum, low, high) in &self.constraints {
            if low == high {
                problem.add_constraint(expr(sum), ComparisonOp::Eq, *low as f64);
            } else {
                problem.add_constraint(expr(sum), ComparisonOp::Ge, *low as f64);
                problem.add_constraint(expr(sum), ComparisonOp::Le, *high as f64);
            }
        }
        for tie in &self.ties {
            problem.add_constraint(expr(tie), ComparisonOp::Eq, 0.0);
        }
        match problem.solve() {
            Ok(SolveOutcome::Solution(solution)) => solution.objective(),
            other => panic!("the attacker's model has no solution: {other:?}"),
        }
    }

    /// Bounds each figure (described, its unknowns, its true count): those it narrows below
    /// `MIN_CELL` are recorded. The truth must fit, or the model is wrong.
    fn narrowed(&self, figures: impl IntoIterator<Item = (String, Vec<usize>, u64)>, measured: &mut Measured) {
        for (what, figure, truth) in figures {
            measured.audited += 1;
            let low = self.bound(&figure, OptimizationDirection::Minimize);
            let high = self.bound(&figure, OptimizationDirection::Maximize);
            assert!(
                (low - 1e-6..=high + 1e-6).contains(&(truth as f64)),
                "{what}: {low}..={high}"
            );
            if high - low < MIN_CELL as f64 - 1e-6 {
                measured
                    .narrowed
                    .push(format!("{what}: {truth} people, yet {low}..={high}"));
            }
        }
    }
}

/// What one noise bound gives away and costs, over every table of every form.
#[derive(Default)]
struct Measured {
    /// Counts of 1 to `MIN_CELL - 1` people bounded, and those narrowed below `MIN_CELL`.
    audited: usize,
    narrowed: Vec<String>,
    /// Per kind of release: cross-table cells and their absolute errors summed.
    cells: BTreeMap<&'static str, (u64, u64)>,
    /// Per kind of release: groups of at least 30 people, and those whose every share is shown
    /// within 5 points of the truth.
    large_groups: BTreeMap<&'static str, (u64, u64)>,
}

impl Measured {
    /// Adds a release's table (`columns` wide, by rows) to what the noise costs: each cell's
    /// error, and whether each group of 30 or more shows every share within 5 points (a share
    /// being a cell over the group's size as shown).
    fn cost(&mut self, label: &'static str, columns: usize, truth: &[u64], shown: &[u64], shown_sizes: &[u64]) {
        let rows = truth.chunks(columns).zip(shown.chunks(columns)).zip(shown_sizes);
        for ((truth, shown), &shown_size) in rows {
            let cells = self.cells.entry(label).or_default();
            cells.0 += columns as u64;
            cells.1 += truth.iter().zip(shown).map(|(t, s)| t.abs_diff(*s)).sum::<u64>();
            let size: u64 = truth.iter().sum();
            if size >= 30 {
                let share = |count: u64, of: u64| count as f64 / of.max(1) as f64;
                let within = truth
                    .iter()
                    .zip(shown)
                    .all(|(&t, &s)| (share(t, size) - share(s, shown_size)).abs() <= 0.05);
                let groups = self.large_groups.entry(label).or_default();
                groups.0 += 1;
                groups.1 += u64::from(within);
            }
        }
    }
}

/// One form's respondents with the index of their partition and their record key.
fn keyed<'a>(partitions: &Partitions, everyone: &'a [Respondent], keys: &mut Lcg) -> Vec<(usize, &'a Respondent, u64)> {
    everyone
        .iter()
        .map(|r| {
            let p = partitions.iter().position(|(name, _, _)| *name == r.partition).unwrap();
            (p, r, keys.below(KEYS))
        })
        .collect()
}

/// The releases of a form, each with the indices of the partitions it covers.
fn releases_of(partitions: &Partitions) -> Vec<(&'static str, Vec<usize>)> {
    releases(partitions)
        .into_iter()
        .map(|(label, covered)| {
            let indices = covered
                .iter()
                .map(|c| partitions.iter().position(|(name, _, _)| name == c).unwrap());
            (label, indices.collect())
        })
        .collect()
}

/// The cross-tables a release shows: each attribute by each variable after it.
fn pairs(variables: &[Variable]) -> impl Iterator<Item = (&Variable, &Variable)> {
    (0..ATTRIBUTES.len()).flat_map(move |a| variables[a + 1..].iter().map(move |q| (&variables[a], q)))
}

/// As table builders do: every release perturbs each of its figures by the key of the people in
/// it. The attacker reads each table of every release (tables are modelled one at a time).
fn measure_independent(noise: &Noise) -> Measured {
    let mut rng = Lcg(2025);
    let forms = forms(&mut rng);
    let mut keys = Lcg(7);
    let variables = variables();
    let mut measured = Measured::default();
    for partitions in &forms {
        let everyone = respondents(partitions, &mut rng);
        let people = keyed(partitions, &everyone, &mut keys);
        for (rows, columns) in pairs(&variables) {
            let table = Table::new(partitions.len(), rows, columns, &people);
            let mut attack = Attack {
                unknowns: table.counts.len(),
                ..Attack::default()
            };
            let mut sensitive = BTreeSet::new();
            for (label, covered) in releases_of(partitions) {
                let figures = table.figures(&covered);
                let shown: Vec<u64> = figures
                    .iter()
                    .map(|(_, unknowns)| noise.shown(table.count(unknowns), table.key(unknowns)))
                    .collect();
                let of = |kind: Figure, values: &dyn Fn(usize) -> u64| -> Vec<u64> {
                    figures
                        .iter()
                        .enumerate()
                        .filter(|(_, (k, _))| *k == kind)
                        .map(|(i, _)| values(i))
                        .collect()
                };
                measured.cost(
                    label,
                    table.columns,
                    &of(Figure::Cell, &|i| table.count(&figures[i].1)),
                    &of(Figure::Cell, &|i| shown[i]),
                    &of(Figure::Group, &|i| shown[i]),
                );
                for ((_, unknowns), &shown) in figures.iter().zip(&shown) {
                    let (low, high) = noise.behind(shown);
                    attack.constraints.push((sum_of(unknowns), low, high));
                    if (1..MIN_CELL).contains(&table.count(unknowns)) {
                        sensitive.insert(unknowns.clone());
                    }
                }
            }
            let cells = (0..table.counts.len()).filter(|&u| (1..MIN_CELL).contains(&table.counts[u]));
            sensitive.extend(cells.map(|u| vec![u]));
            let described = sensitive.into_iter().map(|figure| {
                let what = format!("{} by {}", rows.name, columns.name);
                let truth = table.count(&figure);
                (what, figure, truth)
            });
            attack.narrowed(described, &mut measured);
        }
    }
    measured
}

/// Adds one partition's cells of `table` to its attacker as unknowns, each seen through the
/// noise, and returns where they start; those of 1 to `MIN_CELL - 1` people are to be bounded.
fn observe(
    attack: &mut Attack,
    table: &Table,
    p: usize,
    shown: &[u64],
    noise: &Noise,
    what: &str,
    sensitive: &mut Vec<(String, Vec<usize>, u64)>,
) -> usize {
    let start = attack.unknowns;
    for row in 0..table.rows {
        for column in 0..table.columns {
            let cell = table.unknown(p, row, column);
            let unknown = attack.unknowns;
            attack.unknowns += 1;
            let (low, high) = noise.behind(shown[cell]);
            attack.constraints.push((vec![(unknown, 1.0)], low, high));
            if (1..MIN_CELL).contains(&table.counts[cell]) {
                sensitive.push((format!("{what} [{row}][{column}]"), vec![unknown], table.counts[cell]));
            }
        }
    }
    start
}

/// Only each partition's cells and one-way counts are perturbed, each by its own key; every
/// other figure (a cross-table's group sizes, every release over several partitions) is a sum
/// of them and tells nothing they do not. The attacker reads each partition's one-way counts
/// and cross-tables tied by their true margins.
fn measure_additive(noise: &Noise) -> Measured {
    let mut rng = Lcg(2025);
    let forms = forms(&mut rng);
    let mut keys = Lcg(7);
    let variables = variables();
    let everyone_at_once = Variable {
        name: "respondents".to_owned(),
        categories: 1,
        category_of: Box::new(|_| 0),
    };
    let mut measured = Measured::default();
    for partitions in &forms {
        let everyone = respondents(partitions, &mut rng);
        let people = keyed(partitions, &everyone, &mut keys);
        let perturbed = |table: &Table| -> Vec<u64> {
            let cells = table.counts.iter().zip(&table.keys);
            cells.map(|(&count, &key)| noise.shown(count, key)).collect()
        };
        let respondents = Table::new(partitions.len(), &everyone_at_once, &everyone_at_once, &people);
        let one_way: Vec<Table> = variables
            .iter()
            .map(|v| Table::new(partitions.len(), &everyone_at_once, v, &people))
            .collect();
        let cross: Vec<(&Variable, &Variable, Table)> = pairs(&variables)
            .map(|(rows, columns)| (rows, columns, Table::new(partitions.len(), rows, columns, &people)))
            .collect();
        let shown_cross: Vec<Vec<u64>> = cross.iter().map(|(_, _, table)| perturbed(table)).collect();
        for (p, (name, _, _)) in partitions.iter().enumerate() {
            let mut attack = Attack::default();
            let mut sensitive = Vec::new();
            let total = observe(
                &mut attack,
                &respondents,
                p,
                &perturbed(&respondents),
                noise,
                name,
                &mut sensitive,
            );
            let mut margins = Vec::new();
            for (v, table) in variables.iter().zip(&one_way) {
                let start = observe(
                    &mut attack,
                    table,
                    p,
                    &perturbed(table),
                    noise,
                    &format!("{name} {}", v.name),
                    &mut sensitive,
                );
                let mut tie: Expr = (start..start + table.columns).map(|u| (u, 1.0)).collect();
                tie.push((total, -1.0));
                attack.ties.push(tie);
                margins.push(start);
            }
            let margin_of = |v: &Variable| margins[variables.iter().position(|w| w.name == v.name).unwrap()];
            for ((rows, columns, table), shown) in cross.iter().zip(&shown_cross) {
                let what = format!("{name} {} by {}", rows.name, columns.name);
                let start = observe(&mut attack, table, p, shown, noise, &what, &mut sensitive);
                let unknown = |row: usize, column: usize| start + row * table.columns + column;
                for row in 0..table.rows {
                    let mut tie: Expr = (0..table.columns).map(|c| (unknown(row, c), 1.0)).collect();
                    tie.push((margin_of(rows) + row, -1.0));
                    attack.ties.push(tie);
                }
                for column in 0..table.columns {
                    let mut tie: Expr = (0..table.rows).map(|r| (unknown(r, column), 1.0)).collect();
                    tie.push((margin_of(columns) + column, -1.0));
                    attack.ties.push(tie);
                }
            }
            attack.narrowed(sensitive, &mut measured);
        }
        for (label, covered) in releases_of(partitions) {
            for ((_, _, table), shown) in cross.iter().zip(&shown_cross) {
                let pooled = |values: &[u64]| -> Vec<u64> {
                    let cells = table.rows * table.columns;
                    (0..cells)
                        .map(|i| covered.iter().map(|&p| values[p * cells + i]).sum())
                        .collect()
                };
                let (truth, seen) = (pooled(&table.counts), pooled(shown));
                let sizes: Vec<u64> = seen.chunks(table.columns).map(|row| row.iter().sum()).collect();
                measured.cost(label, table.columns, &truth, &seen, &sizes);
            }
        }
    }
    measured
}

/// A way of perturbing the releases, measured with a noise table.
type Method = fn(&Noise) -> Measured;

#[test]
fn whatever_a_count_is_shown_as_the_counts_behind_it_span_min_cell() {
    for bound in [3, 4, 5] {
        let noise = Noise::new(bound);
        for n in 0..40 {
            for key in (0..KEYS).step_by(997) {
                let shown = noise.shown(n, key);
                let (low, high) = noise.behind(shown);
                assert!(
                    shown.abs_diff(n) <= bound && (low..=high).contains(&n),
                    "±{bound}: {n} shown as {shown}"
                );
                assert!(
                    n == 0 || high - low >= MIN_CELL,
                    "±{bound}: {n} shown as {shown} is {low}..={high}"
                );
            }
        }
    }
}

#[test]
#[ignore = "a measurement of about 12 minutes: run with --ignored --nocapture"]
fn what_the_cell_key_method_gives_away_and_costs() {
    println!("| method | noise within | counts of 1-4 bounded | narrowed below {MIN_CELL} | release | mean error of a cell | groups of 30+ with every share within 5 points |");
    println!("|---|---|---|---|---|---|---|");
    let methods: [(&str, Method); 2] = [
        ("each release its own noise", measure_independent),
        ("partitions' noise, releases add up", measure_additive),
    ];
    for (method, measure) in methods {
        for bound in [3, 4, 5] {
            let noise = Noise::new(bound);
            let measured = measure(&noise);
            for (label, (cells, error)) in &measured.cells {
                let (groups, within) = measured.large_groups[label];
                println!(
                    "| {method} | ±{bound}, small counts shown as {}+ | {} | {} | {label} | {:.2} | {:.0} % |",
                    noise.floor,
                    measured.audited,
                    measured.narrowed.len(),
                    *error as f64 / *cells as f64,
                    within as f64 * 100.0 / groups.max(1) as f64
                );
            }
            println!("{:#?}", &measured.narrowed[..measured.narrowed.len().min(5)]);
        }
    }
}
