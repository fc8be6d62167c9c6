-- SPDX-License-Identifier: MIT
-- id: d02-audit-retention-policy
-- title: Audit log retention policy created, changed or removed
-- category: defense-evasion
-- severity: medium
-- attack: T1562.008
-- version: 1
-- description: New-, Set- or Remove-UnifiedAuditLogRetentionPolicy. A short
--   retention for chosen record types or users makes evidence expire; a
--   removal is high.
-- false-positives: Compliance teams tuning retention.
-- references: indicator family D2; Microsoft-Analyzer-Suite UAL-Analyzer
SELECT e.user AS user, e.time AS first_time, e.time AS last_time,
       printf('%s: %s %s', coalesce(e.user, '?'), e.operation,
              coalesce((SELECT group_concat(p.name || '=' || p.value, '; ')
                          FROM event_params p WHERE p.event_id = e.id
                           AND p.name IN ('Name', 'Identity',
                                          'RetentionDuration', 'RecordTypes',
                                          'UserIds', 'Operations')), ''))
         AS summary,
       json_object('operation', e.operation) AS detail,
       e.id AS events,
       CASE WHEN e.op_norm LIKE 'remove-%' THEN 'high' END AS severity
  FROM events e
 WHERE e.op_norm IN ('new-unifiedauditlogretentionpolicy',
                     'set-unifiedauditlogretentionpolicy',
                     'remove-unifiedauditlogretentionpolicy')
 ORDER BY e.time, e.id
