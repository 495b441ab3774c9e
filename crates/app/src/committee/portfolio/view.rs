//! Reading the portfolio (in full or as a summary) and listing a supplier from it on a
//! subscribed buyer's own list.

use super::*;

impl App {
    /// The cluster's portfolio: in full for the staff and the people of a subscribed organisation,
    /// its summary only for the rest of the cluster.
    pub async fn portfolio(&self, actor: &Actor, cluster_id: i64) -> Result<PortfolioView> {
        let mut conn = self.store.conn().await?;
        cluster_of_viewer(&mut conn, actor, cluster_id).await?;
        let today = iso(today());
        let subscribed = match actor {
            Actor::Person(p) => stored::subscribed(&mut conn, cluster_id, p.organisation_id, &today).await?,
            Actor::Visitor => false,
        };
        let full = authorize(
            actor,
            &Action::ViewPortfolio {
                cluster_id,
                subscribed,
            },
        )
        .is_ok();
        let qualified = stored::qualified(&mut conn, cluster_id, &today).await?;
        let summary = summarise(&qualified);
        let suppliers = if full {
            let criteria = stored::criteria(&mut conn, cluster_id).await?;
            let mut entries = Vec::with_capacity(qualified.len());
            for q in qualified {
                let opinions = stored::opinions(&mut conn, q.application_id).await?;
                let on_my_list = match actor {
                    Actor::Person(p) => {
                        store::committee::listings::open(&mut conn, p.organisation_id, q.organisation_id)
                            .await?
                            .is_some()
                    }
                    Actor::Visitor => false,
                };
                entries.push(PortfolioEntry {
                    organisation_id: q.organisation_id,
                    name: q.legal_name,
                    naf_code: q.naf_code,
                    region_code: q.region_code,
                    size: q.size,
                    qualified_on: day_of(q.decided_at),
                    renewal_on: q.renewal_on,
                    criteria_met: criteria_met(&criteria, &opinions),
                    on_my_list,
                });
            }
            Some(entries)
        } else {
            None
        };
        Ok(PortfolioView {
            cluster_id,
            summary,
            suppliers,
        })
    }

    /// A subscribed buyer lists a supplier of the cluster's portfolio on its own supplier list
    /// (origin "portfolio"): its buyers and admins, while the subscription is in force and the
    /// supplier's qualification has not lapsed. Returns the new listing.
    #[tracing::instrument(skip(self, actor, note))]
    pub async fn list_from_portfolio(
        &self,
        actor: &Actor,
        cluster_id: i64,
        supplier_id: i64,
        note: &str,
    ) -> Result<store::committee::listings::Listing> {
        let Actor::Person(principal) = actor else {
            return Err(AppError::Unauthenticated);
        };
        let mut tx = self.store.begin().await?;
        cluster_of_viewer(&mut tx, actor, cluster_id).await?;
        let buyer_id = principal.organisation_id;
        let buyer_clusters = clusters::of_organisation(&mut tx, buyer_id).await?;
        authorize(
            actor,
            &Action::ManageSupplierList(domain::policy::OrgFacts {
                id: buyer_id,
                clusters: &buyer_clusters,
            }),
        )?;
        let subscribed = stored::subscribed(&mut tx, cluster_id, buyer_id, &iso(today())).await?;
        if authorize(
            actor,
            &Action::ViewPortfolio {
                cluster_id,
                subscribed,
            },
        )
        .is_err()
            || !subscribed
        {
            // Not a state to wait out but a right the buyer lacks until its cluster subscribes it.
            return Err(AppError::Forbidden);
        }
        let note = domain::text::multiline("note", note, COMMENT_CHARS)
            .map_err(|e| AppError::invalid("note", e))?
            .unwrap_or_default();
        if supplier_id == buyer_id || !in_portfolio(&mut tx, cluster_id, supplier_id).await? {
            return Err(AppError::invalid(
                "supplier_id",
                format!("organisation {supplier_id} is not in the cluster's portfolio"),
            ));
        }
        let id = crate::committee::listings::record_listing(
            &mut tx,
            buyer_id,
            supplier_id,
            crate::committee::listings::Origin::Portfolio,
            &note,
            Some(principal.person_id),
            store::now_ms(),
        )
        .await?
        .ok_or_else(|| conflict("this supplier is on your list already"))?;
        let listing = store::committee::listings::get(&mut tx, id)
            .await?
            .ok_or(AppError::NotFound("listing"))?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(listing)
    }
}

/// Whether the organisation is in the cluster's portfolio today, for those who act on it.
pub(crate) async fn in_portfolio(conn: &mut Conn, cluster_id: i64, organisation_id: i64) -> Result<bool> {
    Ok(stored::qualified(conn, cluster_id, &iso(today()))
        .await?
        .iter()
        .any(|q| q.organisation_id == organisation_id))
}
