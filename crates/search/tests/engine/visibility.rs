//! Members-only fields: a visitor can neither find a profile by them nor read them in a result;
//! a signed-in member can do both.

use search::{Audience, Facet, SearchRequest};

use crate::fixture::*;

const MEMBERS_ONLY_HOLDERS: [i64; 4] = [COMPOSITES, SENSORS, 12, 20];

#[test]
fn visitor_cannot_find_a_profile_by_a_members_only_word() {
    let index = index();
    let visitor = search(&index, SECRET, Audience::Visitor);
    assert!(visitor.hits.is_empty(), "{:#?}", visitor.hits);
    assert_eq!(visitor.total, 0);
    for query in [
        "tarifs négociés",
        "disponible",
        "panneau thermoplastique",
        &format!("{SECRET}*"),
        &format!("\"{SECRET} d'un panneau\""),
        "confidentiun", // one typo away
    ] {
        let results = search(&index, query, Audience::Visitor);
        assert!(results.hits.is_empty(), "{query}: {:#?}", results.hits);
    }
}

#[test]
fn member_finds_a_profile_by_a_members_only_word_and_reads_it() {
    let index = index();
    let member = search(&index, SECRET, Audience::Member);
    let mut found = ids(&member);
    found.sort();
    assert_eq!(found, MEMBERS_ONLY_HOLDERS);
    for hit in &member.hits {
        assert!(
            hit.snippet_html.contains(&format!("<mark>{SECRET}</mark>")),
            "{hit:?}"
        );
    }
    assert_eq!(
        ids(&search(&index, "tarifs négociés", Audience::Member)),
        [TITANIUM_MACHINING]
    );
}

#[test]
fn visitor_results_and_snippets_never_show_members_only_text() {
    let index = index();
    let queries = [
        "",
        "composites",
        "capteurs",
        "découpe laser",
        "conseil achats",
        "usinage titane",
        "programme",
        "sous-traitance",
        "a*",
        "co*",
    ];
    for query in queries {
        for offset in [0, 5, 10, 15, 20] {
            let request = SearchRequest::new(query, Audience::Visitor)
                .page(offset, 5)
                .facets(&Facet::ALL);
            let results = index.search(&request).unwrap();
            let shown = format!("{results:?}").to_lowercase();
            for secret in [SECRET, "tarifs", "thermoplastique", "constructeur"] {
                assert!(!shown.contains(secret), "{query:?} shows {secret}: {shown}");
            }
        }
    }
}

#[test]
fn a_profile_whose_prose_is_members_only_is_listed_by_its_public_fields() {
    let index = index();
    let visitor = search(&index, "achats responsables", Audience::Visitor);
    let hit = visitor.hits.iter().find(|h| h.org_id == 20).expect("found");
    assert!(!hit.snippet_html.contains(SECRET), "{hit:?}");
    let member = search(&index, "achats responsables", Audience::Member);
    let hit = member.hits.iter().find(|h| h.org_id == 20).expect("found");
    assert!(hit.snippet_html.contains("grands comptes"), "{hit:?}");
}

#[test]
fn similar_companies_for_a_visitor_show_no_members_only_text() {
    let index = index();
    for org in MEMBERS_ONLY_HOLDERS {
        let similar = index.similar(org, Audience::Visitor, 10).unwrap();
        let shown = format!("{similar:?}").to_lowercase();
        assert!(!shown.contains(SECRET), "{shown}");
    }
}
