//! Plain text made safe to write into Markdown.

/// Text the service writes into Markdown (a heading, a sentence, a quoted comment, a table
/// cell) as plain text: whatever an attendee or an agency wrote, it cannot become markup when
/// the Markdown is rendered. Every line break (`\r` and Unicode's too) becomes a space, so no
/// text starts a line of its own; the characters that make inline markup, HTML or a table's
/// cell boundary are escaped with a backslash, as CommonMark allows for any punctuation; and a
/// sentence that would open a list or a heading keeps its first character escaped.
pub fn markdown_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\r' | '\n' | '\u{0b}' | '\u{0c}' | '\u{85}' | '\u{2028}' | '\u{2029}' => out.push(' '),
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '#' | '|' | '!' | '&' | '~' => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    // A list marker is one followed by a space or nothing ("-1.2" and "22.5" are figures).
    let marker = |rest: &str| rest.is_empty() || rest.starts_with([' ', '\t']);
    let digits = out.chars().take_while(char::is_ascii_digit).count();
    if out.starts_with(['-', '+']) && marker(&out[1..]) {
        out.insert(0, '\\');
    } else if digits > 0 && out[digits..].starts_with(['.', ')']) && marker(&out[digits + 1..]) {
        out.insert(digits, '\\');
    }
    out
}
