//! Word segmentation with the real IPADIC dictionary (installed by scripts/setup).

use std::path::Path;

use tsunagari::text::dictionary::{default_cache_path, load_or_build, DEFAULT_IPADIC_DIR};
use tsunagari::text::segmenter::Segmenter;

fn segmenter() -> Segmenter {
    Segmenter::new(load_or_build(Path::new(DEFAULT_IPADIC_DIR), &default_cache_path()).unwrap())
}

#[test]
fn japanese_comments_give_content_words_in_base_form() {
    let terms = segmenter().terms("同じ立場の人の話が聞けて心強かったです。また参加したいと思いました。");
    for expected in ["立場", "人", "話", "聞ける", "心強い", "参加"] {
        assert!(terms.contains(&expected.to_owned()), "{expected} in {terms:?}");
    }
    for dropped in ["の", "が", "です", "思う", "する", "た"] {
        assert!(!terms.contains(&dropped.to_owned()), "{dropped} dropped from {terms:?}");
    }
}

#[test]
fn a_comment_segmented_again_gives_the_same_terms() {
    let segmenter = segmenter();
    let comment = "講師の話がマスク越しで聞き取りにくかった。";
    let first = segmenter.terms(comment);
    assert!(first.contains(&"講師".to_owned()), "{first:?}");
    assert_eq!(segmenter.terms(comment), first);
    assert_ne!(segmenter.terms("家族の会に参加しました。"), first);
}

#[test]
fn english_comments_work_too() {
    let terms = segmenter().terms("The group discussion was helpful, and I felt safe to speak.");
    for expected in ["group", "discussion", "helpful", "safe", "speak"] {
        assert!(terms.contains(&expected.to_owned()), "{expected} in {terms:?}");
    }
    assert!(!terms.iter().any(|t| t == "the" || t == "and" || t == "was"));
}

#[test]
fn a_missing_dictionary_source_is_a_clear_error() {
    let cache = std::env::temp_dir().join(format!("tsunagari-missing-{}.dic", std::process::id()));
    let error = load_or_build(Path::new("/nonexistent/ipadic"), &cache).err().unwrap();
    assert!(error.to_string().contains("mecab-ipadic"), "{error}");
}
