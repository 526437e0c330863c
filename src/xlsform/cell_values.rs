//! The values a survey row spells in its cells: `required`, a scale's range, a number's bounds
//! and a text's length, in the spellings XLSForm tools write.

use crate::domain::lang::Localized;

pub(super) fn parse_required(text: Option<&str>) -> Result<bool, Localized> {
    match text.map(str::to_ascii_lowercase).as_deref() {
        None | Some("no" | "false" | "false()" | "0") => Ok(false),
        Some("yes" | "true" | "true()" | "1") => Ok(true),
        Some(other) => Err(Localized::new(
            format!("required は yes か no です（{other:?} ではなく）"),
            format!("required is yes or no, not {other:?}"),
        )),
    }
}

/// What the archive's entries say they unpack to, read from its directory without unpacking.
/// `start=1 end=5 step=1`, XLSForm's defaults being 1, 10 and 1; steps other than 1 are refused.
pub(super) fn parse_range(parameters: &str) -> Result<(i64, i64), Localized> {
    let (mut start, mut end) = (1, 10);
    for pair in parameters.split([' ', ';', ',']).filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').ok_or_else(|| {
            Localized::new(
                format!("parameters は start=1 end=5 step=1 のように書きます（{pair:?} ではなく）"),
                format!("parameters are written start=1 end=5 step=1, not {pair:?}"),
            )
        })?;
        let number: i64 = value.trim().parse().map_err(|_| {
            Localized::new(
                format!("{key} は整数です（{value:?} ではなく）"),
                format!("{key} must be a whole number, not {value:?}"),
            )
        })?;
        match key.trim() {
            "start" => start = number,
            "end" => end = number,
            "step" if number == 1 => {}
            "step" => return Err(Localized::new("range の step は 1 にします", "a range steps by 1 here")),
            other => {
                return Err(Localized::new(
                    format!("parameters の {other:?} はありません（range で読むのは start, end, step）"),
                    format!("unknown parameter {other:?} (a range reads start, end and step)"),
                ))
            }
        }
    }
    Ok((start, end))
}

/// `. >= 0 and . <= 120`: an integer's range, both ends needed.
pub(super) fn parse_bounds(constraint: &str) -> Result<(i64, i64), Localized> {
    let expected = || {
        Localized::new(
            "integer の constraint には範囲を書きます: . >= 0 and . <= 120",
            "an integer needs its range as its constraint: . >= 0 and . <= 120",
        )
    };
    let compact: String = constraint.chars().filter(|c| !c.is_whitespace()).collect();
    let (mut min, mut max) = (None, None);
    for part in compact.split("and") {
        let bound = |prefix: &str| part.strip_prefix(prefix).and_then(|n| n.parse::<i64>().ok());
        if let Some(n) = bound(".>=") {
            min = Some(n);
        } else if let Some(n) = bound(".<=") {
            max = Some(n);
        } else if let Some(n) = bound(".>") {
            min = Some(n + 1);
        } else if let Some(n) = bound(".<") {
            max = Some(n - 1);
        } else {
            return Err(expected());
        }
    }
    min.zip(max).ok_or_else(expected)
}

/// `string-length(.) <= 500`: a text's longest answer.
pub(super) fn parse_length(constraint: &str) -> Result<usize, Localized> {
    let compact: String = constraint.chars().filter(|c| !c.is_whitespace()).collect();
    let length = |prefix: &str| compact.strip_prefix(prefix).and_then(|n| n.parse::<usize>().ok());
    length("string-length(.)<=")
        .or_else(|| length("string-length(.)<").map(|n| n.saturating_sub(1)))
        .ok_or_else(|| {
            Localized::new(
                "text の constraint には最長の文字数を書きます: string-length(.) <= 500",
                "a text's constraint gives its longest answer: string-length(.) <= 500",
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_bounds_and_lengths_are_read_in_their_usual_spellings() {
        assert_eq!(parse_range("start=1 end=5 step=1"), Ok((1, 5)));
        assert_eq!(parse_range("end=7"), Ok((1, 7)));
        assert!(parse_range("start=1 end=10 step=2").is_err());
        assert_eq!(parse_bounds(". >= 0 and . <= 120"), Ok((0, 120)));
        assert_eq!(parse_bounds(".<=9 and .>0"), Ok((1, 9)));
        assert!(parse_bounds(". >= 0").is_err());
        assert!(parse_bounds("regex(., '[0-9]+')").is_err());
        assert_eq!(parse_length("string-length(.) <= 500"), Ok(500));
        assert!(parse_length(". != ''").is_err());
        assert_eq!(parse_required(Some("Yes")), Ok(true));
        assert!(parse_required(Some("maybe")).is_err());
    }
}
