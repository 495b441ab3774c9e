-- Buyers' supplier lists (issue 4): one row per listing period of a supplier by a buyer. A period
-- opens when the supplier is listed (after a call, from the qualified portfolio, or directly) and
-- closes when it is delisted, with the reason; listing it again opens a new period, so the history
-- of every delisting is kept. Instants are Unix milliseconds.
CREATE TABLE supplier_listings (
    id {id},
    buyer_id BIGINT NOT NULL REFERENCES organisations (id),
    supplier_id BIGINT NOT NULL REFERENCES organisations (id),
    -- call, portfolio or direct.
    origin TEXT NOT NULL,
    -- The call and the published decision that listed it, when the origin is a call.
    call_id BIGINT REFERENCES calls (id),
    decision_id BIGINT REFERENCES dossier_decisions (id),
    note TEXT NOT NULL,
    listed_at BIGINT NOT NULL,
    listed_by BIGINT REFERENCES people (id),
    delisted_at BIGINT,
    delisted_by BIGINT REFERENCES people (id),
    delist_reason TEXT,
    CHECK (buyer_id <> supplier_id),
    CHECK (origin IN ('call', 'portfolio', 'direct')),
    CHECK ((delisted_at IS NULL) = (delist_reason IS NULL))
);
-- At most one open period per buyer and supplier: of two racing listings, one fails here.
CREATE UNIQUE INDEX supplier_listings_open ON supplier_listings (buyer_id, supplier_id)
    WHERE delisted_at IS NULL;
CREATE INDEX supplier_listings_buyer ON supplier_listings (buyer_id, listed_at);
CREATE INDEX supplier_listings_supplier ON supplier_listings (supplier_id);
