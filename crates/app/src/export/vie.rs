//! Shared VIE posts: a large member hosts an international volunteer abroad; SMEs apply for a
//! share of the volunteer's time; the host accepts (the accepted shares never exceed 100 %) or
//! declines; the host confirms the sharing once the shares make exactly 100 %, and each SME's part
//! of the monthly cost is its share of it, to the cent (see `domain::export` for the rounding).

use domain::export::Decimal;
use store::StoreError;
use store::export::{self as stored, VieApplication, VieFields, ViePost};

use super::*;
use crate::App;
use crate::audit::Entry;

#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct VieInput {
    #[serde(default)]
    pub host_id: Option<i64>,
    pub title: String,
    /// ISO 3166-1 alpha-2, e.g. `DE`.
    pub country: String,
    pub city: String,
    pub mission: String,
    /// `YYYY-MM-DD`.
    pub starts_on: String,
    /// 6 to 24.
    pub duration_months: i64,
    /// Euros a month, to the cent, as a decimal string: `4200.00`.
    pub monthly_cost: String,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct ShareInput {
    /// Percentage of the volunteer's time, above 0 and at most 100, two decimals at most: `40` or
    /// `33.33`.
    pub share: String,
    /// What the volunteer would do for the applicant.
    pub tasks: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ApplicationView {
    pub id: i64,
    pub post_id: i64,
    pub organisation_id: i64,
    pub organisation_name: String,
    /// Decimal string.
    pub share: String,
    pub tasks: String,
    /// pending, accepted, declined or withdrawn.
    pub state: String,
    pub answer: String,
    pub created_at: i64,
    pub decided_at: Option<i64>,
}

/// One accepted share and its part of the monthly cost.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ShareLine {
    pub application_id: i64,
    pub organisation_id: i64,
    pub organisation_name: String,
    /// Percentage, decimal string.
    pub share: String,
    /// Euros a month, to the cent, decimal string.
    pub monthly_part: String,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ViePostView {
    pub id: i64,
    pub cluster_id: i64,
    pub host_id: i64,
    pub host_name: String,
    pub title: String,
    pub country: String,
    pub country_name: String,
    pub city: String,
    pub mission: String,
    pub starts_on: String,
    pub duration_months: i64,
    /// Euros a month, decimal string.
    pub monthly_cost: String,
    pub confirmed: bool,
    pub withdrawn: bool,
    /// Sum of the accepted shares, percent.
    pub shared: String,
    /// What is left to share, percent.
    pub remaining: String,
    /// The accepted shares, oldest application first, with their parts of the cost: for the host
    /// side and the sharers only (empty for the rest of the cluster, who see `shared`/`remaining`).
    pub shares: Vec<ShareLine>,
    /// The part of the monthly cost no share covers yet; shares' parts plus this make the cost.
    pub unshared_part: String,
    pub is_host: bool,
    pub may_apply: bool,
    /// Every application for the host side; the caller's organisation's own otherwise.
    pub applications: Vec<ApplicationView>,
}

impl App {
    #[tracing::instrument(skip(self, actor, input))]
    pub async fn publish_vie_post(
        &self,
        actor: &Actor,
        cluster_id: i64,
        input: &VieInput,
    ) -> Result<ViePostView> {
        let principal = person(actor)?;
        let mut tx = self.store.begin().await?;
        view_cluster(&mut tx, actor, cluster_id).await?;
        let host_id = check_host(&mut tx, actor, cluster_id, input.host_id).await?;
        let mut check = Check::default();
        let title = check.text("title", &input.title, TITLE_CHARS, true);
        let country = check.country(&input.country);
        let city = check.text("city", &input.city, CITY_CHARS, true);
        let mission = check.text("mission", &input.mission, LONG_CHARS, true);
        let starts_on = check
            .date("starts_on", &input.starts_on)
            .and_then(|d| check.take(rules::not_before_today(d, today(), "starts_on")));
        let duration = check.take(rules::vie_duration(input.duration_months));
        let cost = check.take(rules::monthly_cost(&input.monthly_cost));
        check.done()?;
        let fields = VieFields {
            title,
            country: country.expect("checked").as_str().to_owned(),
            city,
            mission,
            starts_on: iso(starts_on.expect("checked")),
            duration_months: duration.expect("checked"),
            monthly_cost: to_the_cent(cost.expect("checked")),
        };
        let id = stored::insert_post(
            &mut tx,
            cluster_id,
            host_id,
            &fields,
            Some(principal.person_id),
            store::now_ms(),
        )
        .await?;
        let created = load_post(&mut tx, id).await?;
        Entry::by(actor, "publish_vie_post", "export_vie_post", id)
            .after(&created)
            .write(&mut tx)
            .await?;
        let view = post_view(&mut tx, actor, created).await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(view)
    }

    pub async fn vie_post(&self, actor: &Actor, id: i64) -> Result<ViePostView> {
        let mut conn = self.store.conn().await?;
        let post = post_visible(&mut conn, actor, id).await?;
        post_view(&mut conn, actor, post).await
    }

    /// Withdraws a post; pending applications are declined and their applicants told.
    #[tracing::instrument(skip(self, actor))]
    pub async fn withdraw_vie_post(&self, actor: &Actor, id: i64) -> Result<ViePostView> {
        let principal = person(actor)?;
        let mut tx = self.store.begin().await?;
        let before = post_as_host(&mut tx, actor, id).await?;
        if before.confirmed_at.is_some() && before.withdrawn_at.is_none() {
            // The sharers have committed their budgets: they settle a cancellation with the host.
            return Err(conflict(
                "the sharing of this post is confirmed: it can no longer be withdrawn here",
            ));
        }
        let pending: Vec<VieApplication> = stored::applications(&mut tx, id, None)
            .await?
            .into_iter()
            .filter(|a| a.state == "pending")
            .collect();
        let answer = "Le poste VIE a été retiré par l'hôte.";
        if !stored::withdraw_post(&mut tx, id, answer, Some(principal.person_id), store::now_ms()).await? {
            return Err(state_conflict("post", "withdrawn", "withdrawn"));
        }
        let after = load_post(&mut tx, id).await?;
        Entry::by(actor, "withdraw_vie_post", "export_vie_post", id)
            .before(&before)
            .after(&after)
            .write(&mut tx)
            .await?;
        let mut to = Vec::new();
        for a in &pending {
            to.extend(requester_side(&mut tx, a.applied_by, a.organisation_id).await?);
        }
        let view = post_view(&mut tx, actor, after).await?;
        tx.commit().await.map_err(StoreError::from)?;
        self.mail_all(
            &to,
            &format!("Passerelle : poste VIE retiré ({})", view.title),
            &format!(
                "Le poste VIE « {} » a été retiré : votre candidature est close.\n",
                view.title
            ),
        )
        .await;
        Ok(view)
    }

    /// Applies for a share of a post for the caller's organisation; the share must fit in what is
    /// left to share.
    #[tracing::instrument(skip(self, actor, input))]
    pub async fn apply_for_vie_share(
        &self,
        actor: &Actor,
        post_id: i64,
        input: &ShareInput,
    ) -> Result<ApplicationView> {
        let principal = person(actor)?;
        let mut tx = self.store.begin().await?;
        let post = post_visible(&mut tx, actor, post_id).await?;
        let organisation_id = requester(actor, post.cluster_id, post.host_id)?;
        open_for_shares(&post)?;
        let mut check = Check::default();
        let share = check.take(rules::share(&input.share));
        let tasks = check.text("tasks", &input.tasks, LONG_CHARS, true);
        if let Some(share) = share {
            let accepted = accepted_shares(&mut tx, post_id).await?;
            let taken: Vec<Decimal> = accepted.iter().map(|(_, s)| *s).collect();
            check.take(rules::share_fits(&taken, share));
        }
        check.done()?;
        if let Some(live) = stored::applications(&mut tx, post_id, Some(organisation_id))
            .await?
            .into_iter()
            .find(|a| a.state == "pending" || a.state == "accepted")
        {
            return Err(conflict(format!(
                "your organisation already has a {} application for {} % of this post: \
                 withdraw it before applying again",
                live.state, live.share
            )));
        }
        let id = stored::insert_application(
            &mut tx,
            post_id,
            organisation_id,
            &share.expect("checked").to_string(),
            &tasks,
            Some(principal.person_id),
            store::now_ms(),
        )
        .await
        .map_err(|error| match error {
            // Another application of the organisation slipped in since the check above.
            StoreError::Duplicate(_) => conflict("your organisation already applied for this post"),
            other => other.into(),
        })?;
        let created = load_application(&mut tx, id).await?;
        Entry::by(actor, "apply_for_vie_share", "export_vie_application", id)
            .after(&created)
            .write(&mut tx)
            .await?;
        let mut to = host_side(&mut tx, post.created_by, post.host_id).await?;
        to.extend(requester_side(&mut tx, created.applied_by, created.organisation_id).await?);
        let view = application_view(&mut tx, created).await?;
        tx.commit().await.map_err(StoreError::from)?;
        self.mail_all(
            &to,
            &format!("Passerelle : candidature au poste VIE « {} »", post.title),
            &format!(
                "{} demande {} % du temps du VIE « {} ».\n{}/export/vie/{post_id}\n",
                view.organisation_name, view.share, post.title, self.config.public_url
            ),
        )
        .await;
        Ok(view)
    }

    pub async fn vie_application(&self, actor: &Actor, id: i64) -> Result<ApplicationView> {
        let mut conn = self.store.conn().await?;
        let (application, _, _) = application_visible(&mut conn, actor, id).await?;
        application_view(&mut conn, application).await
    }

    /// The host accepts (if the accepted shares stay at 100 % at most) or declines an application.
    #[tracing::instrument(skip(self, actor, input))]
    pub async fn decide_vie_application(
        &self,
        actor: &Actor,
        id: i64,
        input: &DecisionInput,
    ) -> Result<ApplicationView> {
        let principal = person(actor)?;
        let mut tx = self.store.begin().await?;
        let (_, post, is_host) = application_visible(&mut tx, actor, id).await?;
        as_host(is_host)?;
        let (state, message) = outcome(input)?;
        stored::lock_post(&mut tx, post.id).await?;
        let post = load_post(&mut tx, post.id).await?;
        open_for_shares(&post)?;
        let before = load_application(&mut tx, id).await?;
        if before.state != "pending" {
            return Err(state_conflict("application", &before.state, "decided"));
        }
        if state == "accepted" {
            let taken: Vec<Decimal> = accepted_shares(&mut tx, post.id)
                .await?
                .into_iter()
                .map(|(_, s)| s)
                .collect();
            rules::share_fits(&taken, stored_decimal(&before.share)?).map_err(|r| conflict(r.message))?;
        }
        if !stored::settle_application(
            &mut tx,
            id,
            state,
            &message,
            Some(principal.person_id),
            store::now_ms(),
        )
        .await?
        {
            return Err(state_conflict("application", "no longer pending", "decided"));
        }
        let after = load_application(&mut tx, id).await?;
        Entry::by(actor, "decide_vie_application", "export_vie_application", id)
            .before(&before)
            .after(&after)
            .write(&mut tx)
            .await?;
        let view = application_view(&mut tx, after).await?;
        let to = requester_side(&mut tx, before.applied_by, before.organisation_id).await?;
        tx.commit().await.map_err(StoreError::from)?;
        let word = if state == "accepted" {
            "acceptée"
        } else {
            "déclinée"
        };
        self.mail_all(
            &to,
            &format!("Passerelle : candidature VIE {word} (« {} »)", post.title),
            &format!(
                "Votre demande de {} % du VIE « {} » est {word}.\n{message}\n{}/export/vie/{}\n",
                view.share, post.title, self.config.public_url, post.id
            ),
        )
        .await;
        Ok(view)
    }

    /// The applicant withdraws its pending application.
    #[tracing::instrument(skip(self, actor))]
    pub async fn withdraw_vie_application(&self, actor: &Actor, id: i64) -> Result<ApplicationView> {
        let principal = person(actor)?;
        let mut tx = self.store.begin().await?;
        let (application, post, _) = application_visible(&mut tx, actor, id).await?;
        if !speaks_for_requester(actor, post.cluster_id, application.organisation_id) {
            return Err(AppError::Forbidden);
        }
        if !stored::settle_application(
            &mut tx,
            id,
            "withdrawn",
            "",
            Some(principal.person_id),
            store::now_ms(),
        )
        .await?
        {
            return Err(state_conflict("application", &application.state, "withdrawn"));
        }
        let after = load_application(&mut tx, id).await?;
        Entry::by(actor, "withdraw_vie_application", "export_vie_application", id)
            .before(&application)
            .after(&after)
            .write(&mut tx)
            .await?;
        let view = application_view(&mut tx, after).await?;
        let to = host_side(&mut tx, post.created_by, post.host_id).await?;
        tx.commit().await.map_err(StoreError::from)?;
        self.mail_all(
            &to,
            &format!("Passerelle : candidature VIE retirée (« {} »)", post.title),
            &format!(
                "{} a retiré sa candidature ({} %) au VIE « {} ».\n{}/export/vie/{}\n",
                view.organisation_name, view.share, post.title, self.config.public_url, post.id
            ),
        )
        .await;
        Ok(view)
    }

    /// The host confirms the sharing: only when the accepted shares sum to exactly 100 %.
    #[tracing::instrument(skip(self, actor))]
    pub async fn confirm_vie_sharing(&self, actor: &Actor, id: i64) -> Result<ViePostView> {
        let principal = person(actor)?;
        let mut tx = self.store.begin().await?;
        post_as_host(&mut tx, actor, id).await?;
        stored::lock_post(&mut tx, id).await?;
        let before = load_post(&mut tx, id).await?;
        open_for_shares(&before)?;
        let accepted = accepted_shares(&mut tx, id).await?;
        let taken: Vec<Decimal> = accepted.iter().map(|(_, s)| *s).collect();
        rules::confirmable(&taken).map_err(|r| conflict(r.message))?;
        let at = store::now_ms();
        if !stored::confirm_post(&mut tx, id, Some(principal.person_id), at).await? {
            return Err(state_conflict("post", "confirmed or withdrawn", "confirmed"));
        }
        // Nothing is left to share: the applications still waiting are closed now.
        let waiting: Vec<VieApplication> = stored::applications(&mut tx, id, None)
            .await?
            .into_iter()
            .filter(|a| a.state == "pending")
            .collect();
        let closed = "Le partage du poste est confirmé : il ne reste plus de part à attribuer.";
        stored::decline_pending_applications(&mut tx, id, closed, Some(principal.person_id), at).await?;
        let after = load_post(&mut tx, id).await?;
        Entry::by(actor, "confirm_vie_sharing", "export_vie_post", id)
            .before(&before)
            .after(&after)
            .write(&mut tx)
            .await?;
        let mut to = host_side(&mut tx, after.created_by, after.host_id).await?;
        for (a, _) in &accepted {
            to.extend(requester_side(&mut tx, a.applied_by, a.organisation_id).await?);
        }
        let mut waiting_to = Vec::new();
        for a in &waiting {
            waiting_to.extend(requester_side(&mut tx, a.applied_by, a.organisation_id).await?);
        }
        let view = post_view(&mut tx, actor, after).await?;
        tx.commit().await.map_err(StoreError::from)?;
        let lines: Vec<String> = view
            .shares
            .iter()
            .map(|s| {
                format!(
                    "- {} : {} % soit {} EUR par mois",
                    s.organisation_name, s.share, s.monthly_part
                )
            })
            .collect();
        self.mail_all(
            &to,
            &format!("Passerelle : partage du VIE « {} » confirmé", view.title),
            &format!(
                "Le partage du VIE « {} » est confirmé ({} EUR par mois) :\n{}\n",
                view.title,
                view.monthly_cost,
                lines.join("\n")
            ),
        )
        .await;
        self.mail_all(
            &waiting_to,
            &format!("Passerelle : candidature VIE close (« {} »)", view.title),
            &format!(
                "{closed}\nVotre candidature au VIE « {} » est close.\n{}/export/vie/{id}\n",
                view.title, self.config.public_url
            ),
        )
        .await;
        Ok(view)
    }
}

fn open_for_shares(post: &ViePost) -> Result<()> {
    if post.withdrawn_at.is_some() {
        return Err(state_conflict("post", "withdrawn", "shared"));
    }
    if post.confirmed_at.is_some() {
        return Err(conflict(
            "the sharing of this post is confirmed: its shares no longer change",
        ));
    }
    Ok(())
}

async fn load_post(conn: &mut Conn, id: i64) -> Result<ViePost> {
    stored::post(conn, id)
        .await?
        .ok_or(AppError::NotFound("VIE post"))
}

async fn load_application(conn: &mut Conn, id: i64) -> Result<VieApplication> {
    stored::application(conn, id)
        .await?
        .ok_or(AppError::NotFound("application"))
}

/// The post, if the actor may know it exists (404 otherwise), and whether they host it.
async fn post_visible(conn: &mut Conn, actor: &Actor, id: i64) -> Result<ViePost> {
    person(actor)?;
    let post = load_post(conn, id).await?;
    offer_access(actor, post.cluster_id, post.host_id, "VIE post")?;
    Ok(post)
}

/// The post for a host's change: 404 for who may not see it, 403 for readers who do not host.
async fn post_as_host(conn: &mut Conn, actor: &Actor, id: i64) -> Result<ViePost> {
    person(actor)?;
    let post = load_post(conn, id).await?;
    as_host(offer_access(actor, post.cluster_id, post.host_id, "VIE post")?)?;
    Ok(post)
}

async fn application_visible(
    conn: &mut Conn,
    actor: &Actor,
    id: i64,
) -> Result<(VieApplication, ViePost, bool)> {
    person(actor)?;
    let application = load_application(conn, id).await?;
    let post = load_post(conn, application.post_id).await?;
    let is_host = request_access(
        actor,
        post.cluster_id,
        post.host_id,
        application.organisation_id,
        "application",
    )?;
    Ok((application, post, is_host))
}

/// The accepted applications and their shares, oldest first.
async fn accepted_shares(conn: &mut Conn, post_id: i64) -> Result<Vec<(VieApplication, Decimal)>> {
    let mut out = Vec::new();
    for a in stored::applications(conn, post_id, None).await? {
        if a.state == "accepted" {
            let share = stored_decimal(&a.share)?;
            out.push((a, share));
        }
    }
    Ok(out)
}

async fn application_view(conn: &mut Conn, a: VieApplication) -> Result<ApplicationView> {
    Ok(ApplicationView {
        organisation_name: organisation_name(conn, a.organisation_id).await?,
        id: a.id,
        post_id: a.post_id,
        organisation_id: a.organisation_id,
        share: a.share,
        tasks: a.tasks,
        state: a.state,
        answer: a.answer,
        created_at: a.created_at,
        decided_at: a.decided_at,
    })
}

/// Money to the cent, always with its two decimals: `4200.00`, `4200.50`.
fn to_the_cent(amount: Decimal) -> String {
    let mut amount = amount.round_dp(rules::MONEY_DECIMALS);
    amount.rescale(rules::MONEY_DECIMALS);
    amount.to_string()
}

pub(super) async fn post_view(conn: &mut Conn, actor: &Actor, p: ViePost) -> Result<ViePostView> {
    let principal = person(actor)?;
    let is_host = hosts(actor, p.cluster_id, p.host_id);
    let accepted = accepted_shares(conn, p.id).await?;
    let taken: Vec<Decimal> = accepted.iter().map(|(_, s)| *s).collect();
    let cost = stored_decimal(&p.monthly_cost)?;
    let split = rules::split_cost(cost, &taken).map_err(|r| AppError::Internal(r.to_string()))?;
    // Who shares and what each pays is for the host side and the sharers; the rest of the cluster
    // sees how much is shared and what is left.
    let sharer = accepted
        .iter()
        .any(|(a, _)| a.organisation_id == principal.organisation_id)
        && speaks_for_requester(actor, p.cluster_id, principal.organisation_id);
    let mut shares = Vec::new();
    if is_host || sharer {
        for ((a, share), part) in accepted.iter().zip(&split.parts) {
            shares.push(ShareLine {
                application_id: a.id,
                organisation_id: a.organisation_id,
                organisation_name: organisation_name(conn, a.organisation_id).await?,
                share: share.normalize().to_string(),
                monthly_part: to_the_cent(*part),
            });
        }
    }
    let own = if is_host {
        None
    } else {
        Some(principal.organisation_id)
    };
    let mut applications = Vec::new();
    if is_host || speaks_for_requester(actor, p.cluster_id, principal.organisation_id) {
        for a in stored::applications(conn, p.id, own).await? {
            applications.push(application_view(conn, a).await?);
        }
    }
    let open = p.withdrawn_at.is_none() && p.confirmed_at.is_none();
    Ok(ViePostView {
        host_name: organisation_name(conn, p.host_id).await?,
        country_name: country_name(&p.country),
        shared: taken.iter().sum::<Decimal>().normalize().to_string(),
        remaining: rules::remaining(&taken).normalize().to_string(),
        unshared_part: to_the_cent(split.unshared),
        may_apply: open && requester(actor, p.cluster_id, p.host_id).is_ok(),
        confirmed: p.confirmed_at.is_some(),
        withdrawn: p.withdrawn_at.is_some(),
        monthly_cost: to_the_cent(cost),
        id: p.id,
        cluster_id: p.cluster_id,
        host_id: p.host_id,
        title: p.title,
        country: p.country,
        city: p.city,
        mission: p.mission,
        starts_on: p.starts_on,
        duration_months: p.duration_months,
        is_host,
        shares,
        applications,
    })
}
