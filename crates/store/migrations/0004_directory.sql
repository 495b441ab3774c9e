-- SME capability directory (issue 3): profiles, brochures, the change log the search index follows,
-- buyers' saved searches and supplier shortlists. {blob} is the dialect's binary column type.

-- One profile per organisation, stored as the JSON of domain::profile::Profile: its shape is nested
-- (offers, references, per-field visibility) and only the search index queries inside it.
CREATE TABLE profiles (
    organisation_id BIGINT PRIMARY KEY REFERENCES organisations (id),
    document TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by BIGINT REFERENCES people (id)
);

CREATE TABLE brochures (
    id {id},
    organisation_id BIGINT NOT NULL REFERENCES organisations (id),
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    visibility TEXT NOT NULL,
    content {blob} NOT NULL,
    created_at BIGINT NOT NULL,
    created_by BIGINT REFERENCES people (id)
);
CREATE INDEX brochures_organisation ON brochures (organisation_id);

-- Every write that changes what the directory shows of an organisation appends its id here, in the
-- same transaction; the search index follows this log. A NULL organisation means "reindex all".
CREATE TABLE search_changes (
    id {id},
    organisation_id BIGINT,
    changed_at BIGINT NOT NULL
);

CREATE TABLE saved_searches (
    id {id},
    person_id BIGINT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    -- The search as the directory page encodes it (text and filters), JSON.
    query_json TEXT NOT NULL,
    alerts BIGINT NOT NULL,
    last_alert_at BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX saved_searches_person ON saved_searches (person_id);

-- Organisations a saved search has already shown or announced: alerts name only the others.
CREATE TABLE saved_search_seen (
    saved_search_id BIGINT NOT NULL REFERENCES saved_searches (id) ON DELETE CASCADE,
    organisation_id BIGINT NOT NULL,
    PRIMARY KEY (saved_search_id, organisation_id)
);

CREATE TABLE shortlists (
    id {id},
    person_id BIGINT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX shortlists_person ON shortlists (person_id);

CREATE TABLE shortlist_entries (
    shortlist_id BIGINT NOT NULL REFERENCES shortlists (id) ON DELETE CASCADE,
    organisation_id BIGINT NOT NULL REFERENCES organisations (id),
    note TEXT NOT NULL,
    added_at BIGINT NOT NULL,
    PRIMARY KEY (shortlist_id, organisation_id)
);
