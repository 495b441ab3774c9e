//! Partner pools: tender opportunities with their requirements, the teams `domain::teams` proposes
//! from members' profiles, and consortia — invitations, a lead, a private workspace, and the joint
//! dossier submitted to a Passerelle call.
