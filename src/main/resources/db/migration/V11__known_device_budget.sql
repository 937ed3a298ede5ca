-- Known devices (issue 13): a device value is issued by the server at every successful password
-- login and a known device has a small failure budget of its own. Rows written before this
-- version may hold a value the client chose, so every device is forgotten once: each user's next
-- successful login issues a fresh one.

DELETE FROM known_devices;

ALTER TABLE known_devices ADD COLUMN failures INTEGER DEFAULT 0 NOT NULL;
ALTER TABLE known_devices ADD COLUMN last_failure_at TIMESTAMP WITH TIME ZONE;
