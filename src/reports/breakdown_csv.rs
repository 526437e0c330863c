//! A breakdown as a spreadsheet: one row per group and the total, counts and percentages per
//! option; UTF-8 with a byte order mark so Excel in Japan opens it as such.

use analysis::breakdown::{Breakdown, Cell};

use super::csv_file::CsvFile;

pub fn to_csv(result: &Breakdown) -> Result<Vec<u8>, csv::Error> {
    let mut writer = CsvFile::default();
    let mut header: Vec<String> = result.by.clone();
    header.push("n".to_owned());
    for option in &result.options {
        header.push(format!("{} ({})", option.label.ja, option.value));
        header.push(format!("{} %", option.label.ja));
    }
    if result.question_type.is_numeric() {
        header.extend(["mean", "sd", "ci95_low", "ci95_high"].map(str::to_owned));
    }
    header.push("suppressed".to_owned());
    writer.row(&header)?;
    let rows = result
        .groups
        .iter()
        .map(|g| {
            (
                result
                    .by
                    .iter()
                    .map(|id| g.labels.get(id).map_or(String::new(), |l| l.ja.clone()))
                    .collect(),
                &g.cell,
            )
        })
        .chain([(
            result.by.iter().map(|_| "全体".to_owned()).collect::<Vec<_>>(),
            &result.total,
        )]);
    for (labels, cell) in rows {
        let mut record: Vec<String> = labels;
        record.extend(row(result, cell));
        writer.row(&record)?;
    }
    writer.finish()
}

fn row(result: &Breakdown, cell: &Cell) -> Vec<String> {
    let text = |value: Option<String>| value.unwrap_or_default();
    let mut record = vec![text(cell.n.map(|n| n.to_string()))];
    for option in &result.options {
        record.push(text(
            cell.counts
                .as_ref()
                .and_then(|c| c.get(&option.value).copied().flatten())
                .map(|c| c.to_string()),
        ));
        record.push(text(
            cell.percentages
                .as_ref()
                .and_then(|p| p.get(&option.value).copied().flatten())
                .map(|p| format!("{p:.1}")),
        ));
    }
    if let Some(moments) = &cell.moments {
        record.push(text(moments.mean.map(|m| format!("{m:.3}"))));
        record.push(text(moments.sd.map(|s| format!("{s:.3}"))));
        record.push(text(moments.ci95.map(|[lo, _]| format!("{lo:.3}"))));
        record.push(text(moments.ci95.map(|[_, hi]| format!("{hi:.3}"))));
    }
    record.push(cell.suppressed.to_string());
    record
}
