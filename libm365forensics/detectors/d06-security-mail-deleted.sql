-- SPDX-License-Identifier: MIT
-- id: d06-security-mail-deleted
-- title: Security notification mail deleted
-- category: defense-evasion
-- severity: high
-- attack: T1070.008
-- version: 1
-- description: A MoveToDeletedItems, SoftDelete or HardDelete of a message
--   whose subject looks like an MFA, sign-in or password notice. Attackers
--   delete the "new MFA method" and "unusual sign-in" mails the victim
--   would otherwise see.
-- false-positives: Users deleting read notices.
-- references: indicator family D6; Elastic
--   defense_evasion_mfa_notification_email_deleted
-- param: subjects = (?i)new mfa|2fa|mfa enrol|security info|multi-factor|verification code|unusual sign-in|new sign-in|sign-in activity|password (reset|change)|suspicious activity|new device
--   PCRE2 pattern over the message subject.
SELECT e.user AS user, e.time AS first_time, e.time AS last_time,
       printf('%s deleted ''%s'' (%s)', e.user, e.object, e.operation)
         AS summary,
       json_object('subject', e.object, 'operation', e.operation) AS detail,
       e.id AS events
  FROM events e
 WHERE e.op_norm IN ('movetodeleteditems', 'softdelete', 'harddelete')
   AND regexp(param('subjects'), coalesce(e.object, ''))
 ORDER BY e.time, e.id
