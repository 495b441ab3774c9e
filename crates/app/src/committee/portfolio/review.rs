//! Reviewing an application: the staff name independent reviewers, who give an opinion per
//! criterion; the staff decide once and the applicant is told by e-mail.

use super::*;

impl App {
    /// The staff name an application's reviewers, replacing the previous list: people of the
    /// cluster's member organisations or its staff, not of the applicant. Naming the first puts a
    /// submitted application under review. Returns the reviewers' ids.
    #[tracing::instrument(skip(self, actor, person_ids))]
    pub async fn name_qualification_reviewers(
        &self,
        actor: &Actor,
        id: i64,
        person_ids: &[i64],
    ) -> Result<Vec<i64>> {
        let mut tx = self.store.begin().await?;
        let application = load_application(&mut tx, id).await?;
        manage(actor, application.cluster_id).map_err(|_| AppError::NotFound("application"))?;
        if !["submitted", "under_review"].contains(&application.state.as_str()) {
            return Err(state_message(&application, "given reviewers"));
        }
        let mut issues = Vec::new();
        if person_ids.is_empty() {
            issues.push(FieldError::new("person_ids", "name at least one reviewer"));
        }
        if person_ids.len() > MAX_REVIEWERS {
            issues.push(FieldError::new(
                "person_ids",
                format!("at most {MAX_REVIEWERS} reviewers"),
            ));
        }
        for (i, person_id) in person_ids.iter().enumerate() {
            let field = format!("person_ids[{i}]");
            if person_ids[..i].contains(person_id) {
                issues.push(FieldError::new(
                    &field,
                    format!("person {person_id} is named twice"),
                ));
                continue;
            }
            match people::get(&mut tx, *person_id).await? {
                None => issues.push(FieldError::new(&field, format!("no person {person_id}"))),
                Some(p) if p.organisation_id == application.organisation_id => issues.push(FieldError::new(
                    &field,
                    "works for the applicant: a reviewer must be independent of it",
                )),
                Some(p) if !may_review_in(&mut tx, &p, application.cluster_id).await? => {
                    issues.push(FieldError::new(
                        &field,
                        "is neither staff nor of a member organisation of the cluster",
                    ))
                }
                Some(_) => {}
            }
        }
        if !issues.is_empty() {
            return Err(AppError::Invalid(issues));
        }
        let before = stored::reviewers(&mut tx, id).await?;
        let now = store::now_ms();
        let by = crate::actor::actor_id(actor);
        for gone in before.iter().filter(|p| !person_ids.contains(p)) {
            stored::remove_reviewer(&mut tx, id, *gone).await?;
        }
        for person_id in person_ids {
            stored::name_reviewer(&mut tx, id, *person_id, by, now).await?;
        }
        if application.state == "submitted"
            && !stored::change_state(&mut tx, id, "submitted", "under_review", now).await?
        {
            return Err(conflict("the application changed meanwhile; reload it"));
        }
        let after = stored::reviewers(&mut tx, id).await?;
        Entry::by(actor, "name_reviewers", "qualification_application", id)
            .before(&(&application.state, &before))
            .after(&("under_review", &after))
            .write(&mut tx)
            .await?;
        let mut newly_named = Vec::new();
        for person_id in after.iter().filter(|p| !before.contains(p)) {
            if let Some(person) = people::get(&mut tx, *person_id).await? {
                newly_named.push(person.email);
            }
        }
        let applicant = organisation_name(&mut tx, application.organisation_id).await?;
        tx.commit().await.map_err(StoreError::from)?;
        // Reviewers may be people of any member organisation: the letter is how they learn of it.
        let url = format!(
            "{}/qualification/applications/{id}",
            self.config.public_url.trim_end_matches('/')
        );
        let body = format!(
            "Vous êtes nommé(e) relecteur de la demande de qualification de {applicant} : {url}\n\n\
             You have been named a reviewer of {applicant}'s qualification application: {url}\n"
        );
        self.mail_all(&newly_named, "Qualification : relecture / Review", &body)
            .await;
        Ok(after)
    }

    /// Names reviewers given by e-mail address, as the staff's page takes them (one a line).
    pub async fn name_qualification_reviewers_by_email(
        &self,
        actor: &Actor,
        id: i64,
        emails: &[String],
    ) -> Result<Vec<i64>> {
        let mut conn = self.store.conn().await?;
        let application = load_application(&mut conn, id).await?;
        manage(actor, application.cluster_id).map_err(|_| AppError::NotFound("application"))?;
        let mut ids = Vec::new();
        let mut issues = Vec::new();
        for (i, email) in emails.iter().enumerate() {
            match people::by_email(&mut conn, &email.trim().to_lowercase()).await? {
                // The page's field is named after the addresses, not the ids.
                Some(p) if ids.contains(&p.id) => issues.push(FieldError::new(
                    &format!("reviewers[{i}]"),
                    format!("'{}' is named twice", excerpt(email.trim())),
                )),
                Some(p) => ids.push(p.id),
                None => issues.push(FieldError::new(
                    &format!("reviewers[{i}]"),
                    format!("nobody has the address '{}'", excerpt(email.trim())),
                )),
            }
        }
        if !issues.is_empty() {
            return Err(AppError::Invalid(issues));
        }
        drop(conn);
        self.name_qualification_reviewers(actor, id, &ids).await
    }

    /// A named reviewer gives opinions on criteria (met or not, with a comment); all are saved or
    /// none. Returns the reviewer's opinions on the application.
    #[tracing::instrument(skip(self, actor, inputs))]
    pub async fn give_qualification_opinions(
        &self,
        actor: &Actor,
        id: i64,
        inputs: &[OpinionInput],
    ) -> Result<Vec<Opinion>> {
        let mut tx = self.store.begin().await?;
        let application = load_application(&mut tx, id).await?;
        let Actor::Person(principal) = actor else {
            return Err(AppError::Unauthenticated);
        };
        let named = stored::reviewers(&mut tx, id)
            .await?
            .contains(&principal.person_id);
        authorize(actor, &Action::ReviewQualification { named }).map_err(|d| {
            // The staff and the applicant know the application exists: they are told no, not 404.
            if standing_known(actor, &application) {
                AppError::Forbidden
            } else {
                AppError::hiding(d, "application")
            }
        })?;
        if application.state != "under_review" {
            return Err(state_message(&application, "reviewed"));
        }
        let active = active_criteria(&mut tx, application.cluster_id).await?;
        let mut issues = Vec::new();
        let mut checked = Vec::new();
        if inputs.is_empty() {
            issues.push(FieldError::new("opinions", "give at least one opinion"));
        }
        for (i, input) in inputs.iter().enumerate() {
            if !active.contains(&input.criterion_id) {
                issues.push(unknown_criterion(
                    &format!("opinions[{i}].criterion_id"),
                    input.criterion_id,
                ));
                continue;
            }
            match domain::text::multiline("comment", &input.comment, COMMENT_CHARS) {
                Ok(comment) => checked.push((input.criterion_id, input.met, comment.unwrap_or_default())),
                Err(e) => issues.push(FieldError::new(&format!("opinions[{i}].comment"), e)),
            }
        }
        if !issues.is_empty() {
            return Err(AppError::Invalid(issues));
        }
        let now = store::now_ms();
        for (criterion_id, met, comment) in &checked {
            let saved = stored::save_opinion(
                &mut tx,
                id,
                principal.person_id,
                *criterion_id,
                *met,
                comment,
                now,
            )
            .await?;
            if !saved {
                return Err(conflict("the application changed meanwhile; reload it"));
            }
        }
        let mine: Vec<Opinion> = stored::opinions(&mut tx, id)
            .await?
            .into_iter()
            .filter(|o| o.person_id == principal.person_id)
            .collect();
        Entry::by(actor, "give_opinions", "qualification_application", id)
            .after(&mine)
            .write(&mut tx)
            .await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(mine)
    }

    /// The staff decide on a submitted or reviewed application, once: qualified until a renewal
    /// date after today, or refused with a reason. The applicant's people are told by e-mail.
    #[tracing::instrument(skip(self, actor, input))]
    pub async fn decide_qualification(
        &self,
        actor: &Actor,
        id: i64,
        input: &DecisionInput,
    ) -> Result<Application> {
        let mut tx = self.store.begin().await?;
        let application = load_application(&mut tx, id).await?;
        let cluster_id = application.cluster_id;
        authorize(actor, &Action::ManagePortfolio { cluster_id }).map_err(|d| {
            if standing_known(actor, &application) {
                AppError::from(d)
            } else {
                AppError::hiding(d, "application")
            }
        })?;
        let mut issues = Vec::new();
        let (renewal_on, reason) = match input.outcome.as_str() {
            "qualified" => match parse_date("renewal_on", &input.renewal_on) {
                Ok(date) if date <= today() => {
                    issues.push(FieldError::new(
                        "renewal_on",
                        "the renewal date must be after today",
                    ));
                    (None, None)
                }
                Ok(date) if date > today().saturating_add(jiff::Span::new().years(MAX_RENEWAL_YEARS)) => {
                    issues.push(FieldError::new(
                        "renewal_on",
                        format!("a qualification is renewed within {MAX_RENEWAL_YEARS} years"),
                    ));
                    (None, None)
                }
                Ok(date) => (Some(iso(date)), None),
                Err(e) => {
                    issues.push(e);
                    (None, None)
                }
            },
            "refused" => match domain::text::multiline("reason", &input.reason, REASON_CHARS) {
                Ok(Some(reason)) => (None, Some(reason)),
                Ok(None) => {
                    issues.push(FieldError::new("reason", "say why the application is refused"));
                    (None, None)
                }
                Err(e) => {
                    issues.push(FieldError::new("reason", e));
                    (None, None)
                }
            },
            _ => {
                issues.push(FieldError::new("outcome", "is qualified or refused"));
                (None, None)
            }
        };
        if !issues.is_empty() {
            return Err(AppError::Invalid(issues));
        }
        if !["submitted", "under_review"].contains(&application.state.as_str()) {
            return Err(state_message(&application, "decided"));
        }
        let decided = stored::decide(
            &mut tx,
            id,
            &input.outcome,
            renewal_on.as_deref(),
            reason.as_deref(),
            crate::actor::actor_id(actor),
            store::now_ms(),
        )
        .await?;
        if !decided {
            return Err(conflict(
                "the application was decided or withdrawn meanwhile; reload it",
            ));
        }
        let after = load_application(&mut tx, id).await?;
        Entry::by(actor, "decide_qualification", "qualification_application", id)
            .before(&application)
            .after(&after)
            .write(&mut tx)
            .await?;
        let addresses = crate::committee::addresses_of(&mut tx, &[application.organisation_id]).await?;
        tx.commit().await.map_err(StoreError::from)?;
        let (subject, body) = decision_letter(&after, &self.application_url(id));
        self.mail_all(&addresses, &subject, &body).await;
        Ok(after)
    }

    fn application_url(&self, id: i64) -> String {
        format!(
            "{}/qualification/applications/{id}",
            self.config.public_url.trim_end_matches('/')
        )
    }
}

/// Whether a person may review applications in the cluster: one of its staff, or a person of a
/// current member organisation.
async fn may_review_in(conn: &mut Conn, person: &store::records::Person, cluster_id: i64) -> Result<bool> {
    // The principal's clusters are its organisation's memberships.
    Ok(crate::actor::load_principal(conn, person.id)
        .await?
        .is_some_and(|p| p.is_cluster_admin_of(cluster_id) || p.clusters.contains(&cluster_id)))
}

/// Whether the actor is someone who knows the application exists (its staff or its applicant),
/// to whom a refusal says "no" rather than "not found".
fn standing_known(actor: &Actor, application: &Application) -> bool {
    let cluster_id = application.cluster_id;
    authorize(actor, &Action::ManagePortfolio { cluster_id }).is_ok()
        || authorize(
            actor,
            &Action::ApplyForQualification {
                cluster_id,
                organisation_id: application.organisation_id,
            },
        )
        .is_ok()
}

/// The e-mail telling the applicant the decision, in French then English.
fn decision_letter(application: &Application, url: &str) -> (String, String) {
    let subject = "Qualification fournisseur : décision / Supplier qualification: decision".to_owned();
    let body = match application.state.as_str() {
        "qualified" => {
            let renewal = application.renewal_on.clone().unwrap_or_default();
            format!(
                "Votre organisation est qualifiée et entre dans le portefeuille de fournisseurs du pôle \
                 jusqu'au {renewal} (date de renouvellement).\n\n\
                 Your organisation is qualified and joins the cluster's supplier portfolio until {renewal} \
                 (renewal date).\n{url}\n"
            )
        }
        _ => {
            let reason = application.refusal_reason.clone().unwrap_or_default();
            format!(
                "Votre demande de qualification n'est pas retenue.\nMotif : {reason}\n\n\
                 Your qualification application is refused.\nReason: {reason}\n{url}\n"
            )
        }
    };
    (subject, body)
}
