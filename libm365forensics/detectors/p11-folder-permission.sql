-- SPDX-License-Identifier: MIT
-- id: p11-folder-permission
-- title: Mail folder shared with read access
-- category: persistence
-- severity: medium
-- attack: T1098.002
-- version: 1
-- description: Add-MailboxFolderPermission or Set-MailboxFolderPermission
--   giving read rights (ReadItems, Reviewer, Author, Editor, Owner ...)
--   on a folder that is not a calendar; high when the grantee is Default,
--   Anonymous or Everyone (the folder is open to the whole tenant). Also
--   item-level AddFolderPermissions and ModifyFolderPermissions records
--   made by a person rather than Exchange itself (S-1-5-18); the normalized
--   record does not carry the folder's rights, so those are low.
-- false-positives: Users sharing a folder with an assistant.
-- references: indicator family P11; Splunk
--   o365_mailbox_folder_read_permission_granted,
--   o365_mailbox_inbox_folder_shared_with_all_users
-- param: rights = (?i)ReadItems|Reviewer|Author|Editor|Owner|FullDetails
--   PCRE2 pattern over AccessRights.
-- param: calendar = (?i):\\?(calendar|kalender|calendrier|calendario|agenda)
--   PCRE2 pattern over the folder identity for calendars to leave out.
-- param: system_actors = (?i)^(nt authority\\system|s-1-5-18$|.*\(microsoft\.exchange\.)
--   PCRE2 pattern over the actor for service accounts to leave out.
WITH f AS (
    SELECT e.id, e.time, e.user, e.operation, e.op_norm,
           (SELECT value FROM event_params i WHERE i.event_id = e.id
             AND i.name = 'Identity') AS folder,
           (SELECT value FROM event_params i WHERE i.event_id = e.id
             AND i.name = 'User') AS grantee,
           (SELECT value FROM event_params i WHERE i.event_id = e.id
             AND i.name = 'AccessRights') AS rights
      FROM events e
     WHERE e.op_norm IN ('add-mailboxfolderpermission',
                         'set-mailboxfolderpermission',
                         'addfolderpermissions', 'modifyfolderpermissions')
  )
SELECT user, time AS first_time, time AS last_time,
       CASE WHEN op_norm LIKE '%-%' THEN
         printf('%s gave %s %s on folder %s', user, coalesce(grantee, '?'),
                rights, coalesce(folder, '?'))
       ELSE printf('%s changed folder permissions (%s)', user, operation)
       END AS summary,
       json_object('folder', folder, 'grantee', grantee, 'rights', rights,
                   'operation', operation) AS detail,
       id AS events,
       CASE WHEN op_norm NOT LIKE '%-%' THEN 'low'
            WHEN lower(grantee) IN ('default', 'anonymous', 'everyone')
            THEN 'high' END AS severity
  FROM f
 WHERE NOT regexp(param('system_actors'), coalesce(user, ''))
   AND (op_norm NOT LIKE '%-%'
        OR (regexp(param('rights'), coalesce(rights, ''))
            AND NOT regexp(param('calendar'), coalesce(folder, ''))))
 ORDER BY time, id
