-- Households: each account's X25519 key pair for sharing vaults (the private key sealed on a device,
-- under a key the server never sees), and the vault key the owner sealed for each member.
ALTER TABLE users ADD COLUMN identity_public BYTEA;  -- 32 bytes
ALTER TABLE users ADD COLUMN identity_sealed BYTEA;  -- the private key, sealed on a device
ALTER TABLE members ADD COLUMN added_at BIGINT NOT NULL DEFAULT 0;
-- The vault key's generation: a member's removal starts a new one (epoch 0's check is vaults.key_check).
ALTER TABLE vaults ADD COLUMN epoch BIGINT NOT NULL DEFAULT 0;

CREATE TABLE vault_epochs (
    vault_id   TEXT NOT NULL REFERENCES vaults(id) ON DELETE CASCADE,
    epoch      BIGINT NOT NULL,
    key_check  BYTEA NOT NULL,               -- sealed under that generation's key
    created_at BIGINT NOT NULL,
    PRIMARY KEY (vault_id, epoch)
);

CREATE TABLE grants (
    vault_id TEXT NOT NULL,
    user_id  BIGINT NOT NULL,
    epoch    BIGINT NOT NULL DEFAULT 0,   -- the vault key's generation
    from_id  BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    sealed   BYTEA NOT NULL,               -- the vault key sealed by from_id to user_id's public key
    PRIMARY KEY (vault_id, user_id, epoch),
    FOREIGN KEY (vault_id, user_id) REFERENCES members(vault_id, user_id) ON DELETE CASCADE
);
