//! Text staff write (considerations, a plan's reasons and method): paragraphs and lists, the
//! way people type them in a text box. It is read into blocks, never passed through as markup,
//! so the report shows lists as lists and no character of it can become HTML or Markdown syntax.

use maud::{html, Markup};

use super::markdown::markdown_text;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TextBlock {
    /// Lines kept as lines.
    Paragraph(Vec<String>),
    Bullets(Vec<String>),
    Numbered(Vec<String>),
}

/// The item of a bulleted line (`- `, `* `, `・`, `●`, `○`), if it is one.
fn bullet(line: &str) -> Option<&str> {
    ["- ", "* ", "・", "●", "○", "• "]
        .iter()
        .find_map(|mark| line.strip_prefix(mark))
        .map(str::trim)
}

/// The item of a numbered line (`1. `, `1) `, `１．`, `(1)`, `①`), if it is one.
fn numbered(line: &str) -> Option<&str> {
    if let Some(rest) = line.strip_prefix(|c: char| ('①'..='⑳').contains(&c)) {
        return Some(rest.trim());
    }
    let inner = line.strip_prefix(['(', '（']).unwrap_or(line);
    let digits = inner.find(|c: char| !(c.is_ascii_digit() || ('０'..='９').contains(&c)))?;
    if digits == 0 {
        return None;
    }
    let rest = &inner[digits..];
    let rest = [". ", ") ", "．", "）", ")", "、"]
        .iter()
        .find_map(|mark| rest.strip_prefix(mark))?;
    Some(rest.trim())
}

pub fn parse(text: &str) -> Vec<TextBlock> {
    let mut blocks: Vec<TextBlock> = Vec::new();
    let mut open = false;
    for line in text.lines().map(str::trim) {
        if line.is_empty() {
            open = false;
            continue;
        }
        let last = blocks.last_mut().filter(|_| open);
        match (bullet(line), numbered(line), last) {
            (Some(item), _, Some(TextBlock::Bullets(items))) => items.push(item.to_owned()),
            (Some(item), _, _) => blocks.push(TextBlock::Bullets(vec![item.to_owned()])),
            (None, Some(item), Some(TextBlock::Numbered(items))) => items.push(item.to_owned()),
            (None, Some(item), _) => blocks.push(TextBlock::Numbered(vec![item.to_owned()])),
            (None, None, Some(TextBlock::Paragraph(lines))) => lines.push(line.to_owned()),
            (None, None, _) => blocks.push(TextBlock::Paragraph(vec![line.to_owned()])),
        }
        open = true;
    }
    blocks
}

pub fn to_html(text: &str) -> Markup {
    html! {
        @for block in parse(text) {
            @match block {
                TextBlock::Paragraph(lines) => p {
                    @for (i, line) in lines.iter().enumerate() { @if i > 0 { br; } (line) }
                },
                TextBlock::Bullets(items) => ul { @for item in &items { li { (item) } } },
                TextBlock::Numbered(items) => ol { @for item in &items { li { (item) } } },
            }
        }
    }
}

/// The same blocks as Markdown, every line escaped as plain text.
pub fn to_markdown(text: &str) -> String {
    parse(text)
        .iter()
        .map(|block| match block {
            TextBlock::Paragraph(lines) => lines.iter().map(|l| markdown_text(l)).collect::<Vec<_>>().join("  \n"),
            TextBlock::Bullets(items) => items
                .iter()
                .map(|item| format!("- {}", markdown_text(item)))
                .collect::<Vec<_>>()
                .join("\n"),
            TextBlock::Numbered(items) => items
                .iter()
                .enumerate()
                .map(|(i, item)| format!("{}. {}", i + 1, markdown_text(item)))
                .collect::<Vec<_>>()
                .join("\n"),
        })
        .collect::<Vec<_>>()
        .join("\n\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_and_lists_are_read_as_staff_type_them() {
        let text = "参加者は増えなかった。\n理由は次のとおり。\n\n- 周知が遅れた\n- 会場が遠い\n\n1. 早めに広報する\n２．会場を変える\n①SNSを使う";
        assert_eq!(
            parse(text),
            vec![
                TextBlock::Paragraph(vec!["参加者は増えなかった。".into(), "理由は次のとおり。".into()]),
                TextBlock::Bullets(vec!["周知が遅れた".into(), "会場が遠い".into()]),
                TextBlock::Numbered(vec!["早めに広報する".into(), "会場を変える".into(), "SNSを使う".into()]),
            ]
        );
        assert_eq!(
            parse("・一つ目\n・二つ目"),
            vec![TextBlock::Bullets(vec!["一つ目".into(), "二つ目".into()])]
        );
        assert_eq!(
            parse("2019年度は"),
            vec![TextBlock::Paragraph(vec!["2019年度は".into()])],
            "a year is no list"
        );
    }

    #[test]
    fn nothing_staff_write_becomes_markup() {
        let text = "<script>alert(1)</script>\n- <img src=x onerror=alert(1)>\n\n## 見出し\n![t](http://x)";
        let html = to_html(text).into_string();
        assert!(
            !html.contains("<script") && !html.contains("<img") && html.contains("&lt;script&gt;"),
            "{html}"
        );
        assert!(html.contains("<ul><li>"), "{html}");
        let markdown = to_markdown(text);
        assert!(markdown.contains("\\#\\# 見出し"), "{markdown}");
        assert!(!markdown.contains("![t]"), "{markdown}");
        assert!(
            markdown.starts_with("\\<script") && markdown.contains("\n- \\<img"),
            "{markdown}"
        );
    }
}
