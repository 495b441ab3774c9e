-- Purchasing committee (issue 4): buyers' purchasing policies, committee sessions, calls for
-- proposals (lots, criteria, documents, questions, amendments, invitations), SMEs' dossiers with
-- every submitted version kept, and the evaluation of dossiers. Instants are Unix milliseconds,
-- flags BIGINT 0/1, lists of codes JSON arrays in TEXT. {blob} is the dialect's binary type.

-- What a large account buys and how to become its supplier; one per organisation.
CREATE TABLE purchasing_policies (
    organisation_id BIGINT PRIMARY KEY REFERENCES organisations (id),
    buys TEXT NOT NULL,
    innovation_priorities TEXT NOT NULL,
    how_to_get_listed TEXT NOT NULL,
    contacts TEXT NOT NULL,
    commitments TEXT NOT NULL,
    published BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by BIGINT REFERENCES people (id)
);

-- A committee cycle: buyers present their needs, dossiers are due, decisions are taken.
CREATE TABLE committee_sessions (
    id {id},
    cluster_id BIGINT NOT NULL REFERENCES clusters (id),
    title TEXT NOT NULL,
    presentation_at BIGINT NOT NULL,
    dossiers_due_at BIGINT NOT NULL,
    decision_at BIGINT NOT NULL,
    created_by BIGINT REFERENCES people (id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX committee_sessions_cluster ON committee_sessions (cluster_id);

-- The buyers presenting at a session, in speaking order.
CREATE TABLE committee_presenters (
    session_id BIGINT NOT NULL REFERENCES committee_sessions (id) ON DELETE CASCADE,
    organisation_id BIGINT NOT NULL REFERENCES organisations (id),
    position BIGINT NOT NULL,
    PRIMARY KEY (session_id, organisation_id)
);

CREATE TABLE calls (
    id {id},
    cluster_id BIGINT NOT NULL REFERENCES clusters (id),
    buyer_id BIGINT NOT NULL REFERENCES organisations (id),
    -- The session the call is attached to, if any.
    session_id BIGINT REFERENCES committee_sessions (id) ON DELETE SET NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    -- goods, services or works (OCDS mainProcurementCategory).
    category TEXT NOT NULL,
    -- Eligibility, JSON arrays: size codes, certification names, INSEE region codes; [] = any.
    eligible_sizes TEXT NOT NULL,
    required_certifications TEXT NOT NULL,
    accepted_regions TEXT NOT NULL,
    opens_at BIGINT NOT NULL,
    closes_at BIGINT NOT NULL,
    -- public, members or invited.
    visibility TEXT NOT NULL,
    -- draft, published, closed, decided or cancelled; changed only by guarded updates.
    state TEXT NOT NULL,
    state_changed_at BIGINT NOT NULL,
    published_at BIGINT,
    cancel_reason TEXT,
    created_by BIGINT REFERENCES people (id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX calls_cluster ON calls (cluster_id, state);
CREATE INDEX calls_buyer ON calls (buyer_id);
CREATE INDEX calls_session ON calls (session_id);

CREATE TABLE call_lots (
    call_id BIGINT NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
    -- 1, 2, 3… in the call's order; dossiers name the lots they answer by it.
    position BIGINT NOT NULL,
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    PRIMARY KEY (call_id, position)
);

CREATE TABLE call_criteria (
    call_id BIGINT NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
    -- 1, 2, 3… in the call's order; marks name their criterion by it.
    position BIGINT NOT NULL,
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    weight BIGINT NOT NULL,
    scale_max BIGINT NOT NULL,
    PRIMARY KEY (call_id, position)
);

-- File contents, stored once whoever attaches them: the key is the SHA-256 of the bytes (hex),
-- which is also the checksum a download is verified against. The type is sniffed from the bytes.
CREATE TABLE files (
    sha256 TEXT PRIMARY KEY,
    size_bytes BIGINT NOT NULL,
    content_type TEXT NOT NULL,
    content {blob} NOT NULL,
    created_at BIGINT NOT NULL
);

-- Documents the buyer attaches to a call (specifications, templates).
CREATE TABLE call_documents (
    id {id},
    call_id BIGINT NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
    file_name TEXT NOT NULL,
    file_sha256 TEXT NOT NULL REFERENCES files (sha256),
    size_bytes BIGINT NOT NULL,
    content_type TEXT NOT NULL,
    added_at BIGINT NOT NULL,
    added_by BIGINT REFERENCES people (id),
    UNIQUE (call_id, file_name)
);

-- Questions from candidates; an answer is shown to everyone who sees the call, without the asker.
CREATE TABLE call_questions (
    id {id},
    call_id BIGINT NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
    organisation_id BIGINT REFERENCES organisations (id),
    asked_by BIGINT REFERENCES people (id),
    question TEXT NOT NULL,
    asked_at BIGINT NOT NULL,
    answer TEXT,
    answered_by BIGINT REFERENCES people (id),
    answered_at BIGINT
);
CREATE INDEX call_questions_call ON call_questions (call_id);

CREATE TABLE call_amendments (
    id {id},
    call_id BIGINT NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
    text TEXT NOT NULL,
    at BIGINT NOT NULL,
    made_by BIGINT REFERENCES people (id)
);
CREATE INDEX call_amendments_call ON call_amendments (call_id);

-- Organisations invited to a call (the only ones who see an "invited only" call).
CREATE TABLE call_invitations (
    call_id BIGINT NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
    organisation_id BIGINT NOT NULL REFERENCES organisations (id),
    invited_at BIGINT NOT NULL,
    invited_by BIGINT REFERENCES people (id),
    PRIMARY KEY (call_id, organisation_id)
);
CREATE INDEX call_invitations_organisation ON call_invitations (organisation_id);

-- One dossier per candidate and call. Its answer and lots are the draft, editable at any time;
-- what the buyer reads is the submitted version named by current_version.
CREATE TABLE dossiers (
    id {id},
    call_id BIGINT NOT NULL REFERENCES calls (id),
    organisation_id BIGINT NOT NULL REFERENCES organisations (id),
    -- draft, submitted or withdrawn.
    state TEXT NOT NULL,
    answer TEXT NOT NULL,
    -- Positions of the lots answered, JSON array.
    lots TEXT NOT NULL,
    current_version BIGINT,
    submitted_at BIGINT,
    withdrawn_at BIGINT,
    shortlisted_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by BIGINT REFERENCES people (id),
    UNIQUE (call_id, organisation_id)
);
CREATE INDEX dossiers_organisation ON dossiers (organisation_id);

-- Every submission, kept: versions 1, 2, 3… of a dossier.
CREATE TABLE dossier_versions (
    dossier_id BIGINT NOT NULL REFERENCES dossiers (id) ON DELETE CASCADE,
    version BIGINT NOT NULL,
    answer TEXT NOT NULL,
    lots TEXT NOT NULL,
    submitted_at BIGINT NOT NULL,
    submitted_by BIGINT REFERENCES people (id),
    PRIMARY KEY (dossier_id, version)
);

-- Attachments of the draft (version 0) and of each submitted version (copied at submission).
CREATE TABLE dossier_attachments (
    dossier_id BIGINT NOT NULL REFERENCES dossiers (id) ON DELETE CASCADE,
    version BIGINT NOT NULL,
    -- Sanitised by the app before it gets here; unique within a version.
    file_name TEXT NOT NULL,
    file_sha256 TEXT NOT NULL REFERENCES files (sha256),
    size_bytes BIGINT NOT NULL,
    content_type TEXT NOT NULL,
    added_at BIGINT NOT NULL,
    PRIMARY KEY (dossier_id, version, file_name)
);

-- Evaluation: the people a buyer names to score a call's dossiers.
CREATE TABLE call_evaluators (
    call_id BIGINT NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
    person_id BIGINT NOT NULL REFERENCES people (id),
    named_at BIGINT NOT NULL,
    named_by BIGINT REFERENCES people (id),
    PRIMARY KEY (call_id, person_id)
);

-- An evaluator's declared conflict of interest with one dossier: their marks on it do not count.
CREATE TABLE evaluation_conflicts (
    dossier_id BIGINT NOT NULL REFERENCES dossiers (id) ON DELETE CASCADE,
    person_id BIGINT NOT NULL REFERENCES people (id),
    reason TEXT NOT NULL,
    declared_at BIGINT NOT NULL,
    PRIMARY KEY (dossier_id, person_id)
);

-- One mark per evaluator, dossier and criterion (by position), with the evaluator's comment.
CREATE TABLE evaluation_marks (
    dossier_id BIGINT NOT NULL REFERENCES dossiers (id) ON DELETE CASCADE,
    person_id BIGINT NOT NULL REFERENCES people (id),
    criterion_position BIGINT NOT NULL,
    mark BIGINT NOT NULL,
    comment TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (dossier_id, person_id, criterion_position)
);

-- Decisions on dossiers (listed or not_retained, with feedback for the candidate). A published
-- decision is never changed: a correction is a new decision whose `corrects` names the old one.
CREATE TABLE dossier_decisions (
    id {id},
    dossier_id BIGINT NOT NULL REFERENCES dossiers (id),
    outcome TEXT NOT NULL,
    feedback TEXT NOT NULL,
    corrects BIGINT REFERENCES dossier_decisions (id),
    decided_by BIGINT REFERENCES people (id),
    created_at BIGINT NOT NULL,
    published_at BIGINT
);
CREATE INDEX dossier_decisions_dossier ON dossier_decisions (dossier_id);
