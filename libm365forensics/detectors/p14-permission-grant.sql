-- SPDX-License-Identifier: MIT
-- id: p14-permission-grant
-- title: Delegated permission grant or app-role assignment
-- category: persistence
-- severity: medium
-- attack: T1098.003
-- version: 1
-- description: "Add delegated permission grant", "Add OAuth2PermissionGrant",
--   "Add app role assignment grant to user" or "Add app role assignment to
--   service principal". High when an application (not a person) made the
--   grant, which is how consent can be bypassed by a service principal.
-- false-positives: Administrators assigning enterprise applications to
--   users.
-- references: indicator family P14; Splunk
--   o365_admin_consent_bypassed_by_service_principal
WITH g AS (
    SELECT e.id, e.time, e.user, e.operation, coalesce(
             (SELECT name FROM event_props t WHERE t.event_id = e.id
               AND t.kind = 'target' AND t.new_value = '1' LIMIT 1),
             (SELECT new_value FROM event_props t WHERE t.event_id = e.id
               AND t.kind = 'modified' AND t.name = 'DisplayName'
               LIMIT 1), e.object) AS target,
           (SELECT new_value FROM event_props p WHERE p.event_id = e.id
             AND p.name IN ('DelegatedPermissionGrant.Scope',
                            'AppRole.Value') LIMIT 1) AS scope
      FROM events e
     WHERE e.op_norm IN ('add delegated permission grant',
                         'add oauth2permissiongrant',
                         'add app role assignment grant to user',
                         'add app role assignment to service principal')
       AND coalesce(lower(e.result), 'success') IN ('success', 'succeeded')
       AND e.id NOT IN (SELECT ual_id FROM twin_events)
  )
SELECT user, time AS first_time, time AS last_time,
       printf('%s: %s on ''%s''%s', coalesce(user, '?'), operation, target,
              coalesce(' (' || trim(trim(scope), '"') || ')', ''))
         AS summary,
       json_object('target', target, 'scope', trim(trim(scope), '"'),
                   'operation', operation) AS detail,
       g.id || coalesce(',' || (SELECT group_concat(ual_id) FROM twin_events WHERE entra_id = g.id), '') AS events,
       CASE WHEN coalesce(user, '') NOT LIKE '%@%' THEN 'high' END
         AS severity
  FROM g
 ORDER BY g.time, g.id
