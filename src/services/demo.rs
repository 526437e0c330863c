//! A populated first look (`tsunagari demo`): three fiscal years of a programme like the one the
//! service was built for, every event, plan and agency marked as demo data so that `--remove`
//! deletes them and only them. Answers are seeded-random but plausible: attributes, scales that
//! differ by group, channels, and Japanese comments drawn from a small phrase bank; events carry
//! their speakers, costs, publicity and meeting notes, plans their considerations, so the
//! outreach page and the evaluation report have something to show.

use chrono::NaiveDate;
use diesel::{Connection, PgConnection};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::{json, Map, Value};
use uuid::Uuid;

use crate::db::events::EventRecord;
use crate::db::forms::StoredForm;
use crate::db::responses::NewResponse;
use crate::db::{self, DbError};
use crate::domain::agency::Agency;
use crate::domain::answers::Answers;
use crate::domain::event::{EventChanges, EventKind, EventTemplate};
use crate::domain::event_profile::{EventProfile, ProfileChanges};
use crate::domain::fiscal_year::FiscalYear;
use crate::domain::indicator::IndicatorPlan;
use crate::domain::meeting_note::NewNote;
use crate::domain::publicity::NewPublicity;
use crate::domain::response_source::Entry;
use crate::domain::schedule::NewSeries;
use crate::services::event_creation;
use crate::services::form_versions::FormVersions;

#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error(transparent)]
    Db(#[from] DbError),
    #[error("the database holds {0} events that are not demo data: pass --force to add demo data beside them")]
    RealEventsPresent(i64),
    #[error("demo data is already loaded: run `tsunagari demo --remove` first")]
    AlreadyLoaded,
    #[error("the demo could not be built: {0}")]
    Invalid(String),
}

impl From<diesel::result::Error> for DemoError {
    fn from(error: diesel::result::Error) -> Self {
        Self::Db(error.into())
    }
}

/// What was loaded or removed.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct DemoSummary {
    pub events: usize,
    pub responses: usize,
    pub plans: usize,
}

/// The first fiscal year of the demo; it covers three.
const FIRST_YEAR: i32 = 2018;
const YEARS: i32 = 3;
/// The same demo every time.
const SEED: u64 = 2018;

/// Loads the demo, all or nothing. Refuses if demo data is already there, or if real events are
/// and `force` is not given.
pub fn load(conn: &mut PgConnection, force: bool) -> Result<DemoSummary, DemoError> {
    let (demo, real) = db::events::count_by_demo(conn)?;
    if demo > 0 {
        return Err(DemoError::AlreadyLoaded);
    }
    if real > 0 && !force {
        return Err(DemoError::RealEventsPresent(real));
    }
    conn.transaction(|conn| {
        let mut rng = StdRng::seed_from_u64(SEED);
        let forms = FormVersions::default();
        let mut summary = DemoSummary::default();
        add_agencies(conn)?;
        for year in (FIRST_YEAR..FIRST_YEAR + YEARS).map(FiscalYear) {
            for event in events_of(conn, year)? {
                let form = forms.get(conn, event.form_version_id)?;
                summary.responses += respond(conn, &event, &form, &mut rng)?;
                summary.events += 1;
            }
        }
        for plan in plans()? {
            db::indicator_plans::put(conn, &plan)?;
            db::indicator_plans::mark_demo(conn, &plan.slug)?;
            for (year, text) in CONSIDERATIONS {
                db::indicator_plans::put_consideration(conn, &plan.slug, FiscalYear(year), text)?;
            }
            summary.plans += 1;
        }
        db::statistics::analyze_events(conn)?;
        Ok(summary)
    })
}

/// Deletes every demo event with its responses and series, and the demo plans; nothing else.
pub fn remove(conn: &mut PgConnection) -> Result<DemoSummary, DemoError> {
    Ok(conn.transaction(|conn| {
        let (events, responses) = db::events::delete_demo(conn)?;
        let plans = db::indicator_plans::delete_demo(conn)?;
        db::agencies::delete_demo(conn)?;
        Ok::<_, DbError>(DemoSummary {
            events,
            responses,
            plans,
        })
    })?)
}

fn template(kind: EventKind, title: &str, title_en: &str, venue: &str, format: &str) -> EventTemplate {
    EventTemplate {
        kind,
        title: title.to_owned(),
        theme: None,
        venue: Some(venue.to_owned()),
        title_en: Some(title_en.to_owned()),
        venue_en: None,
        form: kind.default_form().to_owned(),
        profile: EventProfile {
            format: Some(format.to_owned()),
            ..EventProfile::default()
        },
    }
}

/// A fiscal year's events, held and with headcounts: seminars on the 2nd and 4th Thursday (a
/// few cancelled), a forum in November, monthly study and supervision sessions.
fn events_of(conn: &mut PgConnection, year: FiscalYear) -> Result<Vec<EventRecord>, DemoError> {
    let schedules = [
        (
            template(
                EventKind::Seminar,
                "回復セミナー",
                "Recovery seminar",
                "保健センター 会議室",
                "group_work",
            ),
            "FREQ=MONTHLY;BYDAY=2TH,4TH",
        ),
        (
            template(
                EventKind::StudySession,
                "依存症研修会",
                "Study session on addiction",
                "市役所 研修室",
                "lecture",
            ),
            "FREQ=MONTHLY;BYDAY=3TU",
        ),
        (
            template(
                EventKind::Supervision,
                "事例検討スーパービジョン",
                "Case supervision",
                "保健センター 相談室",
                "case_review",
            ),
            "FREQ=MONTHLY;BYDAY=1FR",
        ),
    ];
    let mut events = Vec::new();
    for (template, rule) in schedules {
        let series = NewSeries {
            template,
            rrule: rule.to_owned(),
            starts_on: year.first_day(),
            ends_on: year.last_day(),
            skipped: Vec::new(),
        };
        let dates = series.dates().map_err(|e| DemoError::Invalid(e.message))?;
        let (_, created) =
            event_creation::create_series(conn, &series, &dates)?.map_err(|e| DemoError::Invalid(e.message))?;
        events.extend(created);
    }
    let forum_day = NaiveDate::from_ymd_opt(year.0, 11, 23).unwrap_or(year.first_day());
    let forum = crate::domain::event::NewEvent {
        template: template(
            EventKind::Forum,
            "依存症を考える市民フォーラム",
            "Citizens' forum on addiction",
            "市民会館 大ホール",
            "lecture",
        ),
        held_on: forum_day,
        headcount: None,
        closes_at: None,
    };
    events.push(event_creation::create_event(conn, &forum)?.map_err(|e| DemoError::Invalid(e.message))?);
    db::events::mark_demo(conn, &events.iter().map(|e| e.id).collect::<Vec<_>>())?;
    Ok(events)
}

/// How many attend an event of this kind in this fiscal year: the forum drew fewer people in
/// the third year (infection control), as in the programme's own report.
fn attendance(kind: &str, year: i32, rng: &mut StdRng) -> i32 {
    let third_year = year == FIRST_YEAR + 2;
    match kind {
        "forum" if third_year => rng.random_range(60..90),
        "forum" => rng.random_range(150..220),
        "seminar" => rng.random_range(8..18),
        _ => rng.random_range(10..25),
    }
}

/// Answers for `event` from most of its attendees, then its headcount; one seminar in eight is
/// cancelled instead (none answered).
fn respond(
    conn: &mut PgConnection,
    event: &EventRecord,
    form: &StoredForm,
    rng: &mut StdRng,
) -> Result<usize, DemoError> {
    let year = FiscalYear::of(event.held_on).0;
    if event.kind == "seminar" && rng.random_range(0..8) == 0 {
        db::events::update(conn, event.id, &changes(None, true))?;
        return Ok(0);
    }
    // A leading expert lectures at one study session in three, and draws more people.
    let leading_expert = event.kind == "study_session" && rng.random_range(0..3) == 0;
    let headcount = attendance(&event.kind, year, rng) * if leading_expert { 8 } else { 5 } / 5;
    let respondents = headcount * rng.random_range(60..90) / 100;
    for _ in 0..respondents {
        let mut raw = answers(&event.kind, rng);
        // Each form asks what it asks (the seminar's leaves out most attributes).
        raw.retain(|id, _| form.definition.question(id).is_some());
        let answers =
            Answers::parse(&form.definition, &raw).map_err(|problems| DemoError::Invalid(format!("{problems:?}")))?;
        let response = NewResponse {
            submission_id: Uuid::new_v4(),
            event_id: event.id,
            form_version_id: event.form_version_id,
            answers: &answers,
            entry: Entry::PHONE,
        };
        db::responses::submit(conn, &response)?;
    }
    let mut held = changes(Some(headcount), false);
    held.profile = profile(&event.kind, leading_expert);
    db::events::update(conn, event.id, &held)?;
    publicise(conn, event, rng)?;
    if event.kind == "seminar" && rng.random_range(0..3) == 0 {
        let (text, role) = NOTES[rng.random_range(0..NOTES.len())];
        let note = NewNote {
            text: text.to_owned(),
            speaker_role: Some(role.to_owned()),
        };
        db::notes::insert(conn, event.id, &note)?;
    }
    Ok(respondents as usize)
}

/// Who spoke and what it cost.
fn profile(kind: &str, leading_expert: bool) -> ProfileChanges {
    let (speakers, costs) = match kind {
        "forum" => (
            json!([{"type": "leading_expert"}, {"type": "lived_experience"}]),
            json!({"honorarium": 100_000, "travel": 40_000, "venue": 60_000}),
        ),
        _ if leading_expert => (
            json!([{"type": "leading_expert"}]),
            json!({"honorarium": 50_000, "travel": 20_000}),
        ),
        "seminar" => (
            json!([{"type": "staff"}, {"type": "lived_experience"}]),
            json!({"venue": 0}),
        ),
        _ => (json!([{"type": "expert"}]), json!({"honorarium": 10_000})),
    };
    ProfileChanges {
        speakers: Some(Some(speakers)),
        costs: Some(Some(costs)),
        ..ProfileChanges::default()
    }
}

/// The agencies the demo programme tells about its events.
const AGENCIES: [(&str, &str, &str); 4] = [
    ("demo-city-hospital", "市立病院 精神科", "medical"),
    ("demo-welfare-center", "精神保健福祉センター", "mental_health_welfare"),
    ("demo-probation", "保護観察所", "probation"),
    ("demo-darc", "地域のダルク", "recovery_facility"),
];

fn add_agencies(conn: &mut PgConnection) -> Result<(), DemoError> {
    for (slug, name, kind) in AGENCIES {
        let agency = Agency::parse(slug, json!({"name": {"ja": name}, "kind": kind}))
            .map_err(|e| DemoError::Invalid(e.message))?;
        db::agencies::put(conn, &agency)?;
    }
    db::agencies::mark_demo(conn, &AGENCIES.map(|(slug, _, _)| slug))?;
    Ok(())
}

/// What staff did to publicise `event`: SNS and flyers for seminars, the newsletter and a paid
/// newspaper notice for the forum, notices to agencies for professionals' sessions.
fn publicise(conn: &mut PgConnection, event: &EventRecord, rng: &mut StdRng) -> Result<(), DemoError> {
    let plan: Vec<(&str, Option<&str>, i64, i64)> = match event.kind.as_str() {
        "seminar" => vec![("sns", None, 10, 0), ("poster_flyer", None, 20, 3_000)],
        "forum" => vec![
            ("city_newsletter", None, 30, 0),
            ("newspaper", None, 14, 50_000),
            ("agency_notice", Some(AGENCIES[0].0), 21, 0),
            ("agency_notice", Some(AGENCIES[3].0), 21, 0),
        ],
        _ => vec![
            ("agency_notice", Some(AGENCIES[1].0), 14, 0),
            ("agency_notice", Some(AGENCIES[2].0), 14, 0),
            ("email", None, 7, 0),
        ],
    };
    for (channel, agency, days_before, cost) in plan {
        // Not every seminar's flyers went out.
        if channel == "poster_flyer" && rng.random_range(0..2) == 0 {
            continue;
        }
        let record = NewPublicity {
            channel: channel.to_owned(),
            agency: agency.map(str::to_owned),
            sent_on: event.held_on - chrono::Duration::days(days_before),
            quantity: None,
            cost: Some(cost),
            note: None,
        };
        db::publicity::insert(conn, event.id, &record)?;
    }
    Ok(())
}

/// What was said at seminars' meetings, with who says such things.
const NOTES: [(&str, &str); 4] = [
    ("フリートークで、家族との関係について話し合いが続いた。", "participant"),
    (
        "マスクとフェイスシールドで声が聞き取りにくいという声があった。",
        "participant",
    ),
    ("家族として何ができるかを知りたいという発言があった。", "family"),
    ("次回はギャンブル依存も取り上げてほしいという要望。", "participant"),
];

/// Staff's considerations of each demo goal, by fiscal year.
const CONSIDERATIONS: [(i32, &str); 3] = [
    (
        FIRST_YEAR,
        "初年度。SNSとチラシで周知し、関係機関への案内は一部にとどまった。",
    ),
    (
        FIRST_YEAR + 1,
        "第一人者を講師に招いた回は参加者が増えた。謝金と旅費の確保が課題。",
    ),
    (
        FIRST_YEAR + 2,
        "感染対策のため定員を減らし、参加者は減った。\n\n- 地域の住民に届くよう、SNSと市の広報誌を併用する",
    ),
];

fn changes(headcount: Option<i32>, cancelled: bool) -> EventChanges {
    EventChanges {
        headcount: headcount.map(Some),
        cancelled: cancelled.then_some(true),
        ..EventChanges::default()
    }
}

fn pick<'a>(rng: &mut StdRng, weighted: &[(&'a str, u32)]) -> &'a str {
    let total: u32 = weighted.iter().map(|(_, w)| w).sum();
    let mut roll = rng.random_range(0..total);
    for (value, weight) in weighted {
        if roll < *weight {
            return value;
        }
        roll -= weight;
    }
    weighted[0].0
}

/// Comments as attendees write them, by what they say.
const PHRASES: [&str; 10] = [
    "同じ立場の人の話が聞けて心強かったです。",
    "当事者の体験談がとても参考になりました。",
    "ギャンブルやゲームなど、ほかの依存についても知りたいです。",
    "マスク越しで講師の声が聞き取りにくいときがありました。",
    "家族としてどう接すればよいか、ヒントをもらえました。",
    "平日の夜だと参加しやすいです。",
    "フリートークの時間がもっとあるとよいと思います。",
    "市の広報で知りました。もっと周知してほしいです。",
    "支援者として、地域の機関とのつながりが大切だと感じました。",
    "偏見をなくすための取り組みを続けてほしいです。",
];

fn answers(kind: &str, rng: &mut StdRng) -> Map<String, Value> {
    let relation = pick(
        rng,
        &[
            ("lived_experience", 30),
            ("family", 25),
            ("supporter", 30),
            ("general", 10),
            ("no_answer", 5),
        ],
    );
    // People in recovery and their families rate the sessions higher than others.
    let lift = match relation {
        "lived_experience" | "family" => 1,
        _ => 0,
    };
    let scale = |rng: &mut StdRng| (rng.random_range(2..=4) + lift + i64::from(rng.random_range(0..3) == 0)).min(5);
    let mut answers = Map::new();
    answers.insert("satisfaction".into(), json!(scale(rng)));
    let second = if kind == "study_session" || kind == "supervision" {
        "usefulness"
    } else {
        "understanding"
    };
    answers.insert(second.into(), json!(scale(rng)));
    let channels = [
        "sns",
        "city_newsletter",
        "newspaper",
        "website",
        "poster_flyer",
        "agency_referral",
        "acquaintance",
    ];
    let heard: Vec<&str> = channels
        .iter()
        .copied()
        .filter(|_| rng.random_range(0..4) == 0)
        .collect();
    if !heard.is_empty() {
        answers.insert("heard_from".into(), json!(heard));
    }
    if rng.random_range(0..3) == 0 {
        answers.insert("opinion".into(), json!(PHRASES[rng.random_range(0..PHRASES.len())]));
    }
    let attributes = [
        (
            "gender",
            pick(rng, &[("female", 50), ("male", 42), ("other", 2), ("no_answer", 6)]),
        ),
        (
            "age_band",
            pick(
                rng,
                &[
                    ("20s", 10),
                    ("30s", 20),
                    ("40s", 25),
                    ("50s", 22),
                    ("60s", 15),
                    ("70_plus", 5),
                    ("no_answer", 3),
                ],
            ),
        ),
        (
            "occupation",
            pick(
                rng,
                &[
                    ("company_employee", 20),
                    ("public_servant", 12),
                    ("healthcare", 15),
                    ("welfare", 18),
                    ("unemployed", 10),
                    ("other", 15),
                    ("no_answer", 10),
                ],
            ),
        ),
        ("relation", relation),
    ];
    for (id, value) in attributes {
        answers.insert(id.into(), json!(value));
    }
    answers
}

/// One plan per goal of the programme, with targets for each demo year.
fn plans() -> Result<Vec<IndicatorPlan>, DemoError> {
    let targets = |per_year: i64| {
        (FIRST_YEAR..FIRST_YEAR + YEARS)
            .map(|year| (year.to_string(), json!(per_year)))
            .collect::<Map<String, Value>>()
    };
    [
        (
            "demo-seminars",
            "回復セミナー参加",
            "Recovery seminar attendance",
            &["seminar"][..],
            270,
            targets(240),
        ),
        (
            "demo-forum",
            "市民フォーラム参加",
            "Citizens' forum attendance",
            &["forum"][..],
            300,
            targets(200),
        ),
        (
            "demo-training",
            "支援者の研修参加",
            "Professionals' training attendance",
            &["study_session", "supervision"][..],
            400,
            targets(300),
        ),
    ]
    .into_iter()
    .map(|(slug, ja, en, kinds, population, targets)| {
        let body = json!({
            "title": {"ja": ja, "en": en},
            "event_kinds": kinds,
            "assumed_population": population,
            "targets": targets,
        });
        IndicatorPlan::parse(slug, body).map_err(|e| DemoError::Invalid(e.message))
    })
    .collect()
}
