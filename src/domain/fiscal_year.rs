//! Japanese municipal fiscal years: 1 April to 31 March, named by the year they start.

use chrono::{Datelike, NaiveDate};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct FiscalYear(pub i32);

impl FiscalYear {
    pub fn of(date: NaiveDate) -> Self {
        Self(if date.month() >= 4 {
            date.year()
        } else {
            date.year() - 1
        })
    }

    /// Parses the starting year as written in a query (`2019`), within dates chrono can hold.
    pub fn parse(text: &str) -> Option<Self> {
        text.trim()
            .parse::<i32>()
            .ok()
            .filter(|y| (1900..=9998).contains(y))
            .map(Self)
    }

    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.0, 4, 1).unwrap_or(NaiveDate::MIN)
    }

    pub fn last_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.0 + 1, 3, 31).unwrap_or(NaiveDate::MAX)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn the_year_turns_on_the_first_of_april() {
        assert_eq!(FiscalYear::of(date(2020, 3, 31)), FiscalYear(2019));
        assert_eq!(FiscalYear::of(date(2020, 4, 1)), FiscalYear(2020));
        assert_eq!(FiscalYear::of(date(2020, 1, 1)), FiscalYear(2019));
        assert_eq!(FiscalYear::of(date(2019, 12, 31)), FiscalYear(2019));
    }

    #[test]
    fn a_year_spans_april_to_march() {
        assert_eq!(FiscalYear(2019).first_day(), date(2019, 4, 1));
        assert_eq!(FiscalYear(2019).last_day(), date(2020, 3, 31));
    }

    #[test]
    fn parsing_takes_plausible_years_only() {
        assert_eq!(FiscalYear::parse("2019"), Some(FiscalYear(2019)));
        assert_eq!(FiscalYear::parse("R1"), None);
        assert_eq!(FiscalYear::parse("99999"), None);
    }
}
