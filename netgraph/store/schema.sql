-- netgraph store schema. The version lives in netgraph_meta; bump SCHEMA_VERSION in store.py
-- together with this file, and add a migration there.

CREATE TABLE netgraph_meta (
    key   VARCHAR PRIMARY KEY,
    value VARCHAR NOT NULL
);

-- One row per imported file (or per operation that writes, such as `init`).
CREATE TABLE import_batches (
    batch_id       INTEGER PRIMARY KEY,
    file           VARCHAR NOT NULL,
    sha256         VARCHAR,
    kind           VARCHAR NOT NULL,
    rows_in        INTEGER NOT NULL DEFAULT 0,
    rows_loaded    INTEGER NOT NULL DEFAULT 0,
    rows_rejected  INTEGER NOT NULL DEFAULT 0,
    rows_duplicate INTEGER NOT NULL DEFAULT 0,
    people_created INTEGER NOT NULL DEFAULT 0,
    imported_at    TIMESTAMP NOT NULL
);

CREATE TABLE people (
    person_id    INTEGER PRIMARY KEY,
    name         VARCHAR NOT NULL,
    company      VARCHAR,
    title        VARCHAR,
    city         VARCHAR,
    country      VARCHAR,
    tags         VARCHAR[],
    category     VARCHAR,           -- the user's own: target | connector | general
    cadence_days INTEGER,
    closeness    DOUBLE,            -- declared closeness in [0, 1], where the user gave one
    notes        VARCHAR,
    batch_id     INTEGER NOT NULL,  -- the batch that created the person
    created_by   VARCHAR NOT NULL,  -- 'contact' (a contacts row) or 'reference' (named in another file)
    needs        VARCHAR[],         -- what they are looking for, in their words ("seed funding")
    offers       VARCHAR[]          -- what they can give ("CTO-for-hire")
);

-- Every way a person is referred to: external id, email, phone, profile URL, alias.
CREATE TABLE identities (
    kind      VARCHAR NOT NULL,     -- id | email | phone | linkedin | alias
    value     VARCHAR NOT NULL,     -- normalised: emails case-folded, phones E.164 where readable, else digits
    raw       VARCHAR NOT NULL,     -- as given
    person_id INTEGER NOT NULL,
    batch_id  INTEGER NOT NULL,
    PRIMARY KEY (kind, value)
);

-- The two large tables carry no index: bulk loads stay fast, and ingest keeps ids and
-- fingerprints unique itself (it anti-joins each batch against what is stored).
CREATE TABLE interactions (
    interaction_id BIGINT NOT NULL,
    batch_id       INTEGER NOT NULL,
    line           INTEGER NOT NULL,
    occurred_at    TIMESTAMP NOT NULL,
    kind           VARCHAR NOT NULL,  -- meeting | call | email | message | event | other | connected
    initiator_id   INTEGER NOT NULL,  -- who started the contact (the `from` column)
    n_participants INTEGER NOT NULL,
    note           VARCHAR,
    fingerprint    VARCHAR NOT NULL  -- hash of the source row's normalised fields
);

CREATE TABLE interaction_participants (
    interaction_id BIGINT NOT NULL,
    person_id      INTEGER NOT NULL,
    role           VARCHAR NOT NULL,  -- from | to
    ref_id         INTEGER            -- how the source named them (participant_refs), for unmerge
);

-- The references participants came with (an email, a profile URL, a name), each stored once.
CREATE TABLE participant_refs (
    ref_id INTEGER PRIMARY KEY,
    ref    VARCHAR NOT NULL
);

CREATE TABLE introductions (
    intro_id      BIGINT PRIMARY KEY,
    batch_id      INTEGER NOT NULL,
    line          INTEGER NOT NULL,
    occurred_on   DATE NOT NULL,
    introducer_id INTEGER NOT NULL,
    a_id          INTEGER NOT NULL,
    b_id          INTEGER NOT NULL,
    status        VARCHAR NOT NULL,  -- requested | made | declined | converted
    value         DOUBLE,
    note          VARCHAR,
    fingerprint   VARCHAR NOT NULL UNIQUE,
    inferred      BOOLEAN NOT NULL DEFAULT false  -- guessed (a mail from me to two strangers), not told
);

CREATE TABLE follow_ups (
    follow_up_id BIGINT PRIMARY KEY,
    batch_id     INTEGER NOT NULL,
    line         INTEGER NOT NULL,
    person_id    INTEGER NOT NULL,
    due_on       DATE NOT NULL,
    note         VARCHAR,
    status       VARCHAR NOT NULL,  -- open | done | dropped (done and dropped: closed by hand)
    fingerprint  VARCHAR NOT NULL UNIQUE,
    -- where it came from: a follow-ups file, a promise detected in mail or notes, an event's triage
    source       VARCHAR NOT NULL DEFAULT 'file',  -- file | detected | triage
    owner        VARCHAR NOT NULL DEFAULT 'me',    -- who promised: me | them
    promise_kind VARCHAR,    -- meeting (kept by a meeting or call) | deliverable (by any contact)
    made_at      TIMESTAMP,  -- when it was promised: a later contact keeps it (file rows: none)
    interaction_id BIGINT    -- the mail or interaction it was found in, if any
);

CREATE TABLE rejected_rows (
    batch_id INTEGER NOT NULL,
    file     VARCHAR NOT NULL,
    line     INTEGER NOT NULL,
    raw      VARCHAR NOT NULL,
    reason   VARCHAR NOT NULL
);

-- Who "me" is, and the team: key 'me' -> person_id, key 'team' -> JSON list of person_ids.
CREATE TABLE settings (
    key   VARCHAR PRIMARY KEY,
    value VARCHAR NOT NULL
);

-- Every merge of two people (automatic or by hand), so that `netgraph unmerge` can undo it:
-- the merged person's row and the kept person's row before the merge, as JSON.
CREATE TABLE merges (
    merge_id    INTEGER PRIMARY KEY,
    batch_id    INTEGER NOT NULL,   -- the import or `netgraph merge` that made it
    kept_id     INTEGER NOT NULL,
    merged_id   INTEGER NOT NULL,
    rule        VARCHAR NOT NULL,   -- email | linkedin | phone | name+company | me | manual
    evidence    VARCHAR,            -- what matched, in words
    kept_before VARCHAR NOT NULL,   -- JSON
    merged_row  VARCHAR NOT NULL,   -- JSON
    undone_by   INTEGER             -- the batch of the `netgraph unmerge` that undid it
);

-- Each value a merge changed, to put back on undo. op: update (col was old) | delete (the row,
-- as JSON in old, was removed because the kept person already had it) | insert (a row added).
CREATE TABLE merge_changes (
    merge_id INTEGER NOT NULL,
    seq      INTEGER NOT NULL,
    tbl      VARCHAR NOT NULL,
    op       VARCHAR NOT NULL,
    row_key  VARCHAR NOT NULL,
    col      VARCHAR,
    old      VARCHAR
);

-- Pairs the user said are different people (`netgraph unmerge`, or `dedupe --not-same`):
-- never suggested or merged automatically again. low_id < high_id.
CREATE TABLE distinct_people (
    low_id  INTEGER NOT NULL,
    high_id INTEGER NOT NULL,
    PRIMARY KEY (low_id, high_id)
);

-- Every tie, with the features of netgraph/ties/features.py and its strength, as of one day.
-- Derived data: every writer brings it up to date in its own transaction (netgraph/ties/table.py),
-- and netgraph_meta records the data version ('ties_version'), day ('ties_day') and "me"
-- ('ties_me') it is current for. u < v.
CREATE TABLE ties (
    u                 INTEGER NOT NULL,
    v                 INTEGER NOT NULL,
    n_interactions    BIGINT NOT NULL,
    n_one_to_one      BIGINT NOT NULL,
    weighted_contacts DOUBLE NOT NULL,
    weighted_12m      DOUBLE NOT NULL,
    n_from_u          BIGINT NOT NULL,
    n_from_v          BIGINT NOT NULL,
    first_contact     TIMESTAMP,
    last_contact      TIMESTAMP,
    n_channels        BIGINT NOT NULL,
    kinds             VARCHAR NOT NULL,
    n_intros          BIGINT NOT NULL,
    n_converted       BIGINT NOT NULL,
    intro_score       DOUBLE NOT NULL,
    last_intro        DATE,
    closeness         DOUBLE,
    strength          DOUBLE NOT NULL,
    distance          DOUBLE NOT NULL
);

-- Whole-network results (communities, connectors of everyone, weak ties of everyone...), each
-- stored with the key (data version, day, parameters) it was computed for and read only while
-- that key still holds.
CREATE TABLE derived_cache (
    name       VARCHAR PRIMARY KEY,
    key        VARCHAR NOT NULL,
    created_at TIMESTAMP NOT NULL,
    payload    BLOB NOT NULL
);
