-- SPDX-License-Identifier: MIT
-- id: p17-directory-role-grant
-- title: Account added to a directory role
-- category: persistence
-- severity: high
-- attack: T1098.003
-- version: 1
-- description: "Add member to role", "Add eligible member to role" or "Add
--   scoped member to role". High for the privileged roles of the
--   privileged_roles parameter or when the new member is a service
--   principal, medium for other roles.
-- false-positives: Planned administrator onboarding; compare with change
--   tickets.
-- references: indicator family P17; Elastic
--   persistence_entra_id_global_administrator_role_assign; Splunk
--   o365_privileged_role_assigned
-- param: privileged_roles = (?i)^(Global Administrator|Company Administrator|Privileged Role Administrator|Privileged Authentication Administrator|Application Administrator|Cloud Application Administrator|Exchange Administrator|Security Administrator|User Administrator|Authentication Administrator|Hybrid Identity Administrator|Conditional Access Administrator|SharePoint Administrator|Intune Administrator|Directory Writers|Partner Tier2 Support)$
--   PCRE2 pattern over Role.DisplayName.
WITH g AS (
    SELECT e.id, e.time, e.user, e.object, e.operation,
           (SELECT new_value FROM event_props p WHERE p.event_id = e.id
             AND p.name = 'Role.DisplayName') AS role,
           EXISTS (SELECT 1 FROM event_props t WHERE t.event_id = e.id
                    AND t.kind = 'target'
                    AND t.name LIKE 'ServicePrincipal%') AS to_sp
      FROM events e
     WHERE e.op_norm IN ('add member to role', 'add eligible member to role',
                         'add scoped member to role')
       AND coalesce(lower(e.result), 'success') IN ('success', 'succeeded')
       AND e.id NOT IN (SELECT ual_id FROM twin_events)
  )
SELECT user, time AS first_time, time AS last_time,
       printf('%s added %s%s to role ''%s''', coalesce(user, '?'),
              CASE WHEN to_sp THEN 'service principal ' ELSE '' END,
              coalesce(object, '?'), coalesce(role, '?')) AS summary,
       json_object('member', object, 'role', role,
                   'service_principal', to_sp, 'operation', operation)
         AS detail,
       g.id || coalesce(',' || (SELECT group_concat(ual_id) FROM twin_events WHERE entra_id = g.id), '') AS events,
       CASE WHEN to_sp OR regexp(param('privileged_roles'),
                                 coalesce(role, ''))
            THEN 'high' ELSE 'medium' END AS severity
  FROM g
 ORDER BY time, id
