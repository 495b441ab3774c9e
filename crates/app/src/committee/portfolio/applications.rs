//! An organisation's application: opening a draft, its evidence and files, submission and
//! withdrawal, and reading it as staff, applicant or named reviewer.

use super::*;

impl App {
    /// Opens a draft application for the actor's organisation (one still being worked on at a
    /// time; a renewal is a new application).
    #[tracing::instrument(skip(self, actor))]
    pub async fn apply_for_qualification(&self, actor: &Actor, cluster_id: i64) -> Result<Application> {
        let Actor::Person(principal) = actor else {
            return Err(AppError::Unauthenticated);
        };
        let mut tx = self.store.begin().await?;
        cluster_of_viewer(&mut tx, actor, cluster_id).await?;
        let organisation_id = principal.organisation_id;
        authorize(
            actor,
            &Action::ApplyForQualification {
                cluster_id,
                organisation_id,
            },
        )?;
        // Two people of one organisation applying at once: the second waits and finds the first.
        organisations::serialize_on(&mut tx, organisation_id).await?;
        if let Some(open) = stored::open_application(&mut tx, cluster_id, organisation_id).await? {
            return Err(conflict(format!(
                "your organisation already has an application in progress (application {open})"
            )));
        }
        if stored::criteria(&mut tx, cluster_id)
            .await?
            .iter()
            .all(|k| !k.active)
        {
            return Err(conflict("the cluster has not set its qualification criteria yet"));
        }
        let id = stored::create_application(
            &mut tx,
            cluster_id,
            organisation_id,
            Some(principal.person_id),
            store::now_ms(),
        )
        .await?;
        let created = load_application(&mut tx, id).await?;
        Entry::by(actor, "apply_for_qualification", "qualification_application", id)
            .after(&created)
            .write(&mut tx)
            .await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(created)
    }

    /// The applications the actor may see in the cluster: all of them for the staff; otherwise
    /// their organisation's and those they were named to review.
    pub async fn qualification_applications(
        &self,
        actor: &Actor,
        cluster_id: i64,
    ) -> Result<Vec<ApplicationSummary>> {
        let Actor::Person(principal) = actor else {
            return Err(AppError::Unauthenticated);
        };
        let mut conn = self.store.conn().await?;
        let staff = authorize(actor, &Action::ManagePortfolio { cluster_id }).is_ok();
        let mut found: Vec<(Application, Standing)> = Vec::new();
        if staff {
            clusters::get(&mut conn, cluster_id)
                .await?
                .ok_or(AppError::NotFound("cluster"))?;
            for a in stored::applications(&mut conn, cluster_id, None).await? {
                found.push((a, Standing::Staff));
            }
        } else {
            let apply = Action::ApplyForQualification {
                cluster_id,
                organisation_id: principal.organisation_id,
            };
            if authorize(actor, &apply).is_ok() {
                for a in stored::applications(&mut conn, cluster_id, Some(principal.organisation_id)).await? {
                    found.push((a, Standing::Applicant));
                }
            }
            for a in stored::reviewed_by(&mut conn, cluster_id, principal.person_id).await? {
                if !found.iter().any(|(f, _)| f.id == a.id) {
                    found.push((a, Standing::Reviewer));
                }
            }
            if found.is_empty() {
                cluster_of_viewer(&mut conn, actor, cluster_id).await?;
            }
        }
        found.sort_by_key(|(a, _)| std::cmp::Reverse(a.id));
        let mut out = Vec::with_capacity(found.len());
        for (application, standing) in found {
            let organisation_name = organisation_name(&mut conn, application.organisation_id).await?;
            out.push(ApplicationSummary {
                application,
                organisation_name,
                standing,
            });
        }
        Ok(out)
    }

    /// One application as the actor may read it (404 for anyone else).
    pub async fn qualification_application(&self, actor: &Actor, id: i64) -> Result<ApplicationView> {
        let mut conn = self.store.conn().await?;
        let application = load_application(&mut conn, id).await?;
        let standing = standing(&mut conn, actor, &application).await?;
        self.application_view(&mut conn, actor, application, standing)
            .await
    }

    async fn application_view(
        &self,
        conn: &mut Conn,
        actor: &Actor,
        application: Application,
        standing: Standing,
    ) -> Result<ApplicationView> {
        let evidence = stored::evidence(conn, application.id).await?;
        let criteria = stored::criteria(conn, application.cluster_id)
            .await?
            .into_iter()
            .filter(|k| k.active || evidence.iter().any(|e| e.criterion_id == k.id))
            .collect();
        let mut opinions = stored::opinions(conn, application.id).await?;
        let mut reviewers = Vec::new();
        match standing {
            Standing::Staff => {
                for person_id in stored::reviewers(conn, application.id).await? {
                    if let Some(person) = people::get(conn, person_id).await? {
                        reviewers.push(Reviewer {
                            person_id,
                            name: person.full_name(),
                            organisation_name: organisation_name(conn, person.organisation_id).await?,
                        });
                    }
                }
            }
            Standing::Reviewer => {
                let me = crate::actor::actor_id(actor);
                opinions.retain(|o| Some(o.person_id) == me);
            }
            Standing::Applicant => opinions.clear(),
        }
        Ok(ApplicationView {
            organisation_name: organisation_name(conn, application.organisation_id).await?,
            files: stored::evidence_files(conn, application.id).await?,
            application,
            standing,
            criteria,
            evidence,
            reviewers,
            opinions,
        })
    }

    /// The applicant saves evidence for criteria of its draft; an empty text clears one.
    #[tracing::instrument(skip(self, actor, inputs))]
    pub async fn save_qualification_evidence(
        &self,
        actor: &Actor,
        id: i64,
        inputs: &[EvidenceInput],
    ) -> Result<ApplicationView> {
        let mut tx = self.store.begin().await?;
        let application = application_as(&mut tx, actor, id, Standing::Applicant).await?;
        if application.state != "draft" {
            return Err(state_message(&application, "edited"));
        }
        let active = active_criteria(&mut tx, application.cluster_id).await?;
        let mut issues = Vec::new();
        let mut checked = Vec::new();
        for (i, input) in inputs.iter().enumerate() {
            if !active.contains(&input.criterion_id) {
                issues.push(unknown_criterion(
                    &format!("evidence[{i}].criterion_id"),
                    input.criterion_id,
                ));
                continue;
            }
            match domain::text::multiline("text", &input.text, EVIDENCE_CHARS) {
                Ok(text) => checked.push((input.criterion_id, text)),
                Err(e) => issues.push(FieldError::new(&format!("evidence[{i}].text"), e)),
            }
        }
        if !issues.is_empty() {
            return Err(AppError::Invalid(issues));
        }
        let before = stored::evidence(&mut tx, id).await?;
        let now = store::now_ms();
        let by = crate::actor::actor_id(actor);
        for (criterion_id, text) in &checked {
            let saved = match text {
                Some(text) => stored::save_evidence(&mut tx, id, *criterion_id, text, by, now).await?,
                None => {
                    stored::clear_evidence(&mut tx, id, *criterion_id).await?;
                    true
                }
            };
            if !saved {
                return Err(conflict("the application changed meanwhile; reload it"));
            }
        }
        let after = stored::evidence(&mut tx, id).await?;
        Entry::by(actor, "save_evidence", "qualification_application", id)
            .before(&before)
            .after(&after)
            .write(&mut tx)
            .await?;
        let view = self
            .application_view(&mut tx, actor, application, Standing::Applicant)
            .await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(view)
    }

    /// The applicant attaches a file to the evidence for one criterion of its draft: type sniffed
    /// from the content, size capped, name sanitised, content stored once under its SHA-256.
    #[tracing::instrument(skip(self, actor, upload))]
    pub async fn attach_qualification_file(
        &self,
        actor: &Actor,
        id: i64,
        criterion_id: i64,
        upload: Upload,
    ) -> Result<EvidenceFile> {
        let attached = files::accept(&upload)?;
        let mut tx = self.store.begin().await?;
        let application = application_as(&mut tx, actor, id, Standing::Applicant).await?;
        if application.state != "draft" {
            return Err(state_message(&application, "edited"));
        }
        if !active_criteria(&mut tx, application.cluster_id)
            .await?
            .contains(&criterion_id)
        {
            return Err(AppError::Invalid(vec![unknown_criterion(
                "criterion_id",
                criterion_id,
            )]));
        }
        let present = stored::evidence_files(&mut tx, id).await?;
        if present.iter().any(|f| f.file.file_name == attached.file_name) {
            return Err(conflict(format!(
                "the application already holds a file named '{}'; remove it or rename yours",
                attached.file_name
            )));
        }
        if present.len() >= MAX_EVIDENCE_FILES {
            return Err(AppError::invalid(
                "file",
                format!("an application holds at most {MAX_EVIDENCE_FILES} files"),
            ));
        }
        let now = store::now_ms();
        files::put(&mut tx, &attached, &upload.bytes, now).await?;
        let by = crate::actor::actor_id(actor);
        if !stored::add_evidence_file(&mut tx, id, criterion_id, &attached, by, now).await? {
            return Err(conflict("the application changed meanwhile; reload it"));
        }
        let file = stored::evidence_files(&mut tx, id)
            .await?
            .into_iter()
            .find(|f| f.file.file_name == attached.file_name)
            .ok_or(AppError::NotFound("file"))?;
        Entry::by(actor, "attach_evidence_file", "qualification_application", id)
            .after(&file)
            .write(&mut tx)
            .await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(file)
    }

    /// The applicant removes a file from its draft's evidence.
    #[tracing::instrument(skip(self, actor))]
    pub async fn remove_qualification_file(&self, actor: &Actor, id: i64, file_name: &str) -> Result<()> {
        let mut tx = self.store.begin().await?;
        let application = application_as(&mut tx, actor, id, Standing::Applicant).await?;
        if application.state != "draft" {
            return Err(state_message(&application, "edited"));
        }
        let before = stored::evidence_files(&mut tx, id)
            .await?
            .into_iter()
            .find(|f| f.file.file_name == file_name)
            .ok_or(AppError::NotFound("file"))?;
        if !stored::remove_evidence_file(&mut tx, id, file_name).await? {
            return Err(conflict("the application changed meanwhile; reload it"));
        }
        Entry::by(actor, "remove_evidence_file", "qualification_application", id)
            .before(&before)
            .write(&mut tx)
            .await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(())
    }

    /// One evidence file, for those who may read the application, its checksum verified.
    pub async fn qualification_file(&self, actor: &Actor, id: i64, file_name: &str) -> Result<FileDownload> {
        let mut conn = self.store.conn().await?;
        let application = load_application(&mut conn, id).await?;
        standing(&mut conn, actor, &application).await?;
        let file = stored::evidence_files(&mut conn, id)
            .await?
            .into_iter()
            .find(|f| f.file.file_name == file_name)
            .ok_or(AppError::NotFound("file"))?;
        files::read_verified(&mut conn, &file.file).await
    }

    /// The applicant submits its draft: every active criterion must have evidence.
    #[tracing::instrument(skip(self, actor))]
    pub async fn submit_qualification(&self, actor: &Actor, id: i64) -> Result<Application> {
        let mut tx = self.store.begin().await?;
        let application = application_as(&mut tx, actor, id, Standing::Applicant).await?;
        if application.state != "draft" {
            return Err(state_message(&application, "submitted"));
        }
        let evidence = stored::evidence(&mut tx, id).await?;
        let missing: Vec<FieldError> = stored::criteria(&mut tx, application.cluster_id)
            .await?
            .into_iter()
            .filter(|k| k.active && !evidence.iter().any(|e| e.criterion_id == k.id))
            .map(|k| {
                FieldError::new(
                    &format!("evidence.{}", k.id),
                    format!("give your evidence for « {} » before submitting", k.name),
                )
            })
            .collect();
        if !missing.is_empty() {
            return Err(AppError::Invalid(missing));
        }
        self.move_application(tx, actor, &application, "draft", "submitted", "submit")
            .await
    }

    /// The applicant withdraws an application not yet decided.
    #[tracing::instrument(skip(self, actor))]
    pub async fn withdraw_qualification(&self, actor: &Actor, id: i64) -> Result<Application> {
        let mut tx = self.store.begin().await?;
        let application = application_as(&mut tx, actor, id, Standing::Applicant).await?;
        if !stored::OPEN_STATES.contains(&application.state.as_str()) {
            return Err(state_message(&application, "withdrawn"));
        }
        let from = application.state.clone();
        self.move_application(tx, actor, &application, &from, "withdrawn", "withdraw")
            .await
    }

    /// A guarded state change, audited and committed.
    async fn move_application(
        &self,
        mut tx: store::Tx,
        actor: &Actor,
        application: &Application,
        from: &str,
        to: &str,
        action: &str,
    ) -> Result<Application> {
        if !stored::change_state(&mut tx, application.id, from, to, store::now_ms()).await? {
            return Err(conflict("the application changed meanwhile; reload it"));
        }
        let after = load_application(&mut tx, application.id).await?;
        Entry::by(actor, action, "qualification_application", application.id)
            .before(&application.state)
            .after(&after.state)
            .write(&mut tx)
            .await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(after)
    }
}
