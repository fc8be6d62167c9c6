-- SPDX-License-Identifier: MIT
-- id: p17-exchange-rbac-change
-- title: Exchange role assignment, role group or scope changed
-- category: persistence
-- severity: medium
-- attack: T1098.002
-- version: 1
-- description: Exchange RBAC changes: New-ManagementRoleAssignment,
--   New-RoleGroup, Add-RoleGroupMember, New-/Set-ManagementRole*,
--   New-/Set-ManagementScope and their kin. High when they hand out
--   ApplicationImpersonation (every mailbox through EWS) or add a member to
--   an administrators' group. Exchange's own service actors are left out.
-- false-positives: Exchange administrators delegating tasks.
-- references: indicator family P17; Splunk
--   o365_applicationimpersonation_role_assigned; Hawk Get-HawkTenantRbacChange
-- param: high_roles = (?i)ApplicationImpersonation|Organization Management|Mailbox Import Export|Discovery Management|Role Management|Security Administrator
--   PCRE2 pattern over the role, role group and their members.
-- param: system_actors = (?i)^(nt authority\\system|s-1-5-18$|.*\(microsoft\.exchange\.)
--   PCRE2 pattern over the actor for service accounts to leave out.
WITH r AS (
    SELECT e.id, e.time, e.user, e.operation,
           (SELECT group_concat(p.name || '=' || p.value, '; ')
              FROM event_params p WHERE p.event_id = e.id
               AND p.name IN ('Name', 'Identity', 'Role', 'Roles', 'Members',
                              'Member', 'User', 'SecurityGroup',
                              'CustomRecipientWriteScope')) AS args
      FROM events e
     WHERE e.op_norm IN ('new-managementroleassignment',
                         'set-managementroleassignment', 'new-rolegroup',
                         'set-rolegroup', 'add-rolegroupmember',
                         'update-rolegroupmember', 'new-managementrole',
                         'set-managementrole', 'add-managementroleentry',
                         'set-managementroleentry', 'new-managementscope',
                         'set-managementscope')
  )
SELECT user, time AS first_time, time AS last_time,
       printf('%s: %s %s', coalesce(user, '?'), operation,
              coalesce(args, '')) AS summary,
       json_object('operation', operation, 'arguments', args) AS detail,
       id AS events,
       CASE WHEN regexp(param('high_roles'), coalesce(args, ''))
            THEN 'high' END AS severity
  FROM r
 WHERE NOT regexp(param('system_actors'), coalesce(user, ''))
 ORDER BY time, id
