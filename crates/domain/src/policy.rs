//! The access policy: the one place that answers "may this person, in this organisation, do this?".
//! Handlers and use-cases never check roles themselves; they describe the action and ask `authorize`.

use crate::committee::CallVisibility;
use crate::person::Role;

/// Who is asking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    /// Not signed in.
    Visitor,
    Person(Principal),
}

/// A signed-in person with everything the policy needs to know about them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    pub person_id: i64,
    pub organisation_id: i64,
    /// Clusters the person's organisation is a member of.
    pub clusters: Vec<i64>,
    pub grants: Vec<Grant>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Grant {
    pub role: Role,
    pub scope: Scope,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Scope {
    Cluster(i64),
    Organisation(i64),
}

/// What the policy must know about a call for proposals.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CallFacts<'a> {
    pub cluster_id: i64,
    /// The buying organisation.
    pub buyer_id: i64,
    pub visibility: CallVisibility,
    /// False while the call is a draft: only its buyer side sees it then.
    pub published: bool,
    /// The organisations the buyer invited.
    pub invited: &'a [i64],
}

/// What the policy must know about an organisation being acted on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OrgFacts<'a> {
    pub id: i64,
    pub clusters: &'a [i64],
}

/// What the policy must know about a purchasing pool.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PoolFacts<'a> {
    pub cluster_id: i64,
    /// False while the pool is a draft: only the cluster's staff see it then.
    pub published: bool,
    /// The supplier organisations invited to make an offer.
    pub invited: &'a [i64],
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action<'a> {
    ViewMemberList {
        cluster_id: i64,
    },
    ViewOrganisation(OrgFacts<'a>),
    CreateOrganisation {
        cluster_id: i64,
    },
    UpdateOrganisation(OrgFacts<'a>),
    ViewPeople(OrgFacts<'a>),
    InvitePerson {
        org: OrgFacts<'a>,
        role: Role,
    },
    ManageMemberships {
        cluster_id: i64,
    },
    /// Making an organisation a member of a cluster: it must already be visible to the admin, or be a
    /// former member of that very cluster, so that no admin can annex another cluster's members.
    AdmitMember {
        cluster_id: i64,
        org: OrgFacts<'a>,
        former_member: bool,
    },
    ManageOwnAccount,
    /// Seeing a cluster's matchmaking events and who takes part: its staff and the registry
    /// participants of its member organisations.
    ViewEvents {
        cluster_id: i64,
    },
    /// Creating and editing an event, opening registration, registering guests, generating,
    /// adjusting and publishing the schedule, check-in and attendance: the cluster's staff.
    ManageEvent {
        cluster_id: i64,
    },
    /// Registering oneself and sending meeting requests: registry participants of a member.
    TakePartInEvent {
        cluster_id: i64,
    },
    /// Accepting or declining a request: its recipient alone (`None` when they are a guest).
    AnswerMeetingRequest {
        recipient_person_id: Option<i64>,
    },
    /// Withdrawing a pending request: its sender alone (`None` when they are a guest).
    CancelMeetingRequest {
        sender_person_id: Option<i64>,
    },
    /// A participant's agenda and requests: that person, and the event's organisers.
    ViewAgenda {
        cluster_id: i64,
        owner_person_id: Option<i64>,
    },
    /// The follow-up outcome of a meeting: either of its two people, or the organisers.
    RecordFollowUp {
        cluster_id: i64,
        person_ids: [Option<i64>; 2],
    },
    /// Editing an organisation's capability profile and brochures, and reading its
    /// differentiation report: its own admins and the staff of its clusters.
    EditProfile(OrgFacts<'a>),
    /// Saved searches and supplier shortlists, each person's own: any signed-in person.
    UseBuyerTools,
    /// Writing, publishing, amending, cancelling a call and answering its questions: the buyer
    /// side — buyers and admins of the buying organisation, and the staff of the call's cluster.
    ManageCall {
        cluster_id: i64,
        buyer_id: i64,
    },
    /// Reading a call and its public answers, and asking a question: by its visibility (public:
    /// anyone, visitors included; members: registry participants of the cluster; invited: the
    /// invited organisations' people), and always the buyer side. A draft is the buyer side's.
    ViewCall(CallFacts<'a>),
    /// Writing and submitting a dossier: registry participants of an eligible organisation that
    /// may see the call, a member of its cluster, other than the buyer itself.
    SubmitDossier {
        call: CallFacts<'a>,
        eligible: bool,
    },
    /// Reading a dossier: its own organisation always; the buyer side only once unsealed (see
    /// `committee::deadline::sealed`); another candidate never.
    ReadDossier {
        call: CallFacts<'a>,
        organisation_id: i64,
        sealed: bool,
    },
    /// Declaring conflicts of interest and marking a call's dossiers: the people the buyer side
    /// named evaluators of that very call (`named`), while they belong to the buying organisation
    /// and only once the dossiers are unsealed. Nothing else of the buyer's comes with it.
    EvaluateCall {
        call: CallFacts<'a>,
        named: bool,
        sealed: bool,
    },
    /// Writing and publishing an organisation's purchasing policy (what it buys, how to get
    /// listed, its commitments to SMEs): its buyers and admins, and the staff of its clusters.
    EditPurchasingPolicy(OrgFacts<'a>),
    /// Reading a cluster's committee: its published purchasing policies, its sessions and the
    /// qualified-supplier portfolio's summary: its registry participants and its staff.
    ViewCommittee {
        cluster_id: i64,
    },
    /// Scheduling committee sessions, naming the presenting buyers, attaching calls: the staff.
    ManageCommitteeSessions {
        cluster_id: i64,
    },
    /// Listing a supplier directly and delisting one with a reason: the buying organisation's
    /// buyers and admins. Cluster staff read the list (see `ViewSupplierList`) but do not write it.
    ManageSupplierList(OrgFacts<'a>),
    /// Reading a buyer's supplier list and its history: the buyer's buyers and admins, and the
    /// staff of its clusters (delisting is what the cluster exists to fight, so it must see it).
    ViewSupplierList(OrgFacts<'a>),
    /// Where an organisation is listed or was delisted, and why: the organisation's own people
    /// and the staff of its clusters.
    ViewOwnListings(OrgFacts<'a>),
    /// Running the qualification process (criteria, reviewers, decisions, renewals) and granting
    /// portfolio subscriptions: the cluster's staff.
    ManagePortfolio {
        cluster_id: i64,
    },
    /// Applying for qualification, and reading one's own applications: registry participants of
    /// the applying organisation while it is a member of the cluster.
    ApplyForQualification {
        cluster_id: i64,
        organisation_id: i64,
    },
    /// Reviewing one qualification application: the people the staff named reviewers of it.
    ReviewQualification {
        named: bool,
    },
    /// Reading the portfolio in full (who is qualified, evidence, renewal dates): the staff, and
    /// registry participants of an organisation holding an active subscription (`subscribed`).
    ViewPortfolio {
        cluster_id: i64,
        subscribed: bool,
    },
    /// Creating, editing, opening, closing and cancelling a purchasing pool, inviting its suppliers,
    /// reading every commitment and (once opened at the close) every offer, exporting: the staff.
    ManagePools {
        cluster_id: i64,
    },
    /// Reading a published pool (its specification, window, minimum and progress towards it): the
    /// cluster's registry participants and the people of its invited suppliers; a draft is the
    /// staff's. Each party's own commitment, offer and award share come with it, nobody else's.
    ViewPool(PoolFacts<'a>),
    /// Committing, changing or withdrawing a volume: the buyers and admins of the committing
    /// organisation (a commitment binds the company's money), while it is a member of the cluster.
    CommitToPool {
        cluster_id: i64,
        organisation_id: i64,
    },
    /// Making, changing or withdrawing a sealed offer: registry participants of an invited
    /// supplier, for their own organisation.
    OfferToPool {
        organisation_id: i64,
        invited: bool,
    },
    /// Reading a cluster's tender opportunities and the teams Passerelle proposes for them: its
    /// registry participants and staff (teams are drawn from profiles they may already read).
    ViewOpportunities {
        cluster_id: i64,
    },
    /// Entering or editing an opportunity (an external tender, or one of the cluster's calls):
    /// registry participants of the entering organisation (`organisation_id`) while a member of
    /// the cluster, and the cluster's staff.
    EnterOpportunity {
        cluster_id: i64,
        organisation_id: i64,
    },
    /// Forming a consortium (and so inviting members to it): registry participants of a member.
    FormConsortium {
        cluster_id: i64,
    },
    /// Accepting or declining an invitation to a consortium: registry participants of the invited
    /// organisation.
    AnswerConsortiumInvitation {
        organisation_id: i64,
    },
    /// The consortium's private workspace (members, messages, documents, the joint dossier):
    /// registry participants of its accepted members, nobody else — not even cluster staff.
    UseConsortiumWorkspace {
        member: bool,
    },
    /// Inviting members, naming the lead and submitting the joint dossier: registry participants of
    /// the lead organisation (the mandataire).
    LeadConsortium {
        lead_organisation_id: i64,
    },
    /// Reading the export offers of a cluster (premises abroad, shared VIE posts): its registry
    /// participants and staff.
    ViewExportOffers {
        cluster_id: i64,
    },
    /// Publishing premises abroad or a shared VIE post in a cluster, and answering the requests and
    /// applications they receive: that cluster's staff, and the host organisation's admins and
    /// buyers while it is a member of that cluster. The staff of another cluster the host belongs to
    /// do not answer for offers made here.
    HostExport {
        cluster_id: i64,
        host_id: i64,
    },
    /// Requesting a stay or applying for a share of a VIE post: registry participants of the
    /// requesting organisation while it is a member of the cluster.
    ApplyForExport {
        cluster_id: i64,
        organisation_id: i64,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Denial {
    /// A visitor asked for something that needs an account: the answer is "sign in", not "no".
    SignInRequired,
    Forbidden,
}

/// Roles that make someone a full participant of the cluster's registry. Evaluators and mediators
/// are deliberately absent: they see only the calls or cases they are assigned to.
const REGISTRY_ROLES: [Role; 3] = [Role::OrgAdmin, Role::Buyer, Role::Member];

impl Principal {
    pub fn is_cluster_admin_of(&self, cluster_id: i64) -> bool {
        self.grants
            .iter()
            .any(|g| g.role == Role::ClusterAdmin && g.scope == Scope::Cluster(cluster_id))
    }

    /// Cluster admin of any cluster the organisation belongs to.
    fn administers_any(&self, clusters: &[i64]) -> bool {
        clusters.iter().any(|c| self.is_cluster_admin_of(*c))
    }

    pub fn holds_in_org(&self, role: Role, organisation_id: i64) -> bool {
        self.grants
            .iter()
            .any(|g| g.role == role && g.scope == Scope::Organisation(organisation_id))
    }

    fn is_registry_participant(&self) -> bool {
        REGISTRY_ROLES
            .iter()
            .any(|role| self.holds_in_org(*role, self.organisation_id))
    }

    fn shares_cluster_with(&self, clusters: &[i64]) -> bool {
        clusters.iter().any(|c| self.clusters.contains(c))
    }

    pub fn roles(&self) -> Vec<Role> {
        let mut roles: Vec<Role> = self.grants.iter().map(|g| g.role).collect();
        roles.sort();
        roles.dedup();
        roles
    }
}

/// The staff of the call's cluster, and the buyers and admins of the buying organisation while it
/// is a member of that cluster.
fn buyer_side(p: &Principal, cluster_id: i64, buyer_id: i64) -> bool {
    p.is_cluster_admin_of(cluster_id)
        || (p.clusters.contains(&cluster_id)
            && (p.holds_in_org(Role::Buyer, buyer_id) || p.holds_in_org(Role::OrgAdmin, buyer_id)))
}

fn sees_call(p: &Principal, call: &CallFacts<'_>) -> bool {
    if buyer_side(p, call.cluster_id, call.buyer_id) {
        return true;
    }
    call.published
        && match call.visibility {
            CallVisibility::Public => true,
            CallVisibility::Members => p.is_registry_participant() && p.clusters.contains(&call.cluster_id),
            CallVisibility::Invited => call.invited.contains(&p.organisation_id),
        }
}

pub fn authorize(actor: &Actor, action: &Action<'_>) -> Result<(), Denial> {
    let Actor::Person(p) = actor else {
        return match action {
            Action::ViewCall(call) if call.published && call.visibility == CallVisibility::Public => Ok(()),
            _ => Err(Denial::SignInRequired),
        };
    };
    let allowed = match *action {
        Action::ViewMemberList { cluster_id } => {
            p.is_cluster_admin_of(cluster_id)
                || (p.is_registry_participant() && p.clusters.contains(&cluster_id))
        }
        Action::ViewOrganisation(org) => {
            org.id == p.organisation_id
                || p.administers_any(org.clusters)
                || (p.is_registry_participant() && p.shares_cluster_with(org.clusters))
        }
        Action::CreateOrganisation { cluster_id } | Action::ManageMemberships { cluster_id } => {
            p.is_cluster_admin_of(cluster_id)
        }
        Action::UpdateOrganisation(org) | Action::EditProfile(org) => {
            p.administers_any(org.clusters) || p.holds_in_org(Role::OrgAdmin, org.id)
        }
        Action::UseBuyerTools => true,
        Action::ViewPeople(org) => org.id == p.organisation_id || p.administers_any(org.clusters),
        Action::InvitePerson { org, role } => {
            p.administers_any(org.clusters)
                || (p.holds_in_org(Role::OrgAdmin, org.id)
                    && !matches!(role, Role::ClusterAdmin | Role::Mediator))
        }
        Action::AdmitMember {
            cluster_id,
            org,
            former_member,
        } => p.is_cluster_admin_of(cluster_id) && (former_member || p.administers_any(org.clusters)),
        Action::ManageOwnAccount => true,
        Action::ViewEvents { cluster_id } => {
            p.is_cluster_admin_of(cluster_id)
                || (p.is_registry_participant() && p.clusters.contains(&cluster_id))
        }
        Action::ManageEvent { cluster_id } => p.is_cluster_admin_of(cluster_id),
        Action::TakePartInEvent { cluster_id } => {
            p.is_registry_participant() && p.clusters.contains(&cluster_id)
        }
        Action::AnswerMeetingRequest { recipient_person_id } => recipient_person_id == Some(p.person_id),
        Action::CancelMeetingRequest { sender_person_id } => sender_person_id == Some(p.person_id),
        Action::ViewAgenda {
            cluster_id,
            owner_person_id,
        } => owner_person_id == Some(p.person_id) || p.is_cluster_admin_of(cluster_id),
        Action::RecordFollowUp {
            cluster_id,
            person_ids,
        } => person_ids.contains(&Some(p.person_id)) || p.is_cluster_admin_of(cluster_id),
        Action::ManageCall { cluster_id, buyer_id } => buyer_side(p, cluster_id, buyer_id),
        Action::ViewCall(call) => sees_call(p, &call),
        Action::SubmitDossier { call, eligible } => {
            eligible
                && call.published
                && p.organisation_id != call.buyer_id
                && p.is_registry_participant()
                && p.clusters.contains(&call.cluster_id)
                && (call.visibility != CallVisibility::Invited || call.invited.contains(&p.organisation_id))
        }
        Action::ReadDossier {
            call,
            organisation_id,
            sealed,
        } => {
            (p.organisation_id == organisation_id && p.is_registry_participant())
                || (!sealed && buyer_side(p, call.cluster_id, call.buyer_id))
        }
        Action::EvaluateCall { call, named, sealed } => {
            named && !sealed && call.published && p.organisation_id == call.buyer_id
        }
        Action::EditPurchasingPolicy(org) => {
            p.administers_any(org.clusters)
                || (p.shares_cluster_with(org.clusters)
                    && (p.holds_in_org(Role::Buyer, org.id) || p.holds_in_org(Role::OrgAdmin, org.id)))
        }
        Action::ViewCommittee { cluster_id } => {
            p.is_cluster_admin_of(cluster_id)
                || (p.is_registry_participant() && p.clusters.contains(&cluster_id))
        }
        Action::ManageCommitteeSessions { cluster_id } | Action::ManagePortfolio { cluster_id } => {
            p.is_cluster_admin_of(cluster_id)
        }
        Action::ManageSupplierList(org) => {
            p.holds_in_org(Role::Buyer, org.id) || p.holds_in_org(Role::OrgAdmin, org.id)
        }
        Action::ViewSupplierList(org) => {
            p.holds_in_org(Role::Buyer, org.id)
                || p.holds_in_org(Role::OrgAdmin, org.id)
                || p.administers_any(org.clusters)
        }
        Action::ViewOwnListings(org) => {
            (org.id == p.organisation_id && p.is_registry_participant()) || p.administers_any(org.clusters)
        }
        Action::ApplyForQualification {
            cluster_id,
            organisation_id,
        } => {
            p.organisation_id == organisation_id
                && p.is_registry_participant()
                && p.clusters.contains(&cluster_id)
        }
        Action::ReviewQualification { named } => named,
        Action::ViewPortfolio {
            cluster_id,
            subscribed,
        } => {
            p.is_cluster_admin_of(cluster_id)
                || (subscribed && p.is_registry_participant() && p.clusters.contains(&cluster_id))
        }
        Action::ManagePools { cluster_id } => p.is_cluster_admin_of(cluster_id),
        Action::ViewPool(pool) => {
            p.is_cluster_admin_of(pool.cluster_id)
                || (pool.published
                    && p.is_registry_participant()
                    && (p.clusters.contains(&pool.cluster_id) || pool.invited.contains(&p.organisation_id)))
        }
        Action::CommitToPool {
            cluster_id,
            organisation_id,
        } => {
            p.organisation_id == organisation_id
                && p.clusters.contains(&cluster_id)
                && (p.holds_in_org(Role::Buyer, organisation_id)
                    || p.holds_in_org(Role::OrgAdmin, organisation_id))
        }
        Action::OfferToPool {
            organisation_id,
            invited,
        } => invited && p.organisation_id == organisation_id && p.is_registry_participant(),
        Action::ViewOpportunities { cluster_id } | Action::ViewExportOffers { cluster_id } => {
            p.is_cluster_admin_of(cluster_id)
                || (p.is_registry_participant() && p.clusters.contains(&cluster_id))
        }
        Action::EnterOpportunity {
            cluster_id,
            organisation_id,
        }
        | Action::ApplyForExport {
            cluster_id,
            organisation_id,
        } => {
            (matches!(action, Action::EnterOpportunity { .. }) && p.is_cluster_admin_of(cluster_id))
                || (p.organisation_id == organisation_id
                    && p.is_registry_participant()
                    && p.clusters.contains(&cluster_id))
        }
        Action::FormConsortium { cluster_id } => {
            p.is_registry_participant() && p.clusters.contains(&cluster_id)
        }
        Action::AnswerConsortiumInvitation { organisation_id }
        | Action::LeadConsortium {
            lead_organisation_id: organisation_id,
        } => p.organisation_id == organisation_id && p.is_registry_participant(),
        Action::UseConsortiumWorkspace { member } => member && p.is_registry_participant(),
        Action::HostExport { cluster_id, host_id } => {
            p.is_cluster_admin_of(cluster_id)
                || (p.organisation_id == host_id
                    && p.clusters.contains(&cluster_id)
                    && (p.holds_in_org(Role::Buyer, host_id) || p.holds_in_org(Role::OrgAdmin, host_id)))
        }
    };
    if allowed { Ok(()) } else { Err(Denial::Forbidden) }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CLUSTER: i64 = 1;
    const OTHER_CLUSTER: i64 = 2;
    const SME: i64 = 10;
    const OTHER_SME: i64 = 11;
    const FOREIGN_ORG: i64 = 20;

    fn person(org: i64, grants: &[(Role, Scope)]) -> Actor {
        Actor::Person(Principal {
            person_id: 100,
            organisation_id: org,
            clusters: vec![CLUSTER],
            grants: grants
                .iter()
                .map(|&(role, scope)| Grant { role, scope })
                .collect(),
        })
    }

    fn org(id: i64) -> OrgFacts<'static> {
        OrgFacts {
            id,
            clusters: &[CLUSTER],
        }
    }

    fn foreign() -> OrgFacts<'static> {
        OrgFacts {
            id: FOREIGN_ORG,
            clusters: &[OTHER_CLUSTER],
        }
    }

    #[test]
    fn visitors_are_asked_to_sign_in() {
        assert_eq!(
            authorize(&Actor::Visitor, &Action::ViewMemberList { cluster_id: CLUSTER }),
            Err(Denial::SignInRequired)
        );
        assert_eq!(
            authorize(&Actor::Visitor, &Action::ManageOwnAccount),
            Err(Denial::SignInRequired)
        );
    }

    #[test]
    fn sme_member_sees_its_cluster_but_not_another() {
        let member = person(SME, &[(Role::Member, Scope::Organisation(SME))]);
        assert!(authorize(&member, &Action::ViewMemberList { cluster_id: CLUSTER }).is_ok());
        assert_eq!(
            authorize(
                &member,
                &Action::ViewMemberList {
                    cluster_id: OTHER_CLUSTER
                }
            ),
            Err(Denial::Forbidden)
        );
        assert!(authorize(&member, &Action::ViewOrganisation(org(OTHER_SME))).is_ok());
        assert_eq!(
            authorize(&member, &Action::ViewOrganisation(foreign())),
            Err(Denial::Forbidden)
        );
    }

    #[test]
    fn people_of_an_organisation_are_private_to_it_and_cluster_staff() {
        let member = person(SME, &[(Role::Member, Scope::Organisation(SME))]);
        let staff = person(1, &[(Role::ClusterAdmin, Scope::Cluster(CLUSTER))]);
        assert!(authorize(&member, &Action::ViewPeople(org(SME))).is_ok());
        assert_eq!(
            authorize(&member, &Action::ViewPeople(org(OTHER_SME))),
            Err(Denial::Forbidden)
        );
        assert!(authorize(&staff, &Action::ViewPeople(org(OTHER_SME))).is_ok());
        assert_eq!(
            authorize(&staff, &Action::ViewPeople(foreign())),
            Err(Denial::Forbidden)
        );
    }

    #[test]
    fn evaluator_sees_only_its_own_organisation() {
        let evaluator = person(SME, &[(Role::Evaluator, Scope::Organisation(SME))]);
        assert_eq!(
            authorize(&evaluator, &Action::ViewMemberList { cluster_id: CLUSTER }),
            Err(Denial::Forbidden)
        );
        assert_eq!(
            authorize(&evaluator, &Action::ViewOrganisation(org(OTHER_SME))),
            Err(Denial::Forbidden)
        );
        assert!(authorize(&evaluator, &Action::ViewOrganisation(org(SME))).is_ok());
    }

    #[test]
    fn org_admin_cannot_hand_out_cluster_roles() {
        let admin = person(SME, &[(Role::OrgAdmin, Scope::Organisation(SME))]);
        assert!(
            authorize(
                &admin,
                &Action::InvitePerson {
                    org: org(SME),
                    role: Role::Buyer
                }
            )
            .is_ok()
        );
        assert_eq!(
            authorize(
                &admin,
                &Action::InvitePerson {
                    org: org(SME),
                    role: Role::ClusterAdmin
                }
            ),
            Err(Denial::Forbidden)
        );
        assert_eq!(
            authorize(
                &admin,
                &Action::InvitePerson {
                    org: org(OTHER_SME),
                    role: Role::Member
                }
            ),
            Err(Denial::Forbidden)
        );
    }

    #[test]
    fn cluster_admin_admits_only_organisations_it_knows() {
        let staff = person(1, &[(Role::ClusterAdmin, Scope::Cluster(CLUSTER))]);
        let admit = |org, former_member| Action::AdmitMember {
            cluster_id: CLUSTER,
            org,
            former_member,
        };
        assert!(
            authorize(&staff, &admit(org(SME), false)).is_ok(),
            "already a member: a no-op"
        );
        assert_eq!(
            authorize(&staff, &admit(foreign(), false)),
            Err(Denial::Forbidden),
            "no annexing"
        );
        let orphan = OrgFacts {
            id: 30,
            clusters: &[],
        };
        assert!(
            authorize(&staff, &admit(orphan, true)).is_ok(),
            "a former member comes back"
        );
        assert_eq!(authorize(&staff, &admit(orphan, false)), Err(Denial::Forbidden));
    }

    #[test]
    fn only_cluster_admins_create_organisations_in_their_cluster() {
        let staff = person(1, &[(Role::ClusterAdmin, Scope::Cluster(CLUSTER))]);
        let buyer = person(SME, &[(Role::Buyer, Scope::Organisation(SME))]);
        assert!(authorize(&staff, &Action::CreateOrganisation { cluster_id: CLUSTER }).is_ok());
        assert_eq!(
            authorize(
                &staff,
                &Action::CreateOrganisation {
                    cluster_id: OTHER_CLUSTER
                }
            ),
            Err(Denial::Forbidden)
        );
        assert_eq!(
            authorize(&buyer, &Action::CreateOrganisation { cluster_id: CLUSTER }),
            Err(Denial::Forbidden)
        );
    }
    #[test]
    fn cluster_staff_run_events_and_members_take_part() {
        let staff = person(1, &[(Role::ClusterAdmin, Scope::Cluster(CLUSTER))]);
        let member = person(SME, &[(Role::Member, Scope::Organisation(SME))]);
        let evaluator = person(SME, &[(Role::Evaluator, Scope::Organisation(SME))]);
        let manage = |cluster_id| Action::ManageEvent { cluster_id };
        assert!(authorize(&staff, &manage(CLUSTER)).is_ok());
        assert_eq!(authorize(&staff, &manage(OTHER_CLUSTER)), Err(Denial::Forbidden));
        assert_eq!(authorize(&member, &manage(CLUSTER)), Err(Denial::Forbidden));
        assert!(authorize(&member, &Action::TakePartInEvent { cluster_id: CLUSTER }).is_ok());
        assert_eq!(
            authorize(
                &member,
                &Action::TakePartInEvent {
                    cluster_id: OTHER_CLUSTER
                }
            ),
            Err(Denial::Forbidden)
        );
        assert_eq!(
            authorize(&evaluator, &Action::ViewEvents { cluster_id: CLUSTER }),
            Err(Denial::Forbidden),
            "evaluators see only their calls"
        );
        assert_eq!(
            authorize(&staff, &Action::TakePartInEvent { cluster_id: CLUSTER }),
            Err(Denial::Forbidden),
            "staff organise, they do not request meetings"
        );
        assert_eq!(
            authorize(&Actor::Visitor, &Action::ViewEvents { cluster_id: CLUSTER }),
            Err(Denial::SignInRequired)
        );
    }

    #[test]
    fn only_the_recipient_answers_and_agendas_are_private() {
        let member = person(SME, &[(Role::Member, Scope::Organisation(SME))]);
        let staff = person(1, &[(Role::ClusterAdmin, Scope::Cluster(CLUSTER))]);
        let answer = |id| Action::AnswerMeetingRequest {
            recipient_person_id: id,
        };
        assert!(authorize(&member, &answer(Some(100))).is_ok());
        assert_eq!(authorize(&member, &answer(Some(101))), Err(Denial::Forbidden));
        assert_eq!(authorize(&member, &answer(None)), Err(Denial::Forbidden));
        assert_eq!(authorize(&staff, &answer(Some(101))), Err(Denial::Forbidden));
        let cancel = |id| Action::CancelMeetingRequest { sender_person_id: id };
        assert!(authorize(&member, &cancel(Some(100))).is_ok());
        assert_eq!(authorize(&member, &cancel(Some(101))), Err(Denial::Forbidden));
        assert_eq!(authorize(&staff, &cancel(None)), Err(Denial::Forbidden));
        let agenda = |owner| Action::ViewAgenda {
            cluster_id: CLUSTER,
            owner_person_id: owner,
        };
        assert!(authorize(&member, &agenda(Some(100))).is_ok());
        assert_eq!(authorize(&member, &agenda(Some(101))), Err(Denial::Forbidden));
        assert!(authorize(&staff, &agenda(None)).is_ok());
        let follow = Action::RecordFollowUp {
            cluster_id: CLUSTER,
            person_ids: [Some(101), Some(100)],
        };
        assert!(authorize(&member, &follow).is_ok());
        assert!(authorize(&staff, &follow).is_ok());
        let others = Action::RecordFollowUp {
            cluster_id: CLUSTER,
            person_ids: [Some(101), None],
        };
        assert_eq!(authorize(&member, &others), Err(Denial::Forbidden));
    }

    #[test]
    fn a_profile_is_edited_by_its_own_admins_and_its_clusters_staff() {
        let edit = |org| Action::EditProfile(org);
        let admin = person(SME, &[(Role::OrgAdmin, Scope::Organisation(SME))]);
        let member = person(SME, &[(Role::Member, Scope::Organisation(SME))]);
        let other_admin = person(OTHER_SME, &[(Role::OrgAdmin, Scope::Organisation(OTHER_SME))]);
        let staff = person(1, &[(Role::ClusterAdmin, Scope::Cluster(CLUSTER))]);
        let other_staff = person(2, &[(Role::ClusterAdmin, Scope::Cluster(OTHER_CLUSTER))]);
        assert!(authorize(&admin, &edit(org(SME))).is_ok());
        assert_eq!(
            authorize(&member, &edit(org(SME))),
            Err(Denial::Forbidden),
            "a plain member reads the profile, its admin keeps it"
        );
        assert_eq!(authorize(&other_admin, &edit(org(SME))), Err(Denial::Forbidden));
        assert_eq!(authorize(&admin, &edit(org(OTHER_SME))), Err(Denial::Forbidden));
        assert!(authorize(&staff, &edit(org(SME))).is_ok());
        assert_eq!(authorize(&other_staff, &edit(org(SME))), Err(Denial::Forbidden));
        assert!(authorize(&other_staff, &edit(foreign())).is_ok());
        assert_eq!(authorize(&staff, &edit(foreign())), Err(Denial::Forbidden));
        assert_eq!(
            authorize(&Actor::Visitor, &edit(org(SME))),
            Err(Denial::SignInRequired)
        );
    }

    #[test]
    fn buyer_tools_are_for_every_signed_in_person() {
        for grants in [
            &[(Role::Buyer, Scope::Organisation(SME))][..],
            &[(Role::Member, Scope::Organisation(SME))],
            &[(Role::Evaluator, Scope::Organisation(SME))],
            &[(Role::ClusterAdmin, Scope::Cluster(CLUSTER))],
            &[],
        ] {
            assert!(
                authorize(&person(SME, grants), &Action::UseBuyerTools).is_ok(),
                "{grants:?}"
            );
        }
        assert_eq!(
            authorize(&Actor::Visitor, &Action::UseBuyerTools),
            Err(Denial::SignInRequired)
        );
    }

    const BUYER: i64 = 30;

    fn call(visibility: CallVisibility, published: bool) -> CallFacts<'static> {
        CallFacts {
            cluster_id: CLUSTER,
            buyer_id: BUYER,
            visibility,
            published,
            invited: &[OTHER_SME],
        }
    }

    #[test]
    fn the_buyer_side_manages_a_call() {
        let manage = Action::ManageCall {
            cluster_id: CLUSTER,
            buyer_id: BUYER,
        };
        let buyer = person(BUYER, &[(Role::Buyer, Scope::Organisation(BUYER))]);
        let buyer_admin = person(BUYER, &[(Role::OrgAdmin, Scope::Organisation(BUYER))]);
        let buyer_member = person(BUYER, &[(Role::Member, Scope::Organisation(BUYER))]);
        let staff = person(1, &[(Role::ClusterAdmin, Scope::Cluster(CLUSTER))]);
        let other_staff = person(2, &[(Role::ClusterAdmin, Scope::Cluster(OTHER_CLUSTER))]);
        let sme_admin = person(SME, &[(Role::OrgAdmin, Scope::Organisation(SME))]);
        assert!(authorize(&buyer, &manage).is_ok());
        assert!(authorize(&buyer_admin, &manage).is_ok());
        assert!(authorize(&staff, &manage).is_ok());
        assert_eq!(authorize(&buyer_member, &manage), Err(Denial::Forbidden));
        assert_eq!(authorize(&other_staff, &manage), Err(Denial::Forbidden));
        assert_eq!(authorize(&sme_admin, &manage), Err(Denial::Forbidden));
        let departed = Actor::Person(Principal {
            person_id: 8,
            organisation_id: BUYER,
            clusters: vec![OTHER_CLUSTER],
            grants: vec![Grant {
                role: Role::Buyer,
                scope: Scope::Organisation(BUYER),
            }],
        });
        assert_eq!(
            authorize(&departed, &manage),
            Err(Denial::Forbidden),
            "a buyer whose organisation left the cluster"
        );
        assert_eq!(authorize(&Actor::Visitor, &manage), Err(Denial::SignInRequired));
    }

    #[test]
    fn a_call_is_seen_by_its_visibility() {
        let view = |v, published| Action::ViewCall(call(v, published));
        let member = person(SME, &[(Role::Member, Scope::Organisation(SME))]);
        let invited = person(OTHER_SME, &[(Role::Member, Scope::Organisation(OTHER_SME))]);
        let evaluator = person(SME, &[(Role::Evaluator, Scope::Organisation(SME))]);
        let buyer = person(BUYER, &[(Role::Buyer, Scope::Organisation(BUYER))]);
        let mut outsider = Principal {
            person_id: 7,
            organisation_id: FOREIGN_ORG,
            clusters: vec![OTHER_CLUSTER],
            grants: vec![Grant {
                role: Role::Member,
                scope: Scope::Organisation(FOREIGN_ORG),
            }],
        };
        assert!(authorize(&Actor::Visitor, &view(CallVisibility::Public, true)).is_ok());
        assert_eq!(
            authorize(&Actor::Visitor, &view(CallVisibility::Public, false)),
            Err(Denial::SignInRequired)
        );
        assert_eq!(
            authorize(&Actor::Visitor, &view(CallVisibility::Members, true)),
            Err(Denial::SignInRequired)
        );
        assert!(authorize(&member, &view(CallVisibility::Members, true)).is_ok());
        assert_eq!(
            authorize(&evaluator, &view(CallVisibility::Members, true)),
            Err(Denial::Forbidden)
        );
        assert_eq!(
            authorize(
                &Actor::Person(outsider.clone()),
                &view(CallVisibility::Members, true)
            ),
            Err(Denial::Forbidden)
        );
        outsider.clusters.push(CLUSTER);
        assert!(authorize(&Actor::Person(outsider), &view(CallVisibility::Members, true)).is_ok());
        assert_eq!(
            authorize(&member, &view(CallVisibility::Invited, true)),
            Err(Denial::Forbidden)
        );
        assert!(authorize(&invited, &view(CallVisibility::Invited, true)).is_ok());
        assert_eq!(
            authorize(&member, &view(CallVisibility::Public, false)),
            Err(Denial::Forbidden),
            "a draft is the buyer's"
        );
        assert!(authorize(&buyer, &view(CallVisibility::Invited, false)).is_ok());
    }

    #[test]
    fn dossiers_come_from_eligible_participants_other_than_the_buyer() {
        let submit = |v, eligible| Action::SubmitDossier {
            call: call(v, true),
            eligible,
        };
        let member = person(SME, &[(Role::Member, Scope::Organisation(SME))]);
        let evaluator = person(SME, &[(Role::Evaluator, Scope::Organisation(SME))]);
        let invited = person(OTHER_SME, &[(Role::OrgAdmin, Scope::Organisation(OTHER_SME))]);
        let buyer = person(BUYER, &[(Role::Buyer, Scope::Organisation(BUYER))]);
        let staff = person(1, &[(Role::ClusterAdmin, Scope::Cluster(CLUSTER))]);
        assert!(authorize(&member, &submit(CallVisibility::Members, true)).is_ok());
        assert_eq!(
            authorize(&member, &submit(CallVisibility::Members, false)),
            Err(Denial::Forbidden)
        );
        assert_eq!(
            authorize(&member, &submit(CallVisibility::Invited, true)),
            Err(Denial::Forbidden)
        );
        assert!(authorize(&invited, &submit(CallVisibility::Invited, true)).is_ok());
        assert_eq!(
            authorize(&evaluator, &submit(CallVisibility::Public, true)),
            Err(Denial::Forbidden)
        );
        assert_eq!(
            authorize(&buyer, &submit(CallVisibility::Public, true)),
            Err(Denial::Forbidden)
        );
        assert_eq!(
            authorize(&staff, &submit(CallVisibility::Public, true)),
            Err(Denial::Forbidden)
        );
        assert_eq!(
            authorize(&Actor::Visitor, &submit(CallVisibility::Public, true)),
            Err(Denial::SignInRequired)
        );
    }

    #[test]
    fn a_dossier_is_its_candidate_s_and_the_buyer_s_only_once_unsealed() {
        let read = |organisation_id, sealed| Action::ReadDossier {
            call: call(CallVisibility::Members, true),
            organisation_id,
            sealed,
        };
        let member = person(SME, &[(Role::Member, Scope::Organisation(SME))]);
        let other = person(OTHER_SME, &[(Role::OrgAdmin, Scope::Organisation(OTHER_SME))]);
        let buyer = person(BUYER, &[(Role::Buyer, Scope::Organisation(BUYER))]);
        let staff = person(1, &[(Role::ClusterAdmin, Scope::Cluster(CLUSTER))]);
        assert!(authorize(&member, &read(SME, true)).is_ok());
        assert!(authorize(&member, &read(SME, false)).is_ok());
        assert_eq!(authorize(&other, &read(SME, true)), Err(Denial::Forbidden));
        assert_eq!(authorize(&other, &read(SME, false)), Err(Denial::Forbidden));
        assert_eq!(authorize(&buyer, &read(SME, true)), Err(Denial::Forbidden));
        assert!(authorize(&buyer, &read(SME, false)).is_ok());
        assert_eq!(authorize(&staff, &read(SME, true)), Err(Denial::Forbidden));
        assert!(authorize(&staff, &read(SME, false)).is_ok());
        assert_eq!(
            authorize(&Actor::Visitor, &read(SME, false)),
            Err(Denial::SignInRequired)
        );
    }
    #[test]
    fn only_named_evaluators_of_the_buyer_evaluate_once_unsealed() {
        let evaluate = |named, sealed| Action::EvaluateCall {
            call: call(CallVisibility::Members, true),
            named,
            sealed,
        };
        let evaluator = person(BUYER, &[(Role::Evaluator, Scope::Organisation(BUYER))]);
        let buyer = person(BUYER, &[(Role::Buyer, Scope::Organisation(BUYER))]);
        let staff = person(1, &[(Role::ClusterAdmin, Scope::Cluster(CLUSTER))]);
        let sme = person(SME, &[(Role::OrgAdmin, Scope::Organisation(SME))]);
        assert!(authorize(&evaluator, &evaluate(true, false)).is_ok());
        assert!(
            authorize(&buyer, &evaluate(true, false)).is_ok(),
            "a named buyer evaluates too"
        );
        assert_eq!(
            authorize(&evaluator, &evaluate(true, true)),
            Err(Denial::Forbidden),
            "sealed"
        );
        assert_eq!(
            authorize(&evaluator, &evaluate(false, false)),
            Err(Denial::Forbidden)
        );
        assert_eq!(authorize(&buyer, &evaluate(false, false)), Err(Denial::Forbidden));
        assert_eq!(authorize(&staff, &evaluate(false, false)), Err(Denial::Forbidden));
        assert_eq!(
            authorize(&sme, &evaluate(true, false)),
            Err(Denial::Forbidden),
            "someone who left the buying organisation"
        );
        assert_eq!(
            authorize(&Actor::Visitor, &evaluate(true, false)),
            Err(Denial::SignInRequired)
        );
        let manage = Action::ManageCall {
            cluster_id: CLUSTER,
            buyer_id: BUYER,
        };
        assert_eq!(
            authorize(&evaluator, &manage),
            Err(Denial::Forbidden),
            "an evaluator manages nothing"
        );
        assert_eq!(
            authorize(&evaluator, &Action::ViewCall(call(CallVisibility::Members, true))),
            Err(Denial::Forbidden),
            "nor reads the buyer's calls as a member"
        );
    }

    #[test]
    fn purchasing_policies_are_written_by_the_buyer_side_and_read_by_the_cluster() {
        let buyer = person(SME, &[(Role::Buyer, Scope::Organisation(SME))]);
        let member = person(OTHER_SME, &[(Role::Member, Scope::Organisation(OTHER_SME))]);
        let staff = person(1, &[(Role::ClusterAdmin, Scope::Cluster(CLUSTER))]);
        assert!(authorize(&buyer, &Action::EditPurchasingPolicy(org(SME))).is_ok());
        assert!(authorize(&staff, &Action::EditPurchasingPolicy(org(SME))).is_ok());
        assert_eq!(
            authorize(&member, &Action::EditPurchasingPolicy(org(SME))),
            Err(Denial::Forbidden)
        );
        assert_eq!(
            authorize(&staff, &Action::EditPurchasingPolicy(foreign())),
            Err(Denial::Forbidden)
        );
        assert!(authorize(&member, &Action::ViewCommittee { cluster_id: CLUSTER }).is_ok());
        assert_eq!(
            authorize(
                &member,
                &Action::ViewCommittee {
                    cluster_id: OTHER_CLUSTER
                }
            ),
            Err(Denial::Forbidden)
        );
        assert_eq!(
            authorize(&Actor::Visitor, &Action::ViewCommittee { cluster_id: CLUSTER }),
            Err(Denial::SignInRequired)
        );
        assert!(authorize(&staff, &Action::ManageCommitteeSessions { cluster_id: CLUSTER }).is_ok());
        assert_eq!(
            authorize(&buyer, &Action::ManageCommitteeSessions { cluster_id: CLUSTER }),
            Err(Denial::Forbidden)
        );
    }

    #[test]
    fn a_supplier_list_is_written_by_its_buyer_and_watched_by_the_cluster() {
        let buyer = person(SME, &[(Role::Buyer, Scope::Organisation(SME))]);
        let supplier = person(OTHER_SME, &[(Role::Member, Scope::Organisation(OTHER_SME))]);
        let staff = person(1, &[(Role::ClusterAdmin, Scope::Cluster(CLUSTER))]);
        assert!(authorize(&buyer, &Action::ManageSupplierList(org(SME))).is_ok());
        assert_eq!(
            authorize(&staff, &Action::ManageSupplierList(org(SME))),
            Err(Denial::Forbidden)
        );
        assert!(authorize(&staff, &Action::ViewSupplierList(org(SME))).is_ok());
        assert_eq!(
            authorize(&supplier, &Action::ViewSupplierList(org(SME))),
            Err(Denial::Forbidden)
        );
        assert!(authorize(&supplier, &Action::ViewOwnListings(org(OTHER_SME))).is_ok());
        assert!(authorize(&staff, &Action::ViewOwnListings(org(OTHER_SME))).is_ok());
        assert_eq!(
            authorize(&buyer, &Action::ViewOwnListings(org(OTHER_SME))),
            Err(Denial::Forbidden)
        );
    }

    #[test]
    fn the_portfolio_is_run_by_staff_and_read_in_full_by_subscribers() {
        let buyer = person(SME, &[(Role::Buyer, Scope::Organisation(SME))]);
        let staff = person(1, &[(Role::ClusterAdmin, Scope::Cluster(CLUSTER))]);
        let reviewer = person(SME, &[(Role::Evaluator, Scope::Organisation(SME))]);
        assert!(authorize(&staff, &Action::ManagePortfolio { cluster_id: CLUSTER }).is_ok());
        assert_eq!(
            authorize(&buyer, &Action::ManagePortfolio { cluster_id: CLUSTER }),
            Err(Denial::Forbidden)
        );
        let full = |subscribed| Action::ViewPortfolio {
            cluster_id: CLUSTER,
            subscribed,
        };
        assert!(authorize(&buyer, &full(true)).is_ok());
        assert_eq!(authorize(&buyer, &full(false)), Err(Denial::Forbidden));
        assert!(authorize(&staff, &full(false)).is_ok());
        assert_eq!(authorize(&reviewer, &full(true)), Err(Denial::Forbidden));
        assert!(authorize(&reviewer, &Action::ReviewQualification { named: true }).is_ok());
        assert_eq!(
            authorize(&buyer, &Action::ReviewQualification { named: false }),
            Err(Denial::Forbidden)
        );
        let apply = |organisation_id| Action::ApplyForQualification {
            cluster_id: CLUSTER,
            organisation_id,
        };
        assert!(authorize(&buyer, &apply(SME)).is_ok());
        assert_eq!(authorize(&buyer, &apply(OTHER_SME)), Err(Denial::Forbidden));
        assert_eq!(authorize(&reviewer, &apply(SME)), Err(Denial::Forbidden));
    }

    #[test]
    fn pools_are_run_by_staff_committed_to_by_buyers_and_offered_to_by_invited_suppliers() {
        let staff = person(1, &[(Role::ClusterAdmin, Scope::Cluster(CLUSTER))]);
        let buyer = person(SME, &[(Role::Buyer, Scope::Organisation(SME))]);
        let member = person(SME, &[(Role::Member, Scope::Organisation(SME))]);
        let supplier = Actor::Person(Principal {
            person_id: 7,
            organisation_id: FOREIGN_ORG,
            clusters: vec![OTHER_CLUSTER],
            grants: vec![Grant {
                role: Role::Member,
                scope: Scope::Organisation(FOREIGN_ORG),
            }],
        });
        let pool = |published, invited: &'static [i64]| {
            Action::ViewPool(PoolFacts {
                cluster_id: CLUSTER,
                published,
                invited,
            })
        };
        assert!(authorize(&staff, &Action::ManagePools { cluster_id: CLUSTER }).is_ok());
        assert_eq!(
            authorize(&buyer, &Action::ManagePools { cluster_id: CLUSTER }),
            Err(Denial::Forbidden)
        );
        assert!(authorize(&staff, &pool(false, &[])).is_ok());
        assert_eq!(authorize(&member, &pool(false, &[])), Err(Denial::Forbidden));
        assert!(authorize(&member, &pool(true, &[])).is_ok());
        assert_eq!(authorize(&supplier, &pool(true, &[])), Err(Denial::Forbidden));
        assert!(authorize(&supplier, &pool(true, &[FOREIGN_ORG])).is_ok());
        let commit = |organisation_id| Action::CommitToPool {
            cluster_id: CLUSTER,
            organisation_id,
        };
        assert!(authorize(&buyer, &commit(SME)).is_ok());
        assert_eq!(authorize(&buyer, &commit(OTHER_SME)), Err(Denial::Forbidden));
        assert_eq!(authorize(&member, &commit(SME)), Err(Denial::Forbidden));
        let offer = |invited| Action::OfferToPool {
            organisation_id: FOREIGN_ORG,
            invited,
        };
        assert!(authorize(&supplier, &offer(true)).is_ok());
        assert_eq!(authorize(&supplier, &offer(false)), Err(Denial::Forbidden));
        assert_eq!(authorize(&staff, &offer(true)), Err(Denial::Forbidden));
    }

    #[test]
    fn a_consortium_workspace_is_its_members_alone() {
        let staff = person(1, &[(Role::ClusterAdmin, Scope::Cluster(CLUSTER))]);
        let member = person(SME, &[(Role::Member, Scope::Organisation(SME))]);
        let evaluator = person(SME, &[(Role::Evaluator, Scope::Organisation(SME))]);
        let workspace = |member| Action::UseConsortiumWorkspace { member };
        assert!(authorize(&member, &workspace(true)).is_ok());
        assert_eq!(authorize(&member, &workspace(false)), Err(Denial::Forbidden));
        assert_eq!(authorize(&staff, &workspace(false)), Err(Denial::Forbidden));
        assert_eq!(authorize(&evaluator, &workspace(true)), Err(Denial::Forbidden));
        let lead = |lead_organisation_id| Action::LeadConsortium { lead_organisation_id };
        assert!(authorize(&member, &lead(SME)).is_ok());
        assert_eq!(authorize(&member, &lead(OTHER_SME)), Err(Denial::Forbidden));
        let enter = |organisation_id| Action::EnterOpportunity {
            cluster_id: CLUSTER,
            organisation_id,
        };
        assert!(authorize(&member, &enter(SME)).is_ok());
        assert_eq!(authorize(&member, &enter(OTHER_SME)), Err(Denial::Forbidden));
        assert!(authorize(&staff, &enter(OTHER_SME)).is_ok());
        assert!(authorize(&member, &Action::FormConsortium { cluster_id: CLUSTER }).is_ok());
        assert_eq!(
            authorize(
                &member,
                &Action::FormConsortium {
                    cluster_id: OTHER_CLUSTER
                }
            ),
            Err(Denial::Forbidden)
        );
    }

    #[test]
    fn export_offers_are_hosted_by_large_members_and_requested_by_members() {
        let staff = person(1, &[(Role::ClusterAdmin, Scope::Cluster(CLUSTER))]);
        let host_buyer = person(OTHER_SME, &[(Role::Buyer, Scope::Organisation(OTHER_SME))]);
        let member = person(SME, &[(Role::Member, Scope::Organisation(SME))]);
        let host = |cluster_id, host_id| Action::HostExport { cluster_id, host_id };
        assert!(authorize(&host_buyer, &host(CLUSTER, OTHER_SME)).is_ok());
        assert!(authorize(&staff, &host(CLUSTER, OTHER_SME)).is_ok());
        assert_eq!(authorize(&member, &host(CLUSTER, SME)), Err(Denial::Forbidden));
        // Only the offer's cluster counts: its staff, and the host's people while it is a member.
        let other_staff = person(1, &[(Role::ClusterAdmin, Scope::Cluster(OTHER_CLUSTER))]);
        assert_eq!(
            authorize(&other_staff, &host(CLUSTER, OTHER_SME)),
            Err(Denial::Forbidden)
        );
        assert_eq!(
            authorize(&host_buyer, &host(OTHER_CLUSTER, OTHER_SME)),
            Err(Denial::Forbidden)
        );
        assert_eq!(
            authorize(&host_buyer, &host(CLUSTER, SME)),
            Err(Denial::Forbidden)
        );
        let apply = |organisation_id| Action::ApplyForExport {
            cluster_id: CLUSTER,
            organisation_id,
        };
        assert!(authorize(&member, &apply(SME)).is_ok());
        assert_eq!(authorize(&member, &apply(OTHER_SME)), Err(Denial::Forbidden));
        assert_eq!(authorize(&staff, &apply(SME)), Err(Denial::Forbidden));
        assert!(authorize(&member, &Action::ViewExportOffers { cluster_id: CLUSTER }).is_ok());
    }
}
