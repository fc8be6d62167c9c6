-- SPDX-License-Identifier: MIT
-- The same sign-in with MFA: not reported.
INSERT INTO sources(id, path, size, sha256, format, product, encoding, compression, ingested_at, lib_version) VALUES (1, 'fixture', 0, '', 'fixture', 'signin', 'utf-8', 'none', '2024-03-01T00:00:00Z', 'test');
INSERT INTO events(id, time, source_id, line, record_no, product, operation, op_norm, result, user, client_ip, user_agent, raw_offset, raw_length) VALUES (1, 1709287200000, 1, 1, 1, 'signin', 'Sign-in', lower('Sign-in'), 'success', 'eve@contoso.com', '203.0.113.9', 'Dsreg/10.0', 0, 0);
INSERT INTO signin_details(event_id, app_id, app_name, client_app, error_code, auth_requirement, device_id, risk_level) VALUES (1, '01cb2876-7ebd-4aa4-9cc9-d28bd4d359a9', 'Device Registration Service', 'Mobile Apps and Desktop clients', 0, 'multiFactorAuthentication', '', 'none');
