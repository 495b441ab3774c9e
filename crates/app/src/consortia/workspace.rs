//! Consortia: forming one for an opportunity, invitations and answers, handing the lead, the
//! private workspace (members and who covers what, messages, documents) and the joint dossier.

use domain::policy::{Action, Actor, authorize};
use serde::{Deserialize, Serialize};
use store::consortia::{self as stored, Consortium, Document, JointDossier, Member, Message, Opportunity};
use store::{Conn, StoreError, clusters};

use super::opportunities::{principal, readable};
use super::{Brings, MESSAGE_CHARS, RequirementView, requirement_views};
use crate::audit::Entry;
use crate::committee::files::{self, FileDownload, Upload};
use crate::committee::{DossierInput, DossierView, LoadedCall, load_call, organisation_name, text_issue};
use crate::{App, AppError, FieldError, Result};

const NAME_CHARS: usize = 200;
/// Organisations invited at once when forming a consortium.
const MAX_MEMBERS: usize = 20;
/// Documents a workspace holds.
pub const MAX_DOCUMENTS: usize = 50;

/// Forming a consortium: its name and the member organisations to invite (the forming organisation
/// leads and need not be listed).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct FormInput {
    pub name: String,
    pub members: Vec<i64>,
}

/// A member organisation as the workspace shows it.
#[derive(Debug, Clone, Serialize)]
pub struct MemberView {
    pub member: Member,
    pub name: String,
    /// lead (mandataire) or member; invited and declined organisations are "invited"/"declined".
    pub role: String,
    /// Indexes of the opportunity's requirements it covers now.
    pub covers: Vec<usize>,
}

#[derive(Debug, Clone, Serialize)]
pub struct MessageView {
    pub message: Message,
    pub author: String,
    pub organisation_name: String,
    pub posted_at_paris: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct DocumentView {
    pub document: Document,
    pub organisation_name: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct JointDossierView {
    pub joint: JointDossier,
    pub members: Vec<String>,
    pub submitted_at_paris: String,
    /// submitted (it stands), withdrawn, or replaced (the lead submitted again alone since).
    pub status: String,
    /// What the joint version answered, for every member to read: its text and its lots (the
    /// call's lot names).
    pub answer: String,
    pub lots: Vec<String>,
}

/// A joint dossier that still stands.
pub const JOINT_SUBMITTED: &str = "submitted";
pub const JOINT_WITHDRAWN: &str = "withdrawn";
pub const JOINT_REPLACED: &str = "replaced";

/// What became of a joint dossier, read from the lead's dossier for the call (the same rule as
/// the buyer's co-contractors): it stands while that dossier is submitted and its last submission
/// is the joint one.
async fn joint_status(conn: &mut Conn, joint: &JointDossier) -> Result<&'static str> {
    Ok(joint_version(conn, joint).await?.0)
}

/// The joint dossier's status and the version of the lead's dossier it submitted.
async fn joint_version(
    conn: &mut Conn,
    joint: &JointDossier,
) -> Result<(&'static str, Option<store::committee::dossiers::DossierVersion>)> {
    use store::committee::dossiers;
    let Some(dossier) = dossiers::find(conn, joint.call_id, joint.lead_organisation_id).await? else {
        return Ok((JOINT_WITHDRAWN, None));
    };
    let status = if dossier.submitted_at.is_some_and(|at| at > joint.submitted_at) {
        JOINT_REPLACED
    } else if dossier.state == "submitted" {
        JOINT_SUBMITTED
    } else {
        JOINT_WITHDRAWN
    };
    let version = dossiers::versions(conn, dossier.id)
        .await?
        .into_iter()
        .find(|v| v.submitted_at <= joint.submitted_at);
    Ok((status, version))
}

/// The workspace, for its accepted members only.
#[derive(Debug, Clone, Serialize)]
pub struct WorkspaceView {
    pub consortium: Consortium,
    pub opportunity: Opportunity,
    pub lead_name: String,
    /// Whether the viewer's organisation leads.
    pub leading: bool,
    pub members: Vec<MemberView>,
    pub requirements: Vec<RequirementView>,
    /// Requirements no accepted member covers.
    pub uncovered: Vec<RequirementView>,
    pub messages: Vec<MessageView>,
    pub documents: Vec<DocumentView>,
    pub joint_dossiers: Vec<JointDossierView>,
    /// The linked call's closing instant in Paris time, when the opportunity is a call.
    pub call_closes_paris: Option<String>,
    /// The linked call's lots (position from 1, name): what the joint dossier answers.
    pub call_lots: Vec<(i64, String)>,
}

/// An invitation as the invited organisation reads it.
#[derive(Debug, Clone, Serialize)]
pub struct InvitationView {
    pub consortium: Consortium,
    pub opportunity: Opportunity,
    pub lead_name: String,
    /// invited, accepted or declined.
    pub state: String,
}

/// A consortium the viewer's organisation is in or invited to.
#[derive(Debug, Clone, Serialize)]
pub struct MyConsortium {
    pub consortium: Consortium,
    pub opportunity_title: String,
    pub lead_name: String,
    pub state: String,
}

/// The consortium and the actor's organisation's state in it; nothing for those who are not
/// even invited.
async fn load(conn: &mut Conn, actor: &Actor, id: i64) -> Result<(Consortium, Option<String>)> {
    let principal = principal(actor)?;
    let consortium = stored::consortium(conn, id)
        .await?
        .ok_or(AppError::NotFound("consortium"))?;
    let state = stored::member_state(conn, id, principal.organisation_id).await?;
    Ok((consortium, state))
}

/// The consortium, for registry participants of its accepted members while their organisation
/// belongs to the opportunity's cluster (stricter than the policy, which knows no cluster here);
/// 404 for everyone else.
async fn member_of(conn: &mut Conn, actor: &Actor, id: i64) -> Result<Consortium> {
    let (consortium, state) = load(conn, actor, id).await?;
    let cluster_id = opportunity_of(conn, &consortium).await?.cluster_id;
    let in_cluster = principal(actor)?.clusters.contains(&cluster_id);
    let member = in_cluster && state.as_deref() == Some(stored::ACCEPTED);
    authorize(actor, &Action::UseConsortiumWorkspace { member })
        .map_err(|d| AppError::hiding(d, "consortium"))?;
    Ok(consortium)
}

/// The consortium, for its lead's registry participants: 404 for non-members, 403 for members.
async fn led_by(conn: &mut Conn, actor: &Actor, id: i64) -> Result<Consortium> {
    let consortium = member_of(conn, actor, id).await?;
    authorize(
        actor,
        &Action::LeadConsortium {
            lead_organisation_id: consortium.lead_organisation_id,
        },
    )?;
    Ok(consortium)
}

async fn opportunity_of(conn: &mut Conn, consortium: &Consortium) -> Result<Opportunity> {
    stored::opportunity(conn, consortium.opportunity_id)
        .await?
        .ok_or(AppError::NotFound("opportunity"))
}

/// The linked call of an opportunity, if it is one of the cluster's calls.
async fn call_of(conn: &mut Conn, opportunity: &Opportunity) -> Result<Option<LoadedCall>> {
    match opportunity.fields.call_id {
        Some(call_id) => Ok(Some(load_call(conn, call_id).await?)),
        None => Ok(None),
    }
}

/// Why an organisation may not be invited to a consortium for this opportunity, if it may not: it
/// is not a member of the cluster, it is the linked call's buyer (it does not answer its own call),
/// or the call is by invitation and the buyer did not invite it (it could not even read the call).
async fn not_invitable(
    conn: &mut Conn,
    opportunity: &Opportunity,
    call: Option<&LoadedCall>,
    organisation_id: i64,
) -> Result<Option<String>> {
    if !clusters::is_member(conn, opportunity.cluster_id, organisation_id).await? {
        return Ok(Some(format!(
            "organisation {organisation_id} is not a member of the cluster"
        )));
    }
    if let Some(call) = call {
        if call.call.buyer_id == organisation_id {
            return Ok(Some(
                "the call's buyer cannot join a consortium answering its own call".into(),
            ));
        }
        if call.visibility == domain::committee::CallVisibility::Invited
            && !call.invited.contains(&organisation_id)
        {
            return Ok(Some(format!(
                "organisation {organisation_id} may not see the call: its buyer did not invite it"
            )));
        }
    }
    Ok(None)
}

/// The e-mail addresses of the registry participants of these organisations (not their evaluators
/// nor mediators: they may not answer an invitation).
async fn participant_addresses(conn: &mut Conn, organisations: &[i64]) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for organisation_id in organisations {
        out.extend(stored::participant_addresses(conn, *organisation_id).await?);
    }
    Ok(out)
}

impl App {
    /// Forms a consortium for an opportunity, led by the actor's organisation, and invites the
    /// member organisations listed (each must be a member of the opportunity's cluster).
    #[tracing::instrument(skip(self, actor, input))]
    pub async fn form_consortium(
        &self,
        actor: &Actor,
        opportunity_id: i64,
        input: &FormInput,
    ) -> Result<i64> {
        let principal = principal(actor)?;
        let mut tx = self.store.begin().await?;
        let opportunity = readable(&mut tx, actor, opportunity_id).await?;
        authorize(
            actor,
            &Action::FormConsortium {
                cluster_id: opportunity.cluster_id,
            },
        )?;
        let mut errors = Vec::new();
        let name = match domain::text::optional("name", &input.name, NAME_CHARS) {
            Ok(Some(name)) => name,
            Ok(None) => format!("Groupement — {}", opportunity.fields.title)
                .chars()
                .take(NAME_CHARS)
                .collect(),
            Err(e) => {
                errors.push(FieldError::new("name", e));
                String::new()
            }
        };
        if input.members.len() > MAX_MEMBERS {
            errors.push(FieldError::new(
                "members",
                format!("invite at most {MAX_MEMBERS} organisations at once"),
            ));
        }
        let call = call_of(&mut tx, &opportunity).await?;
        let mut invited = Vec::new();
        for (i, organisation_id) in input.members.iter().enumerate().take(MAX_MEMBERS) {
            if *organisation_id == principal.organisation_id || invited.contains(organisation_id) {
                continue;
            }
            if let Some(why) = not_invitable(&mut tx, &opportunity, call.as_ref(), *organisation_id).await? {
                errors.push(FieldError::new(&format!("members[{i}]"), why));
                continue;
            }
            invited.push(*organisation_id);
        }
        if !errors.is_empty() {
            return Err(AppError::Invalid(errors));
        }
        let now = store::now_ms();
        let by = Some(principal.person_id);
        let id =
            stored::insert_consortium(&mut tx, opportunity_id, &name, principal.organisation_id, by, now)
                .await?;
        for organisation_id in &invited {
            stored::invite(&mut tx, id, *organisation_id, by, now).await?;
        }
        let consortium = stored::consortium(&mut tx, id)
            .await?
            .ok_or(AppError::NotFound("consortium"))?;
        Entry::by(actor, "form", "consortium", id)
            .after(&(&consortium, &invited))
            .write(&mut tx)
            .await?;
        let recipients = participant_addresses(&mut tx, &invited).await?;
        let lead_name = organisation_name(&mut tx, principal.organisation_id).await?;
        tx.commit().await.map_err(StoreError::from)?;
        self.announce_consortium_invitation(&consortium, &opportunity, &lead_name, &recipients)
            .await;
        Ok(id)
    }

    /// Invites one more member organisation of the cluster: the lead only.
    #[tracing::instrument(skip(self, actor))]
    pub async fn invite_to_consortium(&self, actor: &Actor, id: i64, organisation_id: i64) -> Result<()> {
        let principal = principal(actor)?;
        let mut tx = self.store.begin().await?;
        let consortium = led_by(&mut tx, actor, id).await?;
        let opportunity = opportunity_of(&mut tx, &consortium).await?;
        let call = call_of(&mut tx, &opportunity).await?;
        if let Some(why) = not_invitable(&mut tx, &opportunity, call.as_ref(), organisation_id).await? {
            return Err(AppError::invalid("organisation_id", why));
        }
        if !stored::invite(
            &mut tx,
            id,
            organisation_id,
            Some(principal.person_id),
            store::now_ms(),
        )
        .await?
        {
            return Err(AppError::Conflict(
                "this organisation is already invited to or a member of the consortium".into(),
            ));
        }
        Entry::by(actor, "invite", "consortium", id)
            .after(&organisation_id)
            .write(&mut tx)
            .await?;
        let recipients = participant_addresses(&mut tx, &[organisation_id]).await?;
        let lead_name = organisation_name(&mut tx, consortium.lead_organisation_id).await?;
        tx.commit().await.map_err(StoreError::from)?;
        self.announce_consortium_invitation(&consortium, &opportunity, &lead_name, &recipients)
            .await;
        Ok(())
    }

    /// The invitation as the invited organisation reads it (also once answered).
    pub async fn consortium_invitation(&self, actor: &Actor, id: i64) -> Result<InvitationView> {
        let mut conn = self.store.conn().await?;
        let (consortium, state) = load(&mut conn, actor, id).await?;
        let principal = principal(actor)?;
        let state = state.ok_or(AppError::NotFound("consortium"))?;
        authorize(
            actor,
            &Action::AnswerConsortiumInvitation {
                organisation_id: principal.organisation_id,
            },
        )
        .map_err(|d| AppError::hiding(d, "consortium"))?;
        let opportunity = opportunity_of(&mut conn, &consortium).await?;
        Ok(InvitationView {
            lead_name: organisation_name(&mut conn, consortium.lead_organisation_id).await?,
            consortium,
            opportunity,
            state,
        })
    }

    /// Accepts or declines the actor's organisation's pending invitation.
    #[tracing::instrument(skip(self, actor))]
    pub async fn answer_consortium_invitation(&self, actor: &Actor, id: i64, accept: bool) -> Result<()> {
        let principal = principal(actor)?;
        let mut tx = self.store.begin().await?;
        let (_, state) = load(&mut tx, actor, id).await?;
        let state = state.ok_or(AppError::NotFound("consortium"))?;
        authorize(
            actor,
            &Action::AnswerConsortiumInvitation {
                organisation_id: principal.organisation_id,
            },
        )
        .map_err(|d| AppError::hiding(d, "consortium"))?;
        let now = store::now_ms();
        if !stored::answer(
            &mut tx,
            id,
            principal.organisation_id,
            accept,
            Some(principal.person_id),
            now,
        )
        .await?
        {
            return Err(AppError::Conflict(format!(
                "your organisation's invitation is already {state}"
            )));
        }
        Entry::by(actor, if accept { "accept" } else { "decline" }, "consortium", id)
            .before(&state)
            .after(&principal.organisation_id)
            .write(&mut tx)
            .await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(())
    }

    /// Hands the lead to another accepted member: the lead only.
    #[tracing::instrument(skip(self, actor))]
    pub async fn hand_consortium_lead(&self, actor: &Actor, id: i64, organisation_id: i64) -> Result<()> {
        let mut tx = self.store.begin().await?;
        let consortium = led_by(&mut tx, actor, id).await?;
        if organisation_id == consortium.lead_organisation_id {
            return Err(AppError::invalid(
                "organisation_id",
                "this organisation already leads",
            ));
        }
        let now = store::now_ms();
        if !stored::set_lead(&mut tx, id, consortium.lead_organisation_id, organisation_id, now).await? {
            return Err(AppError::invalid(
                "organisation_id",
                "the lead goes to an organisation that accepted to join the consortium",
            ));
        }
        // The lead's submitted joint dossier answers for the consortium until the call closes: a new
        // lead would submit a second one, so the lead stays while it stands.
        for joint in stored::joint_dossiers(&mut tx, id).await? {
            let closes_at = load_call(&mut tx, joint.call_id).await?.call.closes_at;
            if closes_at > store::now_ms() && joint_status(&mut tx, &joint).await? == JOINT_SUBMITTED {
                return Err(AppError::Conflict(
                    "the lead's joint dossier is submitted and the call is still open: withdraw it \
                     before handing the lead, or wait for the close"
                        .into(),
                ));
            }
        }

        Entry::by(actor, "hand_lead", "consortium", id)
            .before(&consortium.lead_organisation_id)
            .after(&organisation_id)
            .write(&mut tx)
            .await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(())
    }

    /// The consortia the actor's organisation belongs to or is invited to.
    pub async fn my_consortia(&self, actor: &Actor) -> Result<Vec<MyConsortium>> {
        let principal = principal(actor)?;
        // Only those who may answer an invitation (its registry participants) read the list.
        authorize(
            actor,
            &Action::AnswerConsortiumInvitation {
                organisation_id: principal.organisation_id,
            },
        )
        .map_err(|d| AppError::hiding(d, "consortium"))?;
        let mut conn = self.store.conn().await?;
        let mut out = Vec::new();
        for (consortium, state) in stored::of_organisation(&mut conn, principal.organisation_id).await? {
            let opportunity = opportunity_of(&mut conn, &consortium).await?;
            out.push(MyConsortium {
                lead_name: organisation_name(&mut conn, consortium.lead_organisation_id).await?,
                opportunity_title: opportunity.fields.title,
                consortium,
                state,
            });
        }
        Ok(out)
    }

    /// The private workspace: accepted members only (not the invited, not the cluster's staff).
    pub async fn consortium_workspace(&self, actor: &Actor, id: i64, locale: &str) -> Result<WorkspaceView> {
        let principal = principal(actor)?;
        let mut conn = self.store.conn().await?;
        let consortium = member_of(&mut conn, actor, id).await?;
        let opportunity = opportunity_of(&mut conn, &consortium).await?;
        let lots = stored::lots(&mut conn, opportunity.id).await?;
        let requirements = requirement_views(&lots, locale);
        let flat: Vec<_> = lots.iter().flat_map(|l| l.requirements.iter()).collect();
        let today = crate::directory::index::today();
        let mut members = Vec::new();
        let mut covered = vec![false; flat.len()];
        let mut stored_members = stored::members(&mut conn, id).await?;
        let ids: Vec<i64> = stored_members.iter().map(|m| m.organisation_id).collect();
        let facts = stored::facts_of(&mut conn, &ids).await?;
        // The lead first, then in the order they were invited.
        stored_members.sort_by_key(|m| m.organisation_id != consortium.lead_organisation_id);
        for member in stored_members {
            let covers: Vec<usize> = match facts.iter().find(|f| f.organisation_id == member.organisation_id)
            {
                Some(f) => {
                    let brings = Brings::of(f, &today);
                    (0..flat.len()).filter(|&i| brings.covers(flat[i])).collect()
                }
                None => Vec::new(),
            };
            if member.state == stored::ACCEPTED {
                for &i in &covers {
                    covered[i] = true;
                }
            }
            let role = if member.organisation_id == consortium.lead_organisation_id {
                "lead".to_owned()
            } else if member.state == stored::ACCEPTED {
                "member".to_owned()
            } else {
                member.state.clone()
            };
            members.push(MemberView {
                name: organisation_name(&mut conn, member.organisation_id).await?,
                member,
                role,
                covers,
            });
        }
        let mut messages = Vec::new();
        for message in stored::messages(&mut conn, id).await? {
            let author = match message.person_id {
                Some(pid) => store::people::get(&mut conn, pid)
                    .await?
                    .map(|p| p.full_name())
                    .unwrap_or_default(),
                None => String::new(),
            };
            messages.push(MessageView {
                organisation_name: organisation_name(&mut conn, message.organisation_id).await?,
                posted_at_paris: domain::committee::paris::display(crate::committee::instant(
                    message.posted_at,
                )),
                author,
                message,
            });
        }
        let mut documents = Vec::new();
        for document in stored::documents(&mut conn, id).await? {
            documents.push(DocumentView {
                organisation_name: organisation_name(&mut conn, document.organisation_id).await?,
                document,
            });
        }
        let mut joint_dossiers = Vec::new();
        for mut joint in stored::joint_dossiers(&mut conn, id).await? {
            let lead = joint.lead_organisation_id;
            joint.members.sort_by_key(|m| *m != lead);
            let mut names = Vec::new();
            for org in &joint.members {
                names.push(organisation_name(&mut conn, *org).await?);
            }
            let (status, version) = joint_version(&mut conn, &joint).await?;
            let call_lots = store::committee::calls::parts(&mut conn, joint.call_id)
                .await?
                .lots;
            let (answer, lots) = match version {
                Some(v) => (
                    v.answer,
                    v.lots
                        .iter()
                        .filter_map(|p| call_lots.get((*p - 1).max(0) as usize).map(|l| l.name.clone()))
                        .collect(),
                ),
                None => (String::new(), Vec::new()),
            };
            joint_dossiers.push(JointDossierView {
                status: status.to_owned(),
                answer,
                lots,
                submitted_at_paris: domain::committee::paris::display(crate::committee::instant(
                    joint.submitted_at,
                )),
                joint,
                members: names,
            });
        }
        let (call_closes_paris, call_lots) = match opportunity.fields.call_id {
            Some(call_id) => (
                Some(domain::committee::paris::display(
                    load_call(&mut conn, call_id).await?.closes(),
                )),
                store::committee::calls::parts(&mut conn, call_id)
                    .await?
                    .lots
                    .into_iter()
                    .enumerate()
                    .map(|(i, l)| (i as i64 + 1, l.name))
                    .collect(),
            ),
            None => (None, Vec::new()),
        };
        Ok(WorkspaceView {
            lead_name: organisation_name(&mut conn, consortium.lead_organisation_id).await?,
            leading: consortium.lead_organisation_id == principal.organisation_id,
            uncovered: requirements
                .iter()
                .filter(|r| !covered[r.index])
                .cloned()
                .collect(),
            requirements,
            members,
            messages,
            documents,
            joint_dossiers,
            call_closes_paris,
            call_lots,
            consortium,
            opportunity,
        })
    }

    /// Posts a text message in the workspace.
    #[tracing::instrument(skip(self, actor, body))]
    pub async fn post_consortium_message(&self, actor: &Actor, id: i64, body: &str) -> Result<MessageView> {
        let principal = principal(actor)?;
        let mut tx = self.store.begin().await?;
        member_of(&mut tx, actor, id).await?;
        let body = domain::text::multiline("body", body, MESSAGE_CHARS)
            .map_err(|e| text_issue("body", e))?
            .ok_or_else(|| AppError::invalid("body", "write a message"))?;
        let message_id = stored::post_message(
            &mut tx,
            id,
            principal.organisation_id,
            Some(principal.person_id),
            &body,
            store::now_ms(),
        )
        .await?;
        let message = stored::messages(&mut tx, id)
            .await?
            .into_iter()
            .find(|m| m.id == message_id)
            .ok_or(AppError::NotFound("message"))?;
        Entry::by(actor, "post", "consortium", id)
            .after(&message_id)
            .write(&mut tx)
            .await?;
        let view = MessageView {
            author: store::people::get(&mut tx, principal.person_id)
                .await?
                .map(|p| p.full_name())
                .unwrap_or_default(),
            organisation_name: organisation_name(&mut tx, principal.organisation_id).await?,
            posted_at_paris: domain::committee::paris::display(crate::committee::instant(message.posted_at)),
            message,
        };
        tx.commit().await.map_err(StoreError::from)?;
        Ok(view)
    }

    /// Adds a document to the workspace after the committee's checks (size, real type, name).
    #[tracing::instrument(skip(self, actor, upload))]
    pub async fn attach_consortium_document(
        &self,
        actor: &Actor,
        id: i64,
        upload: Upload,
    ) -> Result<DocumentView> {
        let principal = principal(actor)?;
        let mut tx = self.store.begin().await?;
        member_of(&mut tx, actor, id).await?;
        let attached = files::accept(&upload)?;
        let present = stored::documents(&mut tx, id).await?;
        if present.len() >= MAX_DOCUMENTS {
            return Err(AppError::invalid(
                "file",
                format!("a workspace holds at most {MAX_DOCUMENTS} documents"),
            ));
        }
        let now = store::now_ms();
        files::put(&mut tx, &attached, &upload.bytes, now).await?;
        if !stored::add_document(
            &mut tx,
            id,
            &attached,
            principal.organisation_id,
            Some(principal.person_id),
            now,
        )
        .await?
        {
            return Err(AppError::Conflict(format!(
                "the workspace already holds a file named '{}'; rename yours",
                attached.file_name
            )));
        }
        let document = stored::documents(&mut tx, id)
            .await?
            .into_iter()
            .find(|d| d.file.file_name == attached.file_name)
            .ok_or(AppError::NotFound("document"))?;
        Entry::by(actor, "attach", "consortium", id)
            .after(&document)
            .write(&mut tx)
            .await?;
        let view = DocumentView {
            organisation_name: organisation_name(&mut tx, principal.organisation_id).await?,
            document,
        };
        tx.commit().await.map_err(StoreError::from)?;
        Ok(view)
    }

    /// One document of the workspace, checked against its checksum; members only.
    pub async fn consortium_document(&self, actor: &Actor, id: i64, file_name: &str) -> Result<FileDownload> {
        let mut conn = self.store.conn().await?;
        member_of(&mut conn, actor, id).await?;
        let document = stored::documents(&mut conn, id)
            .await?
            .into_iter()
            .find(|d| d.file.file_name == file_name)
            .ok_or(AppError::NotFound("document"))?;
        files::read_verified(&mut conn, &document.file).await
    }

    /// Submits the joint dossier to the opportunity's call: the lead's dossier for the call (saved
    /// with `input` when it holds an answer, otherwise the draft as it stands), submitted before the
    /// closing instant like any dossier, and recorded as joint with the accepted members.
    #[tracing::instrument(skip(self, actor, input))]
    pub async fn submit_joint_dossier(
        &self,
        actor: &Actor,
        id: i64,
        input: &DossierInput,
    ) -> Result<DossierView> {
        let call_id = {
            let mut conn = self.store.conn().await?;
            let consortium = led_by(&mut conn, actor, id).await?;
            let opportunity = opportunity_of(&mut conn, &consortium).await?;
            let Some(call_id) = opportunity.fields.call_id else {
                return Err(AppError::Conflict(
                    "this opportunity is an external tender: submit the joint offer to its buyer".into(),
                ));
            };
            accepted_co_contractors(&mut conn, &consortium).await?;
            // Lots sent alone keep the draft's answer.
            let draft_answer =
                store::committee::dossiers::find(&mut conn, call_id, consortium.lead_organisation_id)
                    .await?
                    .map(|d| d.answer)
                    .unwrap_or_default();
            (call_id, draft_answer)
        };
        let (call_id, draft_answer) = call_id;
        // An answer or lots are saved to the lead's draft first; neither submits the draft as it is.
        if !input.answer.trim().is_empty() || !input.lots.is_empty() {
            let answer = if input.answer.trim().is_empty() {
                draft_answer
            } else {
                input.answer.clone()
            };
            let input = DossierInput {
                answer,
                lots: input.lots.clone(),
            };
            self.save_dossier(actor, call_id, &input).await?;
        }
        // The submission and its joint record commit together, or neither does; the lead and the
        // members are read again inside, and the lead is held by a guarded update (a concurrent
        // hand-over waits for this transaction, then finds the joint dossier).
        let mut tx = self.store.begin().await?;
        let consortium = led_by(&mut tx, actor, id).await?;
        if !stored::hold_lead(&mut tx, id, consortium.lead_organisation_id, store::now_ms()).await? {
            return Err(AppError::Conflict(
                "the lead changed meanwhile: only the lead submits the joint dossier".into(),
            ));
        }
        let members = accepted_co_contractors(&mut tx, &consortium).await?;
        let view = crate::committee::dossiers::submit_in(&mut tx, actor, call_id).await?;
        stored::record_joint_dossier(
            &mut tx,
            id,
            call_id,
            consortium.lead_organisation_id,
            &members,
            crate::actor::actor_id(actor),
            store::now_ms(),
        )
        .await?;
        Entry::by(actor, "submit_joint", "consortium", id)
            .after(&(call_id, &members))
            .write(&mut tx)
            .await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(view)
    }

    /// Tells invited organisations' registry participants (after the invitation is committed).
    async fn announce_consortium_invitation(
        &self,
        consortium: &Consortium,
        opportunity: &Opportunity,
        lead_name: &str,
        recipients: &[String],
    ) {
        if recipients.is_empty() {
            return;
        }
        let subject = format!(
            "Invitation : groupement « {} » / Invitation to a consortium",
            consortium.name
        );
        let body = format!(
            "{lead} invite votre organisation à rejoindre le groupement « {name} » pour répondre à « {title} ».\n\
             Acceptez ou déclinez ici : {url}\n\n\
             {lead} invites your organisation to join the consortium \"{name}\" to answer \"{title}\".\n\
             Accept or decline here: {url}\n",
            lead = lead_name,
            name = consortium.name,
            title = opportunity.fields.title,
            url = format!(
                "{}/consortia/{}",
                self.config.public_url.trim_end_matches('/'),
                consortium.id
            ),
        );
        self.mail_all(recipients, &subject, &body).await;
    }
}

/// The consortium's accepted members, the lead among them; 409 when no member but the lead
/// accepted (a dossier with no co-contractor is not a joint one).
async fn accepted_co_contractors(conn: &mut Conn, consortium: &Consortium) -> Result<Vec<i64>> {
    let members: Vec<i64> = stored::members(conn, consortium.id)
        .await?
        .into_iter()
        .filter(|m| m.state == stored::ACCEPTED)
        .map(|m| m.organisation_id)
        .collect();
    if !members.iter().any(|m| *m != consortium.lead_organisation_id) {
        return Err(AppError::Conflict(
            "no member has accepted yet: a joint dossier needs at least one co-contractor".into(),
        ));
    }
    Ok(members)
}

/// The other members of the consortium whose joint dossier is the lead's version submitted at
/// `submitted_at` for the call, by name; empty when that version is not a joint offer (a later
/// submission through the committee's own page answers alone).
pub(crate) async fn co_contractors(
    conn: &mut Conn,
    call_id: i64,
    lead_organisation_id: i64,
    submitted_at: i64,
) -> Result<Vec<String>> {
    let Some(joint) = stored::joint_dossier_of(conn, call_id, lead_organisation_id).await? else {
        return Ok(Vec::new());
    };
    if joint.submitted_at < submitted_at {
        return Ok(Vec::new());
    }
    let mut names = Vec::new();
    for organisation_id in joint.members.iter().filter(|m| **m != lead_organisation_id) {
        names.push(organisation_name(conn, *organisation_id).await?);
    }
    Ok(names)
}
