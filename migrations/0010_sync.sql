-- Sync (docs/sync.md). What this device knows of the sync server: its address, the account, the
-- session, how far it has read the vault's records, and the last time it synced (key/value, text).
-- Append-only: never edit this file once it has landed.
CREATE TABLE sync_state (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

-- Records sealed and waiting for the server's receipt, byte for byte: a retry after a lost answer sends
-- the same bytes, which the server counts as already stored instead of a different record at the same
-- place. `last_op` is the operation whose last piece the record carries (NULL for a middle piece).
CREATE TABLE sync_outbox (
    seq     INTEGER PRIMARY KEY,
    op_id   INTEGER NOT NULL,
    last_op INTEGER,
    data    BLOB NOT NULL
);

-- Each other device's place in its series: the next record must be the one after `last_seq`, so a
-- record cut out, replayed or moved is noticed.
CREATE TABLE sync_devices (
    device   TEXT PRIMARY KEY,
    last_seq INTEGER NOT NULL
) WITHOUT ROWID;

-- What last-writer-wins decided against: a field one device set that another device's later write
-- overwrote, or an edit that met a deleted row. Shown by `credence sync conflicts`.
CREATE TABLE sync_conflicts (
    id          INTEGER PRIMARY KEY,
    decided_at  TEXT NOT NULL,
    entity      INTEGER NOT NULL,
    entity_id   BLOB NOT NULL,
    field       TEXT,
    kept        TEXT,
    kept_hlc    TEXT,
    lost        TEXT,
    lost_hlc    TEXT NOT NULL,
    lost_device TEXT NOT NULL
);

-- The newest write of a field decides who wins; updates are found by row and field. Inserts (a run of
-- ids per entry) are not in it: an update is always newer than the insert of its row.
CREATE INDEX changes_updates ON changes (entity_id, field) WHERE kind = 2;
-- A row's deletion decides against older edits of it (an edit made before it was deleted elsewhere
-- stays lost even if the row comes back by an undo); deletions are found by row.
CREATE INDEX changes_deletes ON changes (entity_id) WHERE kind = 3;
