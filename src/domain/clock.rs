//! The time zone the programme's days are in: when a fiscal year, a wave or "today" begins and
//! ends, and the clock staff's pages show. Japan unless `TSUNAGARI_TIME_ZONE` names another (a
//! city elsewhere copying the programme).

use std::sync::OnceLock;

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

use super::lang::Lang;

pub const DEFAULT_ZONE: Tz = chrono_tz::Asia::Tokyo;

static ZONE: OnceLock<Tz> = OnceLock::new();

/// Sets the zone for the process, once, at start-up; a later call changes nothing.
pub fn set_zone(zone: Tz) {
    let _ = ZONE.set(zone);
}

pub fn zone() -> Tz {
    ZONE.get().copied().unwrap_or(DEFAULT_ZONE)
}

/// The zone as a page in `l` names it: 日本時間 / Japan time for the default, else its name.
pub fn zone_name(l: Lang) -> String {
    match zone() {
        DEFAULT_ZONE => l.pick("日本時間", "Japan time").to_owned(),
        other => other.name().to_owned(),
    }
}

/// Today, where the programme runs.
pub fn today() -> NaiveDate {
    local_date(Utc::now())
}

pub fn local_date(at: DateTime<Utc>) -> NaiveDate {
    local_time_in(zone(), at).date()
}

/// A moment as a clock where the programme runs shows it, for staff's pages.
pub fn local_time(at: DateTime<Utc>) -> NaiveDateTime {
    local_time_in(zone(), at)
}

fn local_time_in(zone: Tz, at: DateTime<Utc>) -> NaiveDateTime {
    at.with_timezone(&zone).naive_local()
}

/// The first moment of `date` where the programme runs (the earliest, should a clock change
/// make midnight happen twice; the first moment after a skipped one).
pub fn start_of(date: NaiveDate) -> DateTime<Utc> {
    start_of_in(zone(), date)
}

fn start_of_in(zone: Tz, date: NaiveDate) -> DateTime<Utc> {
    let midnight = date.and_time(NaiveTime::MIN);
    (0..=3)
        .find_map(|hour| {
            zone.from_local_datetime(&(midnight + chrono::Duration::hours(hour)))
                .earliest()
        })
        .map_or_else(|| Utc.from_utc_datetime(&midnight), |moment| moment.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn japan_is_nine_hours_ahead_all_year() {
        let at = Utc.with_ymd_and_hms(2026, 12, 5, 23, 30, 0).unwrap();
        assert_eq!(local_time_in(DEFAULT_ZONE, at).to_string(), "2026-12-06 08:30:00");
        let day = NaiveDate::from_ymd_opt(2026, 4, 1).unwrap();
        assert_eq!(start_of_in(DEFAULT_ZONE, day).to_rfc3339(), "2026-03-31T15:00:00+00:00");
    }

    #[test]
    fn another_zone_keeps_its_own_days_and_clock_changes() {
        let london: Tz = "Europe/London".parse().unwrap();
        let summer = Utc.with_ymd_and_hms(2026, 7, 1, 23, 30, 0).unwrap();
        assert_eq!(local_time_in(london, summer).date().to_string(), "2026-07-02");
        let winter = NaiveDate::from_ymd_opt(2026, 1, 10).unwrap();
        assert_eq!(start_of_in(london, winter).to_rfc3339(), "2026-01-10T00:00:00+00:00");
        // Midnight never happens on a day clocks go forward at midnight (Santiago, September).
        let santiago: Tz = "America/Santiago".parse().unwrap();
        let skipped = NaiveDate::from_ymd_opt(2026, 9, 6).unwrap();
        assert_eq!(start_of_in(santiago, skipped).to_rfc3339(), "2026-09-06T04:00:00+00:00");
    }
}
