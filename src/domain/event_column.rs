//! What an analysis can group responses by besides their answers: the event each was given at,
//! so that one request puts fiscal years, kinds of event or single events side by side.

use super::lang::Localized;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventColumn {
    /// April to March, named by the year it starts (`2019`), labelled as reports write it.
    FiscalYear,
    Kind,
    /// One event, by id; labelled with its date and title (staff only: it narrows to a room).
    Event,
}

impl EventColumn {
    pub const ALL: [Self; 3] = [Self::FiscalYear, Self::Kind, Self::Event];

    /// The name it goes by in `by=`; no question may have it as its id.
    pub fn id(self) -> &'static str {
        match self {
            Self::FiscalYear => "fiscal_year",
            Self::Kind => "kind",
            Self::Event => "event",
        }
    }

    pub fn parse(id: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|column| column.id() == id)
    }

    pub fn label(self) -> Localized {
        let (ja, en) = match self {
            Self::FiscalYear => ("年度", "Fiscal year"),
            Self::Kind => ("事業", "Kind of event"),
            Self::Event => ("開催回", "Event"),
        };
        Localized {
            ja: ja.to_owned(),
            en: en.to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_found_by_their_ids() {
        for column in EventColumn::ALL {
            assert_eq!(EventColumn::parse(column.id()), Some(column));
        }
        assert_eq!(EventColumn::parse("gender"), None);
    }
}
