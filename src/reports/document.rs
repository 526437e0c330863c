//! A report as plain blocks (headings, paragraphs, tables, staff's text as written), rendered
//! as Markdown to paste into the city's document or as an HTML page that prints on A4.

use maud::{html, Markup, PreEscaped, DOCTYPE};

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    Heading(u8, String),
    Paragraph(String),
    /// Quoted words of a person, one per item.
    Quotes(Vec<String>),
    Table {
        headers: Vec<String>,
        rows: Vec<Vec<String>>,
    },
    /// Staff's Markdown, passed through as written (escaped in HTML).
    Verbatim(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    pub title: String,
    pub blocks: Vec<Block>,
}

/// A table cell in Markdown: a pipe or a line break would end it early.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

pub fn to_markdown(document: &Document) -> String {
    let mut out = format!("# {}\n", document.title);
    for block in &document.blocks {
        out.push('\n');
        match block {
            Block::Heading(level, text) => out.push_str(&format!("{} {text}\n", "#".repeat(usize::from(*level)))),
            Block::Paragraph(text) => out.push_str(&format!("{text}\n")),
            Block::Quotes(quotes) => {
                for quote in quotes {
                    out.push_str(&format!("- 「{}」\n", quote.replace('\n', " ")));
                }
            }
            Block::Table { headers, rows } => {
                let line = |cells: &[String]| {
                    format!(
                        "| {} |\n",
                        cells.iter().map(|c| cell(c)).collect::<Vec<_>>().join(" | ")
                    )
                };
                out.push_str(&line(headers));
                out.push_str(&format!("|{}\n", " --- |".repeat(headers.len())));
                for row in rows {
                    out.push_str(&line(row));
                }
            }
            Block::Verbatim(text) => out.push_str(&format!("{}\n", text.trim_end())),
        }
    }
    out
}

/// A4, black on white, tables that do not split a row across pages.
const PRINT_STYLE: &str = "@page { size: A4; margin: 18mm 16mm; }
body { font-family: \"Hiragino Mincho ProN\", \"Yu Mincho\", \"Noto Serif JP\", serif; color: #000; line-height: 1.7; max-width: 48rem; margin: 0 auto; padding: 1rem; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.25rem; border-bottom: 1px solid #000; margin-top: 2rem; } h3 { font-size: 1.1rem; margin-top: 1.5rem; } h4 { font-size: 1rem; }
table { border-collapse: collapse; margin: 0.5rem 0 1rem; width: 100%; } th, td { border: 1px solid #444; padding: 0.2rem 0.4rem; text-align: left; }
td.number { text-align: right; font-variant-numeric: tabular-nums; } tr { break-inside: avoid; } h2, h3, h4 { break-after: avoid; }
.verbatim { white-space: pre-wrap; border-left: 3px solid #444; padding-left: 0.75rem; }
@media print { a { color: #000; text-decoration: none; } }";

/// A cell is right-aligned when it reads as a figure.
fn is_figure(text: &str) -> bool {
    !text.is_empty() && text.chars().all(|c| c.is_ascii_digit() || ".,-–%()人円 ".contains(c))
}

pub fn to_html(document: &Document) -> Markup {
    html! {
        (DOCTYPE)
        html lang="ja" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="robots" content="noindex";
                title { (document.title) }
                style { (PreEscaped(PRINT_STYLE)) }
            }
            body {
                main {
                    h1 { (document.title) }
                    @for block in &document.blocks {
                        @match block {
                            Block::Heading(2, text) => h2 { (text) },
                            Block::Heading(3, text) => h3 { (text) },
                            Block::Heading(_, text) => h4 { (text) },
                            Block::Paragraph(text) => p { (text) },
                            Block::Quotes(quotes) => ul { @for quote in quotes { li { "「" (quote) "」" } } },
                            Block::Table { headers, rows } => table {
                                thead { tr { @for header in headers { th scope="col" { (header) } } } }
                                tbody {
                                    @for row in rows {
                                        tr {
                                            @for (i, value) in row.iter().enumerate() {
                                                @if i == 0 { th scope="row" { (value) } }
                                                @else { td.number[is_figure(value)] { (value) } }
                                            }
                                        }
                                    }
                                }
                            },
                            Block::Verbatim(text) => div.verbatim { (text) },
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Document {
        Document {
            title: "効果検証".into(),
            blocks: vec![
                Block::Heading(2, "回復セミナー".into()),
                Block::Table {
                    headers: vec!["年度".into(), "実績".into()],
                    rows: vec![vec!["R1年度".into(), "45人".into()], vec!["a|b".into(), "x".into()]],
                },
                Block::Quotes(vec!["声が\\n聞き取りにくい".into()]),
                Block::Verbatim("**考察**\n<script>".into()),
            ],
        }
    }

    #[test]
    fn markdown_is_ready_to_paste() {
        let markdown = to_markdown(&sample());
        assert!(markdown.starts_with("# 効果検証\n\n## 回復セミナー\n"));
        assert!(markdown.contains("| 年度 | 実績 |\n| --- | --- |\n| R1年度 | 45人 |\n| a\\|b | x |\n"));
        assert!(markdown.contains("**考察**\n<script>"), "staff's text as written");
    }

    #[test]
    fn html_escapes_staff_text_and_aligns_figures() {
        let html = to_html(&sample()).into_string();
        assert!(html.contains("&lt;script&gt;") && !html.contains("<script>"));
        assert!(html.contains(r#"<td class="number">45人</td>"#));
        assert!(html.contains("size: A4"));
    }
}
