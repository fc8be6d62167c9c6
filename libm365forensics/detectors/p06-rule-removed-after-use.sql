-- SPDX-License-Identifier: MIT
-- id: p06-rule-removed-after-use
-- title: Inbox rule created and then removed or disabled soon after
-- category: persistence
-- severity: medium
-- attack: T1070.008
-- version: 1
-- description: A Remove-InboxRule or Disable-InboxRule of a rule that a
--   New-InboxRule created on the same mailbox within the window before
--   it. Attackers remove their rules once the fraud is done, so that the
--   mailbox no longer shows them.
-- false-positives: Users trying a rule out and deleting it.
-- references: indicator family P6; Hawk
--   Get-HawkTenantAdminInboxRuleRemoval
-- param: window_hours = 168
--   Longest time between creation and removal, in hours.
WITH changes AS (
    SELECT e.id, e.time, e.user, e.op_norm, e.operation,
           lower(coalesce(
             (SELECT value FROM event_params p WHERE p.event_id = e.id
               AND p.name = 'Name'),
             substr(e.object, instr(e.object, '\') + 1))) AS rule_key,
           lower(CASE WHEN instr(e.object, '\') > 0
                 THEN substr(e.object, 1, instr(e.object, '\') - 1)
                 ELSE e.user END) AS mailbox_key
      FROM events e
     WHERE e.op_norm IN ('new-inboxrule', 'remove-inboxrule',
                         'disable-inboxrule')
  )
SELECT r.user AS user, c.time AS first_time, r.time AS last_time,
       printf('Inbox rule ''%s'' created by %s was %s %.1f hours later by %s',
              c.rule_key, c.user,
              CASE r.op_norm WHEN 'remove-inboxrule' THEN 'removed'
                   ELSE 'disabled' END,
              (r.time - c.time) / 3600000.0, r.user) AS summary,
       json_object('rule', c.rule_key, 'created_by', c.user,
                   'removed_by', r.user, 'removal', r.operation,
                   'hours', (r.time - c.time) / 3600000.0) AS detail,
       c.id || ',' || r.id AS events
  FROM changes r
  JOIN changes c ON c.op_norm = 'new-inboxrule'
   AND c.rule_key = r.rule_key AND c.mailbox_key = r.mailbox_key
   AND c.time <= r.time
   AND r.time - c.time <= param('window_hours') * 3600000
 WHERE r.op_norm IN ('remove-inboxrule', 'disable-inboxrule')
 ORDER BY r.time, r.id, c.id
