-- SPDX-License-Identifier: MIT
-- id: p05-client-side-rule
-- title: Client-side inbox rule forwards or redirects mail
-- category: persistence
-- severity: high
-- attack: T1114.003
-- version: 1
-- description: An UpdateInboxRules record (a rule made in Outlook, OWA or
--   over MAPI/EWS, which New-InboxRule searches miss) whose rule actions
--   forward, forward as attachment or redirect mail. Recipients found in
--   the RuleActions JSON are listed; when all of them are in the tenant's
--   domains the rule is not reported.
-- false-positives: A user forwarding to a colleague through a name the
--   record does not resolve to an address.
-- references: indicator family P5; Microsoft-Analyzer-Suite UAL-Analyzer;
--   Splunk o365_new_email_forwarding_rule_enabled
-- param: actions = (?i)(Forward|Redirect)\w*Action|ForwardAsAttachment
--   PCRE2 pattern over the operation properties of the record.
WITH rule_events AS (
    SELECT e.id, e.time, e.user, e.operation,
           (SELECT new_value FROM event_props p WHERE p.event_id = e.id
             AND p.kind = 'operation' AND p.name = 'RuleName') AS rule_name,
           (SELECT new_value FROM event_props p WHERE p.event_id = e.id
             AND p.kind = 'operation' AND p.name = 'RuleOperation')
             AS rule_op,
           (SELECT group_concat(new_value, ' ') FROM event_props p
             WHERE p.event_id = e.id AND p.kind = 'operation'
               AND regexp(param('actions'), p.new_value)) AS actions
      FROM events e
     WHERE e.op_norm = 'updateinboxrules'
  ),
  recipients AS (
    SELECT re.id, r.value AS addr
      FROM rule_events re
      JOIN event_props p ON p.event_id = re.id AND p.kind = 'operation'
       AND p.name = 'RuleActions' AND json_valid(p.new_value),
           json_each(p.new_value) a,
           json_each(json_extract(a.value, '$.Recipients')) r
     WHERE json_type(a.value) = 'object'
       AND json_type(json_extract(a.value, '$.Recipients')) = 'array'
  )
SELECT re.user AS user, re.time AS first_time, re.time AS last_time,
       printf('Client-side rule ''%s'' (%s) forwards mail%s',
              coalesce(re.rule_name, '?'), coalesce(re.rule_op, 'change'),
              coalesce(' to ' || (SELECT group_concat(addr, ', ')
                                    FROM recipients r WHERE r.id = re.id),
                       '')) AS summary,
       json_object('rule', re.rule_name, 'rule_operation', re.rule_op,
                   'recipients', (SELECT json_group_array(addr)
                                    FROM recipients r WHERE r.id = re.id))
         AS detail,
       re.id AS events
  FROM rule_events re
 WHERE re.actions IS NOT NULL
   AND coalesce(re.rule_op, '') <> 'RemoveMailboxRule'
   AND (NOT EXISTS (SELECT 1 FROM recipients r WHERE r.id = re.id)
        OR EXISTS (SELECT 1 FROM recipients r WHERE r.id = re.id
                    AND coalesce(is_internal(r.addr), 0) = 0))
 ORDER BY re.time, re.id
