-- SPDX-License-Identifier: MIT
-- id: p06-dump-rule-without-audit
-- title: Rule in the mailbox dump has no creation record in the audit log
-- category: persistence
-- severity: medium
-- attack: T1564.008
-- version: 1
-- description: An inbox rule listed in a mailbox-rule dump (Get-InboxRule)
--   for which the case's audit log holds no New-InboxRule, Set-InboxRule
--   or UpdateInboxRules record with the same rule name. The rule was
--   made before the evidence window, or by a path that leaves no audit
--   record (for example MAPI without mailbox auditing). Only reported
--   when the case holds unified audit log records at all.
-- false-positives: Old rules of users, made before the audit log's
--   retention. Compare with the start of the audit evidence.
-- references: issue "dump rule with no creation event"
SELECT e.user AS user, nullif(coalesce(r.time, e.time), 0) AS first_time,
       nullif(coalesce(r.time, e.time), 0) AS last_time,
       printf('Rule ''%s'' of mailbox %s is in the rule dump but no audit '
              || 'record created or changed it', r.name,
              coalesce(r.mailbox, '?')) AS summary,
       json_object('rule', r.name, 'mailbox', r.mailbox,
                   'rule_id', r.rule_id, 'enabled', r.enabled) AS detail,
       r.event_id AS events
  FROM inbox_rules r JOIN events e ON e.id = r.event_id
 WHERE r.source_kind = 'dump' AND r.kind = 'inbox' AND r.name IS NOT NULL
   AND EXISTS (SELECT 1 FROM events u WHERE u.product = 'ual')
   AND NOT EXISTS (
     SELECT 1 FROM events a JOIN event_params p ON p.event_id = a.id
      WHERE a.op_norm IN ('new-inboxrule', 'set-inboxrule')
        AND p.name IN ('Name', 'Identity')
        AND (lower(p.value) = lower(r.name)
             OR lower(p.value) LIKE '%\' || lower(r.name)))
   AND NOT EXISTS (
     SELECT 1 FROM events a JOIN event_props p ON p.event_id = a.id
      WHERE a.op_norm = 'updateinboxrules' AND p.kind = 'operation'
        AND p.name = 'RuleName' AND lower(p.new_value) = lower(r.name))
 ORDER BY first_time, r.event_id
