-- SPDX-License-Identifier: MIT
-- One consent exported twice: by the unified audit log (RecordType 8,
-- trailing dot) and by the Entra audit log, 28 ms apart. One finding with
-- both records as evidence.
INSERT INTO sources(id, path, size, sha256, format, product, encoding, compression, ingested_at, lib_version) VALUES (1, 'fixture', 0, '', 'fixture', 'ual', 'utf-8', 'none', '2024-03-01T00:00:00Z', 'test');
INSERT INTO events(id, time, source_id, line, record_no, product, operation, op_norm, result, user, object, raw_offset, raw_length) VALUES
  (1, 1709287200000, 1, 1, 1, 'ual', 'Consent to application.', 'consent to application', 'Success', 'eve@contoso.com', 'ServicePrincipal_5a95e683', 0, 0),
  (2, 1709287200028, 1, 2, 2, 'entra-audit', 'Consent to application', 'consent to application', 'success', 'eve@contoso.com', 'Mail Helper', 0, 0),
  (3, 1709287260000, 1, 3, 3, 'ual', 'Consent to application.', 'consent to application', 'Success', 'bob@contoso.com', 'ServicePrincipal_5a95e683', 0, 0);
INSERT INTO event_props(event_id, kind, name, old_value, new_value) VALUES
  (1, 'modified', 'ConsentContext.IsAdminConsent', '', 'False'),
  (2, 'modified', 'ConsentContext.IsAdminConsent', '', 'False');
