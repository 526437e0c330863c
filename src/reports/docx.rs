//! A report as a Word document (.docx), the form a city office edits and files: headings in
//! Word's own heading styles (so its navigation pane and table of contents see them), real
//! tables with a repeated header row, A4 pages. Written directly as WordprocessingML into the
//! `zip` archive the service already builds workbooks with: the few parts a document needs are
//! short, and a generator crate would add a second zip and XML stack for them.

use std::io::{Cursor, Write};

use quick_xml::escape::escape;
use zip::write::SimpleFileOptions;
use zip::ZipWriter;

use super::document::{is_figure, Block, Document};
use super::staff_text::{self, TextBlock};

/// A4 with 20 mm margins, in twentieths of a point.
const PAGE: &str = r#"<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1134" w:right="1134" w:bottom="1134" w:left="1134" w:header="567" w:footer="567" w:gutter="0"/></w:sectPr>"#;
/// The text width of that page, for table columns.
const TEXT_WIDTH: usize = 11906 - 2 * 1134;

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/></Types>"#;

const PACKAGE_RELATIONSHIPS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>"#;

const DOCUMENT_RELATIONSHIPS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>"#;

/// Mincho at 10.5 pt as Japanese reports are set; headings named as Word's built-in ones.
const STYLES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Century" w:hAnsi="Century" w:eastAsia="MS Mincho" w:cs="Times New Roman"/><w:sz w:val="21"/><w:szCs w:val="21"/><w:lang w:val="en-US" w:eastAsia="ja-JP"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="80" w:line="300" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults><w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style><w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr><w:jc w:val="center"/><w:spacing w:after="240"/></w:pPr><w:rPr><w:b/><w:sz w:val="32"/></w:rPr></w:style><w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr><w:keepNext/><w:spacing w:before="240" w:after="120"/><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:b/><w:sz w:val="28"/></w:rPr></w:style><w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr><w:keepNext/><w:spacing w:before="200" w:after="80"/><w:outlineLvl w:val="1"/></w:pPr><w:rPr><w:b/><w:sz w:val="24"/></w:rPr></w:style><w:style w:type="paragraph" w:styleId="Heading3"><w:name w:val="heading 3"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr><w:keepNext/><w:spacing w:before="160" w:after="60"/><w:outlineLvl w:val="2"/></w:pPr><w:rPr><w:b/></w:rPr></w:style><w:style w:type="table" w:styleId="TableGrid"><w:name w:val="Table Grid"/><w:tblPr><w:tblBorders><w:top w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:left w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:bottom w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:right w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:insideH w:val="single" w:sz="4" w:space="0" w:color="000000"/><w:insideV w:val="single" w:sz="4" w:space="0" w:color="000000"/></w:tblBorders><w:tblCellMar><w:left w:w="80" w:type="dxa"/><w:right w:w="80" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style></w:styles>"#;

#[derive(Debug, thiserror::Error)]
#[error("cannot write the Word document: {0}")]
pub struct DocxError(#[from] zip::result::ZipError);

impl From<std::io::Error> for DocxError {
    fn from(error: std::io::Error) -> Self {
        Self(error.into())
    }
}

/// Text as XML character data: markup characters escaped, and the characters XML 1.0 cannot
/// hold at all (controls, U+FFFE, U+FFFF) left out, so no text makes Word ask to repair the file.
fn xml_text(text: &str) -> String {
    let allowed: String = text
        .chars()
        .map(|c| if matches!(c, '\t' | '\n' | '\r') { ' ' } else { c })
        .filter(|c| !c.is_control() && !matches!(c, '\u{fffe}' | '\u{ffff}'))
        .collect();
    escape(allowed.as_str()).into_owned()
}

/// One run of text; line breaks of any kind become spaces (a comment stays one paragraph).
fn run(text: &str, bold: bool) -> String {
    let one_line: String = text
        .chars()
        .map(|c| {
            if matches!(c, '\u{0b}' | '\u{0c}' | '\u{85}' | '\u{2028}' | '\u{2029}') {
                ' '
            } else {
                c
            }
        })
        .collect();
    let properties = if bold { "<w:rPr><w:b/></w:rPr>" } else { "" };
    format!(
        r#"<w:r>{properties}<w:t xml:space="preserve">{}</w:t></w:r>"#,
        xml_text(&one_line)
    )
}

fn paragraph(properties: &str, runs: &str) -> String {
    match properties {
        "" => format!("<w:p>{runs}</w:p>"),
        _ => format!("<w:p><w:pPr>{properties}</w:pPr>{runs}</w:p>"),
    }
}

fn plain(text: &str) -> String {
    paragraph("", &run(text, false))
}

/// A paragraph indented with a hanging mark ("・", "1.", "(1)"), as lists are typed in Japanese
/// documents.
fn marked(mark: &str, text: &str) -> String {
    paragraph(
        r#"<w:ind w:left="420" w:hanging="420"/>"#,
        &run(&format!("{mark}{text}"), false),
    )
}

fn heading(level: u8, text: &str, page_break: bool) -> String {
    let style = match level {
        0 => "Title",
        1 | 2 => "Heading1",
        3 => "Heading2",
        _ => "Heading3",
    };
    let page_break = if page_break { "<w:pageBreakBefore/>" } else { "" };
    paragraph(
        &format!(r#"<w:pStyle w:val="{style}"/>{page_break}"#),
        &run(text, false),
    )
}

fn table(headers: &[String], rows: &[Vec<String>]) -> String {
    let columns = headers.len().max(1);
    let width = TEXT_WIDTH / columns;
    let cell = |text: &str, header: bool| {
        let align = if !header && is_figure(text) {
            r#"<w:jc w:val="right"/>"#
        } else {
            ""
        };
        format!(
            r#"<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>{}</w:tc>"#,
            paragraph(&format!(r#"<w:spacing w:after="0"/>{align}"#), &run(text, header))
        )
    };
    let mut xml = format!(
        r#"<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="{}" w:type="dxa"/><w:tblLayout w:type="fixed"/></w:tblPr><w:tblGrid>{}</w:tblGrid>"#,
        width * columns,
        format!(r#"<w:gridCol w:w="{width}"/>"#).repeat(columns)
    );
    // The header row repeats on every page a table runs over.
    xml.push_str(r#"<w:tr><w:trPr><w:tblHeader/><w:cantSplit/></w:trPr>"#);
    headers.iter().for_each(|h| xml.push_str(&cell(h, true)));
    xml.push_str("</w:tr>");
    for row in rows {
        xml.push_str(r#"<w:tr><w:trPr><w:cantSplit/></w:trPr>"#);
        (0..columns).for_each(|i| xml.push_str(&cell(row.get(i).map_or("", String::as_str), i == 0)));
        xml.push_str("</w:tr>");
    }
    // Word needs a paragraph between a table and what follows.
    xml.push_str("</w:tbl><w:p/>");
    xml
}

fn staff_text(text: &str) -> String {
    staff_text::parse(text)
        .into_iter()
        .map(|block| match block {
            TextBlock::Paragraph(lines) => {
                let runs: Vec<String> = lines.iter().map(|line| run(line, false)).collect();
                paragraph("", &runs.join("<w:r><w:br/></w:r>"))
            }
            TextBlock::Bullets(items) => items.iter().map(|item| marked("・", item)).collect(),
            TextBlock::Numbered(items) => items
                .iter()
                .enumerate()
                .map(|(i, item)| marked(&format!("{}. ", i + 1), item))
                .collect(),
        })
        .collect()
}

fn body(document: &Document) -> String {
    let mut xml = heading(0, &document.title, false);
    let mut sections = 0;
    for block in &document.blocks {
        xml.push_str(&match block {
            Block::Heading(level, text) => {
                // Each top-level section starts a page, as the HTML prints.
                let page_break = *level <= 2 && sections > 0;
                sections += usize::from(*level <= 2);
                heading(*level, text, page_break)
            }
            Block::Paragraph(text) => plain(text),
            Block::Quotes(quotes) => quotes.iter().map(|q| marked("・", &format!("「{q}」"))).collect(),
            Block::Table { headers, rows } => table(headers, rows),
            Block::StaffText(text) => staff_text(text),
            Block::Numbered(points) => points
                .iter()
                .enumerate()
                .map(|(i, point)| marked(&format!("({}) ", i + 1), point))
                .collect(),
        });
    }
    xml
}

pub fn to_docx(document: &Document) -> Result<Vec<u8>, DocxError> {
    let document_xml = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{}{PAGE}</w:body></w:document>"#,
        body(document)
    );
    let core = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>{}</dc:title><dc:language>ja-JP</dc:language></cp:coreProperties>"#,
        xml_text(&document.title)
    );
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default();
    for (name, content) in [
        ("[Content_Types].xml", CONTENT_TYPES),
        ("_rels/.rels", PACKAGE_RELATIONSHIPS),
        ("word/_rels/document.xml.rels", DOCUMENT_RELATIONSHIPS),
        ("word/styles.xml", STYLES),
        ("word/document.xml", document_xml.as_str()),
        ("docProps/core.xml", core.as_str()),
    ] {
        zip.start_file(name, options)?;
        zip.write_all(content.as_bytes())?;
    }
    Ok(zip.finish()?.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn part(docx: &[u8], name: &str) -> String {
        let mut archive = zip::ZipArchive::new(Cursor::new(docx)).unwrap();
        let mut text = String::new();
        archive.by_name(name).unwrap().read_to_string(&mut text).unwrap();
        text
    }

    #[test]
    fn a_document_has_word_headings_tables_and_escaped_text() {
        let document = Document {
            title: "成果報告書 <草案>".into(),
            blocks: vec![
                Block::Heading(2, "1. 事業実施団体名".into()),
                Block::Paragraph("a & b\u{0}\u{1b}c\rd".into()),
                Block::Heading(2, "2. 事業名称".into()),
                Block::Table {
                    headers: vec!["区分".into(), "R1年度".into()],
                    rows: vec![vec!["実績".into(), "45".into()]],
                },
                Block::StaffText("<script>\n- 一つ目".into()),
                Block::Numbered(vec!["周知を早める".into()]),
            ],
        };
        let docx = to_docx(&document).unwrap();
        let xml = part(&docx, "word/document.xml");
        assert!(xml.contains(
            r#"<w:pStyle w:val="Title"/></w:pPr><w:r><w:t xml:space="preserve">成果報告書 &lt;草案&gt;</w:t>"#
        ));
        assert!(xml.contains(r#"<w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t xml:space="preserve">1. 事業実施団体名"#));
        assert!(
            xml.contains(r#"<w:pStyle w:val="Heading1"/><w:pageBreakBefore/>"#),
            "sections start pages"
        );
        assert!(xml.contains("a &amp; bc d"), "controls dropped, markup escaped: {xml}");
        assert!(
            xml.contains("<w:tblHeader/>")
                && xml.contains(r#"<w:jc w:val="right"/></w:pPr><w:r><w:t xml:space="preserve">45"#)
        );
        assert!(xml.contains("&lt;script&gt;") && xml.contains("・一つ目") && xml.contains("(1) 周知を早める"));
        assert!(part(&docx, "word/styles.xml").contains(r#"<w:name w:val="heading 1"/>"#));
        assert!(part(&docx, "docProps/core.xml").contains("成果報告書 &lt;草案&gt;"));
    }
}
