-- Export support (issue 6): premises abroad that large members offer and the stays SMEs request
-- in them; VIE posts a large member hosts abroad and the shares SMEs apply for. Dates are ISO
-- `YYYY-MM-DD` TEXT (ordered as dates on both backends); instants are Unix ms; percentages and
-- money are exact decimals written as TEXT (`33.33`, `4200.50`), read back by the app.

-- Premises abroad. Withdrawn, never deleted: the stays accepted there keep their meaning.
CREATE TABLE export_premises (
    id {id},
    cluster_id BIGINT NOT NULL REFERENCES clusters (id),
    host_id BIGINT NOT NULL REFERENCES organisations (id),
    city TEXT NOT NULL,
    country TEXT NOT NULL,
    desks BIGINT NOT NULL,
    available_from TEXT NOT NULL,
    available_to TEXT NOT NULL,
    conditions TEXT NOT NULL,
    -- Whom requesters talk to: a person of the host, or an e-mail address (one of the two).
    contact_person_id BIGINT REFERENCES people (id),
    contact_email TEXT,
    created_at BIGINT NOT NULL,
    created_by BIGINT REFERENCES people (id),
    updated_at BIGINT NOT NULL,
    withdrawn_at BIGINT
);
CREATE INDEX export_premises_cluster ON export_premises (cluster_id, withdrawn_at);

-- A stay an organisation requests. state: pending, then accepted or declined (with the host's
-- message), or withdrawn by the requester while pending. Changed only by guarded updates; accepting
-- takes the premises' row lock first so that two accepts cannot overbook a day.
CREATE TABLE export_stays (
    id {id},
    premises_id BIGINT NOT NULL REFERENCES export_premises (id),
    organisation_id BIGINT NOT NULL REFERENCES organisations (id),
    requested_by BIGINT REFERENCES people (id),
    starts_on TEXT NOT NULL,
    ends_on TEXT NOT NULL,
    desks BIGINT NOT NULL,
    purpose TEXT NOT NULL,
    state TEXT NOT NULL,
    answer TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    decided_at BIGINT,
    decided_by BIGINT REFERENCES people (id)
);
CREATE INDEX export_stays_premises ON export_stays (premises_id, state);
CREATE INDEX export_stays_organisation ON export_stays (organisation_id);

-- A VIE post a large member hosts and SMEs share. confirmed_at is set once the accepted shares
-- sum to exactly 100 %; after that no share changes.
CREATE TABLE export_vie_posts (
    id {id},
    cluster_id BIGINT NOT NULL REFERENCES clusters (id),
    host_id BIGINT NOT NULL REFERENCES organisations (id),
    title TEXT NOT NULL,
    country TEXT NOT NULL,
    city TEXT NOT NULL,
    mission TEXT NOT NULL,
    starts_on TEXT NOT NULL,
    duration_months BIGINT NOT NULL,
    monthly_cost TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    created_by BIGINT REFERENCES people (id),
    confirmed_at BIGINT,
    confirmed_by BIGINT REFERENCES people (id),
    withdrawn_at BIGINT
);
CREATE INDEX export_vie_posts_cluster ON export_vie_posts (cluster_id, withdrawn_at);

-- An organisation's application for a share of a VIE post: the percentage of the volunteer's time
-- and what the volunteer would do for it. state as for stays.
CREATE TABLE export_vie_applications (
    id {id},
    post_id BIGINT NOT NULL REFERENCES export_vie_posts (id),
    organisation_id BIGINT NOT NULL REFERENCES organisations (id),
    applied_by BIGINT REFERENCES people (id),
    share TEXT NOT NULL,
    tasks TEXT NOT NULL,
    state TEXT NOT NULL,
    answer TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    decided_at BIGINT,
    decided_by BIGINT REFERENCES people (id)
);
CREATE INDEX export_vie_applications_post ON export_vie_applications (post_id, state);
-- One live application per organisation and post: a second one while the first is pending or
-- accepted is refused (the app answers 409 before, this closes the race).
CREATE UNIQUE INDEX export_vie_applications_live ON export_vie_applications (post_id, organisation_id)
    WHERE state IN ('pending', 'accepted');
