-- SPDX-License-Identifier: MIT
-- Rules of a mailbox-rule dump: 'Known' was created in the audit log, 'zz' was not.
INSERT INTO sources(id, path, size, sha256, format, product, encoding, compression, ingested_at, lib_version) VALUES (1, 'fixture', 0, '', 'fixture', 'signin', 'utf-8', 'none', '2024-03-01T00:00:00Z', 'test');
INSERT INTO sources(id, path, size, sha256, format, product, encoding, compression, ingested_at, lib_version) VALUES (2, 'ual', 0, '', 'fixture', 'ual', 'utf-8', 'none', '2024-03-01T00:00:00Z', 'test');
INSERT INTO events(id, time, source_id, line, record_no, product, operation, op_norm, user, object, raw_offset, raw_length) VALUES (1, 1709287200000, 2, 1, 1, 'ual', 'New-InboxRule', 'new-inboxrule', 'eve@contoso.com', 'contoso.com/eve\Known', 0, 0);
INSERT INTO event_params(event_id, name, value) VALUES (1, 'Name', 'Known'), (1, 'MoveToFolder', 'Archive');
INSERT INTO events(id, time, source_id, line, record_no, product, operation, user, raw_offset, raw_length) VALUES (2, 1709546400000, 1, 2, 1, 'rules', 'InboxRule', 'eve@contoso.com', 0, 0), (3, 1709546400000, 1, 3, 2, 'rules', 'InboxRule', 'eve@contoso.com', 0, 0);
INSERT INTO inbox_rules(event_id, source_kind, kind, mailbox, name, enabled, forward_to) VALUES (2, 'dump', 'inbox', 'eve@contoso.com', 'Known', 1, NULL), (3, 'dump', 'inbox', 'eve@contoso.com', 'zz', 1, 'drop@evil.example');
