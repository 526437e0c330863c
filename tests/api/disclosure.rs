//! Plays a researcher attacking the releases with nothing but a researcher token and the public
//! API: every release they may request of a small dataset (groups of one to four people among
//! larger ones, a partition too small to release), including the theme counts of its coded
//! comments in total, by year, kind and attribute, then every kind of arithmetic on them.
//! The audit takes every published count, margin, mean and standard deviation as constraints on
//! non-negative whole unknowns (the cross-tables of each partition, tied by their shared
//! margins), with what the layout says without numbers (every table must list every group; a
//! one-way list that shows a zero makes each figure it withholds at least one), and bounds
//! each withheld figure with integer programs: each must stay uncertain by `min_cell`.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use crate::common::{Lcg, TestApp, TestDatabase};
use microlp::{ComparisonOp, OptimizationDirection, Problem, SolveOutcome};
use serde_json::{json, Value};
use uuid::Uuid;

const MIN_CELL: u64 = 5;
const GENDERS: [&str; 3] = ["female", "male", "other"];
const AGES: [&str; 3] = ["young", "middle", "old"];
const CHANNELS: [&str; 3] = ["sns", "city_newsletter", "newspaper"];
/// The themes of a codebook of the mini form, and which a coder gives each phrase.
const THEMES: [&str; 4] = ["praise", "staff", "noise", "length"];
const PHRASES: [&str; 5] = [
    "helpful talk",
    "helpful staff",
    "loud room",
    "long talk",
    "helpful group",
];
/// (held on, kind, respondents): the last is too small to release.
const PARTITIONS: [(&str, &str, usize); 4] = [
    ("2024-06-13", "seminar", 40),
    ("2025-06-12", "seminar", 300),
    ("2025-11-20", "forum", 26),
    ("2024-11-21", "forum", 3),
];

fn themes_of(phrase: &str) -> Vec<&'static str> {
    let mut themes = Vec::new();
    for (word, theme) in [
        ("helpful", "praise"),
        ("staff", "staff"),
        ("loud", "noise"),
        ("long", "length"),
    ] {
        if phrase.contains(word) {
            themes.push(theme);
        }
    }
    themes
}

struct Respondent {
    /// The stored response's id.
    id: String,
    partition: usize,
    gender: Option<usize>,
    age: Option<usize>,
    /// Index of the scale point (1..=3 as 0..=2).
    satisfaction: Option<usize>,
    heard: Option<Vec<usize>>,
    opinion: Option<&'static str>,
}

impl Respondent {
    fn generate(partition: usize, rng: &mut Lcg) -> Self {
        let mut rare = |rare: usize, skipped: usize, common: usize| match rng.below(100) {
            r if r < rare => Some(2),
            r if r < rare + skipped => None,
            _ => Some(common),
        };
        let gender = rare(6, 5, 0);
        let age = rare(8, 5, 0);
        // Only those who skip their age skip this, so the age groups' n are all shown.
        let satisfaction = age.map(|_| 0);
        let mut respondent = Self {
            id: String::new(),
            partition,
            gender,
            age,
            satisfaction,
            heard: None,
            opinion: None,
        };
        respondent.gender = respondent.gender.map(|g| if g == 2 { 2 } else { rng.below(2) });
        respondent.age = respondent.age.map(|a| if a == 2 { 2 } else { rng.below(2) });
        respondent.satisfaction = respondent.satisfaction.map(|_| match rng.below(100) {
            r if r < 7 => 0,
            r if r < 50 => 1,
            _ => 2,
        });
        if rng.below(10) > 0 {
            let mut heard: Vec<usize> = Vec::new();
            if rng.below(2) == 0 {
                heard.push(0);
            }
            if rng.below(5) < 2 {
                heard.push(1);
            }
            if rng.below(100) < 7 {
                heard.push(2);
            }
            if heard.is_empty() {
                heard.push(0);
            }
            respondent.heard = Some(heard);
        }
        if rng.below(10) < 4 {
            respondent.opinion = Some(PHRASES[rng.below(PHRASES.len())]);
        }
        respondent
    }

    fn answers(&self) -> Value {
        let mut answers = json!({});
        if let Some(g) = self.gender {
            answers["gender"] = json!(GENDERS[g]);
        }
        if let Some(a) = self.age {
            answers["age_band"] = json!(AGES[a]);
        }
        if let Some(s) = self.satisfaction {
            answers["satisfaction"] = json!(s + 1);
        }
        if let Some(heard) = &self.heard {
            answers["heard_from"] = json!(heard.iter().map(|&c| CHANNELS[c]).collect::<Vec<_>>());
        }
        if let Some(opinion) = self.opinion {
            answers["opinion"] = json!(opinion);
        }
        answers
    }
}

struct Dataset {
    app: TestApp,
    respondents: Vec<Respondent>,
}

/// The service with the mini form only, keeping no release once built, so that every release
/// the attacks read is built from the database.
async fn mini_app() -> TestApp {
    mini_app_on(Arc::new(TestDatabase::new()), 0).await
}

/// The service with the mini form only on `database`, keeping `kept` releases once built.
async fn mini_app_on(database: Arc<TestDatabase>, kept: usize) -> TestApp {
    let forms = std::env::temp_dir().join(format!("tsunagari-mini-{}", Uuid::new_v4().simple()));
    std::fs::create_dir_all(&forms).unwrap();
    std::fs::copy(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mini_form.json"),
        forms.join("mini.json"),
    )
    .unwrap();
    TestApp::spawn_with(database, &forms, |config| config.release_cache_documents = kept).await
}

async fn dataset() -> Dataset {
    let app = mini_app().await;
    let mut rng = Lcg(7);
    let mut respondents = Vec::new();
    for (partition, (held_on, kind, size)) in PARTITIONS.iter().enumerate() {
        let event = app
            .create_event(json!({"kind": kind, "title": "会", "held_on": held_on, "form": "mini"}))
            .await;
        let id = event["id"].as_str().unwrap().to_owned();
        for i in 0..*size {
            let mut respondent = Respondent::generate(partition, &mut rng);
            if partition == 2 {
                // The small forum: three men, two who give no gender, nobody "other". Shown
                // zeros make each withheld gender hold someone: merged alone, the five would
                // each be known to be one to four.
                respondent.gender = match i {
                    0..=2 => Some(1),
                    3 | 4 => None,
                    _ => Some(0),
                };
            }
            let sent = app.submit(&id, Uuid::new_v4(), respondent.answers()).await;
            assert_eq!(sent.status(), 201);
            let stored: Value = sent.json().await.unwrap();
            respondent.id = stored["id"].as_str().unwrap().to_owned();
            respondents.push(respondent);
        }
    }
    Dataset { app, respondents }
}

/// Every release a researcher may request of the form: each choice of fiscal year and kind.
async fn releases(app: &TestApp) -> Vec<(Vec<usize>, Value)> {
    let mut releases = Vec::new();
    for (covered, query) in releases_paths() {
        let path = format!("/api/v1/exports/aggregate.json?form=mini{query}");
        let response = app.get(&path, Some(&app.researcher)).await;
        assert_eq!(response.status(), 200, "{path}");
        releases.push((covered, response.json().await.unwrap()));
    }
    releases
}

/// Each choice of fiscal year and kind: the partitions it releases, and its query.
fn releases_paths() -> Vec<(Vec<usize>, String)> {
    let mut paths = Vec::new();
    for year in [None, Some("2024"), Some("2025")] {
        for kind in [None, Some("seminar"), Some("forum")] {
            let mut query = String::new();
            if let Some(year) = year {
                query += &format!("&fiscal_year={year}");
            }
            if let Some(kind) = kind {
                query += &format!("&kind={kind}");
            }
            let covered: Vec<usize> = PARTITIONS
                .iter()
                .enumerate()
                .filter(|(_, (held_on, k, size))| {
                    year.is_none_or(|y| fiscal_year(held_on) == y)
                        && kind.is_none_or(|kind| kind == *k)
                        && *size as u64 >= MIN_CELL
                })
                .map(|(i, _)| i)
                .collect();
            paths.push((covered, query));
        }
    }
    paths
}

/// Codes every comment with the mini codebook's themes (each phrase always the same way).
async fn code_every_comment(dataset: &Dataset) {
    let app = &dataset.app;
    let themes: Vec<Value> = THEMES
        .iter()
        .map(|id| json!({"id": id, "label": {"ja": id, "en": id}}))
        .collect();
    let book = json!({"title": {"ja": "小さなテーマ", "en": "Mini themes"}, "themes": themes});
    let put = app
        .send_json(
            reqwest::Method::PUT,
            "/api/v1/codebooks/mini",
            Some(&app.analyst),
            &book,
        )
        .await;
    assert_eq!(put.status(), 201);
    for respondent in &dataset.respondents {
        let Some(opinion) = respondent.opinion else {
            continue;
        };
        let coding = json!({"codebook": "mini", "item": {"response": respondent.id, "question": "opinion"}, "themes": themes_of(opinion)});
        let coded = app
            .send_json(reqwest::Method::PUT, "/api/v1/codings", Some(&app.analyst), &coding)
            .await;
        assert_eq!(coded.status(), 201);
    }
}

/// Every theme table a researcher may request: each choice of fiscal year and kind, in total and
/// by each grouping.
async fn theme_releases(app: &TestApp) -> Vec<(Vec<usize>, Option<&'static str>, Value)> {
    let mut releases = Vec::new();
    for (covered, release) in releases_paths() {
        for by in [
            None,
            Some("fiscal_year"),
            Some("kind"),
            Some("gender"),
            Some("age_band"),
        ] {
            let mut path = format!("/api/v1/analysis/themes?form=mini&codebook=mini{release}");
            if let Some(by) = by {
                path += &format!("&by={by}");
            }
            let response = app.get(&path, Some(&app.researcher)).await;
            assert_eq!(response.status(), 200, "{path}");
            releases.push((covered.clone(), by, response.json().await.unwrap()));
        }
    }
    releases
}

fn fiscal_year(held_on: &str) -> &'static str {
    if held_on < "2025-04-01" {
        "2024"
    } else {
        "2025"
    }
}

/// A linear expression over the unknowns.
type Expr = Vec<(usize, f64)>;

/// The attacker's model: unknown counts, the constraints known about them, and the withheld
/// figures to bound.
#[derive(Default)]
struct Model {
    names: HashMap<String, usize>,
    constraints: Vec<(Expr, ComparisonOp, f64)>,
    /// What the releases withhold.
    withheld: Vec<(String, Expr)>,
    truth: Vec<f64>,
    terms: Vec<String>,
    /// Withheld figures the layout says hold someone.
    known_to_hold_someone: usize,
}

const G: usize = 0;
const A: usize = 1;

impl Model {
    fn var(&mut self, name: String) -> usize {
        let next = self.names.len();
        *self.names.entry(name).or_insert(next)
    }

    /// Gender (`G`) or age (`A`) index `u` by satisfaction, and gender by age: the cross-tables of
    /// the single-answer variables, category 3 being "skipped".
    fn pair(&mut self, p: usize, pair: &str, i: usize, j: usize) -> usize {
        self.var(format!("{p}:{pair}[{i}][{j}]"))
    }

    /// Binary variable `b` (answered, a channel, commented, a term) by attribute `u`.
    fn binary(&mut self, p: usize, b: &str, u: usize, yes: bool, w: usize) -> usize {
        self.var(format!("{p}:{b}/{u}[{}][{w}]", u8::from(yes)))
    }

    fn sum(&mut self, partitions: &[usize], mut cells: impl FnMut(&mut Self, usize) -> Vec<usize>) -> Expr {
        let mut expr = Expr::new();
        for &p in partitions {
            for v in cells(self, p) {
                expr.push((v, 1.0));
            }
        }
        expr
    }

    fn equal(&mut self, left: Expr, right: Expr) {
        let mut expr = left;
        expr.extend(right.into_iter().map(|(v, c)| (v, -c)));
        self.constraints.push((expr, ComparisonOp::Eq, 0.0));
    }

    /// A published figure: a constraint if shown, a figure to bound if withheld. Shown counts
    /// must never be a figure about 1 to `MIN_CELL - 1` people.
    fn figure(&mut self, what: String, value: &Value, expr: Expr) {
        match value.as_u64() {
            Some(shown) => {
                assert!(shown == 0 || shown >= MIN_CELL, "{what} shows {shown}");
                self.constraints.push((expr, ComparisonOp::Eq, shown as f64));
            }
            None => {
                assert!(value.is_null(), "{what}: {value}");
                self.withheld.push((what, expr));
            }
        }
    }

    /// What the layout of a one-way list (the counts of a question's options, or of a list's
    /// values, in everyone) says without numbers: where it shows a zero, the method shows zeros
    /// there, so each figure it withholds holds someone.
    fn one_way_list(&mut self, figures: Vec<(&Value, Expr)>) {
        if figures.iter().any(|(value, _)| value.as_u64() == Some(0)) {
            for (_, expr) in figures.into_iter().filter(|(value, _)| value.is_null()) {
                self.constraints.push((expr, ComparisonOp::Ge, 1.0));
                self.known_to_hold_someone += 1;
            }
        }
    }

    fn bound(&self, expr: &Expr, direction: OptimizationDirection) -> f64 {
        let mut objective = vec![0.0; self.names.len()];
        for &(v, c) in expr {
            objective[v] += c;
        }
        let mut problem = Problem::new(direction);
        let vars: Vec<_> = objective
            .iter()
            .map(|&c| problem.add_integer_var(c, (0, i32::MAX)))
            .collect();
        for (expr, op, rhs) in &self.constraints {
            problem.add_constraint(expr.iter().map(|&(v, c)| (vars[v], c)).collect::<Vec<_>>(), *op, *rhs);
        }
        match problem.solve() {
            Ok(SolveOutcome::Solution(solution)) => solution.objective(),
            other => panic!("the attacker's model has no solution: {other:?}"),
        }
    }

    fn value(&self, expr: &Expr) -> f64 {
        expr.iter()
            .map(|&(v, c)| self.truth.get(v).copied().unwrap_or(0.0) * c)
            .sum()
    }
}

/// The index of a group's key among `values`, 3 for those who skipped it.
fn index_of(values: &[&str], key: &Value) -> usize {
    key.as_str()
        .and_then(|k| values.iter().position(|v| *v == k))
        .unwrap_or(3)
}

fn attribute_values(attribute: &str) -> &'static [&'static str] {
    if attribute == "gender" {
        &GENDERS
    } else {
        &AGES
    }
}

/// The model of everything researchers can fetch, and the true counts behind it.
fn model(
    dataset: &Dataset,
    releases: &[(Vec<usize>, Value)],
    theme_releases: &[(Vec<usize>, Option<&str>, Value)],
    terms: &[String],
) -> Model {
    let mut m = Model {
        terms: terms.to_vec(),
        ..Model::default()
    };
    let released: Vec<usize> = (0..PARTITIONS.len())
        .filter(|&p| PARTITIONS[p].2 as u64 >= MIN_CELL)
        .collect();
    let mut binaries: Vec<String> = ["heard", "commented"].map(str::to_owned).to_vec();
    binaries.extend(CHANNELS.iter().map(|c| (*c).to_owned()));
    binaries.extend(terms.iter().map(|t| format!("t:{t}")));
    binaries.extend(THEMES.iter().map(|t| format!("th:{t}")));
    // What holds in any data: the tables of one partition share their margins.
    for &p in &released {
        for g in 0..4 {
            let by_age = m.sum(&[p], |m, p| (0..4).map(|a| m.pair(p, "GA", g, a)).collect());
            let by_satisfaction = m.sum(&[p], |m, p| (0..4).map(|s| m.pair(p, "GS", g, s)).collect());
            m.equal(by_age.clone(), by_satisfaction);
            for b in &binaries {
                let binary = m.sum(&[p], |m, p| {
                    vec![m.binary(p, b, G, true, g), m.binary(p, b, G, false, g)]
                });
                m.equal(by_age.clone(), binary);
            }
        }
        for a in 0..4 {
            let by_gender = m.sum(&[p], |m, p| (0..4).map(|g| m.pair(p, "GA", g, a)).collect());
            let by_satisfaction = m.sum(&[p], |m, p| (0..4).map(|s| m.pair(p, "AS", a, s)).collect());
            m.equal(by_gender.clone(), by_satisfaction);
            for b in &binaries {
                let binary = m.sum(&[p], |m, p| {
                    vec![m.binary(p, b, A, true, a), m.binary(p, b, A, false, a)]
                });
                m.equal(by_gender.clone(), binary);
            }
        }
        for s in 0..4 {
            let by_gender = m.sum(&[p], |m, p| (0..4).map(|g| m.pair(p, "GS", g, s)).collect());
            let by_age = m.sum(&[p], |m, p| (0..4).map(|a| m.pair(p, "AS", a, s)).collect());
            m.equal(by_gender, by_age);
        }
        for b in &binaries {
            let by_gender = m.sum(&[p], |m, p| (0..4).map(|w| m.binary(p, b, G, true, w)).collect());
            let by_age = m.sum(&[p], |m, p| (0..4).map(|w| m.binary(p, b, A, true, w)).collect());
            m.equal(by_gender, by_age);
        }
        // Ticks need an answer, and an answer at least one tick; terms need a comment.
        for u in [G, A] {
            for w in 0..4 {
                let answered = m.binary(p, "heard", u, true, w);
                let commented = m.binary(p, "commented", u, true, w);
                let mut ticks = vec![(answered, -1.0)];
                for channel in CHANNELS {
                    let tick = m.binary(p, channel, u, true, w);
                    ticks.push((tick, 1.0));
                    m.constraints
                        .push((vec![(tick, 1.0), (answered, -1.0)], ComparisonOp::Le, 0.0));
                }
                m.constraints.push((ticks, ComparisonOp::Ge, 0.0));
                // Every comment is coded: a theme needs a comment.
                let marks = terms
                    .iter()
                    .map(|t| format!("t:{t}"))
                    .chain(THEMES.map(|t| format!("th:{t}")));
                for mark in marks {
                    let uses = m.binary(p, &mark, u, true, w);
                    m.constraints
                        .push((vec![(uses, 1.0), (commented, -1.0)], ComparisonOp::Le, 0.0));
                }
            }
        }
    }
    for (covered, release) in releases {
        read_release(&mut m, covered, release);
    }
    for (covered, by, release) in theme_releases {
        read_themes(&mut m, covered, *by, release);
    }
    m.truth = vec![0.0; m.names.len()];
    for r in &dataset.respondents {
        let p = r.partition;
        if !released.contains(&p) {
            continue;
        }
        let (g, a, s) = (r.gender.unwrap_or(3), r.age.unwrap_or(3), r.satisfaction.unwrap_or(3));
        let count = |m: &mut Model, v: usize| {
            if v < m.truth.len() {
                m.truth[v] += 1.0;
            }
        };
        for v in [m.pair(p, "GA", g, a), m.pair(p, "GS", g, s), m.pair(p, "AS", a, s)] {
            count(&mut m, v);
        }
        let words: BTreeSet<&str> = r.opinion.map(|o| o.split(' ').collect()).unwrap_or_default();
        for b in &binaries {
            let yes = match b.as_str() {
                "heard" => r.heard.is_some(),
                "commented" => r.opinion.is_some(),
                channel if CHANNELS.contains(&channel) => {
                    let c = CHANNELS.iter().position(|x| *x == channel).unwrap();
                    r.heard.as_ref().is_some_and(|h| h.contains(&c))
                }
                theme if theme.starts_with("th:") => r
                    .opinion
                    .is_some_and(|o| themes_of(o).contains(&theme.trim_start_matches("th:"))),
                term => words.contains(term.trim_start_matches("t:")),
            };
            for (u, w) in [(G, g), (A, a)] {
                let v = m.binary(p, b, u, yes, w);
                count(&mut m, v);
            }
        }
    }
    m
}

/// Every figure of one release as constraints or withheld figures.
fn read_release(m: &mut Model, covered: &[usize], release: &Value) {
    let label = |what: &str| format!("{covered:?} {what}");
    let everyone = m.sum(covered, |m, p| {
        (0..4)
            .flat_map(|g| (0..4).map(move |a| (g, a)))
            .map(|(g, a)| m.pair(p, "GA", g, a))
            .collect()
    });
    m.figure(label("responses"), &release["responses"], everyone);
    for question in release["questions"].as_array().unwrap() {
        let id = question["id"].as_str().unwrap();
        let merged_of = |options: &Value| -> Vec<usize> {
            let values = question_values(id);
            let values: Vec<&str> = values.iter().map(String::as_str).collect();
            options
                .as_array()
                .into_iter()
                .flatten()
                .map(|o| index_of(&values, o))
                .collect()
        };
        for (attribute, table) in question["by"].as_object().unwrap() {
            assert_every_group_listed(attribute, table);
            let merged = merged_of(&table["merged"]["options"]);
            for group in table["groups"].as_array().unwrap() {
                let w = index_of(attribute_values(attribute), &group["key"][attribute]);
                let what = |f: &str| label(&format!("{id} by {attribute}={}: {f}", group["key"][attribute]));
                read_cell(m, covered, id, Some((attribute, &[w])), &merged, group, &what);
            }
            // The merged groups as one: every figure of it a sum over them.
            if let Some((together, rows)) = merged_group(attribute, table) {
                let what = |f: &str| label(&format!("{id} by {attribute} in {rows:?}: {f}"));
                read_cell(m, covered, id, Some((attribute, &rows)), &merged, together, &what);
            }
        }
        let merged = merged_of(&question["merged_options"]);
        read_cell(m, covered, id, None, &merged, &question["total"], &|f: &str| {
            label(&format!("{id} total: {f}"))
        });
    }
    for opinion in release["opinions"].as_array().unwrap() {
        read_terms(m, covered, None, &opinion["total"], &label("opinion total"));
        for (attribute, table) in opinion["by"].as_object().unwrap() {
            assert_every_group_listed(attribute, table);
            for group in table["groups"].as_array().unwrap() {
                let w = index_of(attribute_values(attribute), &group["key"][attribute]);
                let what = label(&format!("opinion by {attribute}={}", group["key"][attribute]));
                read_terms(m, covered, Some((attribute_axis(attribute), &[w])), group, &what);
            }
            if let Some((together, rows)) = merged_group(attribute, table) {
                let what = label(&format!("opinion by {attribute} in {rows:?}"));
                read_terms(m, covered, Some((attribute_axis(attribute), &rows)), together, &what);
            }
        }
    }
}

/// The merged groups a table shows as one, and the categories of `attribute` they hold.
fn merged_group<'a>(attribute: &str, table: &'a Value) -> Option<(&'a Value, Vec<usize>)> {
    let together = &table["merged"]["group"];
    let values = together["values"].as_array()?;
    let rows = values
        .iter()
        .map(|v| index_of(attribute_values(attribute), v))
        .collect();
    Some((together, rows))
}

/// The unknowns of binary variable `b` in the groups `rows` of attribute `u` (or everyone).
fn binary_in_rows(m: &mut Model, p: usize, b: &str, rows: Option<(usize, &[usize])>) -> Vec<usize> {
    match rows {
        Some((u, rows)) => rows.iter().flat_map(|&w| binary_cells(m, p, b, Some((u, w)))).collect(),
        None => binary_cells(m, p, b, None),
    }
}

/// A table lists every category of its attribute and those who did not answer it, whatever
/// the data: a listed group is not known to hold anyone, nor a missing one to be empty.
fn assert_every_group_listed(attribute: &str, table: &Value) {
    let listed: BTreeSet<usize> = groups_of(table)
        .map(|group| index_of(attribute_values(attribute), &group["key"][attribute]))
        .collect();
    assert_eq!(listed, (0..4).collect(), "groups by {attribute}: {table}");
}

fn attribute_axis(attribute: &str) -> usize {
    if attribute == "gender" {
        G
    } else {
        A
    }
}

/// The unknowns behind category `v` of a single-answer question in a row `row` (or everyone).
fn single_cells(m: &mut Model, p: usize, question: &str, row: Option<(&str, usize)>, v: usize) -> Vec<usize> {
    match (question, row) {
        ("gender", Some(("age_band", w))) => vec![m.pair(p, "GA", v, w)],
        ("age_band", Some(("gender", w))) => vec![m.pair(p, "GA", w, v)],
        ("satisfaction", Some(("gender", w))) => vec![m.pair(p, "GS", w, v)],
        ("satisfaction", Some(("age_band", w))) => vec![m.pair(p, "AS", w, v)],
        ("gender", None) => (0..4).map(|a| m.pair(p, "GA", v, a)).collect(),
        ("age_band", None) => (0..4).map(|g| m.pair(p, "GA", g, v)).collect(),
        ("satisfaction", None) => (0..4).map(|g| m.pair(p, "GS", g, v)).collect(),
        other => panic!("unexpected table {other:?}"),
    }
}

fn binary_cells(m: &mut Model, p: usize, b: &str, row: Option<(usize, usize)>) -> Vec<usize> {
    match row {
        Some((u, w)) => vec![m.binary(p, b, u, true, w)],
        None => (0..4).map(|w| m.binary(p, b, G, true, w)).collect(),
    }
}

/// The values of a single-answer question, in the model's order (index 3 is "skipped").
fn question_values(id: &str) -> Vec<String> {
    match id {
        "satisfaction" => (1..=3).map(|v| v.to_string()).collect(),
        other => attribute_values(other).iter().map(|v| (*v).to_owned()).collect(),
    }
}

/// A group's figures (or everyone's): `rows` are the attribute's categories it holds, more than
/// one for merged groups shown together; `merged` the question's categories its
/// `merged_count` counts together.
fn read_cell(
    m: &mut Model,
    covered: &[usize],
    id: &str,
    row: Option<(&str, &[usize])>,
    merged: &[usize],
    cell: &Value,
    what: &dyn Fn(&str) -> String,
) {
    let in_rows = |m: &mut Model, p: usize, v: usize| -> Vec<usize> {
        match row {
            Some((attribute, rows)) => rows
                .iter()
                .flat_map(|&w| single_cells(m, p, id, Some((attribute, w)), v))
                .collect(),
            None => single_cells(m, p, id, None, v),
        }
    };
    if !merged.is_empty() {
        let together = m.sum(covered, |m, p| merged.iter().flat_map(|&v| in_rows(m, p, v)).collect());
        match cell.get("merged_count") {
            Some(shown) => m.figure(what("merged options"), shown, together),
            None => m.withheld.push((what("merged options"), together)),
        }
    }
    if id == "heard_from" {
        let rows = row.map(|(attribute, rows)| (attribute_axis(attribute), rows));
        let ticked = |m: &mut Model, p: usize, b: &str| binary_in_rows(m, p, b, rows);
        let n = m.sum(covered, |m, p| ticked(m, p, "heard"));
        m.figure(what("n"), &cell["n"], n);
        let mut list = Vec::new();
        for channel in CHANNELS {
            let count = m.sum(covered, |m, p| ticked(m, p, channel));
            let shown = cell["counts"].get(channel).unwrap_or(&Value::Null);
            m.figure(what(channel), shown, count.clone());
            list.push((shown, count));
        }
        if row.is_none() {
            m.one_way_list(list);
        }
        return;
    }
    let values = question_values(id);
    let n = m.sum(covered, |m, p| (0..3).flat_map(|v| in_rows(m, p, v)).collect());
    m.figure(what("n"), &cell["n"], n.clone());
    let mut list = Vec::new();
    for (v, value) in values.iter().enumerate() {
        let count = m.sum(covered, |m, p| in_rows(m, p, v));
        let shown = cell["counts"].get(value).unwrap_or(&Value::Null);
        m.figure(what(value), shown, count.clone());
        list.push((shown, count));
    }
    if row.is_none() {
        // Those who skipped it are a category too, withheld with `n`.
        if cell["n"].is_null() {
            let skipped = m.sum(covered, |m, p| single_cells(m, p, id, None, 3));
            list.push((&Value::Null, skipped));
        }
        m.one_way_list(list);
    }
    if let (Some(mean), Some(count)) = (cell["mean"].as_f64(), cell["n"].as_u64()) {
        // sum of x and of x squared over the group, as the mean and sd give them
        let moment = |m: &mut Model, power: i32| -> Expr {
            let mut expr = Expr::new();
            for v in 0..3 {
                let x = (v + 1) as f64;
                for c in m.sum(covered, |m, p| in_rows(m, p, v)) {
                    expr.push((c.0, x.powi(power)));
                }
            }
            expr
        };
        let total = mean * count as f64;
        let first = moment(m, 1);
        m.constraints.push((first.clone(), ComparisonOp::Le, total + 1e-6));
        m.constraints.push((first, ComparisonOp::Ge, total - 1e-6));
        if let Some(sd) = cell["sd"].as_f64() {
            let squares = (count as f64 - 1.0) * sd * sd + count as f64 * mean * mean;
            let second = moment(m, 2);
            m.constraints.push((second.clone(), ComparisonOp::Le, squares + 1e-6));
            m.constraints.push((second, ComparisonOp::Ge, squares - 1e-6));
        }
    }
}

/// A term table's cell: its comments and the terms it lists; a term it leaves out is withheld.
fn read_terms(m: &mut Model, covered: &[usize], row: Option<(usize, &[usize])>, cell: &Value, what: &str) {
    let comments = m.sum(covered, |m, p| binary_in_rows(m, p, "commented", row));
    m.figure(format!("{what}: comments"), &cell["comments"], comments);
    let listed: HashMap<String, Value> = cell["terms"]
        .as_array()
        .map(|terms| {
            terms
                .iter()
                .map(|t| (t["term"].as_str().unwrap().to_owned(), t["comments"].clone()))
                .collect()
        })
        .unwrap_or_default();
    for term in m.terms.clone() {
        let uses = m.sum(covered, |m, p| binary_in_rows(m, p, &format!("t:{term}"), row));
        match listed.get(&term) {
            Some(shown) => m.figure(format!("{what}: {term}"), shown, uses),
            None => m.withheld.push((format!("{what}: {term}"), uses)),
        }
    }
}

/// Every figure of one theme table as constraints or withheld figures: a group's items are its
/// comments (all coded), its counts the comments with each theme.
fn read_themes(m: &mut Model, covered: &[usize], by: Option<&str>, release: &Value) {
    let label = |what: String| format!("{covered:?} themes by {by:?} {what}");
    read_theme_cell(m, covered, None, &release["total"], &label("total".to_owned()));
    for group in release["groups"].as_array().unwrap() {
        let key = &group["key"];
        let what = label(key.to_string());
        match by {
            Some("fiscal_year") => {
                let year: Vec<usize> = covered
                    .iter()
                    .copied()
                    .filter(|&p| key["fiscal_year"] == fiscal_year(PARTITIONS[p].0))
                    .collect();
                read_theme_cell(m, &year, None, group, &what);
            }
            Some("kind") => {
                let kind: Vec<usize> = covered
                    .iter()
                    .copied()
                    .filter(|&p| key["kind"] == PARTITIONS[p].1)
                    .collect();
                read_theme_cell(m, &kind, None, group, &what);
            }
            Some(attribute) => {
                assert_every_group_listed(attribute, release);
                let w = index_of(attribute_values(attribute), &key[attribute]);
                read_theme_cell(m, covered, Some((attribute_axis(attribute), w)), group, &what);
            }
            None => panic!("a total has no groups: {release}"),
        }
    }
}

fn read_theme_cell(m: &mut Model, covered: &[usize], row: Option<(usize, usize)>, cell: &Value, what: &str) {
    let items = m.sum(covered, |m, p| binary_cells(m, p, "commented", row));
    m.figure(format!("{what}: items"), &cell["items"], items);
    let mut list = Vec::new();
    for theme in THEMES {
        let count = m.sum(covered, |m, p| binary_cells(m, p, &format!("th:{theme}"), row));
        let shown = cell["counts"].get(theme).unwrap_or(&Value::Null);
        m.figure(format!("{what}: {theme}"), shown, count.clone());
        list.push((shown, count));
    }
    if row.is_none() {
        m.one_way_list(list);
    }
}

fn listed_terms(release: &Value) -> Vec<String> {
    let mut terms = Vec::new();
    for opinion in release["opinions"].as_array().unwrap() {
        let mut cells = vec![&opinion["total"]];
        for table in opinion["by"].as_object().unwrap().values() {
            cells.extend(table["groups"].as_array().unwrap());
        }
        for cell in cells {
            for term in cell["terms"].as_array().into_iter().flatten() {
                terms.push(term["term"].as_str().unwrap().to_owned());
            }
        }
    }
    terms
}

#[tokio::test]
async fn no_withheld_figure_can_be_narrowed_below_min_cell() {
    let dataset = dataset().await;
    code_every_comment(&dataset).await;
    let releases = releases(&dataset.app).await;
    let theme_releases = theme_releases(&dataset.app).await;
    let terms: BTreeSet<String> = releases.iter().flat_map(|(_, r)| listed_terms(r)).collect();
    assert!(!terms.is_empty(), "some terms are common enough to list");
    for term in &terms {
        assert!(PHRASES.iter().any(|p| p.split(' ').any(|w| w == term)), "{term}");
    }
    let terms: Vec<String> = terms.into_iter().collect();
    // Merged categories are shown together somewhere, so the model reads such figures too.
    let merged_figures: usize = releases
        .iter()
        .flat_map(|(_, r)| r["questions"].as_array().unwrap())
        .flat_map(|q| q["by"].as_object().unwrap().values())
        .map(|table| {
            let group = &table["merged"]["group"];
            let counts = group["counts"].as_object().into_iter().flatten();
            let in_groups = groups_of(table).filter(|g| g["merged_count"].is_u64()).count();
            in_groups + counts.filter(|(_, c)| c.is_u64()).count() + usize::from(group["merged_count"].is_u64())
        })
        .sum();
    assert!(merged_figures > 0, "no figure of merged categories is shown");
    let merged_opinion_groups = releases
        .iter()
        .flat_map(|(_, r)| r["opinions"].as_array().unwrap())
        .flat_map(|o| o["by"].as_object().unwrap().values())
        .filter(|table| table["merged"]["group"]["comments"].is_u64())
        .count();
    assert!(
        merged_opinion_groups > 0,
        "no merged group of an opinion table is shown"
    );
    // Ticks are shown beside a withheld `n` somewhere, so the model weighs those too.
    let ticks_beside_withheld_n = releases
        .iter()
        .flat_map(|(_, r)| r["questions"].as_array().unwrap())
        .filter(|q| q["id"] == "heard_from")
        .flat_map(|q| q["by"].as_object().unwrap().values())
        .flat_map(groups_of)
        .filter(|g| g["n"].is_null() && CHANNELS.iter().any(|c| g["counts"][c].is_u64()))
        .count();
    assert!(ticks_beside_withheld_n > 0, "no tick is shown beside a withheld n");
    let theme_counts_by_attribute = |shown: bool| {
        theme_releases
            .iter()
            .filter(|(_, by, _)| matches!(by, Some("gender" | "age_band")))
            .flat_map(|(_, _, release)| release["groups"].as_array().unwrap())
            .flat_map(|group| THEMES.map(|t| group["counts"].get(t).cloned().unwrap_or_default()))
            .filter(|count| count.is_u64() == shown)
            .count()
    };
    assert!(
        theme_counts_by_attribute(true) > 0 && theme_counts_by_attribute(false) > 0,
        "themes by attribute show some counts and withhold others"
    );
    let model = model(&dataset, &releases, &theme_releases, &terms);
    assert!(
        model.known_to_hold_someone > 0,
        "the dataset shows zeros beside withheld figures, so the layout's facts are audited"
    );
    assert_nothing_narrows(&model, 20);
}

/// Checks the true counts fit the model, then bounds every figure about 1 to `MIN_CELL - 1`
/// people (those withheld, and every count of one partition's cross-tables, published or not):
/// each must keep a range of `MIN_CELL`. At least `at_least` such figures must be audited.
fn assert_nothing_narrows(model: &Model, at_least: usize) {
    for (expr, op, rhs) in &model.constraints {
        let value = model.value(expr);
        let holds = match op {
            ComparisonOp::Eq => (value - rhs).abs() < 1e-4,
            ComparisonOp::Le => value <= rhs + 1e-4,
            _ => value >= rhs - 1e-4,
        };
        assert!(holds, "the true counts break a published figure: {value} {op:?} {rhs}");
    }
    let mut names: Vec<(&String, &usize)> = model.names.iter().collect();
    names.sort_by_key(|(_, &v)| v);
    let unknowns = names
        .into_iter()
        .map(|(name, &v)| (format!("unknown {name}"), vec![(v, 1.0)]));
    let withheld = model.withheld.iter().cloned();
    let mut audited = BTreeSet::new();
    let mut narrow = Vec::new();
    for (what, expr) in withheld.chain(unknowns) {
        let truth = model.value(&expr);
        let mut key: Vec<(usize, i64)> = expr.iter().map(|&(v, c)| (v, c as i64)).collect();
        key.sort_unstable();
        let sensitive = truth > 0.5 && truth < MIN_CELL as f64 - 0.5;
        if !sensitive || !audited.insert(key) {
            continue;
        }
        let expr = &expr;
        let low = model.bound(expr, OptimizationDirection::Minimize);
        let high = model.bound(expr, OptimizationDirection::Maximize);
        if high - low < MIN_CELL as f64 - 1e-6 {
            narrow.push(format!(
                "{what}: truly {truth}, yet only {low:.2}..={high:.2} fits the releases"
            ));
        }
    }
    assert!(
        audited.len() >= at_least,
        "the dataset withholds enough to test: {}",
        audited.len()
    );
    assert!(
        narrow.is_empty(),
        "{} of {} withheld figures narrowed: {narrow:#?}",
        narrow.len(),
        audited.len()
    );
}

/// The groups of a table by an attribute.
fn groups_of(table: &Value) -> impl Iterator<Item = &Value> {
    table["groups"].as_array().into_iter().flatten()
}

/// A table that withholds some of its groups is still tested, on the groups and options whose
/// counts are all shown (named in `test_rests_on`), which adds nothing to those counts.
#[tokio::test]
async fn a_table_withholding_a_group_is_tested_on_what_it_shows() {
    let app = mini_app().await;
    let event = app
        .create_event(json!({"kind": "seminar", "title": "会", "held_on": "2024-06-13", "form": "mini"}))
        .await;
    let id = event["id"].as_str().unwrap();
    // Women and men answer every point; the four "other" and three without a gender, too few
    // apart, are withheld together, and all of them give 3.
    let people = [("female", [10, 10, 20]), ("male", [10, 15, 15])];
    let mut answers: Vec<Value> = Vec::new();
    for (gender, counts) in people {
        for (point, &count) in counts.iter().enumerate() {
            answers.extend((0..count).map(|_| json!({"gender": gender, "satisfaction": point + 1})));
        }
    }
    answers.extend((0..4).map(|_| json!({"gender": "other", "satisfaction": 3})));
    answers.extend((0..3).map(|_| json!({"satisfaction": 3})));
    for answer in answers {
        assert_eq!(app.submit(id, Uuid::new_v4(), answer).await.status(), 201);
    }
    let path = "/api/v1/exports/aggregate.json?form=mini";
    let release: Value = app.get(path, Some(&app.researcher)).await.json().await.unwrap();
    let satisfaction = release["questions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["id"] == "satisfaction")
        .unwrap();
    let by_gender = &satisfaction["by"]["gender"];
    assert_eq!(
        by_gender["test_rests_on"],
        json!({"groups": ["female", "male"], "options": ["1", "2", "3"]}),
        "{by_gender}"
    );
    assert_eq!(
        (by_gender["test"]["n"].clone(), by_gender["test"]["df"].clone()),
        (json!(80), json!(2))
    );
    assert_eq!(
        crate::common::tests_rest_on_shown_counts(&release),
        1,
        "one tested table withholds a group"
    );
}

/// A fiscal year's section shows exactly what the release filtered to that year shows, so it
/// adds nothing an attacker could not already fetch (and the model above already reads).
#[tokio::test]
async fn each_fiscal_years_section_is_the_release_of_that_year() {
    let dataset = dataset().await;
    let releases = releases(&dataset.app).await;
    let filtered = |year: i64, kind: &Value| {
        releases
            .iter()
            .find(|(_, r)| r["filters"]["fiscal_year"].as_i64() == Some(year) && r["filters"]["kind"] == *kind)
            .map(|(_, r)| r)
            .unwrap()
    };
    let mut sections_seen = 0;
    for (covered, release) in &releases {
        let kind = &release["filters"]["kind"];
        let sections = release["fiscal_years"].as_array().unwrap();
        let mut years: Vec<i64> = covered
            .iter()
            .map(|&p| fiscal_year(PARTITIONS[p].0).parse().unwrap())
            .collect();
        years.sort_unstable();
        years.dedup();
        let listed: Vec<i64> = sections.iter().map(|s| s["fiscal_year"].as_i64().unwrap()).collect();
        assert_eq!(listed, years, "{covered:?}: each released year once, oldest first");
        for section in sections {
            let year = section["fiscal_year"].as_i64().unwrap();
            let same_year = filtered(year, kind);
            for part in ["responses", "questions", "opinions"] {
                assert_eq!(section[part], same_year[part], "{covered:?} {year} {part}");
            }
            sections_seen += 1;
        }
    }
    assert!(sections_seen >= 8);
    let whole = &releases[0].1;
    assert_eq!(
        whole["fiscal_years"][0]["label"],
        json!({"ja": "R6年度", "en": "FY2024"})
    );
}

#[tokio::test]
async fn each_way_of_unpicking_a_release_finds_nothing() {
    let dataset = dataset().await;
    let app = &dataset.app;
    let releases = releases(app).await;
    let schema: Value = app
        .get("/api/v1/exports/aggregate.schema.json", None)
        .await
        .json()
        .await
        .unwrap();
    let validator = jsonschema::Validator::new(&schema).unwrap();
    for (covered, release) in &releases {
        let problems: Vec<String> = validator
            .iter_errors(release)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        assert!(problems.is_empty(), "{covered:?}: {problems:#?}");
    }
    let mut moments_checked = 0;
    for (covered, release) in &releases {
        for question in release["questions"].as_array().unwrap() {
            let options = crate::common::option_values(question);
            let mut cells: Vec<&Value> = vec![&question["total"]];
            for table in question["by"].as_object().unwrap().values() {
                cells.extend(groups_of(table));
                // A lone withheld count in a column is the total minus the others.
                for option in &options {
                    let withheld = groups_of(table)
                        .filter(|g| g["counts"].get(*option).is_none_or(Value::is_null))
                        .count();
                    assert_ne!(withheld, 1, "{covered:?} {} {option}", question["id"]);
                }
                // Suppressed groups show nothing, not even whether anyone is in them.
                for group in groups_of(table).filter(|g| g["suppressed"] == true) {
                    assert!(group["n"].is_null() && group["counts"].is_null(), "{group}");
                }
            }
            // n x mean, and sd, give nothing where a count is withheld.
            for cell in cells {
                let withheld = options
                    .iter()
                    .any(|o| cell["counts"].get(*o).is_none_or(Value::is_null));
                if withheld || cell["n"].is_null() {
                    for moment in ["mean", "sd", "ci95"] {
                        assert!(
                            cell.get(moment).is_none_or(Value::is_null),
                            "{covered:?} {moment} beside withheld counts: {cell}"
                        );
                    }
                } else if cell["mean"].is_number() {
                    moments_checked += 1;
                }
            }
        }
        // A table and its transposition withhold the same cells.
        if release["responses"].is_null() {
            continue;
        }
        let question = |id: &str| {
            release["questions"]
                .as_array()
                .unwrap()
                .iter()
                .find(|q| q["id"] == id)
                .unwrap()
        };
        for gender in GENDERS {
            for age in AGES {
                let by_age = groups_of(&question("gender")["by"]["age_band"]).find(|g| g["key"]["age_band"] == age);
                let by_gender = groups_of(&question("age_band")["by"]["gender"]).find(|g| g["key"]["gender"] == gender);
                let cell = |group: Option<&Value>, option: &str| group.map(|g| g["counts"][option].clone());
                match (cell(by_age, gender), cell(by_gender, age)) {
                    (Some(one), Some(other)) => assert_eq!(one, other, "{covered:?} {gender} x {age}"),
                    // An empty group is not listed, and its cells are zeros or withheld elsewhere.
                    (Some(shown), None) | (None, Some(shown)) => assert!(shown == 0 || shown.is_null()),
                    (None, None) => {}
                }
            }
        }
    }
    assert!(moments_checked > 0, "some groups are shown whole, with their moments");

    // Differencing: a partition too small to release adds nothing to any release.
    let release_of = |year: &str, kind: Option<&str>| {
        let wanted = (Some(year.parse::<i64>().unwrap()), kind);
        releases
            .iter()
            .find(|(_, r)| (r["filters"]["fiscal_year"].as_i64(), r["filters"]["kind"].as_str()) == wanted)
            .map(|(_, r)| (r["responses"].clone(), r["questions"].clone(), r["opinions"].clone()))
            .unwrap()
    };
    assert_eq!(release_of("2024", None), release_of("2024", Some("seminar")));
    assert_eq!(release_of("2024", Some("forum")).0, Value::Null);
    let narrower = [
        "event=6f1c9bde-4b53-4e44-9b9a-6f7d1f4f0c11",
        "from=2025-04-01",
        "to=2025-06-12",
        "min_cell=6",
    ];
    app.assert_parameters_refused("/api/v1/analysis/opinions?form=mini", &app.researcher, &narrower)
        .await;

    // Opinion terms: the researchers' endpoint serves the aggregate's very figures.
    for (covered, release) in &releases {
        let filters = &release["filters"];
        let mut query = String::new();
        if let Some(year) = filters["fiscal_year"].as_i64() {
            query += &format!("&fiscal_year={year}");
        }
        if let Some(kind) = filters["kind"].as_str() {
            query += &format!("&kind={kind}");
        }
        for attribute in ["gender", "age_band"] {
            let served: Value = app
                .get(
                    &format!("/api/v1/analysis/opinions?form=mini&by={attribute}{query}"),
                    Some(&app.researcher),
                )
                .await
                .json()
                .await
                .unwrap();
            if release["responses"].is_null() {
                assert_eq!(
                    (served["comments"].clone(), served["groups"].clone()),
                    (Value::Null, json!([]))
                );
                continue;
            }
            let opinion = &release["opinions"][0];
            assert_eq!(
                served["groups"], opinion["by"][attribute]["groups"],
                "{covered:?} {attribute}"
            );
            assert_eq!(served["total"], opinion["total"], "{covered:?}");
        }
    }
}

#[tokio::test]
async fn later_answers_and_edits_never_change_a_release() {
    let dataset = dataset().await;
    let app = &dataset.app;
    let fetch = |query: &'static str, token: &str| {
        let path = format!("/api/v1/exports/aggregate.json?form=mini{query}");
        let token = token.to_owned();
        async move {
            let mut release: Value = app.get(&path, Some(&token)).await.json().await.unwrap();
            release["generated_at"] = Value::Null;
            release
        }
    };
    let before = fetch("&fiscal_year=2025", &app.researcher).await;
    let everything = fetch("", &app.researcher).await;
    let staff_before = fetch("&fiscal_year=2025", &app.analyst).await;
    assert_eq!(before["responses"], 120 + 26 + 300 - 120);

    // A late answer to a settled year's event, one of its events cancelled, another moved.
    let events: Value = app
        .get("/api/v1/events?fiscal_year=2025", Some(&app.analyst))
        .await
        .json()
        .await
        .unwrap();
    let events = events["events"].as_array().unwrap();
    let seminar = events.iter().find(|e| e["kind"] == "seminar").unwrap()["id"]
        .as_str()
        .unwrap();
    let forum = events.iter().find(|e| e["kind"] == "forum").unwrap()["id"]
        .as_str()
        .unwrap();
    let late = json!({"gender": "other", "age_band": "old", "satisfaction": 1, "opinion": "helpful talk"});
    assert_eq!(app.submit(seminar, Uuid::new_v4(), late).await.status(), 201);
    for (id, change) in [
        (forum, json!({"cancelled": true})),
        (seminar, json!({"held_on": "2024-06-20"})),
    ] {
        let path = format!("/api/v1/events/{id}");
        let response = app
            .send_json(reqwest::Method::PATCH, &path, Some(&app.analyst), &change)
            .await;
        assert_eq!(response.status(), 200, "{change}");
    }

    assert_eq!(
        fetch("&fiscal_year=2025", &app.researcher).await,
        before,
        "a release is frozen"
    );
    assert_eq!(fetch("", &app.researcher).await, everything);
    // Moved again, to a settled year no partition has frozen yet: it stays where it was
    // frozen, and the new partition takes no one already released.
    let path = format!("/api/v1/events/{seminar}");
    let moved = json!({"held_on": "2022-06-09"});
    let response = app
        .send_json(reqwest::Method::PATCH, &path, Some(&app.analyst), &moved)
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        fetch("&fiscal_year=2022", &app.researcher).await["responses"],
        Value::Null
    );
    assert_eq!(fetch("", &app.researcher).await, everything, "nobody is counted twice");
    assert_eq!(fetch("&fiscal_year=2025", &app.researcher).await, before);

    // A database that froze its releases by copying response ids, as before the watermark, is
    // migrated to the same releases, late answers still left out.
    {
        use diesel_migrations::MigrationHarness;
        let mut conn = app.database.connect();
        // Back to before the watermark's migration, those after it first.
        loop {
            let reverted = conn.revert_last_migration(tsunagari::db::MIGRATIONS).unwrap();
            if reverted.to_string() == "20261206000021" {
                break;
            }
            assert!(
                reverted.to_string().as_str() > "20261206000021",
                "the watermark's migration"
            );
        }
        tsunagari::db::run_migrations(&mut conn).unwrap();
    }
    assert_eq!(
        fetch("&fiscal_year=2025", &app.researcher).await,
        before,
        "migrated as frozen"
    );
    assert_eq!(fetch("", &app.researcher).await, everything);
    let staff_after = fetch("&fiscal_year=2025", &app.analyst).await;
    assert_ne!(
        staff_after["responses"], staff_before["responses"],
        "staff see the live data"
    );

    // The fiscal year under way is not released yet.
    let current = app
        .create_event(json!({"kind": "seminar", "title": "会", "held_on": "2026-05-14", "form": "mini"}))
        .await;
    for _ in 0..10 {
        let answers = json!({"gender": "female", "satisfaction": 3});
        app.submit(current["id"].as_str().unwrap(), Uuid::new_v4(), answers)
            .await;
    }
    assert_eq!(
        fetch("&fiscal_year=2026", &app.researcher).await["responses"],
        Value::Null
    );
    assert_eq!(fetch("&fiscal_year=2026", &app.analyst).await["responses"], 10);
}

/// A group whose `n` is withheld with a rectangle through a group where nobody answered (here
/// those who gave no gender) is not the only one withheld among those who answered: its ticks
/// would be the total's less the others'.
#[tokio::test]
async fn a_group_withheld_beside_one_where_nobody_answered_is_not_withheld_alone() {
    let app = mini_app().await;
    let event = app
        .create_event(json!({"kind": "seminar", "title": "会", "held_on": "2025-06-12", "form": "mini"}))
        .await;
    let id = event["id"].as_str().unwrap();
    // In the 2025 seminar's partition: women 20 who answered and 3 who did not, men 15 and 10,
    // and 8 who gave no gender and did not answer.
    let people = [
        (Some(0), 20, true),
        (Some(0), 3, false),
        (Some(1), 15, true),
        (Some(1), 10, false),
        (None, 8, false),
    ];
    let mut respondents = Vec::new();
    for (gender, size, heard) in people {
        for i in 0..size {
            let respondent = Respondent {
                id: String::new(),
                partition: 1,
                gender,
                age: None,
                satisfaction: Some(1),
                heard: heard.then(|| vec![i % 2]),
                opinion: None,
            };
            assert_eq!(app.submit(id, Uuid::new_v4(), respondent.answers()).await.status(), 201);
            respondents.push(respondent);
        }
    }
    let releases = releases(&app).await;
    let release = &releases[0].1;
    let heard = release["questions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["id"] == "heard_from")
        .unwrap();
    let groups: Vec<&Value> = groups_of(&heard["by"]["gender"]).collect();
    let withheld_n = groups.iter().filter(|g| g["n"].is_null()).count();
    assert!(withheld_n >= 2, "{groups:#?}");
    for channel in CHANNELS {
        let answering_withheld = groups
            .iter()
            .filter(|g| g["key"]["gender"].is_string() && g["counts"][channel].is_null())
            .count();
        assert_ne!(answering_withheld, 1, "{channel}: {groups:#?}");
    }
    let dataset = Dataset { app, respondents };
    assert_nothing_narrows(&model(&dataset, &releases, &[], &[]), 1);
}

/// A researcher's release is kept once built, and what a service keeps is what one keeping
/// nothing builds from the database: also once a newly settled year is frozen, and once frozen
/// answers are deleted with their events (as the demo's are).
#[tokio::test]
async fn a_kept_release_is_the_release_built_anew() {
    let database = Arc::new(TestDatabase::new());
    let kept = mini_app_on(database.clone(), 16).await;
    let built = mini_app_on(database, 0).await;
    async fn fetch(app: &TestApp) -> Value {
        let path = "/api/v1/exports/aggregate.json?form=mini";
        let mut release: Value = app.get(path, Some(&app.researcher)).await.json().await.unwrap();
        release["generated_at"] = Value::Null;
        release
    }
    let event_with = |held_on: &'static str, people: usize| {
        let kept = &kept;
        async move {
            let event = kept
                .create_event(json!({"kind": "seminar", "title": "会", "held_on": held_on, "form": "mini"}))
                .await;
            let id = event["id"].as_str().unwrap().to_owned();
            for i in 0..people {
                let gender = ["female", "male"][i % 2];
                let answers = json!({"gender": gender, "satisfaction": 1 + i % 3});
                assert_eq!(kept.submit(&id, Uuid::new_v4(), answers).await.status(), 201);
            }
            Uuid::parse_str(&id).unwrap()
        }
    };
    event_with("2024-06-13", 12).await;
    event_with("2023-06-15", 8).await;
    let first = fetch(&kept).await;
    assert_eq!(first["responses"], 20);
    assert_eq!(fetch(&kept).await, first);
    assert_eq!(fetch(&built).await, first);

    let newly_settled = event_with("2022-06-09", 6).await;
    let with_it = fetch(&kept).await;
    assert_eq!(
        with_it["responses"], 26,
        "the newly settled year is frozen and released"
    );
    assert_eq!(fetch(&built).await, with_it);

    {
        let mut conn = kept.database.connect();
        tsunagari::db::events::mark_demo(&mut conn, &[newly_settled]).unwrap();
        tsunagari::db::events::delete_demo(&mut conn).unwrap();
    }
    let without_it = fetch(&kept).await;
    assert_eq!(without_it, first, "deleted answers leave the release");
    assert_eq!(fetch(&built).await, without_it);
}
