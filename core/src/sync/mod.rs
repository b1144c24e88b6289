//! Sync (issue 16, under way): what a vault's devices exchange through the sync server, sealed on the
//! device so the server never sees a payee, an amount, a score or a key. So far `record` (a sealed
//! operation and the key it is sealed under); the protocol, the merge and the server come next.

pub mod record;
