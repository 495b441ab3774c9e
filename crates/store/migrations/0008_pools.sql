-- Pooled purchasing (issue 6): pools, conditional commitments, sealed tiered offers, awards.
-- Instants are Unix ms. Money is exact decimal TEXT ("0.1234", "1250.00"): unit prices with at most
-- four decimal places, amounts in cents; the app reads it back with rust_decimal, never a float.

-- A pool run by a cluster's staff. state: draft, open, closed, awarded, cancelled — changed only by
-- guarded updates (`WHERE state = $expected`). Commitments and offers are taken while open, from
-- opens_at (inclusive) to closes_at (exclusive), checked by the writing statements themselves.
-- outcome, set at the close: award (award_* columns and the two award tables filled),
-- below_minimum, infeasible (the offers' maximum volumes fall short) or no_offer.
CREATE TABLE pools (
    id {id},
    cluster_id BIGINT NOT NULL REFERENCES clusters (id),
    title TEXT NOT NULL,
    category TEXT NOT NULL,
    specification TEXT NOT NULL,
    unit TEXT NOT NULL,
    opens_at BIGINT NOT NULL,
    closes_at BIGINT NOT NULL,
    minimum_volume BIGINT NOT NULL,
    state TEXT NOT NULL,
    outcome TEXT,
    -- At the close: the committed volume (all outcomes) and the award's totals (outcome award).
    committed_volume BIGINT,
    award_total TEXT,
    award_unit_price TEXT,
    award_current_total TEXT,
    award_savings TEXT,
    cancel_reason TEXT,
    created_at BIGINT NOT NULL,
    created_by BIGINT REFERENCES people (id),
    updated_at BIGINT NOT NULL,
    updated_by BIGINT REFERENCES people (id),
    published_at BIGINT,
    closed_at BIGINT,
    awarded_at BIGINT,
    awarded_by BIGINT REFERENCES people (id),
    cancelled_at BIGINT
);
CREATE INDEX pools_cluster ON pools (cluster_id, state);
CREATE INDEX pools_due ON pools (state, closes_at);

-- The suppliers invited to make an offer.
CREATE TABLE pool_invitations (
    pool_id BIGINT NOT NULL REFERENCES pools (id) ON DELETE CASCADE,
    organisation_id BIGINT NOT NULL REFERENCES organisations (id),
    invited_at BIGINT NOT NULL,
    PRIMARY KEY (pool_id, organisation_id)
);
CREATE INDEX pool_invitations_organisation ON pool_invitations (organisation_id);

-- One conditional commitment per organisation and pool; withdrawing deletes it. committed_at is
-- kept through changes: it orders the award's tie-breaks (earlier commitment first).
CREATE TABLE pool_commitments (
    pool_id BIGINT NOT NULL REFERENCES pools (id) ON DELETE CASCADE,
    organisation_id BIGINT NOT NULL REFERENCES organisations (id),
    volume BIGINT NOT NULL,
    current_price TEXT NOT NULL,
    committed_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by BIGINT REFERENCES people (id),
    PRIMARY KEY (pool_id, organisation_id)
);
CREATE INDEX pool_commitments_organisation ON pool_commitments (organisation_id);

-- One sealed offer per invited supplier and pool: tiers as a JSON array of
-- {"from_volume": n, "unit_price": "d"}; max_volume NULL for no limit. Read by anyone but its
-- supplier only once closes_at has passed (the reading statement checks it).
CREATE TABLE pool_offers (
    pool_id BIGINT NOT NULL REFERENCES pools (id) ON DELETE CASCADE,
    organisation_id BIGINT NOT NULL REFERENCES organisations (id),
    tiers TEXT NOT NULL,
    max_volume BIGINT,
    offered_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by BIGINT REFERENCES people (id),
    PRIMARY KEY (pool_id, organisation_id)
);

-- The award computed at the close: one line per supplier that made an offer (volume 0 when left
-- out) and one share per commitment, in the commitments' order (position).
CREATE TABLE pool_award_lines (
    pool_id BIGINT NOT NULL REFERENCES pools (id) ON DELETE CASCADE,
    organisation_id BIGINT NOT NULL REFERENCES organisations (id),
    volume BIGINT NOT NULL,
    unit_price TEXT,
    cost TEXT NOT NULL,
    PRIMARY KEY (pool_id, organisation_id)
);

CREATE TABLE pool_award_shares (
    pool_id BIGINT NOT NULL REFERENCES pools (id) ON DELETE CASCADE,
    organisation_id BIGINT NOT NULL REFERENCES organisations (id),
    position BIGINT NOT NULL,
    volume BIGINT NOT NULL,
    current_price TEXT NOT NULL,
    current_cost TEXT NOT NULL,
    new_unit_price TEXT NOT NULL,
    new_cost TEXT NOT NULL,
    savings TEXT NOT NULL,
    PRIMARY KEY (pool_id, organisation_id)
);
