-- Foundation schema, written once for both backends: {id} is the dialect's auto-increment key.
-- Instants are Unix milliseconds (BIGINT) so both backends compare them alike.
CREATE TABLE clusters (
    id {id},
    name TEXT NOT NULL,
    slug TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL
);

CREATE TABLE organisations (
    id {id},
    legal_name TEXT NOT NULL,
    name_key TEXT NOT NULL,
    kind TEXT NOT NULL,
    siren TEXT NOT NULL,
    siret TEXT NOT NULL UNIQUE,
    naf_code TEXT NOT NULL,
    address_line TEXT NOT NULL,
    postcode TEXT NOT NULL,
    commune_code TEXT NOT NULL,
    department_code TEXT NOT NULL,
    region_code TEXT NOT NULL,
    headcount BIGINT NOT NULL,
    turnover_eur BIGINT,
    balance_sheet_eur BIGINT,
    size TEXT,
    website TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX organisations_name_key ON organisations (name_key);

CREATE TABLE memberships (
    cluster_id BIGINT NOT NULL REFERENCES clusters (id),
    organisation_id BIGINT NOT NULL REFERENCES organisations (id),
    joined_at BIGINT NOT NULL,
    PRIMARY KEY (cluster_id, organisation_id)
);
CREATE INDEX memberships_organisation ON memberships (organisation_id);

CREATE TABLE people (
    id {id},
    organisation_id BIGINT NOT NULL REFERENCES organisations (id),
    email TEXT NOT NULL UNIQUE,
    first_name TEXT NOT NULL,
    last_name TEXT NOT NULL,
    job_title TEXT,
    locale TEXT NOT NULL,
    password_hash TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX people_organisation ON people (organisation_id);

CREATE TABLE role_grants (
    person_id BIGINT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    role TEXT NOT NULL,
    scope_kind TEXT NOT NULL,
    scope_id BIGINT NOT NULL,
    PRIMARY KEY (person_id, role, scope_kind, scope_id)
);

CREATE TABLE invitations (
    id {id},
    token_hash TEXT NOT NULL UNIQUE,
    email TEXT NOT NULL,
    organisation_id BIGINT NOT NULL REFERENCES organisations (id),
    role TEXT NOT NULL,
    cluster_id BIGINT REFERENCES clusters (id),
    invited_by BIGINT NOT NULL REFERENCES people (id),
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    accepted_at BIGINT
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    person_id BIGINT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_person ON sessions (person_id);

CREATE TABLE password_resets (
    token_hash TEXT PRIMARY KEY,
    person_id BIGINT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);

CREATE TABLE api_tokens (
    id {id},
    person_id BIGINT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL,
    last_used_at BIGINT,
    revoked_at BIGINT
);

CREATE TABLE audit_log (
    id {id},
    at BIGINT NOT NULL,
    actor_person_id BIGINT,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id BIGINT NOT NULL,
    before_json TEXT,
    after_json TEXT
);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id);
