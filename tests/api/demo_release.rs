//! What the researchers' release keeps of the demo programme (`tsunagari demo`: three fiscal
//! years of seminars, forums, study and supervision sessions), form by form, against the same
//! tables unprotected (staff's aggregate with `min_cell=1`): the share of one-way counts and of
//! cross-table cells shown, of cells shown or counted in a shown figure of merged categories, and
//! of groups of 30 or more whose distribution is shown (merged options together). Prints the
//! table (`cargo nextest run demo_release --no-capture`) and fails if a change keeps less.

use serde_json::Value;

use crate::common::TestApp;

#[derive(Default, Clone, Copy)]
struct Kept {
    shown: u64,
    all: u64,
}

impl Kept {
    fn add(&mut self, shown: bool) {
        self.all += 1;
        self.shown += u64::from(shown);
    }

    fn share(self) -> f64 {
        if self.all == 0 {
            return 100.0;
        }
        self.shown as f64 * 100.0 / self.all as f64
    }
}

#[derive(Default)]
struct Utility {
    one_way: Kept,
    cells: Kept,
    together: Kept,
    large_groups: Kept,
}

impl Utility {
    fn absorb(&mut self, other: Utility) {
        for (mine, theirs) in [
            (&mut self.one_way, other.one_way),
            (&mut self.cells, other.cells),
            (&mut self.together, other.together),
            (&mut self.large_groups, other.large_groups),
        ] {
            mine.shown += theirs.shown;
            mine.all += theirs.all;
        }
    }
}

/// The group of `table` whose key is `key`, and whether it is one of the merged groups shown
/// together (then the merged group is returned).
fn holder<'a>(table: &'a Value, attribute: &str, key: &Value) -> Option<&'a Value> {
    let merged = &table["merged"]["group"];
    if merged["values"].as_array().is_some_and(|values| values.contains(key)) {
        return Some(merged);
    }
    table["groups"].as_array()?.iter().find(|g| &g["key"][attribute] == key)
}

fn utility(release: &Value, truth: &Value) -> Utility {
    let mut kept = Utility::default();
    for (question, true_question) in release["questions"]
        .as_array()
        .unwrap()
        .iter()
        .zip(truth["questions"].as_array().unwrap())
    {
        assert_eq!(question["id"], true_question["id"]);
        let options = crate::common::option_values(question);
        for option in &options {
            kept.one_way.add(question["total"]["counts"][option].is_u64());
        }
        for (attribute, true_table) in true_question["by"].as_object().unwrap() {
            let table = &question["by"][attribute];
            let merged_options: Vec<&str> = table["merged"]["options"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .collect();
            for true_group in true_table["groups"].as_array().unwrap() {
                let size = true_group["n"].as_u64().unwrap_or(0);
                if size == 0 {
                    continue;
                }
                let key = &true_group["key"][attribute];
                let own = table["groups"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|g| &g["key"][attribute] == key)
                    .unwrap();
                let holder = holder(table, attribute, key).unwrap();
                let mut whole = true;
                for option in &options {
                    let shown = own["counts"][option].is_u64();
                    let together = match merged_options.contains(option) {
                        true => holder["merged_count"].is_u64(),
                        false => holder["counts"][option].is_u64(),
                    };
                    kept.cells.add(shown);
                    kept.together.add(together);
                    whole &= together;
                }
                if size >= 30 {
                    kept.large_groups.add(whole);
                }
            }
        }
    }
    kept
}

#[tokio::test]
async fn what_the_release_keeps_of_the_demo_programme() {
    let app = TestApp::spawn().await;
    let mut conn = app.database.connect();
    tsunagari::services::demo::load(&mut conn, false).unwrap();
    println!("| release | one-way counts shown | cross-table cells shown | the same, merged ones together | groups of 30+ shown whole, merged options together |");
    println!("|---|---|---|---|---|");
    let mut shares = Vec::new();
    for form in ["seminar", "forum", "study_session"] {
        let path = format!("/api/v1/exports/aggregate.json?form={form}");
        let release: Value = app.get(&path, Some(&app.researcher)).await.json().await.unwrap();
        let truth: Value = app
            .get(&format!("{path}&min_cell=1"), Some(&app.admin))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(
            release["responses"], truth["responses"],
            "{form}: every demo partition is released"
        );
        let years = release["fiscal_years"].as_array().unwrap();
        assert_eq!(years.len(), 3, "{form}");
        let mut each_year = Utility::default();
        for (year, true_year) in years.iter().zip(truth["fiscal_years"].as_array().unwrap()) {
            assert_eq!(
                year["responses"], true_year["responses"],
                "{form} {}",
                year["fiscal_year"]
            );
            each_year.absorb(utility(year, true_year));
        }
        for (label, kept) in [
            ("one fiscal year", each_year),
            ("three years", utility(&release, &truth)),
        ] {
            println!(
                "| {form}, {label} | {:.0} % | {:.0} % | {:.0} % | {:.0} % ({} groups) |",
                kept.one_way.share(),
                kept.cells.share(),
                kept.together.share(),
                kept.large_groups.share(),
                kept.large_groups.all,
            );
            shares.push((form, label, kept));
        }
    }
    // Floors (shares in %; the demo is the same every time): a change that keeps less fails.
    for (form, label, kept) in shares {
        let (one_way, together) = match (form, label) {
            ("seminar", "one fiscal year") => (99.0, 43.0),
            ("seminar", _) => (99.0, 15.0),
            ("forum", "one fiscal year") => (88.0, 40.0),
            ("forum", _) => (85.0, 17.0),
            (_, "one fiscal year") => (94.0, 27.0),
            _ => (90.0, 17.0),
        };
        assert!(
            kept.one_way.share() >= one_way,
            "{form}, {label}: one-way {:.1} %",
            kept.one_way.share()
        );
        assert!(
            kept.together.share() >= together,
            "{form}, {label}: together {:.1} %",
            kept.together.share()
        );
    }
}
