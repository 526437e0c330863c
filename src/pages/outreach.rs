//! The dashboard's page for steps ア and ウ of the evaluation: which publicity reached people,
//! and what drew them (attendance by what events were), in tables, charts and plain words.

use crate::domain::lang::Lang;
use analysis::attendance::{GroupComparison, Headcounts};
use analysis::ranks::RankTest;
use maud::{html, Markup};

use super::chart::{clustered_bars, trend, BarGroup, Scale};
use super::dashboard::{fiscal_year_picker, select, signed_in, Chrome, Pick, Section};
use super::yen;
use crate::domain::publicity::heard_from_option;
use crate::reports::document::p_value_text;
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
    let l = chrome.lang;
    signed_in(
        l.pick("広報と参加", "Publicity and attendance"),
        chrome,
        Section::Outreach,
        html! {
            h1 { (l.pick("広報と参加", "Publicity and attendance")) }
            form.picker method="get" action="/dashboard/outreach" {
                (select("kind", l.pick("種別", "Kind"), view.kinds, view.kind, Some(l.pick("すべての種別", "All kinds"))))
                (fiscal_year_picker(l, "pick-fiscal_year", view.fiscal_year))
                (select("by", l.pick("参加者数を比べる観点", "Compare attendance by"), view.groupings, view.by, None))
                button type="submit" { (l.pick("表示する", "Show")) }
            }
            @if let Some(error) = view.error { p.error role="alert" { (error) } }
            @if let Some(reach) = view.reach { (reach_section(l, reach)) }
            @if let Some(attendance) = view.attendance { (attendance_section(l, attendance)) }
            (trend_section(l, view))
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

fn reach_section(l: Lang, reach: &PublicityReach) -> Markup {
    html! {
        section.card.wide aria-labelledby="reach" {
            h2 id="reach" { (l.pick("ア 広報の届き方", "A. How publicity reached people")) }
            p { (l.pick("対象の回 ", "Events: ")) (reach.events) (l.pick(" 回のうち、広報の記録がある回 ", ", with publicity recorded: ")) (reach.events_with_publicity) (l.pick(" 回。", ". "))
                (l.pick("「届いた参加者」は、その経路を使った回ごとに参加者数 × その回の回答者のうちその経路で知った割合を足した推計です。", "\"Attendees reached\" is an estimate: over the events that used the channel, the headcount times the share of respondents who heard of it that way. "))
                (l.pick("割合の分母は、どこで知ったかに答えた回答者（紹介した機関を答えた人を含みます）。紹介した機関を答えた人は「関係機関への周知」で知った人にも数えるため、機関の種別ごとの割合の合計が「関係機関への周知」の割合を超えることはありません。", "Shares are of the respondents who said how they heard (including those who named a referring agency). Someone who named an agency also counts as having heard through the agencies, so the shares by kind of agency never add up to more than the agencies' share. ")) }
            @if reach.channels.is_empty() {
                p { (l.pick("広報の記録がまだありません。イベント一覧でイベント名を開き、「広報の記録」で記録できます。", "No publicity recorded yet. Open an event from the events list and record it under Publicity. ")) }
            } @else {
                (clustered_bars(
                    l.pick("回答者のうち、その経路で知った人の割合", "Share of respondents who heard this way"),
                    &[BarGroup {
                        label: (l.pick("この経路で知った回答者", "Respondents who heard this way")).to_owned(),
                        bars: reach.channels.iter().map(|row| (label_of(l, row), row.reach.share.map(|s| s * 100.0))).collect(),
                    }],
                    &Scale::Percent,
                ))
                (reach_table(l, l.pick("広報の経路", "Channel"), l.pick("この経路で知った回答者", "Respondents who heard this way"), &reach.channels, |row| heard_from_option(&row.key).is_some()))
                @if reach.channels.iter().any(|row| heard_from_option(&row.key).is_none()) {
                    p.hint { (l.pick("郵送やメールで知ったかどうかはアンケートで尋ねていないため、その経路の「知った回答者」と「届いた参加者」は測れません（フォームに選択肢を加えると測れます）。", "The questionnaire does not ask whether people heard by post or email, so those channels' respondents and attendees reached cannot be measured (add the option to the form to measure them). ")) }
                }
            }
            @if !reach.agency_kinds.is_empty() {
                h3 { (l.pick("周知した関係機関の種別", "Kinds of agency told")) }
                (reach_table(l, l.pick("機関の種別", "Kind of agency"), l.pick("この種別の機関から紹介された回答者", "Respondents referred by this kind of agency"), &reach.agency_kinds, |_| true))
            }
        }
    }
}

fn label_of(l: Lang, row: &ReachRow) -> String {
    row.label[l.code()].as_str().unwrap_or(&row.key).to_owned()
}

/// `measurable`: whether the forms ask about a row's channel, so that its reach can be read.
fn reach_table(
    l: Lang,
    what: &str,
    share_heading: &str,
    rows: &[ReachRow],
    measurable: impl Fn(&ReachRow) -> bool,
) -> Markup {
    let mean = |headcounts: Option<&Headcounts>| headcounts.map_or_else(|| "—".to_owned(), |h| people(h.mean));
    html! {
        table {
            thead { tr {
                th scope="col" { (what) } th scope="col" { (l.pick("使った回", "Events using it")) }
                th scope="col" { (l.pick("平均参加者数（使った回）", "Mean headcount (using it)")) } th scope="col" { (l.pick("平均参加者数（その他の回）", "Mean headcount (others)")) }
                th scope="col" { (share_heading) } th scope="col" { (l.pick("届いた参加者（推計）", "Attendees reached (estimate)")) }
                th scope="col" { (l.pick("費用", "Cost")) } th scope="col" { (l.pick("届いた1人あたり", "Per attendee reached")) }
            } }
            tbody {
                @for row in rows {
                    @let attendance = row.attendance.as_ref();
                    tr {
                        th scope="row" { (label_of(l, row)) }
                        td.number { (row.events) }
                        td.number { (mean(attendance.map(|a| &a.headcounts))) }
                        td.number { (mean(attendance.and_then(|a| a.others.as_ref()))) }
                        @let (share, reached, per_attendee) = if measurable(row) {
                            (
                                format!("{} ({}/{})", row.reach.share.map_or_else(|| "—".to_owned(), |s| format!("{:.1}%", s * 100.0)), row.reach.named, row.reach.respondents),
                                row.reach.attendees_reached.map_or_else(|| "—".to_owned(), |n| format!("{n:.1}{}", l.pick("人", ""))),
                                row.reach.cost_per_attendee_reached.map_or_else(|| "—".to_owned(), |yen_each| yen(l, Some(yen_each))),
                            )
                        } else {
                            ((l.pick("測れません", "Cannot be measured")).to_owned(), (l.pick("測れません", "Cannot be measured")).to_owned(), (l.pick("測れません", "Cannot be measured")).to_owned())
                        };
                        td.number { (share) }
                        td.number { (reached) }
                        td.number { (yen(l, Some(row.reach.cost as f64))) }
                        td.number { (per_attendee) }
                    }
                }
            }
        }
    }
}

fn attendance_section(l: Lang, result: &AttendanceResult) -> Markup {
    let label = |group: &GroupComparison| result.by.label(&group.key).get(l).to_owned();
    let groups = &result.comparison.groups;
    let top = groups.iter().map(|g| g.headcounts.median).fold(0.0, f64::max);
    html! {
        section.card.wide aria-labelledby="drivers" {
            h2 id="drivers" { (l.pick("ウ 参加者数を左右するもの", "C. What drives attendance")) }
            @for sentence in attendance_sentences(l, result) { p.finding { (sentence) } }
            @if !groups.is_empty() {
                (clustered_bars(
                    l.pick("参加者数の中央値", "Median headcount"),
                    &groups.iter().map(|g| BarGroup {
                        label: match l {
                            Lang::Ja => format!("{}（{}回）", label(g), g.headcounts.events),
                            Lang::En => format!("{} ({} events)", label(g), g.headcounts.events),
                        },
                        bars: vec![((l.pick("中央値", "Median")).to_owned(), Some(g.headcounts.median))],
                    }).collect::<Vec<_>>(),
                    &Scale::Count { max: top, unit: (l.pick("人", "")) },
                ))
                table {
                    thead { tr {
                        th scope="col" { (l.pick("グループ", "Group")) } th scope="col" { (l.pick("回数", "Uses")) } th scope="col" { (l.pick("合計", "Total")) }
                        th scope="col" { (l.pick("平均", "Mean")) } th scope="col" { (l.pick("中央値", "Median")) } th scope="col" { (l.pick("最小–最大", "Min–max")) }
                        th scope="col" { (l.pick("参加者1人あたり費用", "Cost per attendee")) }
                    } }
                    tbody {
                        @for group in groups {
                            @let h = &group.headcounts;
                            tr {
                                th scope="row" { (label(group)) }
                                td.number { (h.events) } td.number { (h.total) } td.number { (people(h.mean)) }
                                td.number { (people(h.median)) } td.number { (h.min) "–" (h.max) }
                                td.number { (yen(l, h.cost_per_attendee)) }
                            }
                        }
                    }
                }
            }
            @if let Some(unrecorded) = &result.comparison.not_recorded {
                p.hint { (l.pick("記録のない回 ", "Events without a record: ")) (unrecorded.events) (l.pick(" 回は比べていません。", ", not compared. ")) }
            }
            @if result.without_headcount > 0 {
                p.hint { (l.pick("参加者数が未入力の回が ", "Events without a headcount: ")) (result.without_headcount) (l.pick(" 回あります。", ". ")) }
            }
        }
    }
}

/// What a rank test says, in words that never claim more than it shows.
fn verdict(l: Lang, test: &RankTest) -> String {
    let p = p_value_text(test.p_value);
    let said = if test.p_value < 0.05 {
        l.pick("偶然とは考えにくい差です", "a difference unlikely to be chance")
    } else {
        l.pick(
            "この回数では偶然の差である可能性を否定できません",
            "with this few events the difference may be chance",
        )
    };
    format!("{p}{}{said}", l.pick("：", ": "))
}

/// The findings in plain words, as a report would write them.
pub fn attendance_sentences(l: Lang, result: &AttendanceResult) -> Vec<String> {
    let groups = &result.comparison.groups;
    let label = |group: &GroupComparison| result.by.label(&group.key).get(l).to_owned();
    if groups.is_empty() {
        return vec![l
            .pick(
                "比べられる回がありません（参加者数と、比べる観点の記録がある回が必要です）。",
                "No events to compare (they need a headcount and a record of what is compared). ",
            )
            .to_owned()];
    }
    if !result.by.overlapping() {
        let Some(test) = &result.comparison.test else {
            let only = label(&groups[0]);
            return vec![match l {
                Lang::Ja => format!("{only}の回だけなので、比べられません。"),
                Lang::En => format!("Only events with {only}: nothing to compare."),
            }];
        };
        let median = |g: &&GroupComparison| g.headcounts.median;
        let (Some(most), Some(least)) = (
            groups.iter().max_by(|a, b| median(a).total_cmp(&median(b))),
            groups.iter().min_by(|a, b| median(a).total_cmp(&median(b))),
        ) else {
            return Vec::new();
        };
        let (most_label, most_median) = (label(most), people(most.headcounts.median));
        let (least_label, least_median) = (label(least), people(least.headcounts.median));
        let (n, verdict) = (test.n, verdict(l, test));
        return vec![match l {
            Lang::Ja => format!(
                "{most_label}の回の参加者数は中央値{most_median}人、{least_label}の回は{least_median}人でした（{n}回を比較、{verdict}）。"
            ),
            Lang::En => format!(
                "Events with {most_label} had a median headcount of {most_median}, those with {least_label} {least_median} ({n} events compared, {verdict})."
            ),
        }];
    }
    groups
        .iter()
        .filter_map(|group| {
            let (others, test) = (group.others.as_ref()?, group.test_against_others.as_ref()?);
            let ratio = group.headcounts.mean / others.mean.max(f64::EPSILON);
            let name = label(group);
            let drew = match (ratio >= 1.0, l) {
                (true, Lang::Ja) => format!("{name}の回は、そうでない回の{ratio:.1}倍の参加者を集めました"),
                (false, Lang::Ja) => format!("{name}の回の参加者は、そうでない回の{ratio:.1}倍にとどまりました"),
                (true, Lang::En) => format!("Events with {name} drew {ratio:.1} times the attendance of the others"),
                (false, Lang::En) => {
                    format!("Events with {name} drew only {ratio:.1} times the attendance of the others")
                }
            };
            let (own, others_median, verdict) =
                (people(group.headcounts.median), people(others.median), verdict(l, test));
            Some(match l {
                Lang::Ja => format!("{drew}（中央値 {own}人 対 {others_median}人、{verdict}）。"),
                Lang::En => format!("{drew} (median {own} against {others_median}, {verdict})."),
            })
        })
        .collect()
}

fn trend_section(l: Lang, view: &OutreachView) -> Markup {
    html! {
        section.card.wide aria-labelledby="trend" {
            h2 id="trend" { (l.pick("回ごとの参加者数", "Headcount by event")) }
            @if view.kind.is_empty() {
                p.hint { (l.pick("種別を選ぶと、その回ごとの参加者数と、直近", "Choose a kind to see each event's headcount and the median of the last ")) (TREND_WINDOW) (l.pick("回の中央値の推移を表示します。", " events. ")) }
            } @else if view.sessions.is_empty() {
                p { (l.pick("参加者数が記録された回がありません。", "No event has a headcount recorded. ")) }
            } @else {
                p.hint { (l.pick("点は各回の参加者数、線は直近", "Dots are each event's headcount, the line the median of the last ")) (TREND_WINDOW) (l.pick("回の中央値です。線が平らになれば、参加が安定したことを示します。", " events. A flat line means attendance has settled. ")) }
                (trend(l, l.pick("回ごとの参加者数", "Headcount by event"), view.sessions, view.level))
            }
        }
    }
}
