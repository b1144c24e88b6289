-- Snapshots: a device's whole vault at one moment, sealed on the device, uploaded in parts. A point in
-- time is restored from the newest snapshot before it plus the records after the snapshot's cursor.
CREATE TABLE snapshots (
    vault_id   TEXT NOT NULL REFERENCES vaults(id) ON DELETE CASCADE,
    id         TEXT NOT NULL,               -- chosen by the device
    device     TEXT NOT NULL,
    cursor     INTEGER NOT NULL,            -- every record that arrived up to here is in it
    parts      INTEGER NOT NULL,
    bytes      INTEGER NOT NULL DEFAULT 0,  -- all parts, once complete
    taken_at   INTEGER NOT NULL,            -- the device's clock
    created_at INTEGER NOT NULL,            -- when its upload began
    stored_at  INTEGER,                     -- when it was completed; NULL while parts are arriving
    PRIMARY KEY (vault_id, id)
);
CREATE INDEX snapshots_by_completion ON snapshots (vault_id, stored_at);

CREATE TABLE snapshot_parts (
    vault_id    TEXT NOT NULL,
    snapshot_id TEXT NOT NULL,
    part        INTEGER NOT NULL,
    data        BLOB NOT NULL,
    PRIMARY KEY (vault_id, snapshot_id, part),
    FOREIGN KEY (vault_id, snapshot_id) REFERENCES snapshots(vault_id, id) ON DELETE CASCADE
);
