-- SPDX-License-Identifier: MIT
-- id: p02-rule-hides-mail
-- title: Inbox rule deletes mail or moves it to a folder nobody reads
-- category: persistence
-- severity: medium
-- attack: T1564.008
-- version: 1
-- description: A New-InboxRule or Set-InboxRule, or a rule in a
--   mailbox-rule dump, deletes messages (DeleteMessage,
--   SoftDeleteMessage) or moves them to Deleted Items, Junk Email, RSS
--   Feeds or Subscriptions, Conversation History or Archive, in any of the
--   languages of the ref_hidden_folders table. Attackers use such rules to
--   keep replies and security notices away from the mailbox owner.
--   MarkAsRead on such a rule is reported in the detail.
-- false-positives: Users filing newsletters into Archive or deleting
--   notifications of a noisy system. Check the rule's conditions.
-- references: indicator family P2; Microsoft-Analyzer-Suite MoveToFolder
--   blacklist; Elastic defense_evasion_exchange_new_inbox_rule_delete_or_move
-- param: extra_folders = ^$
--   Regular expression (case-insensitive) for more folder names to treat
--   as hidden, for example a tenant's own quarantine folder.
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
  hides AS (
    SELECT k.*,
           -- last path element of MoveToFolder, without backslashes
           CASE WHEN k.move_to_folder <> '' THEN
             substr(trim(k.move_to_folder, '\'),
                    length(rtrim(trim(k.move_to_folder, '\'),
                      replace(trim(k.move_to_folder, '\'), '\', ''))) + 1)
           END AS folder
      FROM keyed k
  ),
  hits AS (
    SELECT h.* FROM hides h
     WHERE h.delete_message OR h.soft_delete
        OR lower(h.folder) IN (SELECT lower(name) FROM ref_hidden_folders)
        OR (h.folder <> '' AND param('extra_folders') <> '^$'
            AND regexp('(?i)' || param('extra_folders'), h.folder))
  )
SELECT min(x.actor) AS user, min(x.time) AS first_time,
       max(x.time) AS last_time,
       printf('Inbox rule ''%s'' on %s %s (%s)', min(x.name),
              coalesce(max(CASE WHEN x.mailbox LIKE '%@%' THEN x.mailbox END),
                       min(x.mailbox)),
              CASE WHEN max(x.delete_message OR x.soft_delete) THEN 'deletes messages' ELSE printf('moves messages to ''%s''', max(x.folder)) END,
              group_concat(DISTINCT x.operation)) AS summary,
       json_object('rule', min(x.name), 'mailbox', min(x.mailbox),
                   'operations', json_group_array(DISTINCT x.operation),
                   'delete', max(x.delete_message OR x.soft_delete) = 1,
                   'move_to_folder', max(x.move_to_folder),
                   'mark_as_read', max(x.mark_as_read IS 1) = 1)
         AS detail,
       group_concat(DISTINCT x.event_id) AS events
  FROM hits x
 GROUP BY x.rkey
 ORDER BY first_time, min(x.event_id)
