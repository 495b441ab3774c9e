//! Premises abroad: the host publishes, edits and withdraws them; other members request stays;
//! the host accepts (never overbooking a day) or declines; the requester may withdraw while pending.

use domain::export::DateRange;
use store::export::{self as stored, Premises, PremisesFields, Stay};
use store::{StoreError, people};

use super::*;
use crate::App;
use crate::audit::Entry;

/// Premises as the host writes them. `host_id` lets the cluster's staff publish for a member;
/// the contact is a person of the host (`contact_person_id`) or an e-mail address.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct PremisesInput {
    #[serde(default)]
    pub host_id: Option<i64>,
    pub city: String,
    /// ISO 3166-1 alpha-2, e.g. `CA`.
    pub country: String,
    pub desks: i64,
    /// `YYYY-MM-DD`.
    pub available_from: String,
    /// `YYYY-MM-DD`, not before `available_from`.
    pub available_to: String,
    #[serde(default)]
    pub conditions: String,
    #[serde(default)]
    pub contact_person_id: Option<i64>,
    #[serde(default)]
    pub contact_email: String,
}

/// A stay request.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct StayInput {
    /// `YYYY-MM-DD`, within the availability.
    pub starts_on: String,
    /// `YYYY-MM-DD`, not before `starts_on`, within the availability.
    pub ends_on: String,
    /// At least 1, at most the premises' desks.
    pub desks: i64,
    pub purpose: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct StayView {
    pub id: i64,
    pub premises_id: i64,
    pub organisation_id: i64,
    pub organisation_name: String,
    pub starts_on: String,
    pub ends_on: String,
    pub desks: i64,
    pub purpose: String,
    /// pending, accepted, declined or withdrawn.
    pub state: String,
    /// The host's message with the decision.
    pub answer: String,
    pub created_at: i64,
    pub decided_at: Option<i64>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PremisesView {
    pub id: i64,
    pub cluster_id: i64,
    pub host_id: i64,
    pub host_name: String,
    pub city: String,
    pub country: String,
    /// In French.
    pub country_name: String,
    pub desks: i64,
    pub available_from: String,
    pub available_to: String,
    pub conditions: String,
    pub contact_person_id: Option<i64>,
    /// The contact's name, when a person of the host.
    pub contact_name: String,
    /// Where requesters write: the e-mail address given, else the contact person's.
    pub contact_email: String,
    /// The e-mail address the host gave, if any (`contact_email` falls back to the person's).
    pub given_contact_email: Option<String>,
    pub withdrawn: bool,
    /// The caller answers requests (the host side).
    pub is_host: bool,
    /// The caller may request a stay.
    pub may_request: bool,
    /// The most desks accepted stays take on one day of the availability.
    pub peak_booked: i64,
    /// Every request for the host side; the caller's organisation's own otherwise.
    pub requests: Vec<StayView>,
}

/// A cluster's export offers: premises and VIE posts.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ExportHub {
    pub cluster_id: i64,
    pub premises: Vec<PremisesView>,
    pub posts: Vec<ViePostView>,
    /// The caller may publish for their own organisation (a large company or mid-cap of the
    /// cluster, or the cluster's staff).
    pub may_host: bool,
}

impl App {
    /// The cluster's premises and VIE posts still offered.
    pub async fn export_hub(&self, actor: &Actor, cluster_id: i64) -> Result<ExportHub> {
        let mut conn = self.store.conn().await?;
        view_cluster(&mut conn, actor, cluster_id).await?;
        let mut premises = Vec::new();
        for p in stored::premises_of_cluster(&mut conn, cluster_id).await? {
            premises.push(premises_view(&mut conn, actor, p).await?);
        }
        let mut posts = Vec::new();
        for p in stored::posts_of_cluster(&mut conn, cluster_id).await? {
            posts.push(post_view(&mut conn, actor, p).await?);
        }
        let may_host = !host_candidates(&mut conn, actor, cluster_id).await?.is_empty();
        Ok(ExportHub {
            cluster_id,
            premises,
            posts,
            may_host,
        })
    }

    /// The organisations the actor may publish for in the cluster: large companies and mid-caps
    /// of the cluster they speak for (all of them for the staff).
    pub async fn export_hosts(&self, actor: &Actor, cluster_id: i64) -> Result<Vec<(i64, String)>> {
        let mut conn = self.store.conn().await?;
        view_cluster(&mut conn, actor, cluster_id).await?;
        host_candidates(&mut conn, actor, cluster_id).await
    }

    /// The people who may be named contact of premises: those of the organisations the actor may
    /// publish for, as (person, "name — organisation").
    pub async fn export_contacts(&self, actor: &Actor, cluster_id: i64) -> Result<Vec<(i64, String)>> {
        let mut conn = self.store.conn().await?;
        view_cluster(&mut conn, actor, cluster_id).await?;
        let mut out = Vec::new();
        for (organisation_id, name) in host_candidates(&mut conn, actor, cluster_id).await? {
            for person in people::of_organisation(&mut conn, organisation_id).await? {
                out.push((person.id, format!("{} — {name}", person.full_name())));
            }
        }
        Ok(out)
    }

    #[tracing::instrument(skip(self, actor, input))]
    pub async fn publish_premises(
        &self,
        actor: &Actor,
        cluster_id: i64,
        input: &PremisesInput,
    ) -> Result<PremisesView> {
        let principal = person(actor)?;
        let mut tx = self.store.begin().await?;
        view_cluster(&mut tx, actor, cluster_id).await?;
        let host_id = check_host(&mut tx, actor, cluster_id, input.host_id).await?;
        let fields = premises_fields(&mut tx, host_id, input, None).await?;
        let at = store::now_ms();
        let id = stored::insert_premises(
            &mut tx,
            cluster_id,
            host_id,
            &fields,
            Some(principal.person_id),
            at,
        )
        .await?;
        let created = load_premises(&mut tx, id).await?;
        Entry::by(actor, "publish_premises", "export_premises", id)
            .after(&created)
            .write(&mut tx)
            .await?;
        let view = premises_view(&mut tx, actor, created).await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(view)
    }

    /// Rewrites premises; accepted stays must still fit the new desks and availability.
    #[tracing::instrument(skip(self, actor, input))]
    pub async fn update_premises(
        &self,
        actor: &Actor,
        id: i64,
        input: &PremisesInput,
    ) -> Result<PremisesView> {
        let mut tx = self.store.begin().await?;
        let before = premises_as_host(&mut tx, actor, id).await?;
        stored::lock_premises(&mut tx, id).await?;
        let fields = premises_fields(&mut tx, before.host_id, input, Some(&before)).await?;
        let availability = DateRange::new(
            day(&fields.available_from)?,
            day(&fields.available_to)?,
            "available_to",
        )
        .map_err(|r| AppError::invalid(r.field, r.message))?;
        let accepted = accepted_ranges(&mut tx, id).await?;
        if let Some((range, _)) = accepted.iter().find(|(r, _)| !availability.contains(r)) {
            let field = if range.from < availability.from {
                "available_from"
            } else {
                "available_to"
            };
            return Err(AppError::invalid(
                field,
                format!(
                    "an accepted stay runs from {} to {}: the availability must cover it",
                    range.from, range.to
                ),
            ));
        }
        let (peak, _) = rules::peak_occupation(&accepted, &availability);
        if fields.desks < peak {
            return Err(AppError::invalid(
                "desks",
                format!("accepted stays take {peak} desks on one day: at least {peak} desks"),
            ));
        }
        if !stored::update_premises(&mut tx, id, &fields, store::now_ms()).await? {
            return Err(state_conflict("premises", "withdrawn", "changed"));
        }
        let after = load_premises(&mut tx, id).await?;
        Entry::by(actor, "update_premises", "export_premises", id)
            .before(&before)
            .after(&after)
            .write(&mut tx)
            .await?;
        let view = premises_view(&mut tx, actor, after).await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(view)
    }

    /// Withdraws premises; their pending requests are declined and the requesters told.
    #[tracing::instrument(skip(self, actor))]
    pub async fn withdraw_premises(&self, actor: &Actor, id: i64) -> Result<PremisesView> {
        let principal = person(actor)?;
        let mut tx = self.store.begin().await?;
        let before = premises_as_host(&mut tx, actor, id).await?;
        let today = iso(today());
        let (pending, coming): (Vec<Stay>, Vec<Stay>) = stored::stays(&mut tx, id, None)
            .await?
            .into_iter()
            .filter(|s| s.state == "pending" || (s.state == "accepted" && s.ends_on >= today))
            .partition(|s| s.state == "pending");
        let answer = "Les locaux ont été retirés par l'hôte.";
        if !stored::withdraw_premises(&mut tx, id, answer, Some(principal.person_id), store::now_ms()).await?
        {
            return Err(state_conflict("premises", "withdrawn", "withdrawn"));
        }
        let after = load_premises(&mut tx, id).await?;
        Entry::by(actor, "withdraw_premises", "export_premises", id)
            .before(&before)
            .after(&after)
            .write(&mut tx)
            .await?;
        let mut to = Vec::new();
        for stay in &pending {
            to.extend(requester_side(&mut tx, stay.requested_by, stay.organisation_id).await?);
        }
        let mut coming_to = Vec::new();
        for stay in &coming {
            coming_to.push((
                requester_side(&mut tx, stay.requested_by, stay.organisation_id).await?,
                stay.clone(),
            ));
        }
        let view = premises_view(&mut tx, actor, after).await?;
        tx.commit().await.map_err(StoreError::from)?;
        let subject = format!("Passerelle : locaux retirés à {}", view.city);
        let link = format!("{}/export/premises/{id}", self.config.public_url);
        let body = format!(
            "Les locaux de {} à {} ont été retirés : votre demande de séjour est close.\n{link}\n",
            view.host_name, view.city
        );
        self.mail_all(&to, &subject, &body).await;
        // An accepted stay still to come stays accepted, but its requester must hear of it at once.
        for (to, stay) in coming_to {
            let body = format!(
                "Les locaux de {} à {} ont été retirés de Passerelle. Votre séjour accepté du {} au {} \
                 ({} poste(s)) reste à confirmer directement avec l'hôte : {}\n{link}\n",
                view.host_name,
                view.city,
                fr_day(&stay.starts_on),
                fr_day(&stay.ends_on),
                stay.desks,
                if view.contact_email.is_empty() {
                    &view.host_name
                } else {
                    &view.contact_email
                },
            );
            self.mail_all(&to, &subject, &body).await;
        }
        Ok(view)
    }

    /// Premises as the caller may read them (404 outside the cluster).
    pub async fn export_premises(&self, actor: &Actor, id: i64) -> Result<PremisesView> {
        let mut conn = self.store.conn().await?;
        let (premises, _) = premises_visible(&mut conn, actor, id).await?;
        premises_view(&mut conn, actor, premises).await
    }

    /// Requests a stay for the caller's organisation; the host and the requester are e-mailed.
    #[tracing::instrument(skip(self, actor, input))]
    pub async fn request_stay(&self, actor: &Actor, premises_id: i64, input: &StayInput) -> Result<StayView> {
        let principal = person(actor)?;
        let mut tx = self.store.begin().await?;
        let (premises, _) = premises_visible(&mut tx, actor, premises_id).await?;
        let organisation_id = requester(actor, premises.cluster_id, premises.host_id)?;
        if premises.withdrawn_at.is_some() {
            return Err(state_conflict("premises", "withdrawn", "requested"));
        }
        let mut check = Check::default();
        let from = check.date("starts_on", &input.starts_on);
        let to = check.date("ends_on", &input.ends_on);
        let desks = check.take(rules::desks(input.desks, premises.desks, "desks"));
        let purpose = check.text("purpose", &input.purpose, LONG_CHARS, true);
        if let (Some(from), Some(to)) = (from, to) {
            let availability = DateRange {
                from: day(&premises.available_from)?,
                to: day(&premises.available_to)?,
            };
            if let Some(stay) = check.take(DateRange::new(from, to, "ends_on")) {
                check.take(rules::within_availability(&availability, &stay));
            }
            check.take(rules::not_before_today(from, today(), "starts_on"));
        }
        check.done()?;
        let (from, to, desks) = (
            from.expect("checked"),
            to.expect("checked"),
            desks.expect("checked"),
        );
        let id = stored::insert_stay(
            &mut tx,
            premises_id,
            organisation_id,
            &iso(from),
            &iso(to),
            desks,
            &purpose,
            Some(principal.person_id),
            store::now_ms(),
        )
        .await?;
        let stay = load_stay(&mut tx, id).await?;
        Entry::by(actor, "request_stay", "export_stay", id)
            .after(&stay)
            .write(&mut tx)
            .await?;
        let view = stay_view(&mut tx, stay).await?;
        let host_to = host_addresses(&mut tx, &premises).await?;
        let requester_to = requester_side(&mut tx, Some(principal.person_id), organisation_id).await?;
        tx.commit().await.map_err(StoreError::from)?;
        let link = format!("{}/export/premises/{premises_id}", self.config.public_url);
        self.mail_all(
            &host_to,
            &format!("Passerelle : demande de séjour à {}", premises.city),
            &format!(
                "{} demande {} poste(s) à {} du {} au {}.\nObjet : {}\nRépondre : {link}\n",
                view.organisation_name,
                view.desks,
                premises.city,
                fr_day(&view.starts_on),
                fr_day(&view.ends_on),
                view.purpose
            ),
        )
        .await;
        self.mail_all(
            &requester_to,
            &format!("Passerelle : demande de séjour envoyée ({})", premises.city),
            &format!(
                "Votre demande de {} poste(s) à {} du {} au {} a été transmise à l'hôte.\n{link}\n",
                view.desks,
                premises.city,
                fr_day(&view.starts_on),
                fr_day(&view.ends_on)
            ),
        )
        .await;
        Ok(view)
    }

    /// One stay request: the host side's and the requesting organisation's (404 for anyone else).
    pub async fn stay_request(&self, actor: &Actor, id: i64) -> Result<StayView> {
        let mut conn = self.store.conn().await?;
        let (stay, _, _) = stay_visible(&mut conn, actor, id).await?;
        stay_view(&mut conn, stay).await
    }

    /// The host accepts (if no day would be overbooked) or declines a pending request.
    #[tracing::instrument(skip(self, actor, input))]
    pub async fn decide_stay(&self, actor: &Actor, id: i64, input: &DecisionInput) -> Result<StayView> {
        let principal = person(actor)?;
        let mut tx = self.store.begin().await?;
        let (stay, premises, is_host) = stay_visible(&mut tx, actor, id).await?;
        as_host(is_host)?;
        let (state, message) = outcome(input)?;
        // Every accept and edit of these premises queues here; what is read below (the premises'
        // desks and dates too) is what the decision is written against.
        stored::lock_premises(&mut tx, premises.id).await?;
        let premises = load_premises(&mut tx, premises.id).await?;
        let stay = load_stay(&mut tx, stay.id).await?;
        if stay.state != "pending" {
            return Err(state_conflict("request", &stay.state, "decided"));
        }
        if state == "accepted" {
            let range = DateRange {
                from: day(&stay.starts_on)?,
                to: day(&stay.ends_on)?,
            };
            // The premises may have changed since the request: it must still fit them.
            let availability = DateRange {
                from: day(&premises.available_from)?,
                to: day(&premises.available_to)?,
            };
            rules::within_availability(&availability, &range).map_err(|r| conflict(r.message))?;
            rules::desks(stay.desks, premises.desks, "desks").map_err(|r| conflict(r.message))?;
            let accepted = accepted_ranges(&mut tx, premises.id).await?;
            rules::fits(premises.desks, &accepted, &range, stay.desks).map_err(|r| conflict(r.message))?;
        }
        if !stored::settle_stay(
            &mut tx,
            id,
            state,
            &message,
            Some(principal.person_id),
            store::now_ms(),
        )
        .await?
        {
            return Err(state_conflict("request", "no longer pending", "decided"));
        }
        let after = load_stay(&mut tx, id).await?;
        Entry::by(actor, "decide_stay", "export_stay", id)
            .before(&stay)
            .after(&after)
            .write(&mut tx)
            .await?;
        let view = stay_view(&mut tx, after).await?;
        let mut to = requester_side(&mut tx, stay.requested_by, stay.organisation_id).await?;
        to.extend(host_addresses(&mut tx, &premises).await?);
        tx.commit().await.map_err(StoreError::from)?;
        let word = if state == "accepted" {
            "acceptée"
        } else {
            "déclinée"
        };
        self.mail_all(
            &to,
            &format!("Passerelle : demande de séjour {word} ({})", premises.city),
            &format!(
                "La demande de {} ({} poste(s) à {} du {} au {}) est {word}.\n{message}\n{}/export/premises/{}\n",
                view.organisation_name,
                view.desks,
                premises.city,
                fr_day(&view.starts_on),
                fr_day(&view.ends_on),
                self.config.public_url,
                premises.id
            ),
        )
        .await;
        Ok(view)
    }

    /// The requesting organisation withdraws its pending request.
    #[tracing::instrument(skip(self, actor))]
    pub async fn withdraw_stay(&self, actor: &Actor, id: i64) -> Result<StayView> {
        let principal = person(actor)?;
        let mut tx = self.store.begin().await?;
        let (stay, premises, _) = stay_visible(&mut tx, actor, id).await?;
        if !speaks_for_requester(actor, premises.cluster_id, stay.organisation_id) {
            return Err(AppError::Forbidden);
        }
        if !stored::settle_stay(
            &mut tx,
            id,
            "withdrawn",
            "",
            Some(principal.person_id),
            store::now_ms(),
        )
        .await?
        {
            return Err(state_conflict("request", &stay.state, "withdrawn"));
        }
        let after = load_stay(&mut tx, id).await?;
        Entry::by(actor, "withdraw_stay", "export_stay", id)
            .before(&stay)
            .after(&after)
            .write(&mut tx)
            .await?;
        let view = stay_view(&mut tx, after).await?;
        let mut to = requester_side(&mut tx, stay.requested_by, stay.organisation_id).await?;
        to.extend(host_addresses(&mut tx, &premises).await?);
        tx.commit().await.map_err(StoreError::from)?;
        self.mail_all(
            &to,
            &format!("Passerelle : demande de séjour retirée ({})", premises.city),
            &format!(
                "{} a retiré sa demande ({} poste(s) du {} au {}).\n",
                view.organisation_name,
                view.desks,
                fr_day(&view.starts_on),
                fr_day(&view.ends_on)
            ),
        )
        .await;
        Ok(view)
    }
}

/// The organisations the actor may publish for in the cluster, from the actor's own roles: every
/// large company and mid-cap member for the cluster's staff, else the actor's own organisation
/// when it is one and they speak for it as a host.
async fn host_candidates(conn: &mut Conn, actor: &Actor, cluster_id: i64) -> Result<Vec<(i64, String)>> {
    let principal = person(actor)?;
    let may_host = |size: Option<&str>| {
        matches!(
            size.and_then(|s| OrgSize::parse(s).ok()),
            Some(OrgSize::Large | OrgSize::MidCap)
        )
    };
    if principal.is_cluster_admin_of(cluster_id) {
        let members = organisations::list_members(conn, cluster_id, "", 0, i64::from(u16::MAX)).await?;
        return Ok(members
            .items
            .into_iter()
            .filter(|o| may_host(o.fields.size.as_deref()))
            .map(|o| (o.id, o.fields.legal_name))
            .collect());
    }
    let own = principal.organisation_id;
    if !hosts(actor, cluster_id, own) {
        return Ok(Vec::new());
    }
    Ok(organisations::get(conn, own)
        .await?
        .filter(|o| may_host(o.fields.size.as_deref()))
        .map(|o| vec![(o.id, o.fields.legal_name)])
        .unwrap_or_default())
}

/// The checked fields of premises; `before` is the stored version when editing (a past day already
/// stored may stay, a new one may not be in the past).
async fn premises_fields(
    conn: &mut Conn,
    host_id: i64,
    input: &PremisesInput,
    before: Option<&Premises>,
) -> Result<PremisesFields> {
    let mut check = Check::default();
    let city = check.text("city", &input.city, CITY_CHARS, true);
    let country = check.country(&input.country);
    let desks = check.take(rules::desks(input.desks, rules::MAX_DESKS, "desks"));
    let from = check.date("available_from", &input.available_from);
    let to = check.date("available_to", &input.available_to);
    if let (Some(from), Some(to)) = (from, to) {
        check.take(DateRange::new(from, to, "available_to"));
        let today = today();
        for (field, day, stored) in [
            ("available_from", from, before.map(|b| b.available_from.as_str())),
            ("available_to", to, before.map(|b| b.available_to.as_str())),
        ] {
            if stored != Some(iso(day).as_str()) {
                check.take(rules::not_before_today(day, today, field));
            }
        }
    }
    let conditions = check.text("conditions", &input.conditions, LONG_CHARS, false);
    let email = check.text("contact_email", &input.contact_email, 254, false);
    let contact_email = if email.is_empty() {
        None
    } else {
        match domain::person::Email::parse(&email) {
            Ok(e) => Some(e.as_str().to_owned()),
            Err(error) => {
                check.fail("contact_email", error);
                None
            }
        }
    };
    if let Some(person_id) = input.contact_person_id {
        let of_host = people::get(conn, person_id)
            .await?
            .is_some_and(|p| p.organisation_id == host_id);
        if !of_host {
            check.fail(
                "contact_person_id",
                "the contact must be a person of the host organisation",
            );
        }
    } else if contact_email.is_none() && email.is_empty() {
        check.fail(
            "contact_email",
            "give a contact: a person of the host or an e-mail address",
        );
    }
    check.done()?;
    Ok(PremisesFields {
        city,
        country: country.expect("checked").as_str().to_owned(),
        desks: desks.expect("checked"),
        available_from: iso(from.expect("checked")),
        available_to: iso(to.expect("checked")),
        conditions,
        contact_person_id: input.contact_person_id,
        contact_email,
    })
}

async fn load_premises(conn: &mut Conn, id: i64) -> Result<Premises> {
    stored::premises(conn, id)
        .await?
        .ok_or(AppError::NotFound("premises"))
}

async fn load_stay(conn: &mut Conn, id: i64) -> Result<Stay> {
    stored::stay(conn, id)
        .await?
        .ok_or(AppError::NotFound("stay request"))
}

/// The premises, if the actor may know they exist (404 otherwise), and whether they host them.
async fn premises_visible(conn: &mut Conn, actor: &Actor, id: i64) -> Result<(Premises, bool)> {
    person(actor)?;
    let premises = load_premises(conn, id).await?;
    let is_host = offer_access(actor, premises.cluster_id, premises.host_id, "premises")?;
    Ok((premises, is_host))
}

/// The premises for a host's change: 404 for who may not see them, 403 for readers who do not host.
async fn premises_as_host(conn: &mut Conn, actor: &Actor, id: i64) -> Result<Premises> {
    let (premises, is_host) = premises_visible(conn, actor, id).await?;
    as_host(is_host)?;
    Ok(premises)
}

/// A stay request with its premises and whether the actor is on the host side; 404 unless host
/// side or the requesting organisation.
async fn stay_visible(conn: &mut Conn, actor: &Actor, id: i64) -> Result<(Stay, Premises, bool)> {
    person(actor)?;
    let stay = load_stay(conn, id).await?;
    let premises = load_premises(conn, stay.premises_id).await?;
    let is_host = request_access(
        actor,
        premises.cluster_id,
        premises.host_id,
        stay.organisation_id,
        "stay request",
    )?;
    Ok((stay, premises, is_host))
}

async fn accepted_ranges(conn: &mut Conn, premises_id: i64) -> Result<Vec<(DateRange, i64)>> {
    let mut out = Vec::new();
    for s in stored::stays(conn, premises_id, None).await? {
        if s.state == "accepted" {
            out.push((
                DateRange {
                    from: day(&s.starts_on)?,
                    to: day(&s.ends_on)?,
                },
                s.desks,
            ));
        }
    }
    Ok(out)
}

async fn stay_view(conn: &mut Conn, s: Stay) -> Result<StayView> {
    Ok(StayView {
        organisation_name: organisation_name(conn, s.organisation_id).await?,
        id: s.id,
        premises_id: s.premises_id,
        organisation_id: s.organisation_id,
        starts_on: s.starts_on,
        ends_on: s.ends_on,
        desks: s.desks,
        purpose: s.purpose,
        state: s.state,
        answer: s.answer,
        created_at: s.created_at,
        decided_at: s.decided_at,
    })
}

pub(super) async fn premises_view(conn: &mut Conn, actor: &Actor, p: Premises) -> Result<PremisesView> {
    let principal = person(actor)?;
    let is_host = hosts(actor, p.cluster_id, p.host_id);
    let own = if is_host {
        None
    } else {
        Some(principal.organisation_id)
    };
    let may_request = p.withdrawn_at.is_none() && requester(actor, p.cluster_id, p.host_id).is_ok();
    let mut requests = Vec::new();
    if is_host || speaks_for_requester(actor, p.cluster_id, principal.organisation_id) {
        for s in stored::stays(conn, p.id, own).await? {
            requests.push(stay_view(conn, s).await?);
        }
    }
    let availability = DateRange {
        from: day(&p.available_from)?,
        to: day(&p.available_to)?,
    };
    let (peak_booked, _) = rules::peak_occupation(&accepted_ranges(conn, p.id).await?, &availability);
    let contact = match p.contact_person_id {
        Some(id) => people::get(conn, id).await?,
        None => None,
    };
    Ok(PremisesView {
        host_name: organisation_name(conn, p.host_id).await?,
        country_name: country_name(&p.country),
        contact_name: contact.as_ref().map(|c| c.full_name()).unwrap_or_default(),
        contact_email: p
            .contact_email
            .clone()
            .or_else(|| contact.map(|c| c.email))
            .unwrap_or_default(),
        given_contact_email: p.contact_email.clone(),
        id: p.id,
        cluster_id: p.cluster_id,
        host_id: p.host_id,
        city: p.city,
        country: p.country,
        desks: p.desks,
        available_from: p.available_from,
        available_to: p.available_to,
        conditions: p.conditions,
        contact_person_id: p.contact_person_id,
        withdrawn: p.withdrawn_at.is_some(),
        is_host,
        may_request,
        peak_booked,
        requests,
    })
}

/// The host's contact: the contact person's address, else the contact e-mail.
async fn host_addresses(conn: &mut Conn, p: &Premises) -> Result<Vec<String>> {
    if let Some(id) = p.contact_person_id
        && let Some(person) = people::get(conn, id).await?
    {
        return Ok(vec![person.email]);
    }
    Ok(p.contact_email.iter().cloned().collect())
}
