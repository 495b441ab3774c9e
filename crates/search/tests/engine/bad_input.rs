//! Whatever a user types, a search answers: operators are plain words, huge input is cut, and
//! only a page too deep is refused, with a clear message.

use std::sync::OnceLock;

use proptest::prelude::*;
use search::{Audience, Facet, SearchError, SearchIndex, SearchRequest};

use crate::fixture::*;

fn shared() -> &'static SearchIndex {
    static INDEX: OnceLock<SearchIndex> = OnceLock::new();
    INDEX.get_or_init(index)
}

fn survives(text: &str) {
    for audience in [Audience::Visitor, Audience::Member] {
        let request = SearchRequest::new(text, audience).facets(&Facet::ALL);
        if let Err(error) = shared().search(&request) {
            panic!("{text:?} failed: {error}");
        }
    }
}

#[test]
fn operators_and_query_syntax_are_plain_text() {
    for text in [
        "usinage AND titane",
        "usinage OR NOT titane",
        "+usinage -titane",
        "(usinage",
        "usinage)",
        "\"usinage",
        "usinage\"",
        "\"\"",
        "\"\"\"",
        "*",
        "***",
        "*usinage",
        "us*nage",
        "name:titane",
        "region:76 AND size:sme",
        "titane~2",
        "titane^10",
        "[a TO z]",
        "{* TO *}",
        "/regex.*/",
        "\\",
        "'; DROP TABLE profiles; --",
        "<script>alert(1)</script>",
        "&amp; &lt;",
        "\0\0\0",
        "\u{202e}emèsu",
        "🔩🛩️ usinage",
        "usinage\ttitane\naéronautique",
        "   ",
        "",
        "ﬁnition", // a ligature
        "ǅ İ ß ẞ",
    ] {
        survives(text);
    }
}

#[test]
fn ten_thousand_characters_are_cut_not_refused() {
    let long = "usinage titane aéronautique ".repeat(400);
    assert!(long.chars().count() >= 10_000);
    let results = shared()
        .search(&SearchRequest::new(&long[..], Audience::Visitor))
        .unwrap();
    assert!(results.truncated);
    assert_eq!(ids(&results)[0], TITANIUM_MACHINING);
    survives(&"a".repeat(10_000));
    survives(&"é".repeat(10_000));
    survives(&"\"".repeat(10_000));
    survives(&"* ".repeat(5_000));
    survives(&(0..2_000).map(|i| format!("w{i} ")).collect::<String>());
}

#[test]
fn a_page_too_deep_is_a_clear_error_and_large_pages_are_capped() {
    let error = shared()
        .search(&SearchRequest::new("titane", Audience::Visitor).page(10_001, 10))
        .unwrap_err();
    assert!(matches!(error, SearchError::PageTooDeep { max: 10_000 }));
    assert!(error.to_string().contains("10000"), "{error}");
    let capped = shared()
        .search(&SearchRequest::new("", Audience::Visitor).page(0, 1_000_000))
        .unwrap();
    assert_eq!(capped.hits.len(), profiles().len());
    let none = shared()
        .search(&SearchRequest::new("titane", Audience::Visitor).page(0, 0))
        .unwrap();
    assert!(none.hits.is_empty() && none.total > 0);
}

#[test]
fn unknown_filter_values_match_nothing() {
    let request = SearchRequest::new("titane", Audience::Visitor)
        .filter(Facet::Region, "<script>")
        .filter(Facet::Cluster, "");
    let results = shared().search(&request).unwrap();
    assert_eq!(results.total, 0);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn any_string_is_a_valid_query(text in any::<String>()) {
        survives(&text);
    }

    #[test]
    fn any_mix_of_syntax_and_words_is_a_valid_query(
        text in proptest::collection::vec(
            prop_oneof![
                Just("\"".to_owned()), Just("«".to_owned()), Just("»".to_owned()),
                Just("*".to_owned()), Just(" ".to_owned()), Just("-".to_owned()),
                Just("AND".to_owned()), Just("(".to_owned()), Just(":".to_owned()),
                Just("titane".to_owned()), Just("usinage".to_owned()), Just("é".to_owned()),
                "[a-zé]{1,12}",
                "\\PC{0,5}",
            ],
            0..60,
        ).prop_map(|parts| parts.concat())
    ) {
        survives(&text);
    }
}
