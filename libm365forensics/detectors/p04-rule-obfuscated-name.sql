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
WITH RECURSIVE
  -- one row per rule change in the audit log or rule in a dump, with the
  -- columns of inbox_rules; cmdlet parameters are read by name in one
  -- pass over event_params
  rules AS (
    SELECT e.id AS event_id, e.time AS time, e.user AS actor,
           'audit' AS origin, e.operation AS operation,
           coalesce(max(CASE p.name WHEN 'Mailbox' THEN p.value END),
                    -- ObjectId: .../<mailbox>\<rule>
                    nullif(substr(substr(e.object, 1, instr(e.object, '\') - 1),
                       length(rtrim(substr(e.object, 1, instr(e.object, '\') - 1),
                         replace(substr(e.object, 1, instr(e.object, '\') - 1),
                                 '/', ''))) + 1), ''),
                    e.user) AS mailbox,
           coalesce(max(CASE p.name WHEN 'Name' THEN p.value END),
                    max(CASE p.name WHEN 'Identity' THEN p.value END),
                    substr(e.object, instr(e.object, '\') + 1)) AS name,
           max(CASE p.name WHEN 'ForwardTo' THEN p.value END) AS forward_to,
           max(CASE p.name WHEN 'ForwardAsAttachmentTo' THEN p.value END)
             AS forward_as_attachment,
           group_concat(CASE WHEN p.name IN ('RedirectTo',
                                             'RedirectToRecipients')
                        THEN p.value END, ';') AS redirect_to,
           max(CASE p.name WHEN 'DeleteMessage'
               THEN lower(p.value) IN ('true', '$true', '1') END)
             AS delete_message,
           max(CASE p.name WHEN 'SoftDeleteMessage'
               THEN lower(p.value) IN ('true', '$true', '1') END)
             AS soft_delete,
           max(CASE p.name WHEN 'MoveToFolder' THEN p.value END)
             AS move_to_folder,
           max(CASE p.name WHEN 'MarkAsRead'
               THEN lower(p.value) IN ('true', '$true', '1') END)
             AS mark_as_read,
           max(CASE p.name WHEN 'SubjectContainsWords' THEN p.value END)
             AS cond_subject,
           max(CASE p.name WHEN 'BodyContainsWords' THEN p.value END)
             AS cond_body,
           max(CASE p.name WHEN 'SubjectOrBodyContainsWords'
               THEN p.value END) AS cond_subject_or_body
      FROM events e LEFT JOIN event_params p ON p.event_id = e.id
     WHERE e.op_norm IN ('new-inboxrule', 'set-inboxrule')
     GROUP BY e.id
    UNION ALL
    SELECT r.event_id, nullif(coalesce(r.time, e.time), 0), e.user, 'dump',
           'rule dump', r.mailbox, r.name, r.forward_to,
           r.forward_as_attachment, r.redirect_to, r.delete_message = 1,
           r.soft_delete = 1, r.move_to_folder, r.mark_as_read = 1,
           r.cond_subject, r.cond_body, r.cond_subject_or_body
      FROM inbox_rules r JOIN events e ON e.id = r.event_id
     WHERE r.source_kind = 'dump' AND r.kind = 'inbox'
  ),
  -- the same rule in the audit log and in dumps is one finding: its name
  -- and owner (the dump's mailbox, else the audit record's actor)
  keyed AS (
    SELECT r.*, lower(coalesce(r.name, '')) || '|' ||
           lower(coalesce(CASE WHEN r.origin = 'dump' THEN r.mailbox END,
                          r.actor, '')) AS rkey
      FROM rules r
  ),
  hits AS (
    SELECT k.* FROM keyed k
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
