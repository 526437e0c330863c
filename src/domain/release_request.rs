//! What a caller may ask of a protected release: a form, and at most a fiscal year and an event
//! kind. Researchers get no narrower filter and no other threshold, since two releases that
//! differ by a few people, or by their threshold, could be subtracted to single those people out;
//! and they get settled fiscal years only, each frozen at its first release, so that answers
//! arriving later do not either.

use chrono::{Days, NaiveDate};

use super::analysis_request::ThresholdParams;
use super::fiscal_year::FiscalYear;
use super::query_params::QueryParams;
use super::response_filter::{ResponseFilter, SOURCE_PARAM};
use super::token::Role;
use super::validation::ValidationError;

#[derive(Debug, Clone, PartialEq)]
pub struct ReleaseRequest {
    pub filter: ResponseFilter,
    pub min_cell: u64,
    /// For researchers: the last day of the fiscal years settled enough to release, whose
    /// partitions are frozen at their first release. Staff see the live data.
    pub settled_until: Option<NaiveDate>,
}

impl ReleaseRequest {
    /// The live data of `filter`, for staff.
    pub fn live(filter: ResponseFilter, min_cell: u64) -> Self {
        Self {
            filter,
            min_cell,
            settled_until: None,
        }
    }

    /// Reads the filters and `min_cell`; staff may use every filter and any threshold (the
    /// server's by default). Researchers get the fiscal years that ended `delay_days` ago.
    pub fn parse(
        params: &mut QueryParams,
        caller: Role,
        server_min_cell: u64,
        delay_days: u32,
    ) -> Result<Self, ValidationError> {
        let filter = ResponseFilter::parse(params)?;
        let asked = params.take::<ThresholdParams>()?.min_cell;
        if caller != Role::Researcher {
            return Ok(Self::live(filter, asked.unwrap_or(server_min_cell)));
        }
        let narrower = [
            ("event", !filter.events.is_empty()),
            ("from", filter.from.is_some()),
            ("to", filter.to.is_some()),
            (SOURCE_PARAM, filter.source.is_some()),
        ];
        if let Some((field, _)) = narrower.iter().find(|(_, given)| *given) {
            return Err(ValidationError::new(
                field,
                "not_allowed",
                format!("researchers' releases cover whole partitions: choose a form and at most a fiscal_year and a kind, not {field}"),
            ));
        }
        if asked.is_some_and(|asked| asked != server_min_cell) {
            return Err(ValidationError::new(
                "min_cell",
                "not_allowed",
                format!("every release for researchers uses the same threshold, {server_min_cell}, so that releases stay consistent"),
            ));
        }
        Ok(Self {
            filter,
            min_cell: server_min_cell,
            settled_until: Some(settled_until(crate::domain::clock::today(), delay_days)),
        })
    }
}

/// Who reads a report of the programme's figures: staff see them live; researchers see the
/// settled fiscal years only, as their releases do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Readers {
    Staff,
    Researchers { settled_until: NaiveDate },
}

impl Readers {
    pub fn of(role: Role, delay_days: u32) -> Self {
        match role {
            Role::Researcher => Self::Researchers {
                settled_until: settled_until(crate::domain::clock::today(), delay_days),
            },
            Role::Admin | Role::Analyst => Self::Staff,
        }
    }
}

/// The last day of the latest fiscal year that ended at least `delay_days` before `today`.
pub fn settled_until(today: NaiveDate, delay_days: u32) -> NaiveDate {
    let cutoff = today.checked_sub_days(Days::new(delay_days.into())).unwrap_or(today);
    FiscalYear(FiscalYear::of(cutoff).0 - 1).last_day()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(pairs: &[(&str, &str)], role: Role) -> Result<ReleaseRequest, ValidationError> {
        let mut params = QueryParams::new(pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect());
        let request = ReleaseRequest::parse(&mut params, role, 5, 61)?;
        params.finish().map(|()| request)
    }

    #[test]
    fn researchers_choose_partitions_only() {
        let ok = parse(
            &[("form", "seminar"), ("fiscal_year", "2019"), ("kind", "seminar")],
            Role::Researcher,
        );
        assert_eq!(ok.unwrap().min_cell, 5);
        for (field, value) in [
            ("event", "6f1c9bde-4b53-4e44-9b9a-6f7d1f4f0c11"),
            ("from", "2019-04-01"),
            ("to", "2020-03-31"),
            ("answered_via", "paper"),
            ("min_cell", "6"),
            ("min_cell", "4"),
        ] {
            let error = parse(&[("form", "seminar"), (field, value)], Role::Researcher).unwrap_err();
            assert_eq!(error.field, field);
        }
        assert_eq!(
            parse(&[("form", "seminar"), ("min_cell", "5")], Role::Researcher)
                .unwrap()
                .min_cell,
            5
        );
    }

    #[test]
    fn staff_keep_every_filter_and_threshold() {
        let request = parse(
            &[("form", "seminar"), ("to", "2020-03-31"), ("min_cell", "2")],
            Role::Analyst,
        )
        .unwrap();
        assert_eq!(request.min_cell, 2);
        assert_eq!(parse(&[("form", "seminar")], Role::Admin).unwrap().min_cell, 5);
        assert_eq!(parse(&[("form", "seminar")], Role::Admin).unwrap().settled_until, None);
    }

    #[test]
    fn a_fiscal_year_is_released_once_it_has_been_over_for_the_delay() {
        let day = |text: &str| NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap();
        assert_eq!(settled_until(day("2026-05-31"), 61), day("2025-03-31"));
        assert_eq!(settled_until(day("2026-06-01"), 61), day("2026-03-31"));
        assert_eq!(settled_until(day("2026-11-26"), 61), day("2026-03-31"));
        assert_eq!(settled_until(day("2026-04-01"), 1), day("2025-03-31"));
        assert_eq!(settled_until(day("2026-04-02"), 1), day("2026-03-31"));
    }
}
