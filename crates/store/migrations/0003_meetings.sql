-- Business meetings (issue 5): matchmaking events, their slots, participants, meeting requests and
-- scheduled meetings. Flags are BIGINT 0/1 so that both backends read them alike through sqlx Any.
CREATE TABLE events (
    id {id},
    cluster_id BIGINT NOT NULL REFERENCES clusters (id),
    title TEXT NOT NULL,
    venue TEXT NOT NULL,
    -- The programme as entered: first day (YYYY-MM-DD), number of days, sessions per day
    -- ("09:00-12:30,14:00-17:30"), slot length and break between slots in minutes.
    first_day TEXT NOT NULL,
    days BIGINT NOT NULL,
    sessions TEXT NOT NULL,
    slot_minutes BIGINT NOT NULL,
    break_minutes BIGINT NOT NULL,
    tables_count BIGINT NOT NULL,
    online BIGINT NOT NULL,
    registration_open BIGINT NOT NULL,
    -- Pending requests expire at this instant; no request is sent after it.
    request_deadline BIGINT NOT NULL,
    max_pending BIGINT NOT NULL,
    max_meetings BIGINT,
    published_at BIGINT,
    -- Figures of the last generation, shown on the organiser's screen.
    generated_at BIGINT,
    total_weight BIGINT,
    upper_bound BIGINT,
    unscheduled_json TEXT,
    created_by BIGINT REFERENCES people (id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX events_cluster ON events (cluster_id);

-- Slots derived from the programme, as instants (Unix ms) computed in Europe/Paris.
CREATE TABLE event_slots (
    event_id BIGINT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    slot_index BIGINT NOT NULL,
    starts_at BIGINT NOT NULL,
    ends_at BIGINT NOT NULL,
    PRIMARY KEY (event_id, slot_index)
);

-- A registered member (person_id set) or an external guest (guest_* set).
CREATE TABLE participants (
    id {id},
    event_id BIGINT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    person_id BIGINT REFERENCES people (id),
    organisation_id BIGINT REFERENCES organisations (id),
    display_name TEXT NOT NULL,
    organisation_name TEXT NOT NULL,
    email TEXT NOT NULL,
    guest BIGINT NOT NULL,
    -- sme, midcap, large or other: the scheduler guarantees SMEs a meeting where it can.
    kind TEXT NOT NULL,
    offers TEXT NOT NULL,
    seeks TEXT NOT NULL,
    -- Slot indices the participant is available in, comma-separated.
    available TEXT NOT NULL,
    max_meetings BIGINT,
    feed_token_hash TEXT UNIQUE,
    checked_in_at BIGINT,
    registered_at BIGINT NOT NULL,
    UNIQUE (event_id, person_id)
);
CREATE INDEX participants_person ON participants (person_id);

-- One row per direction: a->b and b->a together are mutual interest.
CREATE TABLE meeting_requests (
    id {id},
    event_id BIGINT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    from_participant BIGINT NOT NULL REFERENCES participants (id),
    to_participant BIGINT NOT NULL REFERENCES participants (id),
    message TEXT NOT NULL,
    -- pending, accepted, declined, expired or cancelled.
    status TEXT NOT NULL,
    must_meet BIGINT NOT NULL,
    met_before BIGINT NOT NULL,
    -- Set by the recipient on declining: the sender may not ask again.
    no_thanks BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    answered_at BIGINT,
    expires_at BIGINT NOT NULL,
    UNIQUE (event_id, from_participant, to_participant)
);
CREATE INDEX meeting_requests_to ON meeting_requests (to_participant);

CREATE TABLE meetings (
    id {id},
    event_id BIGINT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    request_id BIGINT NOT NULL UNIQUE REFERENCES meeting_requests (id),
    participant_a BIGINT NOT NULL REFERENCES participants (id),
    participant_b BIGINT NOT NULL REFERENCES participants (id),
    slot_index BIGINT NOT NULL,
    table_no BIGINT NOT NULL,
    -- draft or published.
    state TEXT NOT NULL,
    weight BIGINT NOT NULL,
    -- held or no_show once the event is over.
    attendance TEXT,
    -- none, call, quote or contract.
    follow_up TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (event_id, slot_index, table_no)
);
CREATE INDEX meetings_a ON meetings (participant_a);
CREATE INDEX meetings_b ON meetings (participant_b);
