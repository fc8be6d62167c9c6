-- SPDX-License-Identifier: MIT
-- Secondary indexes of the case (schema version 1). Created with the case,
-- checked at every writable open, dropped during a bulk load into an empty
-- case and built again at its end.
CREATE INDEX IF NOT EXISTS events_time ON events(time, source_id, line);
CREATE INDEX IF NOT EXISTS events_user ON events(user, time);
CREATE INDEX IF NOT EXISTS events_ip ON events(client_ip, time);
CREATE INDEX IF NOT EXISTS events_op ON events(op_norm, time);
-- Most events carry no session or token id: those are left out of their
-- indexes (every lookup is by equality, which implies NOT NULL), which
-- makes building the two a quarter of the work.
CREATE INDEX IF NOT EXISTS events_session ON events(session_id)
  WHERE session_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS events_token ON events(token_id)
  WHERE token_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS event_params_event ON event_params(event_id);
CREATE INDEX IF NOT EXISTS event_props_event ON event_props(event_id);
CREATE INDEX IF NOT EXISTS inbox_rules_mailbox ON inbox_rules(mailbox, name);
CREATE INDEX IF NOT EXISTS finding_events_event ON finding_events(event_id);
CREATE INDEX IF NOT EXISTS inbox_rules_event ON inbox_rules(event_id);
