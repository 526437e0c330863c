//! Word segmentation with the real IPADIC dictionary (installed by scripts/setup).

use std::path::Path;

use tsunagari::domain::text_dictionary::{TextDictionary, VersionedDictionary};
use tsunagari::text::dictionary::{default_cache_path, load_or_build, DEFAULT_IPADIC_DIR};
use tsunagari::text::segmenter::{Lexicon, Segmenter};

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

fn lexicon(version: i64, body: serde_json::Value) -> Lexicon {
    Lexicon::new(&VersionedDictionary {
        version,
        dictionary: TextDictionary::parse(body).unwrap(),
    })
}

#[test]
fn staffs_words_are_kept_whole_and_their_stop_words_dropped() {
    let segmenter = segmenter();
    let comment = "フリートークでポラ研やＳＭＡＲＰＰ－２４の話が聞けた。市の支援もよかった。SNSで知った。";
    let shipped = segmenter.terms(comment);
    for cut in ["フリー", "トーク"] {
        assert!(
            shipped.contains(&cut.to_owned()),
            "{cut} without the dictionary: {shipped:?}"
        );
    }
    assert!(
        !shipped.iter().any(|t| t == "フリートーク" || t == "ポラ研"),
        "{shipped:?}"
    );
    let staff = lexicon(
        1,
        serde_json::json!({"forced": ["ポラ研", "SMARPP-24"], "compounds": ["フリートーク"], "stop_words": ["市", "する", "ＳＮＳ"]}),
    );
    let terms = segmenter.terms_with(comment, &staff);
    for whole in ["フリートーク", "ポラ研", "SMARPP-24", "話", "聞ける", "支援"] {
        assert!(terms.contains(&whole.to_owned()), "{whole} in {terms:?}");
    }
    for gone in ["フリー", "トーク", "ポラ", "研", "市", "sns"] {
        assert!(!terms.contains(&gone.to_owned()), "{gone} not in {terms:?}");
    }
    assert_eq!(segmenter.terms(comment), shipped, "the shipped dictionary is unchanged");
    // Where each term is, in characters of the comment as written (full-width letters too).
    let spans = segmenter.spans(comment, &staff);
    let chars: Vec<char> = comment.chars().collect();
    for span in &spans {
        if span.term == "SMARPP-24" {
            assert_eq!(
                chars[span.chars.clone()].iter().collect::<String>(),
                "ＳＭＡＲＰＰ－２４"
            );
        }
    }
    // A new version of the dictionary is a new segmentation, not the one remembered.
    let without = lexicon(2, serde_json::json!({"forced": ["ポラ研"]}));
    assert!(!segmenter
        .terms_with(comment, &without)
        .contains(&"フリートーク".to_owned()));
}

#[test]
fn compound_candidates_come_from_runs_of_nouns() {
    let segmenter = segmenter();
    let runs = segmenter.noun_runs(
        "フリートークの時間が長かった。回復支援施設に通っている。",
        &Lexicon::shipped(),
    );
    assert!(
        runs.contains(&vec!["フリー".to_owned(), "トーク".to_owned()]),
        "{runs:?}"
    );
    assert!(runs.iter().any(|run| run.concat() == "回復支援施設"), "{runs:?}");
}
