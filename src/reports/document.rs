//! A report as plain blocks (headings, paragraphs, tables, staff's text as written), rendered
//! as Markdown to paste into the city's document or as an HTML page that prints on A4.

use super::markdown::markdown_text;
use crate::domain::lang::Lang;
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
    /// Text staff wrote, as its paragraphs and lists ([`super::staff_text`]).
    StaffText(String),
    /// Points numbered as the filed report numbers them: "(1) …", "(2) …".
    Numbered(Vec<String>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    pub title: String,
    pub blocks: Vec<Block>,
}

/// A p-value as reports write it: three decimals, and "p < 0.001" below that.
pub fn p_value_text(p: f64) -> String {
    if p < 0.001 {
        "p < 0.001".to_owned()
    } else {
        format!("p = {p:.3}")
    }
}

/// How a test of independence got its p-value, in Japanese.
pub fn test_method_text(test: &analysis::stats::IndependenceTest, l: Lang) -> String {
    match (&test.monte_carlo, l) {
        _ if test.method == "fisher_exact" => l.pick("フィッシャーの正確検定", "Fisher's exact test").to_owned(),
        (Some(drawn), Lang::Ja) => format!("モンテカルロ法（{} 回、乱数の種 {}）", drawn.draws, drawn.seed),
        (Some(drawn), Lang::En) => format!("Monte Carlo ({} draws, seed {})", drawn.draws, drawn.seed),
        (None, _) => l.pick("カイ二乗検定", "chi-square test").to_owned(),
    }
}

pub fn to_markdown(document: &Document) -> String {
    let mut out = format!("# {}\n", markdown_text(&document.title));
    for block in &document.blocks {
        out.push('\n');
        match block {
            Block::Heading(level, text) => out.push_str(&format!(
                "{} {}\n",
                "#".repeat(usize::from(*level)),
                markdown_text(text)
            )),
            Block::Paragraph(text) => out.push_str(&format!("{}\n", markdown_text(text))),
            Block::Quotes(quotes) => {
                for quote in quotes {
                    out.push_str(&format!("- 「{}」\n", markdown_text(quote)));
                }
            }
            Block::Table { headers, rows } => {
                let line = |cells: &[String]| {
                    format!(
                        "| {} |\n",
                        cells.iter().map(|c| markdown_text(c)).collect::<Vec<_>>().join(" | ")
                    )
                };
                out.push_str(&line(headers));
                out.push_str(&format!("|{}\n", " --- |".repeat(headers.len())));
                for row in rows {
                    out.push_str(&line(row));
                }
            }
            Block::StaffText(text) => out.push_str(&format!("{}\n", super::staff_text::to_markdown(text))),
            Block::Numbered(points) => {
                let lines: Vec<String> = points
                    .iter()
                    .enumerate()
                    .map(|(i, point)| format!("({}) {}", i + 1, markdown_text(point)))
                    .collect();
                out.push_str(&format!("{}\n", lines.join("  \n")));
            }
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
.staff-text { border-left: 3px solid #444; padding-left: 0.75rem; }
thead { display: table-header-group; } main > h2 ~ h2 { break-before: page; }
.numbered p { margin: 0.25rem 0 0.25rem 2.5em; text-indent: -2.5em; }
@media print { a { color: #000; text-decoration: none; } }";

/// A cell is right-aligned when it reads as a figure.
pub(super) fn is_figure(text: &str) -> bool {
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
                            Block::StaffText(text) => div.staff-text { (super::staff_text::to_html(text)) },
                            Block::Numbered(points) => div.numbered {
                                @for (i, point) in points.iter().enumerate() { p { "(" (i + 1) ") " (point) } }
                            },
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
                Block::Quotes(vec!["声が\n聞き取りにくい".into()]),
                Block::StaffText("**考察**\n<script>\n\n- 一つ目".into()),
            ],
        }
    }

    #[test]
    fn markdown_is_ready_to_paste() {
        let markdown = to_markdown(&sample());
        assert!(markdown.starts_with("# 効果検証\n\n## 回復セミナー\n"));
        assert!(markdown.contains("| 年度 | 実績 |\n| --- | --- |\n| R1年度 | 45人 |\n| a\\|b | x |\n"));
        assert!(markdown.contains("- 「声が 聞き取りにくい」\n"), "{markdown}");
        assert!(
            markdown.contains("\\*\\*考察\\*\\*  \n\\<script\\>\n\n- 一つ目\n"),
            "staff's lines and lists, as text: {markdown}"
        );
    }

    #[test]
    fn hostile_text_stays_text_in_markdown() {
        let cases = [
            ("<img src=x onerror=alert(1)>", "\\<img src=x onerror=alert(1)\\>"),
            ("![t](http://evil/)", "\\!\\[t\\](http://evil/)"),
            ("<script>x</script>", "\\<script\\>x\\</script\\>"),
            ("ok\r## heading", "ok \\#\\# heading"),
            ("a\u{2028}b|c\r\nd", "a b\\|c  d"),
            ("- not a list", "\\- not a list"),
            ("1. not a list", "1\\. not a list"),
            (
                "&amp; `code` *em* _em_ ~~del~~ \\",
                "\\&amp; \\`code\\` \\*em\\* \\_em\\_ \\~\\~del\\~\\~ \\\\",
            ),
            ("平均4.7人（前年比-1.2）", "平均4.7人（前年比-1.2）"),
            ("22.5", "22.5"),
            ("-1.2", "-1.2"),
            ("3)", "3\\)"),
        ];
        for (text, expected) in cases {
            assert_eq!(markdown_text(text), expected, "{text:?}");
        }
        let document = Document {
            title: "# 題".into(),
            blocks: vec![
                Block::Quotes(vec!["<b>x</b>\r# h".into()]),
                Block::Table {
                    headers: vec!["a".into()],
                    rows: vec![vec!["x\ry|z".into()]],
                },
            ],
        };
        let markdown = to_markdown(&document);
        assert!(markdown.starts_with("# \\# 題\n"), "{markdown}");
        assert!(markdown.contains("- 「\\<b\\>x\\</b\\> \\# h」\n"), "{markdown}");
        assert!(markdown.contains("| x y\\|z |\n"), "{markdown}");
    }

    #[test]
    fn html_escapes_staff_text_and_aligns_figures() {
        let html = to_html(&sample()).into_string();
        assert!(html.contains("&lt;script&gt;") && !html.contains("<script>"));
        assert!(html.contains(r#"<td class="number">45人</td>"#));
        assert!(html.contains("size: A4"));
    }
}
