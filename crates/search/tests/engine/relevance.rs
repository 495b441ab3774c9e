//! Ranking: the obvious supplier comes first, whatever the accents, typos, language or syntax.

use search::{Audience, Facet, ProfileDoc, SearchRequest, Visible};

use crate::fixture::*;

fn first(text: &str) -> i64 {
    let results = search(&index(), text, Audience::Visitor);
    *ids(&results)
        .first()
        .unwrap_or_else(|| panic!("{text:?} found nothing"))
}

#[test]
fn buyer_looking_for_titanium_machining_for_aerospace_finds_the_specialist_first() {
    let index = index();
    let results = search(&index, "usinage titane aéronautique", Audience::Visitor);
    assert_eq!(ids(&results)[0], TITANIUM_MACHINING, "{:#?}", results.hits);
    assert!(!results.relaxed);
    // Each word is required: the aluminium machinist without titanium is not listed.
    assert!(!ids(&results).contains(&ALUMINIUM_MACHINING));
}

#[test]
fn accents_are_optional_in_the_query() {
    assert_eq!(first("usinage titane aeronautique"), TITANIUM_MACHINING);
    assert_eq!(first("USINAGE TITANE AÉRONAUTIQUE"), TITANIUM_MACHINING);
    assert_eq!(first("metallurgie"), FOUNDRY);
    // "securite" and "sécurité" stem differently; both spellings are indexed.
    assert_eq!(first("securite"), CYBERSECURITY);
    assert_eq!(first("sécurité"), CYBERSECURITY);
}

#[test]
fn one_letter_typos_still_find_the_specialist() {
    let index = index();
    for query in [
        "usinagee titane aeronautique",
        "usinage titanne aeronautique",
        "usinagee titanne aéronautique",
        "usnage titane aéronautique",
        "usinage tiatne aéronautique",
    ] {
        let results = search(&index, query, Audience::Visitor);
        assert_eq!(ids(&results)[0], TITANIUM_MACHINING, "{query}");
        // Corrected, not merely matched on the other words.
        assert!(!results.relaxed, "{query}");
    }
    // Typos are corrected on stems; a long word's stem tolerates two edits, so a typo in the
    // ending the stemmer drops ("aeronautiqe" stems to "aeronautiq", not "aeronaut") is too.
    let suffix_typo = search(&index, "usinage titane aeronautiqe", Audience::Visitor);
    assert_eq!(ids(&suffix_typo)[0], TITANIUM_MACHINING);
    assert!(
        !suffix_typo.relaxed,
        "corrected, not matched on the other words alone"
    );
}

#[test]
fn exact_matches_rank_above_typo_matches() {
    let index = index();
    let mut misspelt = profiles().remove(8);
    misspelt.org_id = 100;
    misspelt.name = "Moulages Dupont".into();
    // An SME's own typo: "fondrie" is one letter away from "fonderie".
    misspelt.presentation = Visible::public("Fondrie d'aluminium sous pression".into());
    index.upsert(&misspelt).unwrap();
    index.commit().unwrap();
    let results = search(&index, "fonderie", Audience::Visitor);
    assert_eq!(ids(&results), [FOUNDRY, 100]);
    assert!(results.hits[0].score > results.hits[1].score);
}

#[test]
fn short_words_do_not_tolerate_typos() {
    // "inox" is four letters: "inix" must not match it.
    assert!(search(&index(), "inix", Audience::Visitor).hits.is_empty());
}

#[test]
fn english_queries_find_english_profiles_through_english_stems() {
    assert_eq!(first("machined titanium"), ENGLISH_MACHINING);
    assert_eq!(first("machining aerospace"), ENGLISH_MACHINING);
}

#[test]
fn quoted_phrase_requires_the_words_in_order() {
    let index = index();
    let phrase = search(&index, "\"titane pour l'aéronautique\"", Audience::Visitor);
    assert_eq!(ids(&phrase), [SURFACE_TREATMENT]);
    let words = search(&index, "titane aéronautique", Audience::Visitor);
    assert!(ids(&words).contains(&TITANIUM_MACHINING));
    assert!(ids(&words).contains(&SURFACE_TREATMENT));
    let french_quotes = search(&index, "« fabrication additive »", Audience::Visitor);
    assert_eq!(ids(&french_quotes), [ADDITIVE]);
}

#[test]
fn trailing_star_matches_word_beginnings() {
    let index = index();
    assert_eq!(
        ids(&search(&index, "décollet*", Audience::Visitor)),
        [BAR_TURNING]
    );
    assert_eq!(
        ids(&search(&index, "anodis*", Audience::Visitor)),
        [SURFACE_TREATMENT]
    );
    // A whole word with a star also finds its inflections.
    let aero = search(&index, "aéronautique*", Audience::Visitor);
    assert!(ids(&aero).contains(&TITANIUM_MACHINING));
    let robots = search(&index, "robot*", Audience::Visitor);
    assert_eq!(ids(&robots), [14]);
}

#[test]
fn name_and_capabilities_weigh_more_than_prose() {
    // "Chaudronnerie" is in one name; "chaudronnerie" in prose elsewhere would rank lower.
    assert_eq!(first("chaudronnerie"), BOILERMAKING);
    // "Composites" is a capability term of one SME and a word of its prose.
    assert_eq!(first("composites"), COMPOSITES);
}

#[test]
fn a_query_no_profile_fully_matches_falls_back_to_partial_matches() {
    let results = search(&index(), "titane zzyzzyva", Audience::Visitor);
    assert!(results.relaxed);
    assert!(ids(&results).contains(&TITANIUM_MACHINING));
    let nothing = search(&index(), "zzyzzyva", Audience::Visitor);
    assert!(nothing.hits.is_empty() && !nothing.relaxed && nothing.total == 0);
}

#[test]
fn filters_are_and_across_facets_and_or_within_one() {
    let index = index();
    let occitanie = SearchRequest::new("titane", Audience::Visitor).filter(Facet::Region, "76");
    assert_eq!(ids(&index.search(&occitanie).unwrap()), [TITANIUM_MACHINING]);

    let two_regions = occitanie.clone().filter(Facet::Region, "84");
    let mut found = ids(&index.search(&two_regions).unwrap());
    found.sort();
    assert_eq!(
        found,
        [
            TITANIUM_MACHINING,
            MEDICAL_TITANIUM,
            SURFACE_TREATMENT,
            ADDITIVE,
            BAR_TURNING
        ]
    );

    let certified = two_regions.filter(Facet::Certification, "EN 9100");
    let mut found = ids(&index.search(&certified).unwrap());
    found.sort();
    assert_eq!(found, [TITANIUM_MACHINING, SURFACE_TREATMENT]);
}

#[test]
fn filters_without_words_browse_the_directory() {
    let request = SearchRequest::new("", Audience::Visitor).filter(Facet::Cluster, "1");
    let results = index().search(&request).unwrap();
    let expected = profiles().iter().filter(|p| p.clusters.contains(&1)).count();
    assert_eq!(results.total as usize, expected);
    assert_eq!(results.hits.len(), expected);
}

#[test]
fn pages_add_up_to_the_full_list() {
    let index = index();
    let all = index
        .search(&SearchRequest::new("aéronautique", Audience::Visitor).page(0, 100))
        .unwrap();
    assert!(all.total >= 5, "{}", all.total);
    let mut paged = Vec::new();
    for offset in (0..all.total as usize).step_by(2) {
        let page = index
            .search(&SearchRequest::new("aéronautique", Audience::Visitor).page(offset, 2))
            .unwrap();
        assert_eq!(page.total, all.total);
        paged.extend(ids(&page));
    }
    assert_eq!(paged, ids(&all));
    let beyond = index
        .search(&SearchRequest::new("aéronautique", Audience::Visitor).page(1000, 10))
        .unwrap();
    assert!(beyond.hits.is_empty());
    assert_eq!(beyond.total, all.total);
}

#[test]
fn snippets_mark_the_matched_words_and_escape_html() {
    let index = index();
    let results = search(&index, "titanne aéronautique", Audience::Visitor);
    let hit = &results.hits[0];
    assert!(
        hit.snippet_html.contains("<mark>titane</mark>"),
        "{}",
        hit.snippet_html
    );
    assert!(
        hit.snippet_html.contains("<mark>aéronautique</mark>"),
        "{}",
        hit.snippet_html
    );

    let tricky = ProfileDoc {
        org_id: 200,
        name: "Dupont & Fils <Industrie>".into(),
        presentation: Visible::public("<script>alert('x')</script> Industrie lourde".into()),
        ..profiles().remove(0)
    };
    index.upsert(&tricky).unwrap();
    index.commit().unwrap();
    let results = search(&index, "industrie lourde", Audience::Visitor);
    let hit = results.hits.iter().find(|h| h.org_id == 200).unwrap();
    assert_eq!(hit.name_html, "Dupont &amp; Fils &lt;<mark>Industrie</mark>&gt;");
    assert!(!hit.snippet_html.contains("<script>"), "{}", hit.snippet_html);
    assert!(
        hit.snippet_html.contains("&lt;script&gt;"),
        "{}",
        hit.snippet_html
    );
}
