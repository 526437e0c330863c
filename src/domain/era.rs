//! Japanese era names (和暦) as municipal reports write them: fiscal years as `R1年度` or
//! `令和元年度`, dates as `R1.6.6`.

use chrono::{Datelike, NaiveDate};

use super::fiscal_year::FiscalYear;
use super::lang::Lang;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Era {
    pub name: &'static str,
    pub letter: char,
    /// The first day of the era.
    pub starts: (i32, u32, u32),
}

/// Newest first, so the first era that started on or before a date is its era.
const ERAS: [Era; 5] = [
    Era {
        name: "令和",
        letter: 'R',
        starts: (2019, 5, 1),
    },
    Era {
        name: "平成",
        letter: 'H',
        starts: (1989, 1, 8),
    },
    Era {
        name: "昭和",
        letter: 'S',
        starts: (1926, 12, 25),
    },
    Era {
        name: "大正",
        letter: 'T',
        starts: (1912, 7, 30),
    },
    Era {
        name: "明治",
        letter: 'M',
        starts: (1868, 10, 23),
    },
];

impl Era {
    fn start_date(self) -> NaiveDate {
        let (y, m, d) = self.starts;
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN)
    }
}

/// The era of a date and the year within it (1 for the first year), or `None` before Meiji.
pub fn era_of(date: NaiveDate) -> Option<(Era, i32)> {
    ERAS.iter()
        .find(|era| era.start_date() <= date)
        .map(|era| (*era, date.year() - era.starts.0 + 1))
}

/// `R1.6.6`, `H31.2.19`; the Western date where no era applies.
pub fn short_date(date: NaiveDate) -> String {
    match era_of(date) {
        Some((era, year)) => format!("{}{year}.{}.{}", era.letter, date.month(), date.day()),
        None => date.format("%Y.%-m.%-d").to_string(),
    }
}

/// `令和2年2月`, `令和元年6月`: a month as prose writes it.
pub fn long_month(date: NaiveDate) -> String {
    match era_of(date) {
        Some((era, year)) => format!("{}{}年{}月", era.name, long_year(year), date.month()),
        None => format!("{}年{}月", date.year(), date.month()),
    }
}

/// The first year of an era is written 元.
fn long_year(year: i32) -> String {
    if year == 1 {
        "元".to_owned()
    } else {
        year.to_string()
    }
}

/// The era a fiscal year is named in: the one in force at the end of the calendar year in which
/// the fiscal year starts. So FY2019, which began under Heisei, is 令和元年度 (Reiwa began on
/// 1 May 2019), while FY1988 stays 昭和63年度 (Heisei began in January 1989).
fn fiscal_year_era(year: FiscalYear) -> Option<(Era, i32)> {
    NaiveDate::from_ymd_opt(year.0, 12, 31).and_then(era_of)
}

/// `H30年度`, `R1年度`.
pub fn fiscal_year_label(year: FiscalYear) -> String {
    match fiscal_year_era(year) {
        Some((era, n)) => format!("{}{n}年度", era.letter),
        None => format!("{}年度", year.0),
    }
}

/// A fiscal year as a page in `lang` names it: `R1年度`, or `FY2019 (R1)` in English.
pub fn fiscal_year_in(year: FiscalYear, lang: Lang) -> String {
    match (lang, fiscal_year_era(year)) {
        (Lang::Ja, _) => fiscal_year_label(year),
        (Lang::En, Some((era, n))) => format!("FY{} ({}{n})", year.0, era.letter),
        (Lang::En, None) => format!("FY{}", year.0),
    }
}

/// `平成30年度`, `令和元年度`: the first year of an era is written 元.
pub fn fiscal_year_long_label(year: FiscalYear) -> String {
    match fiscal_year_era(year) {
        Some((era, n)) => format!("{}{}年度", era.name, long_year(n)),
        None => format!("{}年度", year.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn dates_change_era_on_the_first_day_of_the_new_one() {
        assert_eq!(short_date(date(2019, 4, 30)), "H31.4.30");
        assert_eq!(short_date(date(2019, 5, 1)), "R1.5.1");
        assert_eq!(short_date(date(2019, 6, 6)), "R1.6.6");
        assert_eq!(short_date(date(2019, 2, 19)), "H31.2.19");
        assert_eq!(short_date(date(2020, 1, 1)), "R2.1.1");
        assert_eq!(short_date(date(1989, 1, 7)), "S64.1.7");
        assert_eq!(short_date(date(1989, 1, 8)), "H1.1.8");
        assert_eq!(short_date(date(1926, 12, 24)), "T15.12.24");
        assert_eq!(short_date(date(1926, 12, 25)), "S1.12.25");
        assert_eq!(short_date(date(1800, 1, 1)), "1800.1.1");
    }

    #[test]
    fn fiscal_years_are_labelled_as_reports_write_them() {
        assert_eq!(fiscal_year_label(FiscalYear(2018)), "H30年度");
        assert_eq!(fiscal_year_label(FiscalYear(2019)), "R1年度");
        assert_eq!(fiscal_year_in(FiscalYear(2019), Lang::En), "FY2019 (R1)");
        assert_eq!(fiscal_year_in(FiscalYear(2018), Lang::Ja), "H30年度");
        assert_eq!(fiscal_year_label(FiscalYear(2020)), "R2年度");
        assert_eq!(fiscal_year_label(FiscalYear(1988)), "S63年度");
        assert_eq!(fiscal_year_label(FiscalYear(1989)), "H1年度");
        assert_eq!(fiscal_year_label(FiscalYear(1990)), "H2年度");
    }

    #[test]
    fn first_years_are_written_gan_in_the_long_form() {
        assert_eq!(fiscal_year_long_label(FiscalYear(2019)), "令和元年度");
        assert_eq!(fiscal_year_long_label(FiscalYear(2020)), "令和2年度");
        assert_eq!(fiscal_year_long_label(FiscalYear(2018)), "平成30年度");
        assert_eq!(fiscal_year_long_label(FiscalYear(1989)), "平成元年度");
        assert_eq!(fiscal_year_long_label(FiscalYear(1950)), "昭和25年度");
    }

    #[test]
    fn months_in_prose_take_the_long_era_form() {
        assert_eq!(long_month(date(2020, 2, 27)), "令和2年2月");
        assert_eq!(long_month(date(2019, 6, 6)), "令和元年6月");
        assert_eq!(long_month(date(2019, 4, 11)), "平成31年4月");
    }
}
