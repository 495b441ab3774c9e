//! Capability profiles: the profile page (what each audience may see), the editor's save with its
//! audit trail, brochures with their size and type limits, and the differentiation report.

use domain::policy::{Action, Actor, OrgFacts, authorize};
use domain::profile::{Completeness, Profile, ProfileInput, Visibility};
use search::Audience;
use search::differentiation::{Differentiation, PeerText, differentiate};
use serde::Serialize;
use sha2::{Digest, Sha256};
use store::profiles::{self, Brochure, NewBrochure};
use store::records::Organisation;
use store::{Conn, StoreError, clusters, directory, organisations};

use super::index::today;
use crate::audit::Entry;
use crate::{App, AppError, FieldError, Result};

/// Largest brochure accepted, in bytes.
pub const MAX_BROCHURE_BYTES: usize = 10 * 1024 * 1024;
/// Brochures per organisation.
pub const MAX_BROCHURES: usize = 10;
/// Brochure types accepted, recognised from the file's content (not its name).
pub const BROCHURE_TYPES: [&str; 3] = ["application/pdf", "image/png", "image/jpeg"];
/// Peers compared with: the most recently updated profiles of the same NAF division.
const MAX_PEERS: i64 = 2_000;
/// Nearest peers the differentiation score averages over.
const NEAREST_PEERS: usize = 10;

/// Who reads a profile: visitors get public fields, signed-in people members-only ones too.
pub fn audience_of(actor: &Actor) -> Audience {
    match actor {
        Actor::Person(_) => Audience::Member,
        Actor::Visitor => Audience::Visitor,
    }
}

/// An organisation's directory page, cut to what its reader may see.
#[derive(Debug, Clone, Serialize)]
pub struct ProfilePage {
    pub organisation: Organisation,
    pub clusters: Vec<i64>,
    pub profile: Profile,
    pub brochures: Vec<Brochure>,
    pub can_edit: bool,
    /// For those who may edit it: how complete it is and what to add.
    pub completeness: Option<Completeness>,
    pub updated_at: Option<i64>,
}

/// A file sent for the brochures of a profile.
pub struct BrochureUpload {
    pub file_name: String,
    pub visibility: Visibility,
    pub bytes: Vec<u8>,
}

struct Loaded {
    organisation: Organisation,
    clusters: Vec<i64>,
    profile: Profile,
    updated_at: Option<i64>,
}

impl Loaded {
    fn facts(&self) -> OrgFacts<'_> {
        OrgFacts {
            id: self.organisation.id,
            clusters: &self.clusters,
        }
    }
}

/// Every organisation of the registry has a directory page: its registry facts are public data
/// (SIRENE), its profile is cut by visibility.
async fn load(conn: &mut Conn, organisation_id: i64) -> Result<Loaded> {
    let organisation = organisations::get(conn, organisation_id)
        .await?
        .ok_or(AppError::NotFound("organisation"))?;
    let clusters = clusters::of_organisation(conn, organisation_id).await?;
    let stored = profiles::get(conn, organisation_id).await?;
    let (profile, updated_at) = match stored {
        Some(stored) => (
            serde_json::from_str(&stored.document)
                .map_err(|e| AppError::Internal(format!("stored profile unreadable: {e}")))?,
            Some(stored.updated_at),
        ),
        None => (Profile::default(), None),
    };
    Ok(Loaded {
        organisation,
        clusters,
        profile,
        updated_at,
    })
}

fn may_edit(actor: &Actor, loaded: &Loaded) -> bool {
    authorize(actor, &Action::EditProfile(loaded.facts())).is_ok()
}

fn visible_brochures(brochures: Vec<Brochure>, audience: Audience) -> Vec<Brochure> {
    brochures
        .into_iter()
        .filter(|b| audience == Audience::Member || b.visibility == Visibility::Public.as_str())
        .collect()
}

impl App {
    /// The directory page of an organisation as `actor` may see it.
    pub async fn profile_page(&self, actor: &Actor, organisation_id: i64) -> Result<ProfilePage> {
        let mut conn = self.store.conn().await?;
        let loaded = load(&mut conn, organisation_id).await?;
        let audience = audience_of(actor);
        let can_edit = may_edit(actor, &loaded);
        let brochures = profiles::brochures(&mut conn, organisation_id).await?;
        let completeness = can_edit.then(|| loaded.profile.completeness(brochures.len(), &today()));
        let profile = match audience {
            Audience::Member => loaded.profile,
            Audience::Visitor => loaded.profile.public_view(),
        };
        Ok(ProfilePage {
            organisation: loaded.organisation,
            clusters: loaded.clusters,
            profile,
            brochures: visible_brochures(brochures, audience),
            can_edit,
            completeness,
            updated_at: loaded.updated_at,
        })
    }

    /// Replaces the profile with what the editor sent; every mistake is reported at once.
    #[tracing::instrument(skip(self, actor, input))]
    pub async fn save_profile(
        &self,
        actor: &Actor,
        organisation_id: i64,
        input: &ProfileInput,
    ) -> Result<Profile> {
        let mut tx = self.store.begin().await?;
        let loaded = load(&mut tx, organisation_id).await?;
        authorize(actor, &Action::EditProfile(loaded.facts()))
            .map_err(|d| AppError::hiding(d, "organisation"))?;
        let profile = input.validate().map_err(|issues| {
            AppError::Invalid(
                issues
                    .into_iter()
                    .map(|i| FieldError::new(&i.field, i.message))
                    .collect(),
            )
        })?;
        let document = serde_json::to_string(&profile).map_err(|e| AppError::Internal(e.to_string()))?;
        profiles::save(&mut tx, organisation_id, &document, crate::actor::actor_id(actor)).await?;
        Entry::by(actor, "update", "profile", organisation_id)
            .before(&loaded.profile)
            .after(&profile)
            .write(&mut tx)
            .await?;
        tx.commit().await.map_err(StoreError::from)?;
        self.notify_directory();
        Ok(profile)
    }

    /// Adds a brochure after checking its size, its real type and the per-profile count.
    #[tracing::instrument(skip(self, actor, upload))]
    pub async fn add_brochure(
        &self,
        actor: &Actor,
        organisation_id: i64,
        upload: BrochureUpload,
    ) -> Result<Brochure> {
        let content_type = check_brochure(&upload)?;
        let file_name = domain::text::required("file_name", &upload.file_name, 200)
            .map_err(|e| AppError::invalid("file", e))?;
        let mut tx = self.store.begin().await?;
        let loaded = load(&mut tx, organisation_id).await?;
        authorize(actor, &Action::EditProfile(loaded.facts()))
            .map_err(|d| AppError::hiding(d, "organisation"))?;
        organisations::serialize_on(&mut tx, organisation_id).await?;
        if profiles::brochures(&mut tx, organisation_id).await?.len() >= MAX_BROCHURES {
            return Err(AppError::invalid(
                "file",
                format!("a profile holds at most {MAX_BROCHURES} brochures; delete one first"),
            ));
        }
        let sha256 = hex::encode(Sha256::digest(&upload.bytes));
        let id = profiles::add_brochure(
            &mut tx,
            &NewBrochure {
                organisation_id,
                file_name: &file_name,
                content_type,
                sha256: &sha256,
                visibility: upload.visibility.as_str(),
                content: &upload.bytes,
                created_by: crate::actor::actor_id(actor),
            },
        )
        .await?;
        let brochure = profiles::brochure(&mut tx, id)
            .await?
            .ok_or(AppError::NotFound("brochure"))?;
        Entry::by(actor, "create", "brochure", id)
            .after(&brochure)
            .write(&mut tx)
            .await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(brochure)
    }

    /// A brochure's description and bytes, if `actor` may read it (members-only ones need a sign-in).
    pub async fn brochure(&self, actor: &Actor, brochure_id: i64) -> Result<(Brochure, Vec<u8>)> {
        let mut conn = self.store.conn().await?;
        let brochure = profiles::brochure(&mut conn, brochure_id)
            .await?
            .filter(|b| audience_of(actor) == Audience::Member || b.visibility == Visibility::Public.as_str())
            .ok_or(AppError::NotFound("brochure"))?;
        let bytes = profiles::brochure_content(&mut conn, brochure_id)
            .await?
            .ok_or(AppError::NotFound("brochure"))?;
        Ok((brochure, bytes))
    }

    pub async fn delete_brochure(&self, actor: &Actor, organisation_id: i64, brochure_id: i64) -> Result<()> {
        let mut tx = self.store.begin().await?;
        let loaded = load(&mut tx, organisation_id).await?;
        authorize(actor, &Action::EditProfile(loaded.facts()))
            .map_err(|d| AppError::hiding(d, "organisation"))?;
        let brochure = profiles::brochure(&mut tx, brochure_id)
            .await?
            .filter(|b| b.organisation_id == organisation_id)
            .ok_or(AppError::NotFound("brochure"))?;
        profiles::delete_brochure(&mut tx, brochure_id).await?;
        Entry::by(actor, "delete", "brochure", brochure_id)
            .before(&brochure)
            .write(&mut tx)
            .await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(())
    }

    /// How generic the profile reads next to its peers of the same NAF division; for its editors.
    pub async fn differentiation(&self, actor: &Actor, organisation_id: i64) -> Result<Differentiation> {
        let mut conn = self.store.conn().await?;
        let loaded = load(&mut conn, organisation_id).await?;
        authorize(actor, &Action::EditProfile(loaded.facts()))
            .map_err(|d| AppError::hiding(d, "organisation"))?;
        let division = loaded
            .organisation
            .naf_code
            .get(..2)
            .unwrap_or_default()
            .to_owned();
        let peers: Vec<PeerText> = directory::profiles_in_division(&mut conn, &division, MAX_PEERS)
            .await?
            .into_iter()
            .filter_map(|(org_id, json)| {
                let profile: Profile = serde_json::from_str(&json).ok()?;
                Some(PeerText {
                    org_id,
                    text: profile.prose(),
                })
            })
            .collect();
        drop(conn);
        let subject = loaded.profile.prose();
        let mut report = tokio::task::spawn_blocking(move || {
            differentiate(Some(organisation_id), &subject, &peers, NEAREST_PEERS)
        })
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?;
        // Its own name is rare among peers but is no strength to point out.
        let name = domain::text::search_key(&loaded.organisation.legal_name);
        report
            .distinctive_terms
            .retain(|term| !name.split(' ').any(|word| word == domain::text::search_key(term)));
        Ok(report)
    }
}

/// The brochure's type as its bytes say, if accepted; its size within the limit.
fn check_brochure(upload: &BrochureUpload) -> Result<&'static str> {
    if upload.bytes.is_empty() {
        return Err(AppError::invalid("file", "the file is empty"));
    }
    if upload.bytes.len() > MAX_BROCHURE_BYTES {
        return Err(AppError::invalid(
            "file",
            format!(
                "the file is {} bytes; at most {} MiB are accepted",
                upload.bytes.len(),
                MAX_BROCHURE_BYTES / (1024 * 1024)
            ),
        ));
    }
    let sniffed = infer::get(&upload.bytes).map(|kind| kind.mime_type());
    BROCHURE_TYPES
        .into_iter()
        .find(|accepted| Some(*accepted) == sniffed)
        .ok_or_else(|| {
            AppError::invalid(
                "file",
                format!(
                    "{} files are not accepted; send a PDF, PNG or JPEG file",
                    sniffed.unwrap_or("unrecognised")
                ),
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn upload(bytes: &[u8]) -> BrochureUpload {
        BrochureUpload {
            file_name: "plaquette.pdf".into(),
            visibility: Visibility::Public,
            bytes: bytes.to_vec(),
        }
    }

    #[test]
    fn brochure_types_come_from_the_content_not_the_name() {
        assert_eq!(
            check_brochure(&upload(b"%PDF-1.7\n...")).unwrap(),
            "application/pdf"
        );
        assert_eq!(
            check_brochure(&upload(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR")).unwrap(),
            "image/png"
        );
        let refused = check_brochure(&upload(b"MZ\x90\0 executable")).unwrap_err();
        assert!(refused.to_string().contains("not accepted"), "{refused}");
        assert!(check_brochure(&upload(b"")).is_err());
    }

    #[test]
    fn oversized_brochures_are_refused_with_the_limit() {
        let mut bytes = b"%PDF-1.7\n".to_vec();
        bytes.resize(MAX_BROCHURE_BYTES + 1, b' ');
        let refused = check_brochure(&upload(&bytes)).unwrap_err();
        assert!(refused.to_string().contains("10 MiB"), "{refused}");
    }
}
