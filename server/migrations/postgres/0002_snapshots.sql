-- Snapshots: a device's whole vault at one moment, sealed on the device, uploaded in parts. A point in
-- time is restored from the newest snapshot before it plus the records after the snapshot's cursor.
CREATE TABLE snapshots (
    vault_id   TEXT NOT NULL REFERENCES vaults(id) ON DELETE CASCADE,
    id         TEXT NOT NULL,               -- chosen by the device
    device     TEXT NOT NULL,
    cursor     BIGINT NOT NULL,            -- every record that arrived up to here is in it
    parts      BIGINT NOT NULL,
    bytes      BIGINT NOT NULL DEFAULT 0,   -- all parts, once complete
    taken_at   BIGINT NOT NULL,            -- the device's clock
    created_at BIGINT NOT NULL,            -- when its upload began
    stored_at  BIGINT,                      -- when it was completed; NULL while parts are arriving
    PRIMARY KEY (vault_id, id)
);
CREATE INDEX snapshots_by_completion ON snapshots (vault_id, stored_at);

CREATE TABLE snapshot_parts (
    vault_id    TEXT NOT NULL,
    snapshot_id TEXT NOT NULL,
    part        BIGINT NOT NULL,
    data        BYTEA NOT NULL,
    PRIMARY KEY (vault_id, snapshot_id, part),
    FOREIGN KEY (vault_id, snapshot_id) REFERENCES snapshots(vault_id, id) ON DELETE CASCADE
);
