//! Every CSV file the service writes as a report: UTF-8 with a byte order mark, so Excel in
//! Japan opens it as such, and text a spreadsheet would run as a formula (a plan's title, an
//! agency's name) kept as text by the same function the raw exports use.

use analysis::export::spreadsheet_text;

pub struct CsvFile(csv::Writer<Vec<u8>>);

impl Default for CsvFile {
    fn default() -> Self {
        Self(csv::Writer::from_writer("\u{feff}".as_bytes().to_vec()))
    }
}

impl CsvFile {
    /// Writes one row; a field that is a number is written as it is (a negative one too).
    pub fn row<S: AsRef<str>>(&mut self, fields: impl IntoIterator<Item = S>) -> Result<(), csv::Error> {
        let fields: Vec<String> = fields
            .into_iter()
            .map(|field| {
                let field = field.as_ref();
                if field.parse::<f64>().is_ok() {
                    field.to_owned()
                } else {
                    spreadsheet_text(field)
                }
            })
            .collect();
        self.0.write_record(&fields)
    }

    pub fn finish(self) -> Result<Vec<u8>, csv::Error> {
        self.0.into_inner().map_err(|error| error.into_error().into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_become_text_and_numbers_stay_numbers() {
        let mut file = CsvFile::default();
        file.row(["=HYPERLINK(\"http://x\")", "-1.5", "@SUM(A1)", "+81", "\tx", "保健所"])
            .unwrap();
        let text = String::from_utf8(file.finish().unwrap()).unwrap();
        assert_eq!(
            text,
            "\u{feff}\"'=HYPERLINK(\"\"http://x\"\")\",-1.5,'@SUM(A1),+81,'\tx,保健所\n"
        );
    }
}
