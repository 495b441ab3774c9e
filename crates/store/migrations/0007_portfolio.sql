-- The qualified-supplier portfolio (issue 4, item 9): a cluster's qualification criteria, the
-- organisations' applications with their evidence, the reviewers the staff name and their opinions,
-- the staff's decision (qualified until a renewal date, or refused with a reason), and the
-- subscriptions that let large accounts read the portfolio in full. Dates (renewal, subscription
-- start and end) are ISO `YYYY-MM-DD` TEXT, which both backends order as dates; instants are Unix ms.

-- What a cluster checks before qualifying a supplier, in the order applicants answer them. A
-- criterion is deactivated, never deleted: evidence and opinions given on it keep their meaning.
CREATE TABLE qualification_criteria (
    id {id},
    cluster_id BIGINT NOT NULL REFERENCES clusters (id),
    position BIGINT NOT NULL,
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    active BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by BIGINT REFERENCES people (id)
);
CREATE INDEX qualification_criteria_cluster ON qualification_criteria (cluster_id, position);

-- An organisation's application. state: draft, submitted, under_review, then qualified or refused
-- (final: the decision is never changed, a renewal is a new application); withdrawn by the applicant
-- before the decision. Changed only by guarded updates.
CREATE TABLE qualification_applications (
    id {id},
    cluster_id BIGINT NOT NULL REFERENCES clusters (id),
    organisation_id BIGINT NOT NULL REFERENCES organisations (id),
    state TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    created_by BIGINT REFERENCES people (id),
    updated_at BIGINT NOT NULL,
    submitted_at BIGINT,
    withdrawn_at BIGINT,
    decided_at BIGINT,
    decided_by BIGINT REFERENCES people (id),
    -- Set with a qualified decision: the day after which the qualification has lapsed.
    renewal_on TEXT,
    -- Set with a refused decision: what the applicant is told.
    refusal_reason TEXT
);
CREATE INDEX qualification_applications_cluster ON qualification_applications (cluster_id, state);
CREATE INDEX qualification_applications_organisation ON qualification_applications (organisation_id);

-- The applicant's evidence for one criterion.
CREATE TABLE qualification_evidence (
    application_id BIGINT NOT NULL REFERENCES qualification_applications (id) ON DELETE CASCADE,
    criterion_id BIGINT NOT NULL REFERENCES qualification_criteria (id),
    text TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by BIGINT REFERENCES people (id),
    PRIMARY KEY (application_id, criterion_id)
);

-- Files backing the evidence for one criterion (a certificate, accounts), stored once per content in
-- `files`; names are sanitised by the app and unique within an application.
CREATE TABLE qualification_evidence_files (
    application_id BIGINT NOT NULL REFERENCES qualification_applications (id) ON DELETE CASCADE,
    criterion_id BIGINT NOT NULL REFERENCES qualification_criteria (id),
    file_name TEXT NOT NULL,
    file_sha256 TEXT NOT NULL REFERENCES files (sha256),
    size_bytes BIGINT NOT NULL,
    content_type TEXT NOT NULL,
    added_at BIGINT NOT NULL,
    added_by BIGINT REFERENCES people (id),
    PRIMARY KEY (application_id, file_name)
);

-- The people the staff name to review an application.
CREATE TABLE qualification_reviewers (
    application_id BIGINT NOT NULL REFERENCES qualification_applications (id) ON DELETE CASCADE,
    person_id BIGINT NOT NULL REFERENCES people (id),
    named_at BIGINT NOT NULL,
    named_by BIGINT REFERENCES people (id),
    PRIMARY KEY (application_id, person_id)
);

-- A reviewer's opinion on one criterion: met (1) or not (0), with a comment.
CREATE TABLE qualification_opinions (
    application_id BIGINT NOT NULL REFERENCES qualification_applications (id) ON DELETE CASCADE,
    person_id BIGINT NOT NULL REFERENCES people (id),
    criterion_id BIGINT NOT NULL REFERENCES qualification_criteria (id),
    met BIGINT NOT NULL,
    comment TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (application_id, person_id, criterion_id)
);

-- An organisation's entitlement to read a cluster's portfolio in full, from starts_on to ends_on
-- inclusive, unless revoked.
CREATE TABLE portfolio_subscriptions (
    id {id},
    cluster_id BIGINT NOT NULL REFERENCES clusters (id),
    organisation_id BIGINT NOT NULL REFERENCES organisations (id),
    starts_on TEXT NOT NULL,
    ends_on TEXT NOT NULL,
    granted_at BIGINT NOT NULL,
    granted_by BIGINT REFERENCES people (id),
    revoked_at BIGINT,
    revoked_by BIGINT REFERENCES people (id)
);
CREATE INDEX portfolio_subscriptions_cluster ON portfolio_subscriptions (cluster_id, organisation_id);
