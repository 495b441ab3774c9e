//! The qualification criteria: read by anyone of the cluster, kept by its staff; a criterion left
//! out is retired, never deleted, so that the evidence and opinions given on it keep their meaning.

use super::*;

impl App {
    /// The cluster's qualification criteria, active first; anyone of the cluster reads them.
    pub async fn qualification_criteria(&self, actor: &Actor, cluster_id: i64) -> Result<Vec<Criterion>> {
        let mut conn = self.store.conn().await?;
        cluster_of_viewer(&mut conn, actor, cluster_id).await?;
        Ok(stored::criteria(&mut conn, cluster_id).await?)
    }

    /// Replaces the cluster's active criteria by `inputs`, in their order (staff). Existing ones
    /// are named by id; those left out are retired, never deleted.
    #[tracing::instrument(skip(self, actor, inputs))]
    pub async fn set_qualification_criteria(
        &self,
        actor: &Actor,
        cluster_id: i64,
        inputs: &[CriterionInput],
    ) -> Result<Vec<Criterion>> {
        let mut tx = self.store.begin().await?;
        clusters::get(&mut tx, cluster_id)
            .await?
            .ok_or(AppError::NotFound("cluster"))?;
        manage(actor, cluster_id)?;
        let before = stored::criteria(&mut tx, cluster_id).await?;
        let mut issues = Vec::new();
        if inputs.len() > MAX_CRITERIA {
            issues.push(FieldError::new(
                "criteria",
                format!("at most {MAX_CRITERIA} criteria"),
            ));
        }
        let mut checked = Vec::new();
        let mut names = std::collections::HashSet::new();
        let mut ids = std::collections::HashSet::new();
        for (i, input) in inputs.iter().enumerate() {
            if let Some(id) = input.id {
                if !before.iter().any(|k| k.id == id) {
                    issues.push(FieldError::new(
                        &format!("criteria[{i}].id"),
                        format!("the cluster has no criterion {id}"),
                    ));
                } else if !ids.insert(id) {
                    issues.push(FieldError::new(
                        &format!("criteria[{i}].id"),
                        format!("criterion {id} is given twice"),
                    ));
                }
            }
            let name = match domain::text::required("name", &input.name, NAME_CHARS) {
                Ok(name) => name,
                Err(e) => {
                    issues.push(FieldError::new(&format!("criteria[{i}].name"), e));
                    continue;
                }
            };
            if !names.insert(domain::text::search_key(&name)) {
                issues.push(FieldError::new(
                    &format!("criteria[{i}].name"),
                    format!("'{name}' is named twice"),
                ));
            }
            let description =
                match domain::text::multiline("description", &input.description, DESCRIPTION_CHARS) {
                    Ok(d) => d.unwrap_or_default(),
                    Err(e) => {
                        issues.push(FieldError::new(&format!("criteria[{i}].description"), e));
                        continue;
                    }
                };
            checked.push((input.id, name, description));
        }
        if !issues.is_empty() {
            return Err(AppError::Invalid(issues));
        }
        let now = store::now_ms();
        let by = crate::actor::actor_id(actor);
        for (position, (id, name, description)) in (1..).zip(&checked) {
            match id {
                Some(id) => {
                    stored::update_criterion(
                        &mut tx,
                        cluster_id,
                        *id,
                        position,
                        name,
                        description,
                        true,
                        by,
                        now,
                    )
                    .await?;
                }
                None => {
                    stored::insert_criterion(&mut tx, cluster_id, position, name, description, by, now)
                        .await?;
                }
            }
        }
        let kept: Vec<i64> = checked.iter().filter_map(|(id, ..)| *id).collect();
        for retired in before.iter().filter(|k| k.active && !kept.contains(&k.id)) {
            stored::update_criterion(
                &mut tx,
                cluster_id,
                retired.id,
                retired.position,
                &retired.name,
                &retired.description,
                false,
                by,
                now,
            )
            .await?;
        }
        let after = stored::criteria(&mut tx, cluster_id).await?;
        Entry::by(actor, "set_qualification_criteria", "cluster", cluster_id)
            .before(&before)
            .after(&after)
            .write(&mut tx)
            .await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(after)
    }
}
