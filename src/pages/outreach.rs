//! The dashboard's page for steps ア and ウ of the evaluation: which publicity reached people,
//! and what drew them (attendance by what events were), in tables, charts and plain words.

use analysis::attendance::{GroupComparison, Headcounts};
use analysis::ranks::RankTest;
use maud::{html, Markup};

use super::chart::{clustered_bars, trend, BarGroup, Scale};
use super::dashboard::{fiscal_year_picker, select, signed_in, Chrome, Pick, Section};
use super::yen;
use crate::domain::publicity::heard_from_option;
use crate::services::attendance::AttendanceResult;
use crate::services::publicity_reach::{PublicityReach, ReachRow};

/// Sessions a moving median spans: about a quarter of a year of twice-monthly seminars.
pub const TREND_WINDOW: usize = 5;

pub struct OutreachView<'a> {
    pub kinds: &'a [Pick],
    pub kind: &'a str,
    pub fiscal_year: &'a str,
    pub groupings: &'a [Pick],
    pub by: &'a str,
    pub error: Option<&'a str>,
    pub reach: Option<&'a PublicityReach>,
    pub attendance: Option<&'a AttendanceResult>,
    /// The kind's sessions in date order (short date, headcount) and their moving median.
    pub sessions: &'a [(String, f64)],
    pub level: &'a [f64],
}

pub fn outreach_page(chrome: &Chrome, view: &OutreachView) -> Markup {
    signed_in(
        "広報と参加",
        chrome,
        Section::Outreach,
        html! {
            h1 { "広報と参加" }
            form.picker method="get" action="/dashboard/outreach" {
                (select("kind", "種別", view.kinds, view.kind, Some("すべての種別")))
                (fiscal_year_picker("pick-fiscal_year", view.fiscal_year))
                (select("by", "参加者数を比べる観点", view.groupings, view.by, None))
                button type="submit" { "表示する" }
            }
            @if let Some(error) = view.error { p.error role="alert" { (error) } }
            @if let Some(reach) = view.reach { (reach_section(reach)) }
            @if let Some(attendance) = view.attendance { (attendance_section(attendance)) }
            (trend_section(view))
        },
    )
}

/// 12 for twelve people, 4.5 for a median between two.
fn people(value: f64) -> String {
    if value.fract() == 0.0 {
        format!("{value:.0}")
    } else {
        format!("{value:.1}")
    }
}

fn reach_section(reach: &PublicityReach) -> Markup {
    html! {
        section.card.wide aria-labelledby="reach" {
            h2 id="reach" { "ア 広報の届き方" }
            p { "対象の回 " (reach.events) " 回のうち、広報の記録がある回 " (reach.events_with_publicity) " 回。"
                "「届いた参加者」は、その経路を使った回ごとに参加者数 × その回の回答者のうちその経路で知った割合を足した推計です。"
                "割合の分母は、どこで知ったかに答えた回答者（紹介した機関を答えた人を含みます）。紹介した機関を答えた人は「関係機関への周知」で知った人にも数えるため、機関の種別ごとの割合の合計が「関係機関への周知」の割合を超えることはありません。" }
            @if reach.channels.is_empty() {
                p { "広報の記録がまだありません。イベント一覧でイベント名を開き、「広報の記録」で記録できます。" }
            } @else {
                (clustered_bars(
                    "回答者のうち、その経路で知った人の割合",
                    &[BarGroup {
                        label: "この経路で知った回答者".to_owned(),
                        bars: reach.channels.iter().map(|row| (label_of(row), row.reach.share.map(|s| s * 100.0))).collect(),
                    }],
                    &Scale::Percent,
                ))
                (reach_table("広報の経路", "この経路で知った回答者", &reach.channels, |row| heard_from_option(&row.key).is_some()))
                @if reach.channels.iter().any(|row| heard_from_option(&row.key).is_none()) {
                    p.hint { "郵送やメールで知ったかどうかはアンケートで尋ねていないため、その経路の「知った回答者」と「届いた参加者」は測れません（フォームに選択肢を加えると測れます）。" }
                }
            }
            @if !reach.agency_kinds.is_empty() {
                h3 { "周知した関係機関の種別" }
                (reach_table("機関の種別", "この種別の機関から紹介された回答者", &reach.agency_kinds, |_| true))
            }
        }
    }
}

fn label_of(row: &ReachRow) -> String {
    row.label["ja"].as_str().unwrap_or(&row.key).to_owned()
}

/// `measurable`: whether the forms ask about a row's channel, so that its reach can be read.
fn reach_table(what: &str, share_heading: &str, rows: &[ReachRow], measurable: impl Fn(&ReachRow) -> bool) -> Markup {
    let mean = |headcounts: Option<&Headcounts>| headcounts.map_or_else(|| "—".to_owned(), |h| people(h.mean));
    html! {
        table {
            thead { tr {
                th scope="col" { (what) } th scope="col" { "使った回" }
                th scope="col" { "平均参加者数（使った回）" } th scope="col" { "平均参加者数（その他の回）" }
                th scope="col" { (share_heading) } th scope="col" { "届いた参加者（推計）" }
                th scope="col" { "費用" } th scope="col" { "届いた1人あたり" }
            } }
            tbody {
                @for row in rows {
                    @let attendance = row.attendance.as_ref();
                    tr {
                        th scope="row" { (label_of(row)) }
                        td.number { (row.events) }
                        td.number { (mean(attendance.map(|a| &a.headcounts))) }
                        td.number { (mean(attendance.and_then(|a| a.others.as_ref()))) }
                        @let (share, reached, per_attendee) = if measurable(row) {
                            (
                                format!("{} ({}/{})", row.reach.share.map_or_else(|| "—".to_owned(), |s| format!("{:.1}%", s * 100.0)), row.reach.named, row.reach.respondents),
                                row.reach.attendees_reached.map_or_else(|| "—".to_owned(), |n| format!("{n:.1}人")),
                                row.reach.cost_per_attendee_reached.map_or_else(|| "—".to_owned(), |yen_each| yen(Some(yen_each))),
                            )
                        } else {
                            ("測れません".to_owned(), "測れません".to_owned(), "測れません".to_owned())
                        };
                        td.number { (share) }
                        td.number { (reached) }
                        td.number { (yen(Some(row.reach.cost as f64))) }
                        td.number { (per_attendee) }
                    }
                }
            }
        }
    }
}

fn attendance_section(result: &AttendanceResult) -> Markup {
    let label = |group: &GroupComparison| result.by.label(&group.key).ja;
    let groups = &result.comparison.groups;
    let top = groups.iter().map(|g| g.headcounts.median).fold(0.0, f64::max);
    html! {
        section.card.wide aria-labelledby="drivers" {
            h2 id="drivers" { "ウ 参加者数を左右するもの" }
            @for sentence in attendance_sentences(result) { p.finding { (sentence) } }
            @if !groups.is_empty() {
                (clustered_bars(
                    "参加者数の中央値",
                    &groups.iter().map(|g| BarGroup {
                        label: format!("{}（{}回）", label(g), g.headcounts.events),
                        bars: vec![("中央値".to_owned(), Some(g.headcounts.median))],
                    }).collect::<Vec<_>>(),
                    &Scale::Count { max: top, unit: "人" },
                ))
                table {
                    thead { tr {
                        th scope="col" { "グループ" } th scope="col" { "回数" } th scope="col" { "合計" }
                        th scope="col" { "平均" } th scope="col" { "中央値" } th scope="col" { "最小–最大" }
                        th scope="col" { "参加者1人あたり費用" }
                    } }
                    tbody {
                        @for group in groups {
                            @let h = &group.headcounts;
                            tr {
                                th scope="row" { (label(group)) }
                                td.number { (h.events) } td.number { (h.total) } td.number { (people(h.mean)) }
                                td.number { (people(h.median)) } td.number { (h.min) "–" (h.max) }
                                td.number { (yen(h.cost_per_attendee)) }
                            }
                        }
                    }
                }
            }
            @if let Some(unrecorded) = &result.comparison.not_recorded {
                p.hint { "記録のない回 " (unrecorded.events) " 回は比べていません。" }
            }
            @if result.without_headcount > 0 {
                p.hint { "参加者数が未入力の回が " (result.without_headcount) " 回あります。" }
            }
        }
    }
}

/// What a rank test says, in words that never claim more than it shows.
fn verdict(test: &RankTest) -> String {
    let p = format!("p = {:.3}", test.p_value);
    if test.p_value < 0.05 {
        format!("{p}：偶然とは考えにくい差です")
    } else {
        format!("{p}：この回数では偶然の差である可能性を否定できません")
    }
}

/// The findings in plain words, as a report would write them.
pub fn attendance_sentences(result: &AttendanceResult) -> Vec<String> {
    let groups = &result.comparison.groups;
    let label = |group: &GroupComparison| result.by.label(&group.key).ja;
    if groups.is_empty() {
        return vec!["比べられる回がありません（参加者数と、比べる観点の記録がある回が必要です）。".to_owned()];
    }
    if !result.by.overlapping() {
        let Some(test) = &result.comparison.test else {
            return vec![format!("{}の回だけなので、比べられません。", label(&groups[0]))];
        };
        let median = |g: &&GroupComparison| g.headcounts.median;
        let (Some(most), Some(least)) = (
            groups.iter().max_by(|a, b| median(a).total_cmp(&median(b))),
            groups.iter().min_by(|a, b| median(a).total_cmp(&median(b))),
        ) else {
            return Vec::new();
        };
        return vec![format!(
            "{}の回の参加者数は中央値{}人、{}の回は{}人でした（{}回を比較、{}）。",
            label(most),
            people(most.headcounts.median),
            label(least),
            people(least.headcounts.median),
            test.n,
            verdict(test)
        )];
    }
    groups
        .iter()
        .filter_map(|group| {
            let (others, test) = (group.others.as_ref()?, group.test_against_others.as_ref()?);
            let ratio = group.headcounts.mean / others.mean.max(f64::EPSILON);
            let drew = if ratio >= 1.0 {
                format!("{}の回は、そうでない回の{ratio:.1}倍の参加者を集めました", label(group))
            } else {
                format!(
                    "{}の回の参加者は、そうでない回の{ratio:.1}倍にとどまりました",
                    label(group)
                )
            };
            Some(format!(
                "{drew}（中央値 {}人 対 {}人、{}）。",
                people(group.headcounts.median),
                people(others.median),
                verdict(test)
            ))
        })
        .collect()
}

fn trend_section(view: &OutreachView) -> Markup {
    html! {
        section.card.wide aria-labelledby="trend" {
            h2 id="trend" { "回ごとの参加者数" }
            @if view.kind.is_empty() {
                p.hint { "種別を選ぶと、その回ごとの参加者数と、直近" (TREND_WINDOW) "回の中央値の推移を表示します。" }
            } @else if view.sessions.is_empty() {
                p { "参加者数が記録された回がありません。" }
            } @else {
                p.hint { "点は各回の参加者数、線は直近" (TREND_WINDOW) "回の中央値です。線が平らになれば、参加が安定したことを示します。" }
                (trend("回ごとの参加者数", view.sessions, view.level))
            }
        }
    }
}
