-- SPDX-License-Identifier: MIT
-- l03: app@sharepoint updates a list and Word on the web opens gus's file
-- from the same Microsoft address.
INSERT INTO sources(id, path, size, sha256, format, product, encoding, compression, ingested_at, lib_version) VALUES (1, 'ual', 0, '', 'fixture', 'ual', 'utf-8', 'none', '2025-06-10T00:00:00Z', 'test');
INSERT INTO events(id, time, source_id, line, record_no, product, record_type, operation, op_norm, result, user, client_ip, user_agent, object, session_id, raw_offset, raw_length) VALUES (1, 1748944800000, 1, 1, 1, 'ual', 36, 'ListUpdated', 'listupdated', 'success', 'app@sharepoint', '104.146.232.168', 'ODMTADocCache/1.0', NULL, NULL, 0, 0);
INSERT INTO events(id, time, source_id, line, record_no, product, record_type, operation, op_norm, result, user, client_ip, user_agent, object, session_id, raw_offset, raw_length) VALUES (2, 1748946000000, 1, 2, 2, 'ual', 6, 'FileAccessed', 'fileaccessed', 'success', 'gus@contoso.com', '104.146.232.168', 'OfficeWordWRS', 'https://contoso.sharepoint.com/sites/hr/Shared Documents/Plan.docx', NULL, 0, 0);
