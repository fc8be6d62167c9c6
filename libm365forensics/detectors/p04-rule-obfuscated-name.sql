-- SPDX-License-Identifier: MIT
-- id: p04-rule-obfuscated-name
-- title: Inbox rule with an obfuscated name
-- category: persistence
-- severity: medium
-- attack: T1564.008
-- version: 1
-- description: An inbox rule (audit log or dump) whose name is made only
--   of punctuation, is shorter than three characters, or is dots or commas
--   in a row. Attackers name rules ".", ",,," or "..." so that they do not
--   stand out in Outlook's rule list.
-- false-positives: Users who name rules "a" or "1".
-- references: indicator family P4; Elastic
--   defense_evasion_exchange_inbox_rule_obfuscated_name;
--   Microsoft-Analyzer-Suite; M365IRScripts
-- param: name_pattern = ^[^\p{L}\p{N}]+$|^.{1,2}$|\.\.|,,
--   PCRE2 pattern over the rule name.
WITH
  hits AS (
    SELECT k.* FROM rule_facts k
     WHERE k.name IS NOT NULL AND regexp(param('name_pattern'), trim(k.name))
  )
SELECT min(x.actor) AS user, min(x.time) AS first_time,
       max(x.time) AS last_time,
       printf('Inbox rule ''%s'' on %s has an obfuscated name%s (%s)', min(x.name),
              coalesce(max(CASE WHEN x.mailbox LIKE '%@%' THEN x.mailbox END),
                       min(x.mailbox)),
              '',
              group_concat(DISTINCT x.operation)) AS summary,
       json_object('rule', min(x.name), 'mailbox', min(x.mailbox),
                   'operations', json_group_array(DISTINCT x.operation))
         AS detail,
       group_concat(DISTINCT x.event_id) AS events
  FROM hits x
 GROUP BY x.rkey
 ORDER BY first_time, min(x.event_id)
