//! How long a breakdown takes on a large frame, as a ratio to a baseline measured in the same run
//! (a hand-written count over the same rows), since these machines are shared and noisy.
//! Run with `cargo bench -p analysis`.

use std::collections::HashMap;
use std::hint::black_box;
use std::time::{Duration, Instant};

use analysis::breakdown::{breakdown, channels};
use analysis::frame::{build_frame, ColumnData};
use analysis::spec::{QuestionType, Variable};

const GENDERS: [&str; 4] = ["female", "male", "other", "no_answer"];
const AGES: [&str; 8] = ["under_20", "20s", "30s", "40s", "50s", "60s", "70_plus", "no_answer"];
const CHANNELS: [&str; 8] = [
    "sns",
    "city_newsletter",
    "newspaper",
    "website",
    "poster_flyer",
    "agency_referral",
    "acquaintance",
    "other",
];

struct Rows {
    gender: Vec<Option<String>>,
    age: Vec<Option<String>>,
    satisfaction: Vec<Option<i64>>,
    heard_from: Vec<Option<Vec<String>>>,
}

fn rows(n: usize) -> Rows {
    let mut state = 42u64;
    let mut next = |below: usize| {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((state >> 33) % below as u64) as usize
    };
    let mut rows = Rows {
        gender: Vec::new(),
        age: Vec::new(),
        satisfaction: Vec::new(),
        heard_from: Vec::new(),
    };
    for _ in 0..n {
        rows.gender.push(Some(GENDERS[next(4)].to_owned()));
        rows.age.push(Some(AGES[next(8)].to_owned()));
        rows.satisfaction.push(Some(1 + next(5) as i64));
        rows.heard_from.push(Some(
            CHANNELS
                .iter()
                .filter(|_| next(3) == 0)
                .map(|c| c.to_string())
                .collect(),
        ));
    }
    rows
}

/// The median of five runs.
fn time(mut run: impl FnMut()) -> Duration {
    let mut times: Vec<Duration> = (0..5)
        .map(|_| {
            let start = Instant::now();
            run();
            start.elapsed()
        })
        .collect();
    times.sort();
    times[2]
}

fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:")?.trim().strip_suffix(" kB")?.parse().ok())
}

fn main() {
    let gender = Variable::unlabelled("gender", QuestionType::SingleChoice, &GENDERS);
    let age = Variable::unlabelled("age_band", QuestionType::SingleChoice, &AGES);
    let satisfaction = Variable::unlabelled("satisfaction", QuestionType::Scale, &["1", "2", "3", "4", "5"]);
    let heard_from = Variable::unlabelled("heard_from", QuestionType::MultiChoice, &CHANNELS);
    println!(
        "{:>8}  {:>10}  {:>12}  {:>12}  {:>12}",
        "rows", "baseline", "scale x 1", "scale x 2", "multi x 1"
    );
    for n in [10_000, 100_000, 1_000_000] {
        let data = rows(n);
        let baseline = time(|| {
            let mut counts: HashMap<(&str, i64), u64> = HashMap::new();
            for (g, s) in data.gender.iter().zip(&data.satisfaction) {
                if let (Some(g), Some(s)) = (g, s) {
                    *counts.entry((g.as_str(), *s)).or_default() += 1;
                }
            }
            black_box(counts);
        });
        let frame = build_frame(vec![
            ("gender".into(), ColumnData::Text(data.gender.clone())),
            ("age_band".into(), ColumnData::Text(data.age.clone())),
            ("satisfaction".into(), ColumnData::Integer(data.satisfaction.clone())),
            ("heard_from".into(), ColumnData::Choices(data.heard_from.clone())),
        ])
        .unwrap_or_else(|e| panic!("frame: {e}"));
        let one = time(|| {
            black_box(breakdown(&frame, &satisfaction, std::slice::from_ref(&gender)).ok());
        });
        let two = time(|| {
            black_box(breakdown(&frame, &satisfaction, &[gender.clone(), age.clone()]).ok());
        });
        let multi = time(|| {
            black_box(channels(&frame, &heard_from, std::slice::from_ref(&age)).ok());
        });
        let ratio = |d: Duration| d.as_secs_f64() / baseline.as_secs_f64();
        println!(
            "{n:>8}  {:>8.2}ms  {:>10.1}x  {:>10.1}x  {:>10.1}x",
            baseline.as_secs_f64() * 1e3,
            ratio(one),
            ratio(two),
            ratio(multi)
        );
    }
    if let Some(peak) = peak_rss_kib() {
        println!("peak resident memory: {} MiB", peak / 1024);
    }
}
