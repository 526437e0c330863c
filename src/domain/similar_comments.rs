//! Themes suggested by the closest comments already coded: a comment like one coded before
//! probably shares its themes. Comments are compared by their character bigrams (which need no
//! word segmentation in Japanese) with Jaccard similarity.

use std::collections::HashSet;

use unicode_normalization::UnicodeNormalization;

/// How many of the closest coded comments are read.
const NEIGHBOURS: usize = 3;
/// Below this similarity a coded comment says nothing about this one.
const MIN_SIMILARITY: f64 = 0.2;

/// The themes carried by more than half of the closest coded comments (up to three, each at
/// least 0.2 similar), most shared first; `coded` holds each coded comment's text and themes.
pub fn themes_of_nearest<'a>(text: &str, coded: &'a [(String, Vec<String>)]) -> Vec<&'a str> {
    let wanted = bigrams(text);
    let mut nearest: Vec<(f64, &[String])> = coded
        .iter()
        .map(|(other, themes)| (jaccard(&wanted, &bigrams(other)), themes.as_slice()))
        .filter(|(similarity, _)| *similarity >= MIN_SIMILARITY)
        .collect();
    nearest.sort_by(|a, b| b.0.total_cmp(&a.0));
    nearest.truncate(NEIGHBOURS);
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for (_, themes) in &nearest {
        for theme in themes.iter() {
            match counts.iter_mut().find(|(t, _)| t == theme) {
                Some((_, count)) => *count += 1,
                None => counts.push((theme, 1)),
            }
        }
    }
    counts.retain(|(_, count)| 2 * count > nearest.len());
    // Stable: themes shared equally keep the order the closest comments gave them.
    counts.sort_by_key(|(_, count)| std::cmp::Reverse(*count));
    counts.into_iter().map(|(theme, _)| theme).collect()
}

fn bigrams(text: &str) -> HashSet<(char, char)> {
    let chars: Vec<char> = text
        .nfkc()
        .flat_map(char::to_lowercase)
        .filter(|c| c.is_alphanumeric())
        .collect();
    chars.windows(2).map(|pair| (pair[0], pair[1])).collect()
}

fn jaccard(a: &HashSet<(char, char)>, b: &HashSet<(char, char)>) -> f64 {
    let union = a.union(b).count();
    if union == 0 {
        return 0.0;
    }
    a.intersection(b).count() as f64 / union as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn coded(items: &[(&str, &[&str])]) -> Vec<(String, Vec<String>)> {
        items
            .iter()
            .map(|(text, themes)| ((*text).to_owned(), themes.iter().map(|t| (*t).to_owned()).collect()))
            .collect()
    }

    #[test]
    fn a_comment_like_coded_ones_gets_their_shared_themes() {
        let coded = coded(&[
            ("マスクで声が聞き取りにくかった", &["audibility"]),
            ("マスク越しで声が聞き取りづらい", &["audibility", "infection_control"]),
            ("ゲーム依存についても知りたい", &["other_addictions"]),
            ("体験談がとてもよかった", &["lived_experience"]),
        ]);
        assert_eq!(
            themes_of_nearest("マスクのせいで声が聞き取りにくい", &coded),
            ["audibility"]
        );
        assert_eq!(
            themes_of_nearest("ゲームやスマホの依存も知りたい", &coded),
            ["other_addictions"]
        );
    }

    #[test]
    fn nothing_is_suggested_from_unlike_or_no_comments() {
        let coded = coded(&[("体験談がとてもよかった", &["lived_experience"])]);
        assert!(themes_of_nearest("駐車場がなくて困った", &coded).is_empty());
        assert!(themes_of_nearest("よかった", &[]).is_empty());
        assert!(themes_of_nearest("", &coded).is_empty());
    }

    #[test]
    fn width_and_case_do_not_matter() {
        let coded = coded(&[("ＳＮＳで知りました", &["publicity_reach"])]);
        assert_eq!(themes_of_nearest("snsで知りました", &coded), ["publicity_reach"]);
    }
}
