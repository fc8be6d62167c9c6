-- SPDX-License-Identifier: MIT
-- id: p09-transport-rule-copy
-- title: Transport rule copies, blind-copies or redirects mail
-- category: persistence
-- severity: high
-- attack: T1114.003
-- version: 1
-- description: New-TransportRule or Set-TransportRule with BlindCopyTo,
--   CopyTo, RedirectMessageTo or AddToRecipients. A mail-flow rule sees
--   the mail of the whole organization. High when a recipient is outside
--   the tenant's domains, medium otherwise.
-- false-positives: Compliance or journaling rules made by the mail team.
-- references: indicator family P9; Sentinel
--   Mail_redirect_via_ExO_transport_rule; Splunk
--   o365_new_forwarding_mailflow_rule_created
WITH t AS (
    SELECT e.id, e.time, e.user, e.operation,
           coalesce((SELECT value FROM event_params i WHERE i.event_id = e.id
                      AND i.name = 'Name'),
                    (SELECT value FROM event_params i WHERE i.event_id = e.id
                      AND i.name = 'Identity'), e.object) AS rule_name,
           group_concat(p.name || '=' || p.value, '; ') AS actions,
           max(CASE WHEN p.value LIKE '%@%' AND is_internal(p.value) = 0
               THEN 1 ELSE 0 END) AS external
      FROM events e JOIN event_params p ON p.event_id = e.id
     WHERE e.op_norm IN ('new-transportrule', 'set-transportrule')
       AND p.name IN ('BlindCopyTo', 'CopyTo', 'RedirectMessageTo',
                      'AddToRecipients')
       AND trim(coalesce(p.value, '')) <> ''
     GROUP BY e.id
  )
SELECT user, time AS first_time, time AS last_time,
       printf('Transport rule ''%s'' sends copies of mail: %s (%s)',
              rule_name, actions, operation) AS summary,
       json_object('rule', rule_name, 'actions', actions,
                   'external', external) AS detail,
       id AS events,
       CASE WHEN external THEN 'high' ELSE 'medium' END AS severity
  FROM t
 ORDER BY time, id
