//! Opportunities: entering and editing them, reading them, and the teams proposed for them.

use domain::committee::paris;
use domain::org::OrgSize;
use domain::policy::{Action, Actor, Principal, authorize};
use domain::teams::{self, Candidate, TeamError, TeamRequest};
use serde::{Deserialize, Serialize};
use store::consortia::{self as stored, Consortium, Lot, Opportunity, OpportunityFields};
use store::{Conn, StoreError, clusters};

use super::{
    Brings, DEFAULT_TEAM_MEMBERS, LotInput, MAX_TEAM_MEMBERS, RequirementView, TEAMS_SHOWN, check_lots,
    requirement_views,
};
use crate::audit::Entry;
use crate::committee::{LoadedCall, instant, load_call, organisation_name};
use crate::{App, AppError, FieldError, Result};

const TITLE_CHARS: usize = 300;
const BUYER_CHARS: usize = 200;
const URL_CHARS: usize = 2_000;
const DESCRIPTION_CHARS: usize = 8_000;

/// An opportunity as someone enters it: `call_id` for one of the cluster's calls (title, buyer and
/// deadline then come from the call), otherwise an external tender with its title, buyer, URL and
/// deadline (`YYYY-MM-DDTHH:MM`, Paris time).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct OpportunityInput {
    pub call_id: Option<i64>,
    pub title: String,
    pub buyer: String,
    pub url: String,
    pub deadline: String,
    pub description: String,
    pub lots: Vec<LotInput>,
}

/// An opportunity as its readers see it.
#[derive(Debug, Clone, Serialize)]
pub struct OpportunityView {
    pub opportunity: Opportunity,
    /// The organisation that entered it.
    pub entered_by: String,
    /// The call's state when linked (published, closed…).
    pub call_state: Option<String>,
    pub deadline_paris: Option<String>,
    /// The deadline as a form field reads it (`YYYY-MM-DDTHH:MM`).
    pub deadline_input: String,
    pub lots: Vec<Lot>,
    pub requirements: Vec<RequirementView>,
    /// Whether the viewer may edit it.
    pub editable: bool,
    /// Whether the viewer may form a consortium for it.
    pub may_form: bool,
    /// The consortia for it the viewer's organisation belongs to or is invited to.
    pub my_consortia: Vec<Consortium>,
}

#[derive(Debug, Clone, Serialize)]
pub struct OpportunitySummary {
    pub opportunity: Opportunity,
    pub deadline_paris: Option<String>,
    pub lots: usize,
    pub requirements: usize,
}

/// What a team search asks for: `k` members at most (1 to 8, 4 when not given), and whether teams
/// with a large account or an ETI that may lead come first.
#[derive(Debug, Clone, Copy, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct TeamQuery {
    pub k: Option<i64>,
    pub prefer_lead: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct TeamMemberView {
    pub organisation_id: i64,
    pub name: String,
    pub size: Option<String>,
    pub headcount: i64,
    pub can_lead: bool,
    pub lead: bool,
    /// Indexes of the requirements this member covers in the team.
    pub covers: Vec<usize>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TeamView {
    pub rank: usize,
    pub members: Vec<TeamMemberView>,
    pub cost: u64,
    pub headcount: u64,
    /// For each requirement (by index), who covers it.
    pub cover: Vec<Vec<String>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TeamsView {
    pub opportunity_id: i64,
    pub k: usize,
    pub prefer_lead: bool,
    pub min_headcount: i64,
    pub requirements: Vec<RequirementView>,
    pub teams: Vec<TeamView>,
    /// Requirements no member of the cluster covers.
    pub uncovered: Vec<RequirementView>,
    /// Whether the first team is proven the best (exact search).
    pub exact: bool,
}

pub(crate) fn principal(actor: &Actor) -> Result<&Principal> {
    match actor {
        Actor::Person(p) => Ok(p),
        Actor::Visitor => Err(AppError::Unauthenticated),
    }
}

/// The opportunity, if the actor may read it: its cluster's participants and staff, and for a
/// linked call only those who may see the call. Anyone else finds nothing.
pub(crate) async fn readable(conn: &mut Conn, actor: &Actor, id: i64) -> Result<Opportunity> {
    principal(actor)?;
    let opportunity = stored::opportunity(conn, id)
        .await?
        .ok_or(AppError::NotFound("opportunity"))?;
    authorize(
        actor,
        &Action::ViewOpportunities {
            cluster_id: opportunity.cluster_id,
        },
    )
    .map_err(|d| AppError::hiding(d, "opportunity"))?;
    if let Some(call_id) = opportunity.fields.call_id {
        let loaded = load_call(conn, call_id).await?;
        authorize(actor, &Action::ViewCall(loaded.facts()))
            .map_err(|d| AppError::hiding(d, "opportunity"))?;
    }
    Ok(opportunity)
}

fn may_edit(actor: &Actor, opportunity: &Opportunity) -> bool {
    authorize(
        actor,
        &Action::EnterOpportunity {
            cluster_id: opportunity.cluster_id,
            organisation_id: opportunity.organisation_id,
        },
    )
    .is_ok()
}

/// The call an opportunity links, if the actor may see it and it is of the same cluster and
/// published (a draft or a cancelled call answers nobody).
async fn linkable_call(conn: &mut Conn, actor: &Actor, cluster_id: i64, call_id: i64) -> Result<LoadedCall> {
    let unknown = || {
        AppError::invalid(
            "call_id",
            format!("call {call_id} is not one of this cluster's calls you may see"),
        )
    };
    let loaded = match load_call(conn, call_id).await {
        Ok(loaded) => loaded,
        Err(AppError::NotFound(_)) => return Err(unknown()),
        Err(e) => return Err(e),
    };
    if loaded.call.cluster_id != cluster_id || authorize(actor, &Action::ViewCall(loaded.facts())).is_err() {
        return Err(unknown());
    }
    if loaded.state == domain::committee::CallState::Draft
        || loaded.state == domain::committee::CallState::Cancelled
    {
        return Err(AppError::invalid("call_id", "this call is not published"));
    }
    Ok(loaded)
}

/// Validates an opportunity against its cluster; the lots come checked.
async fn check(
    conn: &mut Conn,
    actor: &Actor,
    cluster_id: i64,
    input: &OpportunityInput,
) -> Result<(OpportunityFields, Vec<Lot>)> {
    let mut errors: Vec<FieldError> = Vec::new();
    let description = domain::text::multiline("description", &input.description, DESCRIPTION_CHARS)
        .map_err(|e| errors.push(FieldError::new("description", e)))
        .ok()
        .flatten()
        .unwrap_or_default();
    let (fields, default_names) = match input.call_id {
        Some(call_id) => {
            let loaded = linkable_call(conn, actor, cluster_id, call_id).await?;
            let names = store::committee::calls::parts(conn, call_id)
                .await?
                .lots
                .into_iter()
                .map(|l| l.name)
                .collect();
            let buyer = organisation_name(conn, loaded.call.buyer_id).await?;
            (
                OpportunityFields {
                    call_id: Some(call_id),
                    title: loaded.call.fields.title.clone(),
                    buyer,
                    url: String::new(),
                    description,
                    deadline_at: Some(loaded.call.closes_at),
                },
                names,
            )
        }
        None => {
            let mut text = |field: &'static str, value: &str, max: usize, required: bool| {
                let checked = if required {
                    domain::text::required(field, value, max).map(Some)
                } else {
                    domain::text::optional(field, value, max)
                };
                checked
                    .map_err(|e| errors.push(FieldError::new(field, e)))
                    .ok()
                    .flatten()
                    .unwrap_or_default()
            };
            let title = text("title", &input.title, TITLE_CHARS, true);
            let buyer = text("buyer", &input.buyer, BUYER_CHARS, true);
            let url = text("url", &input.url, URL_CHARS, false);
            let web_address = url.starts_with("https://") || url.starts_with("http://");
            if !url.is_empty() && !web_address {
                errors.push(FieldError::new(
                    "url",
                    "a web address starts with https:// or http://",
                ));
            }
            let deadline_at = if input.deadline.trim().is_empty() {
                errors.push(FieldError::new(
                    "deadline",
                    "deadline is required (YYYY-MM-DDTHH:MM, Paris time)",
                ));
                None
            } else {
                match paris::parse_local(&input.deadline) {
                    Ok(at) => Some(at.as_millisecond()),
                    Err(e) => {
                        errors.push(FieldError::new("deadline", e));
                        None
                    }
                }
            };
            (
                OpportunityFields {
                    call_id: None,
                    title,
                    buyer,
                    url,
                    description,
                    deadline_at,
                },
                Vec::new(),
            )
        }
    };
    let lots = match check_lots(&input.lots, &default_names) {
        Ok(lots) => lots,
        Err(AppError::Invalid(more)) => {
            errors.extend(more);
            Vec::new()
        }
        Err(e) => return Err(e),
    };
    if errors.is_empty() {
        Ok((fields, lots))
    } else {
        Err(AppError::Invalid(errors))
    }
}

fn deadline_paris(opportunity: &Opportunity) -> Option<String> {
    opportunity
        .fields
        .deadline_at
        .map(|ms| paris::display(instant(ms)))
}

impl App {
    /// The cluster's opportunities the actor may read, newest first.
    pub async fn opportunities(&self, actor: &Actor, cluster_id: i64) -> Result<Vec<OpportunitySummary>> {
        principal(actor)?;
        let mut conn = self.store.conn().await?;
        clusters::get(&mut conn, cluster_id)
            .await?
            .ok_or(AppError::NotFound("cluster"))?;
        authorize(actor, &Action::ViewOpportunities { cluster_id })
            .map_err(|d| AppError::hiding(d, "cluster"))?;
        let mut out = Vec::new();
        for opportunity in stored::opportunities(&mut conn, cluster_id).await? {
            if let Some(call_id) = opportunity.fields.call_id {
                let loaded = load_call(&mut conn, call_id).await?;
                if authorize(actor, &Action::ViewCall(loaded.facts())).is_err() {
                    continue;
                }
            }
            let lots = stored::lots(&mut conn, opportunity.id).await?;
            out.push(OpportunitySummary {
                deadline_paris: deadline_paris(&opportunity),
                lots: lots.len(),
                requirements: lots.iter().map(|l| l.requirements.len()).sum(),
                opportunity,
            });
        }
        Ok(out)
    }

    /// One opportunity with its lots and requirements (labels in `locale`).
    pub async fn opportunity(&self, actor: &Actor, id: i64, locale: &str) -> Result<OpportunityView> {
        let mut conn = self.store.conn().await?;
        let opportunity = readable(&mut conn, actor, id).await?;
        let principal = principal(actor)?;
        let lots = stored::lots(&mut conn, id).await?;
        let call_state = match opportunity.fields.call_id {
            Some(call_id) => Some(load_call(&mut conn, call_id).await?.call.state),
            None => None,
        };
        let mut my_consortia = Vec::new();
        for consortium in stored::of_opportunity(&mut conn, id).await? {
            let state = stored::member_state(&mut conn, consortium.id, principal.organisation_id).await?;
            if matches!(state.as_deref(), Some(stored::ACCEPTED | stored::INVITED)) {
                my_consortia.push(consortium);
            }
        }
        Ok(OpportunityView {
            entered_by: organisation_name(&mut conn, opportunity.organisation_id).await?,
            call_state,
            deadline_paris: deadline_paris(&opportunity),
            deadline_input: opportunity
                .fields
                .deadline_at
                .map(|ms| paris::input(instant(ms)))
                .unwrap_or_default(),
            requirements: requirement_views(&lots, locale),
            lots,
            editable: may_edit(actor, &opportunity),
            may_form: authorize(
                actor,
                &Action::FormConsortium {
                    cluster_id: opportunity.cluster_id,
                },
            )
            .is_ok(),
            my_consortia,
            opportunity,
        })
    }

    /// Enters an opportunity for the cluster on behalf of the actor's organisation.
    #[tracing::instrument(skip(self, actor, input))]
    pub async fn enter_opportunity(
        &self,
        actor: &Actor,
        cluster_id: i64,
        input: &OpportunityInput,
    ) -> Result<i64> {
        let principal = principal(actor)?;
        let mut tx = self.store.begin().await?;
        clusters::get(&mut tx, cluster_id)
            .await?
            .ok_or(AppError::NotFound("cluster"))?;
        authorize(actor, &Action::ViewOpportunities { cluster_id })
            .map_err(|d| AppError::hiding(d, "cluster"))?;
        authorize(
            actor,
            &Action::EnterOpportunity {
                cluster_id,
                organisation_id: principal.organisation_id,
            },
        )?;
        let (fields, lots) = check(&mut tx, actor, cluster_id, input).await?;
        let id = stored::insert_opportunity(
            &mut tx,
            cluster_id,
            principal.organisation_id,
            &fields,
            Some(principal.person_id),
            store::now_ms(),
        )
        .await?;
        stored::replace_lots(&mut tx, id, &lots).await?;
        Entry::by(actor, "enter", "opportunity", id)
            .after(&(&fields, &lots))
            .write(&mut tx)
            .await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(id)
    }

    /// Rewrites an opportunity: its entering organisation's participants and the cluster's staff.
    #[tracing::instrument(skip(self, actor, input))]
    pub async fn edit_opportunity(&self, actor: &Actor, id: i64, input: &OpportunityInput) -> Result<()> {
        let mut tx = self.store.begin().await?;
        let before = readable(&mut tx, actor, id).await?;
        if !may_edit(actor, &before) {
            return Err(AppError::Forbidden);
        }
        // Consortia answer the opportunity as it is linked: its call no longer changes once one is
        // formed (an unchanged link is checked again like any).
        let formed = !stored::of_opportunity(&mut tx, id).await?.is_empty();
        if formed && input.call_id != before.fields.call_id {
            return Err(AppError::invalid(
                "call_id",
                "consortia are formed for this opportunity: the call it answers no longer changes",
            ));
        }
        let (fields, lots) = check(&mut tx, actor, before.cluster_id, input).await?;
        let lots_before = stored::lots(&mut tx, id).await?;
        stored::update_opportunity(&mut tx, id, &fields, store::now_ms()).await?;
        stored::replace_lots(&mut tx, id, &lots).await?;
        Entry::by(actor, "edit", "opportunity", id)
            .before(&(&before.fields, &lots_before))
            .after(&(&fields, &lots))
            .write(&mut tx)
            .await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(())
    }

    /// Ranked teams of at most k members of the cluster covering every requirement.
    pub async fn propose_teams(
        &self,
        actor: &Actor,
        id: i64,
        query: TeamQuery,
        locale: &str,
    ) -> Result<TeamsView> {
        let mut conn = self.store.conn().await?;
        let opportunity = readable(&mut conn, actor, id).await?;
        let k = query.k.unwrap_or(DEFAULT_TEAM_MEMBERS as i64);
        if !(1..=MAX_TEAM_MEMBERS as i64).contains(&k) {
            return Err(AppError::invalid(
                "k",
                format!("a team has between 1 and {MAX_TEAM_MEMBERS} members"),
            ));
        }
        let k = k as usize;
        let lots = stored::lots(&mut conn, id).await?;
        let requirements = requirement_views(&lots, locale);
        let flat: Vec<_> = lots.iter().flat_map(|l| l.requirements.iter()).collect();
        let min_headcount = lots.iter().map(|l| l.min_headcount).max().unwrap_or(0);
        let excluded = match opportunity.fields.call_id {
            Some(call_id) => Some(load_call(&mut conn, call_id).await?.call.buyer_id),
            None => None,
        };
        let today = crate::directory::index::today();
        let mut members = Vec::new();
        let mut candidates = Vec::new();
        for member in stored::member_facts(&mut conn, opportunity.cluster_id).await? {
            if Some(member.organisation_id) == excluded {
                continue;
            }
            let brings = Brings::of(&member, &today);
            let covers: Vec<usize> = flat
                .iter()
                .enumerate()
                .filter(|(_, r)| brings.covers(r))
                .map(|(i, _)| i)
                .collect();
            if covers.is_empty() {
                continue;
            }
            let size = member.size.as_deref().and_then(|s| OrgSize::parse(s).ok());
            candidates.push(Candidate {
                id: member.organisation_id,
                cost: 1 + (flat.len() - covers.len()) as u32,
                covers,
                can_lead: matches!(size, Some(OrgSize::Large | OrgSize::MidCap)),
                headcount: member.headcount.clamp(0, u32::MAX as i64) as u32,
            });
            members.push(member);
        }
        let request = TeamRequest {
            requirements: flat.len(),
            max_members: k,
            min_headcount: min_headcount.max(0) as u64,
            prefer_lead: query.prefer_lead,
            limit: TEAMS_SHOWN,
        };
        let proposal = teams::propose(&request, &candidates).map_err(|e| match e {
            TeamError::NoRequirement | TeamError::TooManyRequirements { .. } => {
                AppError::invalid("requirements", e)
            }
            other => AppError::Internal(other.to_string()),
        })?;
        let teams = proposal
            .teams
            .iter()
            .enumerate()
            .map(|(rank, team)| {
                let name = |i: usize| members[i].legal_name.clone();
                TeamView {
                    rank: rank + 1,
                    members: team
                        .members
                        .iter()
                        .map(|&i| TeamMemberView {
                            organisation_id: members[i].organisation_id,
                            name: name(i),
                            size: members[i].size.clone(),
                            headcount: members[i].headcount,
                            can_lead: candidates[i].can_lead,
                            lead: team.lead == Some(i),
                            covers: candidates[i].covers.clone(),
                        })
                        .collect(),
                    cost: team.cost,
                    headcount: team.headcount,
                    cover: team
                        .cover
                        .iter()
                        .map(|who| who.iter().map(|&i| name(i)).collect())
                        .collect(),
                }
            })
            .collect();
        let uncovered = proposal
            .uncoverable
            .iter()
            .filter_map(|&i| requirements.get(i).cloned())
            .collect();
        Ok(TeamsView {
            opportunity_id: id,
            k,
            prefer_lead: query.prefer_lead,
            min_headcount,
            requirements,
            teams,
            uncovered,
            exact: proposal.exact,
        })
    }

    /// The calls of the cluster the actor may see that an opportunity may link: every published one
    /// (not a draft, not cancelled), and `current` — the call it links now — whatever its state, so
    /// that editing never unlinks it silently (calls the actor may not see are never listed).
    pub async fn linkable_calls(
        &self,
        actor: &Actor,
        cluster_id: i64,
        current: Option<i64>,
    ) -> Result<Vec<(i64, String)>> {
        principal(actor)?;
        let mut conn = self.store.conn().await?;
        let mut out = Vec::new();
        for call in store::committee::calls::of_cluster(&mut conn, cluster_id).await? {
            let loaded = load_call(&mut conn, call.id).await?;
            let published = !matches!(
                loaded.state,
                domain::committee::CallState::Draft | domain::committee::CallState::Cancelled
            );
            let visible = authorize(actor, &Action::ViewCall(loaded.facts())).is_ok();
            if visible && (published || Some(call.id) == current) {
                out.push((call.id, call.fields.title.clone()));
            }
        }
        Ok(out)
    }

    /// The cluster's member organisations a consortium for this opportunity may invite, by name.
    pub async fn consortium_candidates(
        &self,
        actor: &Actor,
        opportunity_id: i64,
    ) -> Result<Vec<(i64, String)>> {
        let mut conn = self.store.conn().await?;
        let opportunity = readable(&mut conn, actor, opportunity_id).await?;
        let call = match opportunity.fields.call_id {
            Some(call_id) => Some(load_call(&mut conn, call_id).await?),
            None => None,
        };
        // The call's buyer never answers its own call; a call by invitation only its invitees.
        let may_join = |organisation_id: i64| match &call {
            Some(call) => {
                call.call.buyer_id != organisation_id
                    && (call.visibility != domain::committee::CallVisibility::Invited
                        || call.invited.contains(&organisation_id))
            }
            None => true,
        };
        let mut out: Vec<(i64, String)> = stored::member_facts(&mut conn, opportunity.cluster_id)
            .await?
            .into_iter()
            .filter(|m| may_join(m.organisation_id))
            .map(|m| (m.organisation_id, m.legal_name))
            .collect();
        out.sort_by_key(|(_, name)| domain::text::search_key(name));
        Ok(out)
    }
}
