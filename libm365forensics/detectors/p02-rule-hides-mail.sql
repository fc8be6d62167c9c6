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
WITH
  hides AS (
    SELECT k.*,
           -- last path element of MoveToFolder, without backslashes
           CASE WHEN k.move_to_folder <> '' THEN
             substr(trim(k.move_to_folder, '\'),
                    length(rtrim(trim(k.move_to_folder, '\'),
                      replace(trim(k.move_to_folder, '\'), '\', ''))) + 1)
           END AS folder
      FROM rule_facts k
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
