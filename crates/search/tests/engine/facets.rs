//! Facet counts: what the search page shows next to each checkbox must be what a direct count
//! over the profiles gives, over the whole match set and not only the page shown.

use std::collections::BTreeMap;

use search::{Audience, Facet, FacetCounts, ProfileDoc, SearchRequest};

use crate::fixture::*;

fn values_of(profile: &ProfileDoc, facet: Facet) -> Vec<String> {
    match facet {
        Facet::NafSection => vec![profile.naf.section().to_string()],
        Facet::NafDivision => vec![profile.naf.division().to_owned()],
        Facet::Region => vec![profile.region.clone()],
        Facet::Department => vec![profile.department.clone()],
        Facet::Size => profile.size.iter().map(|s| s.as_str().to_owned()).collect(),
        Facet::Certification => profile.certifications.clone(),
        Facet::Label => profile.labels.clone(),
        Facet::Cluster => profile.clusters.iter().map(|c| c.to_string()).collect(),
    }
}

fn direct_count<'a>(profiles: impl Iterator<Item = &'a ProfileDoc>, facet: Facet) -> BTreeMap<String, u64> {
    let mut counts = BTreeMap::new();
    for profile in profiles {
        for value in values_of(profile, facet) {
            *counts.entry(value).or_insert(0) += 1;
        }
    }
    counts
}

fn as_map(counts: &FacetCounts) -> BTreeMap<String, u64> {
    counts.values.iter().map(|v| (v.value.clone(), v.count)).collect()
}

#[test]
fn facet_counts_of_the_whole_directory_equal_a_direct_count() {
    let profiles = profiles();
    let request = SearchRequest::new("", Audience::Visitor).facets(&Facet::ALL);
    let results = index().search(&request).unwrap();
    assert_eq!(results.total as usize, profiles.len());
    assert_eq!(results.facets.len(), Facet::ALL.len());
    for counts in &results.facets {
        assert_eq!(
            as_map(counts),
            direct_count(profiles.iter(), counts.facet),
            "{:?}",
            counts.facet
        );
        let sorted = counts.values.windows(2).all(|w| w[0].count >= w[1].count);
        assert!(sorted, "most frequent first: {counts:?}");
    }
}

#[test]
fn facet_counts_cover_every_match_not_only_the_page() {
    let index = index();
    let profiles = profiles();
    let everything = index
        .search(&SearchRequest::new("titane", Audience::Visitor).page(0, 100))
        .unwrap();
    let matched: Vec<i64> = ids(&everything);
    assert!(matched.len() >= 5);
    let one_page = index
        .search(
            &SearchRequest::new("titane", Audience::Visitor)
                .page(0, 1)
                .facets(&Facet::ALL),
        )
        .unwrap();
    assert_eq!(one_page.hits.len(), 1);
    assert_eq!(one_page.total as usize, matched.len());
    let matching = || profiles.iter().filter(|p| matched.contains(&p.org_id));
    for counts in &one_page.facets {
        assert_eq!(as_map(counts), direct_count(matching(), counts.facet));
    }
}

#[test]
fn facet_counts_follow_the_filters_of_the_other_facets() {
    let profiles = profiles();
    let request = SearchRequest::new("", Audience::Visitor)
        .filter(Facet::NafSection, "C")
        .filter(Facet::Certification, "ISO 9001")
        .facets(&Facet::ALL);
    let results = index().search(&request).unwrap();
    let in_c = |p: &&ProfileDoc| p.naf.section() == 'C';
    let iso = |p: &&ProfileDoc| p.certifications.iter().any(|c| c == "ISO 9001");
    let matching = || profiles.iter().filter(in_c).filter(iso);
    assert_eq!(results.total as usize, matching().count());
    for counts in &results.facets {
        // A facet with a selection is counted without it, so its alternatives stay visible.
        let expected = match counts.facet {
            Facet::NafSection => direct_count(profiles.iter().filter(iso), counts.facet),
            Facet::Certification => direct_count(profiles.iter().filter(in_c), counts.facet),
            _ => direct_count(matching(), counts.facet),
        };
        assert_eq!(as_map(counts), expected, "{:?}", counts.facet);
    }
    let certifications = results
        .facets
        .iter()
        .find(|c| c.facet == Facet::Certification)
        .unwrap();
    assert!(
        certifications.values.len() > 1,
        "other certifications remain to add to the selection"
    );
}

#[test]
fn only_the_facets_asked_for_are_counted() {
    let request = SearchRequest::new("", Audience::Visitor).facets(&[Facet::Size]);
    let results = index().search(&request).unwrap();
    assert_eq!(results.facets.len(), 1);
    assert_eq!(results.facets[0].facet, Facet::Size);
    let none = SearchRequest::new("titane", Audience::Visitor).facets(&[]);
    assert!(index().search(&none).unwrap().facets.is_empty());
}
