//! What an analysis groups by, as the `analysis` crate's variables: a question of the form, or a
//! column of the event (fiscal year, kind, the event itself), whose options are the values found,
//! labelled as reports write them and ordered as a reader expects (years and dates ascending).

use std::collections::BTreeSet;

use analysis::spec::{Choice, Label, QuestionType, Variable};
use diesel::PgConnection;
use uuid::Uuid;

use crate::db::{self, DbError};
use crate::domain::era::{fiscal_year_label, short_date};
use crate::domain::event::EventKind;
use crate::domain::event_column::EventColumn;
use crate::domain::fiscal_year::FiscalYear;
use crate::domain::form::FormDefinition;
use crate::services::survey_frame;

/// Those of `ids` an analysis of `form` can read: its questions and the event columns.
pub fn readable<'a>(form: &FormDefinition, ids: &[&'a str]) -> Vec<&'a str> {
    ids.iter()
        .copied()
        .filter(|id| EventColumn::parse(id).is_some() || form.question(id).is_some())
        .collect()
}

/// The variables of `ids` (as [`readable`] keeps them): a question's from the form, an event
/// column's from `values(i)`, the distinct values found in position `i`.
pub fn variables(
    conn: &mut PgConnection,
    form: &FormDefinition,
    ids: &[&str],
    mut values: impl FnMut(usize) -> BTreeSet<String>,
) -> Result<Vec<Variable>, DbError> {
    let mut variables = Vec::with_capacity(ids.len());
    for (i, id) in ids.iter().enumerate() {
        match (EventColumn::parse(id), form.question(id)) {
            (Some(column), _) => variables.push(event_variable(conn, column, values(i))?),
            (None, Some(question)) => variables.push(survey_frame::variable(question)),
            (None, None) => {}
        }
    }
    Ok(variables)
}

fn event_variable(conn: &mut PgConnection, column: EventColumn, values: BTreeSet<String>) -> Result<Variable, DbError> {
    let options = match column {
        EventColumn::FiscalYear => {
            let mut years: Vec<i32> = values.iter().filter_map(|value| value.parse().ok()).collect();
            years.sort_unstable();
            years
                .into_iter()
                .map(|year| {
                    Choice::new(
                        &year.to_string(),
                        &fiscal_year_label(FiscalYear(year)),
                        &format!("FY{year}"),
                    )
                })
                .collect()
        }
        EventColumn::Kind => EventKind::ALL
            .into_iter()
            .filter(|kind| values.contains(kind.as_str()))
            .map(|kind| {
                let (ja, en) = kind.names();
                Choice::new(kind.as_str(), ja, en)
            })
            .collect(),
        EventColumn::Event => {
            let ids: Vec<Uuid> = values.iter().filter_map(|value| value.parse().ok()).collect();
            db::events::dated_titles(conn, &ids)?
                .into_iter()
                .map(|(id, held_on, title)| {
                    Choice::new(
                        &id.to_string(),
                        &format!("{} {title}", short_date(held_on)),
                        &format!("{held_on} {title}"),
                    )
                })
                .collect()
        }
    };
    let label = column.label();
    Ok(Variable {
        id: column.id().to_owned(),
        label: Label::new(&label.ja, &label.en),
        kind: QuestionType::SingleChoice,
        options,
    })
}
