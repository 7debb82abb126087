-- Indexes for paths every request or every order takes, so their cost does
-- not grow with what is stored.

-- A signed device request forgets its device's nonces older than the replay
-- window: with (device_id, seen_at) that is a range, not a scan of every
-- nonce the device sent within the window (the primary key (device_id,
-- nonce) alone led there).
DROP INDEX device_nonces_seen;
CREATE INDEX device_nonces_device_seen ON device_nonces (device_id, seen_at);
