//! What a workbook may claim, checked on its raw parts before the spreadsheet reader allocates
//! anything: an `.xlsx` is a zip of XML files whose counts and cell addresses are only claims (a
//! 5 KB file can claim a trillion shared strings, or cells at A1 and XFD1048576), and the reader
//! trusts them. Each part is streamed through an XML pull parser, so neither its size nor its
//! depth costs more than one event's buffer.

use std::io::{BufReader, Cursor, Read};

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

/// A form of a hundred questions unpacks to some 200 KB, a thousand keyed-in questionnaires to a
/// few MB; past this a workbook is refused.
pub const MAX_UNPACKED_BYTES: u64 = 20 * 1024 * 1024;
/// Parts of the archive: Excel and LibreOffice write a dozen or two.
pub const MAX_PARTS: usize = 256;
/// Rows of any sheet: a form's questions, its choices (a list of municipalities is long), or
/// paper questionnaires keyed in.
pub const MAX_ROWS: u64 = 10_000;
/// Columns of any sheet: XLSForm's own plus languages and other tools' empty ones.
pub const MAX_COLUMNS: u64 = 256;
/// Cells with content, over every sheet.
pub const MAX_CELLS: u64 = 200_000;
/// Shared strings, as claimed and as present.
pub const MAX_STRINGS: u64 = 200_000;

/// Checks the archive and each worksheet and shared-strings part; what is wrong, in a sentence,
/// when a bound is passed or a part cannot be read.
pub fn check(bytes: &[u8]) -> Result<(), String> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(unreadable)?;
    if archive.len() > MAX_PARTS {
        return Err(format!(
            "the workbook has {} parts, more than the service reads ({MAX_PARTS} at most)",
            archive.len()
        ));
    }
    let mut unpacked = 0u64;
    for index in 0..archive.len() {
        let entry = archive.by_index_raw(index).map_err(unreadable)?;
        unpacked = unpacked.saturating_add(entry.size());
    }
    if unpacked > MAX_UNPACKED_BYTES {
        return Err(format!(
            "the workbook unpacks to {} MiB, more than the service reads ({} MiB at most)",
            unpacked / 1024 / 1024,
            MAX_UNPACKED_BYTES / 1024 / 1024
        ));
    }
    let mut cells = 0u64;
    for index in 0..archive.len() {
        let entry = archive.by_index(index).map_err(unreadable)?;
        let name = entry.name().map_err(unreadable)?.into_owned();
        // The declared size was checked above; never read more than it, whatever the data holds.
        let limited = entry.take(MAX_UNPACKED_BYTES);
        if name.ends_with("sharedStrings.xml") {
            shared_strings(limited).map_err(|e| format!("{name} {e}"))?;
        } else if name.contains("worksheets/") && name.ends_with(".xml") {
            cells += worksheet(limited).map_err(|e| format!("{name} {e}"))?;
            if cells > MAX_CELLS {
                return Err(format!(
                    "the workbook has more than {MAX_CELLS} cells, more than the service reads"
                ));
            }
        }
    }
    Ok(())
}

fn unreadable(error: impl std::fmt::Display) -> String {
    format!("not a readable .xlsx workbook ({error})")
}

/// Visits every element's start (and empty element) of a part.
fn each_element(part: impl Read, mut visit: impl FnMut(&BytesStart) -> Result<(), String>) -> Result<(), String> {
    let mut reader = Reader::from_reader(BufReader::new(part));
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(element) | Event::Empty(element)) => visit(&element)?,
            Ok(Event::Eof) => return Ok(()),
            Ok(_) => {}
            Err(e) => return Err(unreadable(format!("its XML: {e}"))),
        }
        buf.clear();
    }
}

fn attribute(element: &BytesStart, name: &str) -> Option<String> {
    element
        .attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == name)
        .map(|a| a.value.into_owned())
}

fn shared_strings(part: impl Read) -> Result<(), String> {
    let mut strings = 0u64;
    each_element(part, |element| {
        match element.local_name().as_ref() {
            "sst" => {
                for claim in ["count", "uniqueCount"] {
                    let claimed = attribute(element, claim).and_then(|v| v.trim().parse::<u64>().ok());
                    if claimed.is_some_and(|n| n > MAX_STRINGS) {
                        return Err(format!(
                            "claims more than {MAX_STRINGS} strings ({claim}), more than the service reads"
                        ));
                    }
                }
            }
            "si" => {
                strings += 1;
                if strings > MAX_STRINGS {
                    return Err(format!(
                        "holds more than {MAX_STRINGS} strings, more than the service reads"
                    ));
                }
            }
            _ => {}
        }
        Ok(())
    })
}

/// Checks a worksheet's claimed dimension and every row and cell address; its cells.
fn worksheet(part: impl Read) -> Result<u64, String> {
    let mut cells = 0u64;
    each_element(part, |element| {
        match element.local_name().as_ref() {
            "dimension" => {
                if let Some(range) = attribute(element, "ref") {
                    for corner in range.split(':') {
                        within(corner)?;
                    }
                }
            }
            "row" => {
                if let Some(row) = attribute(element, "r") {
                    let row: u64 = row
                        .trim()
                        .parse()
                        .map_err(|_| unreadable(format!("row number {row:?}")))?;
                    if row > MAX_ROWS {
                        return Err(format!(
                            "has row {row}, past the last row the service reads ({MAX_ROWS})"
                        ));
                    }
                }
            }
            "c" => {
                cells += 1;
                if cells > MAX_CELLS {
                    return Err(format!("has more than {MAX_CELLS} cells, more than the service reads"));
                }
                if let Some(address) = attribute(element, "r") {
                    within(&address)?;
                }
            }
            _ => {}
        }
        Ok(())
    })?;
    Ok(cells)
}

/// An A1-style address within [`MAX_ROWS`] and [`MAX_COLUMNS`].
fn within(address: &str) -> Result<(), String> {
    let address = address.trim().replace('$', "");
    let split = address.find(|c: char| c.is_ascii_digit()).unwrap_or(address.len());
    let (letters, digits) = address.split_at(split);
    let column = letters.chars().try_fold(0u64, |n, c| {
        c.is_ascii_alphabetic().then(|| {
            n.saturating_mul(26)
                .saturating_add(u64::from(c.to_ascii_uppercase() as u8 - b'A' + 1))
        })
    });
    let row = if digits.is_empty() {
        Some(1)
    } else {
        digits.parse::<u64>().ok()
    };
    let (Some(column), Some(row)) = (column, row) else {
        return Err(unreadable(format!("cell address {address:?}")));
    };
    if column > MAX_COLUMNS || row > MAX_ROWS {
        return Err(format!(
            "has a cell at {address}, outside what the service reads ({MAX_COLUMNS} columns, {MAX_ROWS} rows)"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_past_the_bounds_are_refused() {
        assert!(within("A1").is_ok());
        assert!(within("$IV$10000").is_ok());
        assert!(within("IW1").is_err());
        assert!(within("A10001").is_err());
        assert!(within("XFD1048576").is_err());
        assert!(within("A99999999999999999999999").is_err());
        assert!(within("ZZZZZZZZZZZZZZZZZZZZ1").is_err());
    }

    #[test]
    fn claimed_string_counts_are_bounded() {
        let claim = |xml: &str| shared_strings(xml.as_bytes());
        assert!(claim(r#"<sst count="2" uniqueCount="2"><si><t>a</t></si><si><t>b</t></si></sst>"#).is_ok());
        let huge = claim(r#"<sst xmlns="x" uniqueCount="1000000000000"></sst>"#).unwrap_err();
        assert!(huge.contains("uniqueCount"), "{huge}");
    }

    #[test]
    fn deep_xml_costs_one_buffer() {
        let deep = format!(
            "<worksheet>{}{}</worksheet>",
            "<a>".repeat(100_000),
            "</a>".repeat(100_000)
        );
        assert_eq!(worksheet(deep.as_bytes()), Ok(0));
    }
}
