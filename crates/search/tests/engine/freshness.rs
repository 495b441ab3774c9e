//! Index management: an edit is searchable within a second without anyone calling commit;
//! deletes and rebuilds take effect; an on-disk index survives a restart.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use search::{Audience, ProfileDoc, SearchIndex, SearchRequest, Visible};

use crate::fixture::*;

/// Polls (bounded: one second) until `found` holds; returns how long it took.
fn within_a_second(index: &SearchIndex, query: &str, found: impl Fn(&[i64]) -> bool) -> Duration {
    let start = Instant::now();
    loop {
        let results = search(index, query, Audience::Member);
        if found(&ids(&results)) {
            return start.elapsed();
        }
        assert!(
            start.elapsed() < Duration::from_secs(1),
            "{query:?} not as expected after one second: {:?}",
            ids(&results)
        );
        std::thread::sleep(Duration::from_millis(10));
    }
}

fn new_profile(org_id: i64, name: &str, presentation: &str) -> ProfileDoc {
    ProfileDoc {
        org_id,
        name: name.into(),
        presentation: Visible::public(presentation.into()),
        ..profiles().remove(8)
    }
}

#[test]
fn a_new_profile_is_searchable_within_a_second() {
    let index = index();
    index
        .upsert(&new_profile(
            300,
            "Verrerie Scientifique Picarde",
            "Soufflage de verre de laboratoire",
        ))
        .unwrap();
    let took = within_a_second(&index, "verrerie soufflage", |ids| ids == [300]);
    eprintln!("visible after {took:?}");
}

#[test]
fn an_edited_profile_is_found_by_its_new_words_only() {
    let index = index();
    let mut edited = profiles().remove(0);
    edited.name = "Usinage Zirconium Occitanie".into();
    edited.presentation = Visible::public("Nous usinons désormais le zirconium.".into());
    edited.offers.clear();
    edited.capability_terms.value.clear();
    edited.capabilities_text.value.clear();
    index.upsert(&edited).unwrap();
    within_a_second(&index, "zirconium", |ids| ids == [TITANIUM_MACHINING]);
    let titanium = search(&index, "titane", Audience::Member);
    assert!(!ids(&titanium).contains(&TITANIUM_MACHINING));
    // Still one document for the organisation.
    assert_eq!(index.num_docs() as usize, profiles().len());
}

#[test]
fn a_deleted_profile_disappears_within_a_second() {
    let index = index();
    index.delete(FOUNDRY).unwrap();
    within_a_second(&index, "fonderie", |ids| !ids.contains(&FOUNDRY));
    // Deleting what is not there is not an error.
    index.delete(FOUNDRY).unwrap();
    index.delete(123_456).unwrap();
}

#[test]
fn commit_makes_changes_visible_at_once() {
    let index = index();
    index
        .upsert(&new_profile(301, "Cristallerie Lorraine", "Cristal taillé"))
        .unwrap();
    index.commit().unwrap();
    assert_eq!(ids(&search(&index, "cristallerie", Audience::Visitor)), [301]);
}

#[test]
fn rebuild_replaces_the_whole_index_and_reports_progress() {
    let index = index();
    index
        .upsert(&new_profile(302, "Orphelin", "Absent du référentiel"))
        .unwrap();
    let mut reported = Vec::new();
    let count = index
        .rebuild(profiles().into_iter().skip(1), |n| reported.push(n))
        .unwrap();
    assert_eq!(count, profiles().len() - 1);
    assert_eq!(reported.last(), Some(&count));
    assert_eq!(index.num_docs() as usize, count);
    assert!(search(&index, "orphelin", Audience::Member).hits.is_empty());
    // Single changes work again after a rebuild.
    index.upsert(&profiles()[0]).unwrap();
    index.commit().unwrap();
    assert_eq!(index.num_docs() as usize, profiles().len());
}

struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> Self {
        let path = std::env::temp_dir().join(format!("passerelle-search-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&path);
        TempDir(path)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn an_index_on_disk_survives_a_restart() {
    let dir = TempDir::new("restart");
    {
        let index = SearchIndex::open_or_create(&dir.0).unwrap();
        index.rebuild(profiles(), |_| {}).unwrap();
        index
            .upsert(&new_profile(303, "Faïencerie de Gien", "Faïence"))
            .unwrap();
        // Dropped without an explicit commit: the committer commits what is pending.
    }
    let index = SearchIndex::open_or_create(&dir.0).unwrap();
    assert_eq!(index.num_docs() as usize, profiles().len() + 1);
    assert_eq!(ids(&search(&index, "faïencerie", Audience::Visitor)), [303]);
    let results = index
        .search(&SearchRequest::new(
            "usinage titane aeronautique",
            Audience::Visitor,
        ))
        .unwrap();
    assert_eq!(ids(&results)[0], TITANIUM_MACHINING);
}
