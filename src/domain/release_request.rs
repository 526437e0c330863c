//! What a caller may ask of a protected release: a form, and at most a fiscal year and an event
//! kind. Researchers get no narrower filter and no other threshold, since two releases that
//! differ by a few people, or by their threshold, could be subtracted to single those people out.

use super::response_filter::{QueryParams, ResponseFilter};
use super::token::Role;
use super::validation::ValidationError;

#[derive(Debug, Clone, PartialEq)]
pub struct ReleaseRequest {
    pub filter: ResponseFilter,
    pub min_cell: u64,
}

impl ReleaseRequest {
    /// Reads the filters and `min_cell`; staff may use every filter and any threshold (the
    /// server's by default).
    pub fn parse(params: &mut QueryParams, caller: Role, server_min_cell: u64) -> Result<Self, ValidationError> {
        let filter = ResponseFilter::parse(params)?;
        let asked = params.number("min_cell", 0)?;
        if caller != Role::Researcher {
            return Ok(Self {
                filter,
                min_cell: asked.unwrap_or(server_min_cell),
            });
        }
        let narrower = [
            ("event", filter.event.is_some()),
            ("from", filter.from.is_some()),
            ("to", filter.to.is_some()),
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
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(pairs: &[(&str, &str)], role: Role) -> Result<ReleaseRequest, ValidationError> {
        let mut params = QueryParams::new(pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect());
        let request = ReleaseRequest::parse(&mut params, role, 5)?;
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
    }
}
