-- SPDX-License-Identifier: MIT
-- id: d03-mailbox-audit-reduced
-- title: Mailbox auditing bypassed, disabled or shortened
-- category: defense-evasion
-- severity: high
-- attack: T1562.008
-- version: 1
-- description: Set-MailboxAuditBypassAssociation with AuditBypassEnabled
--   true; Set-Mailbox with AuditEnabled false or an AuditLogAgeLimit below
--   min_days; and a licence change ("Update user", "Change user license")
--   whose new DisabledPlans hold M365_ADVANCED_AUDITING (the plan behind
--   MailItemsAccessed and long retention; medium).
-- false-positives: Service accounts of backup or archiving products put
--   in the audit bypass list on purpose.
-- references: indicator family D3; Elastic
--   defense_evasion_exchange_mailbox_audit_bypass_association; Suzaku
--   m365_mailbox_audit_age_zeroed; Splunk o365_advanced_audit_disabled
-- param: min_days = 90
--   An AuditLogAgeLimit of fewer days is reported.
WITH x AS (
    SELECT e.id, e.time, e.user,
           printf('%s set %s=%s on %s', coalesce(e.user, '?'), p.name,
                  p.value, coalesce((SELECT value FROM event_params i
                                      WHERE i.event_id = e.id
                                        AND i.name = 'Identity'), '?'))
             AS what, 'high' AS severity
      FROM events e JOIN event_params p ON p.event_id = e.id
     WHERE (e.op_norm = 'set-mailboxauditbypassassociation'
            AND p.name = 'AuditBypassEnabled'
            AND lower(p.value) IN ('true', '$true', '1'))
        OR (e.op_norm = 'set-mailbox' AND p.name = 'AuditEnabled'
            AND lower(p.value) IN ('false', '$false', '0'))
        OR (e.op_norm = 'set-mailbox' AND p.name = 'AuditLogAgeLimit'
            -- [d.]hh:mm:ss or a number of days
            AND CASE WHEN instr(p.value, '.') > 0
                       AND instr(p.value, '.') < instr(p.value, ':')
                     THEN CAST(substr(p.value, 1, instr(p.value, '.') - 1)
                               AS INTEGER)
                     WHEN instr(p.value, ':') > 0 THEN 0
                     ELSE CAST(p.value AS INTEGER) END < param('min_days'))
    UNION ALL
    SELECT e.id, e.time, e.user,
           printf('%s disabled the advanced auditing plan of %s',
                  coalesce(e.user, '?'), coalesce(e.object, '?')),
           'medium'
      FROM events e JOIN event_props p ON p.event_id = e.id
     WHERE e.op_norm IN ('update user', 'change user license')
       AND instr(p.new_value, 'M365_ADVANCED_AUDITING') > 0
       -- in the new value (after NewValue), not already in the old one
       AND instr(substr(p.new_value, instr(p.new_value, 'NewValue')),
                 'M365_ADVANCED_AUDITING') > 0
       AND instr(substr(p.new_value, 1, instr(p.new_value, 'NewValue')),
                 'M365_ADVANCED_AUDITING') = 0
       AND instr(coalesce(p.old_value, ''), 'M365_ADVANCED_AUDITING') = 0
       AND e.id NOT IN (SELECT ual_id FROM twin_events)
  )
SELECT user, time AS first_time, time AS last_time, what AS summary,
       json_object('change', what) AS detail,
       x.id || coalesce(',' || (SELECT group_concat(ual_id) FROM twin_events WHERE entra_id = x.id), '') AS events, severity
  FROM x
 GROUP BY x.id
 ORDER BY x.time, x.id
