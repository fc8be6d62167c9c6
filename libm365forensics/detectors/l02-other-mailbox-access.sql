-- SPDX-License-Identifier: MIT
-- id: l02-other-mailbox-access
-- title: Access to other users' mailboxes
-- category: lateral
-- severity: high
-- attack: T1114.002
-- description: A user reads mailboxes that are not their own
--   (MailItemsAccessed with MailboxOwnerUPN other than the actor,
--   MailboxLogin or mailbox actions with a non-owner LogonType, and
--   AdminMailAccess): more than max_mailboxes other mailboxes. System
--   identities (no e-mail address as actor) are left out. The folder
--   count of the Sentinel rule is not used: folder lists are not kept.
-- false-positives: delegates and assistants with many mailboxes; admins
--   during an investigation.
-- param: max_mailboxes = 1
WITH acc AS (
  SELECT e.id, e.time, e.user, e.client_ip,
         lower((SELECT p.new_value FROM event_props p
                 WHERE p.event_id = e.id AND p.kind = 'field'
                   AND p.name = 'MailboxOwnerUPN')) AS owner,
         (SELECT p.new_value FROM event_props p
           WHERE p.event_id = e.id AND p.kind = 'field'
             AND p.name = 'LogonType') AS logon,
         e.op_norm
    FROM events e
   WHERE e.workload = 'Exchange'
     AND e.op_norm IN ('mailitemsaccessed', 'mailboxlogin',
                       'adminmailaccess', 'folderbind', 'messagebind')
     AND e.user LIKE '%@%'),
other AS (
  SELECT * FROM acc
   WHERE op_norm = 'adminmailaccess'
      OR (owner IS NOT NULL AND owner <> user)
      OR (owner IS NULL AND logon IS NOT NULL AND logon <> '0'))
SELECT o.user, min(o.time) AS first_time, max(o.time) AS last_time,
       printf('read %d other mailboxes (%s) from %s',
              count(DISTINCT o.owner), group_concat(DISTINCT o.owner),
              group_concat(DISTINCT o.client_ip)) AS summary,
       group_concat(o.id) AS events
  FROM other o GROUP BY +o.user
HAVING count(DISTINCT coalesce(o.owner, o.id)) >
         CAST(param('max_mailboxes', 1) AS INTEGER)
