-- SPDX-License-Identifier: MIT
-- id: d01-audit-log-disabled
-- title: Unified audit log ingestion or admin auditing turned off
-- category: defense-evasion
-- severity: critical
-- attack: T1562.008
-- version: 1
-- description: Set-AdminAuditLogConfig with
--   UnifiedAuditLogIngestionEnabled or AdminAuditLogEnabled set to false.
--   Parameters are read by name. Everything after it is missing from the
--   audit log.
-- false-positives: None expected in production tenants.
-- references: indicator family D1; Sentinel exchange_auditlogdisabled;
--   Suzaku m365_admin_audit_log_config_changed
SELECT e.user AS user, e.time AS first_time, e.time AS last_time,
       printf('%s turned off %s', coalesce(e.user, '?'),
              group_concat(p.name, ' and ')) AS summary,
       json_object('parameters', json_group_array(p.name || '=' || p.value))
         AS detail,
       e.id AS events
  FROM events e JOIN event_params p ON p.event_id = e.id
 WHERE e.op_norm = 'set-adminauditlogconfig'
   AND p.name IN ('UnifiedAuditLogIngestionEnabled', 'AdminAuditLogEnabled')
   AND lower(p.value) IN ('false', '$false', '0')
 GROUP BY e.id
 ORDER BY e.time, e.id
