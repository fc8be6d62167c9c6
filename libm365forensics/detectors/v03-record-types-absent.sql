-- SPDX-License-Identifier: MIT
-- id: v03-record-types-absent
-- title: Audit record types the evidence does not contain
-- category: coverage
-- severity: medium
-- attack: T1562.008
-- description: The audit log in the case has no MailItemsAccessed (no
--   premium mailbox audit, or it was not exported: mail reading cannot be
--   shown), no mailbox audit at all (RecordType 2, 3, 50), no SharePoint
--   or OneDrive file operations (6), no Entra directory events (8) or no
--   sign-ins (neither RecordType 15 nor a sign-in export). Each missing
--   kind is one finding, linked to the first audit event.
-- false-positives: an export filtered on purpose to some operations.
WITH u AS (SELECT min(id) AS first_id, min(time) AS t0, max(time) AS t1
             FROM events WHERE product = 'ual'),
missing(what) AS (
  SELECT 'MailItemsAccessed (premium mailbox audit): mail reading cannot '
         || 'be shown'
   WHERE NOT EXISTS (SELECT 1 FROM events WHERE op_norm =
                     'mailitemsaccessed')
  UNION ALL
  SELECT 'mailbox audit records (RecordType 2, 3, 50)'
   WHERE NOT EXISTS (SELECT 1 FROM events WHERE product = 'ual'
                       AND record_type IN (2, 3, 50))
  UNION ALL
  SELECT 'SharePoint/OneDrive file operations (RecordType 6)'
   WHERE NOT EXISTS (SELECT 1 FROM events WHERE product = 'ual'
                       AND record_type = 6)
  UNION ALL
  SELECT 'Entra ID directory events (RecordType 8 or an Entra audit export)'
   WHERE NOT EXISTS (SELECT 1 FROM events WHERE record_type = 8
                        OR product = 'entra-audit')
  UNION ALL
  SELECT 'sign-ins (RecordType 15 or a sign-in export)'
   WHERE NOT EXISTS (SELECT 1 FROM events WHERE record_type = 15
                        OR product = 'signin'))
SELECT NULL AS user, u.t0 AS first_time, u.t1 AS last_time,
       'the audit log has no ' || m.what AS summary,
       u.first_id AS events
  FROM missing m, u WHERE u.first_id IS NOT NULL
