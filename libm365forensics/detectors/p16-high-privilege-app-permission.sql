-- SPDX-License-Identifier: MIT
-- id: p16-high-privilege-app-permission
-- title: High-privilege API permission added to an application
-- category: persistence
-- severity: high
-- attack: T1098.003
-- version: 1
-- description: "Update application" whose new RequiredAppPermissions (or
--   an app-role assignment whose AppRole.Id) holds a permission of the
--   ref_app_roles table that the old value did not: application
--   permissions such as full_access_as_app, Mail.Read,
--   Application.ReadWrite.All, RoleManagement.ReadWrite.Directory, and
--   delegated mail and file scopes such as Mail.ReadWrite. Also an
--   application made available to other tenants (AvailableToOtherTenants
--   false -> true, medium).
-- false-positives: Mail-archiving or backup products configured by an
--   administrator.
-- references: indicator family P16; Splunk
--   o365_fullaccessasapp_permission_assigned,
--   o365_privileged_graph_api_permission_assigned
WITH perms AS (
    SELECT e.id, e.time, e.user, e.operation,
           r.permission || CASE r.kind WHEN 'delegated' THEN ' (delegated)'
                           ELSE '' END AS permission, r.severity
      FROM events e JOIN event_props p ON p.event_id = e.id
      JOIN ref_app_roles r ON instr(lower(p.new_value), r.id) > 0
       AND instr(lower(coalesce(p.old_value, '')), r.id) = 0
     WHERE e.op_norm IN ('update application',
                         'add app role assignment to service principal')
       AND p.kind = 'modified' AND e.id NOT IN (SELECT ual_id FROM twin_events)
  ),
  multi AS (
    SELECT e.id, e.time, e.user, e.operation,
           'AvailableToOtherTenants' AS permission, 'medium' AS severity
      FROM events e JOIN event_props p ON p.event_id = e.id
     WHERE e.op_norm = 'update application' AND p.kind = 'modified'
       AND p.name = 'AvailableToOtherTenants'
       AND lower(p.new_value) LIKE '%true%'
       AND lower(coalesce(p.old_value, '')) NOT LIKE '%true%'
       AND e.id NOT IN (SELECT ual_id FROM twin_events)
  ),
  allp AS (SELECT * FROM perms UNION ALL SELECT * FROM multi)
SELECT a.user AS user, a.time AS first_time, a.time AS last_time,
       printf('%s gave application ''%s'' %s', coalesce(a.user, '?'),
              coalesce((SELECT name FROM event_props t
                         WHERE t.event_id = a.id AND t.kind = 'target'
                           AND t.new_value = '1' LIMIT 1),
                       (SELECT object FROM events x WHERE x.id = a.id)),
              group_concat(DISTINCT a.permission)) AS summary,
       json_object('permissions', json_group_array(DISTINCT a.permission),
                   'operation', a.operation) AS detail,
       a.id || coalesce(',' || (SELECT group_concat(ual_id) FROM twin_events WHERE entra_id = a.id), '') AS events,
       CASE max(CASE a.severity WHEN 'critical' THEN 4 WHEN 'high' THEN 3
                ELSE 2 END)
            WHEN 4 THEN 'critical' WHEN 3 THEN 'high' ELSE 'medium' END
         AS severity
  FROM allp a
 GROUP BY a.id
 ORDER BY a.time, a.id
