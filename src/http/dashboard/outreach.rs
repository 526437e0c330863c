use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{get, web, HttpResponse};
use analysis::attendance::moving_median;

use super::session::{DashboardError, StaffSession};
use super::{chrome, html};
use crate::db::Connections;
use crate::domain::era::short_date;
use crate::domain::event::EventKind;
use crate::domain::event_comparison::{AttendanceBy, EventScope};
use crate::domain::lang::Lang;
use crate::domain::query_params::QueryParams;
use crate::http::AppState;
use crate::pages::dashboard::{kind_label, Pick};
use crate::pages::outreach::{outreach_page, OutreachView, TREND_WINDOW};
use crate::services::{attendance, publicity_reach};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(page);
}

/// What attendance can be compared by, as the picker names it.
fn groupings(l: Lang) -> [(AttendanceBy, &'static str); 6] {
    [
        (AttendanceBy::Format, l.pick("形式", "Format")),
        (AttendanceBy::SpeakerType, l.pick("講師・話し手", "Speakers")),
        (AttendanceBy::PublicityChannel, l.pick("広報の経路", "Channel")),
        (AttendanceBy::Month, l.pick("月", "Month")),
        (AttendanceBy::Weekday, l.pick("曜日", "Weekday")),
        (AttendanceBy::FiscalYear, l.pick("年度", "Fiscal year")),
    ]
}

#[get("/dashboard/outreach")]
async fn page(
    state: web::Data<AppState>,
    session: StaffSession,
    query: web::Query<HashMap<String, String>>,
) -> Result<HttpResponse, DashboardError> {
    let l = session.lang;
    let get = |name: &str, default: &str| query.get(name).map_or(default, |v| v.trim()).to_owned();
    // Kinds differ by design (a forum draws more than a seminar): within one kind unless the
    // picker asks for every kind.
    let (kind, fiscal_year, by) = (get("kind", "seminar"), get("fiscal_year", ""), get("by", "format"));
    // Empty pickers mean "all"; the API's parsing decides what is valid.
    let params: HashMap<String, String> = [("kind", &kind), ("fiscal_year", &fiscal_year), ("by", &by)]
        .into_iter()
        .filter(|(_, value)| !value.is_empty())
        .map(|(name, value)| (name.to_owned(), value.clone()))
        .collect();
    let mut params = QueryParams::new(params);
    let parsed = EventScope::parse(&mut params).and_then(|scope| Ok((scope, AttendanceBy::parse(&mut params)?)));
    let kinds: Vec<Pick> = EventKind::ATTENDED
        .iter()
        .map(|kind| (kind.as_str().to_owned(), kind_label(l, kind.as_str()).to_owned()))
        .collect();
    let groupings: Vec<Pick> = groupings(l)
        .iter()
        .map(|(by, label)| (by.id().to_owned(), (*label).to_owned()))
        .collect();
    let mut view = OutreachView {
        kinds: &kinds,
        kind: &kind,
        fiscal_year: &fiscal_year,
        groupings: &groupings,
        by: &by,
        error: None,
        reach: None,
        attendance: None,
        sessions: &[],
        level: &[],
    };
    let Ok((scope, grouping)) = parsed else {
        view.error = Some(l.pick(
            "種別・年度・観点を選び直してください。",
            "Choose the kind, fiscal year and comparison again. ",
        ));
        return Ok(html(
            StatusCode::UNPROCESSABLE_ENTITY,
            outreach_page(&chrome(&session), &view),
        ));
    };
    let (reach, drivers, held) = state
        .run_analysis(move |connections| {
            let reach = publicity_reach::analyse(connections, &scope)?;
            let drivers = attendance::compare(connections, &scope, grouping)?;
            let held = match scope.single_kind() {
                Some(_) => connections.with(|conn| attendance::held_events(conn, &scope))?,
                None => Vec::new(),
            };
            Ok((reach, drivers, held))
        })
        .await?;
    let sessions: Vec<(String, f64)> = held
        .iter()
        .filter_map(|event| Some((short_date(event.held_on), f64::from(event.headcount?))))
        .collect();
    let headcounts: Vec<f64> = sessions.iter().map(|(_, n)| *n).collect();
    let level = moving_median(&headcounts, TREND_WINDOW);
    view.reach = Some(&reach);
    view.attendance = Some(&drivers);
    view.sessions = &sessions;
    view.level = &level;
    Ok(html(StatusCode::OK, outreach_page(&chrome(&session), &view)))
}
