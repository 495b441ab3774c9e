-- Partner pools (issue 6): tender opportunities with their lots and requirements, consortia formed
-- to answer them, their members (invited, accepted or declined), the private workspace's messages
-- and documents, and the joint dossiers a consortium's lead submitted to a Passerelle call.
-- Instants are Unix ms.

-- An opportunity: one of the cluster's calls (call_id set; title and deadline come from the call)
-- or an external tender entered by a member (buyer, url, deadline_at). organisation_id: the
-- organisation of the person who entered it.
CREATE TABLE opportunities (
    id {id},
    cluster_id BIGINT NOT NULL REFERENCES clusters (id),
    call_id BIGINT REFERENCES calls (id),
    organisation_id BIGINT NOT NULL REFERENCES organisations (id),
    title TEXT NOT NULL,
    buyer TEXT NOT NULL,
    url TEXT NOT NULL,
    description TEXT NOT NULL,
    deadline_at BIGINT,
    created_by BIGINT REFERENCES people (id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX opportunities_cluster ON opportunities (cluster_id, created_at);

-- The opportunity's lots, 1, 2, 3… with the minimum headcount a team needs for the lot (0: none).
CREATE TABLE opportunity_lots (
    opportunity_id BIGINT NOT NULL REFERENCES opportunities (id) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    name TEXT NOT NULL,
    min_headcount BIGINT NOT NULL,
    PRIMARY KEY (opportunity_id, position)
);

-- What a lot requires. kind: capability (a code of the directory's vocabulary), certification (a
-- name, compared accent- and case-insensitively) or region (an INSEE region code).
CREATE TABLE opportunity_requirements (
    opportunity_id BIGINT NOT NULL REFERENCES opportunities (id) ON DELETE CASCADE,
    lot_position BIGINT NOT NULL,
    kind TEXT NOT NULL,
    code TEXT NOT NULL,
    PRIMARY KEY (opportunity_id, lot_position, kind, code)
);

-- A consortium formed for an opportunity; lead_organisation_id is the mandataire.
CREATE TABLE consortia (
    id {id},
    opportunity_id BIGINT NOT NULL REFERENCES opportunities (id),
    name TEXT NOT NULL,
    lead_organisation_id BIGINT NOT NULL REFERENCES organisations (id),
    created_by BIGINT REFERENCES people (id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX consortia_opportunity ON consortia (opportunity_id);

-- Its member organisations. state: invited, accepted or declined (the forming organisation is
-- accepted from the start); changed only by guarded updates.
CREATE TABLE consortium_members (
    consortium_id BIGINT NOT NULL REFERENCES consortia (id) ON DELETE CASCADE,
    organisation_id BIGINT NOT NULL REFERENCES organisations (id),
    state TEXT NOT NULL,
    invited_at BIGINT NOT NULL,
    invited_by BIGINT REFERENCES people (id),
    answered_at BIGINT,
    answered_by BIGINT REFERENCES people (id),
    PRIMARY KEY (consortium_id, organisation_id)
);
CREATE INDEX consortium_members_organisation ON consortium_members (organisation_id, state);

-- The workspace's messages (text), by a person of an accepted member.
CREATE TABLE consortium_messages (
    id {id},
    consortium_id BIGINT NOT NULL REFERENCES consortia (id) ON DELETE CASCADE,
    organisation_id BIGINT NOT NULL REFERENCES organisations (id),
    person_id BIGINT REFERENCES people (id),
    body TEXT NOT NULL,
    posted_at BIGINT NOT NULL
);
CREATE INDEX consortium_messages_consortium ON consortium_messages (consortium_id, posted_at);

-- The workspace's documents, stored once per content in `files`; names are sanitised by the app
-- and unique within a consortium.
CREATE TABLE consortium_documents (
    consortium_id BIGINT NOT NULL REFERENCES consortia (id) ON DELETE CASCADE,
    file_name TEXT NOT NULL,
    file_sha256 TEXT NOT NULL REFERENCES files (sha256),
    size_bytes BIGINT NOT NULL,
    content_type TEXT NOT NULL,
    organisation_id BIGINT NOT NULL REFERENCES organisations (id),
    added_at BIGINT NOT NULL,
    added_by BIGINT REFERENCES people (id),
    PRIMARY KEY (consortium_id, file_name)
);

-- A joint dossier: the lead's dossier for the call (dossiers (call_id, organisation_id)) answered
-- on behalf of the consortium, with its co-contractors as they stood at the submission.
CREATE TABLE consortium_dossiers (
    consortium_id BIGINT NOT NULL REFERENCES consortia (id),
    call_id BIGINT NOT NULL REFERENCES calls (id),
    lead_organisation_id BIGINT NOT NULL REFERENCES organisations (id),
    submitted_at BIGINT NOT NULL,
    submitted_by BIGINT REFERENCES people (id),
    PRIMARY KEY (consortium_id, call_id),
    -- One dossier per organisation and call: a lead's dossier answers for one consortium at most.
    UNIQUE (call_id, lead_organisation_id)
);

CREATE TABLE consortium_dossier_members (
    consortium_id BIGINT NOT NULL REFERENCES consortia (id),
    call_id BIGINT NOT NULL REFERENCES calls (id),
    organisation_id BIGINT NOT NULL REFERENCES organisations (id),
    PRIMARY KEY (consortium_id, call_id, organisation_id)
);
