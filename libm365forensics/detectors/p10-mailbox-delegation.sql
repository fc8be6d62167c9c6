-- SPDX-License-Identifier: MIT
-- id: p10-mailbox-delegation
-- title: Mailbox access delegated to another account
-- category: persistence
-- severity: medium
-- attack: T1098.002
-- version: 1
-- description: Add-MailboxPermission with FullAccess, ChangePermission or
--   ChangeOwner; Add-RecipientPermission with SendAs; Set-Mailbox with
--   GrantSendOnBehalfTo; Add-ADPermission with Send-As or Receive-As.
--   Exchange's own service actors (NT AUTHORITY\SYSTEM, S-1-5-18) and the
--   Discovery Management grants made when a tenant is provisioned are
--   left out.
-- false-positives: Helpdesk granting a manager access to a leaver's
--   mailbox; shared-mailbox administration.
-- references: indicator family P10; Elastic
--   persistence_exchange_suspicious_mailbox_permission_delegation; Hawk
--   Get-HawkTenantAdminMailboxPermissionChange
-- param: rights = (?i)FullAccess|ChangePermission|ChangeOwner|SendAs|Send-As|Receive-As
--   PCRE2 pattern over AccessRights / ExtendedRights.
-- param: system_actors = (?i)^(nt authority\\system|s-1-5-18$|.*\(microsoft\.exchange\.)
--   PCRE2 pattern over the actor for service accounts to leave out.
-- param: system_targets = (?i)discoverysearchmailbox|discovery management
--   PCRE2 pattern over the mailbox and grantee to leave out.
WITH g AS (
    SELECT e.id, e.time, e.user, e.operation,
           (SELECT value FROM event_params i WHERE i.event_id = e.id
             AND i.name = 'Identity') AS mailbox,
           (SELECT value FROM event_params i WHERE i.event_id = e.id
             AND i.name IN ('User', 'Trustee', 'GrantSendOnBehalfTo')
           ) AS grantee,
           (SELECT group_concat(value, ',') FROM event_params i
             WHERE i.event_id = e.id
               AND i.name IN ('AccessRights', 'ExtendedRights')) AS rights
      FROM events e
     WHERE e.op_norm IN ('add-mailboxpermission', 'add-recipientpermission',
                         'set-mailbox', 'add-adpermission')
  )
SELECT user, time AS first_time, time AS last_time,
       printf('%s gave %s %s on mailbox %s (%s)', user,
              coalesce(grantee, '?'), coalesce(rights, 'SendOnBehalf'),
              coalesce(mailbox, '?'), operation) AS summary,
       json_object('mailbox', mailbox, 'grantee', grantee,
                   'rights', rights, 'operation', operation) AS detail,
       id AS events
  FROM g
 WHERE (regexp(param('rights'), rights)
        OR (operation LIKE 'Set-Mailbox' AND grantee <> ''))
   AND NOT regexp(param('system_actors'), coalesce(user, ''))
   AND NOT regexp(param('system_targets'),
                  coalesce(mailbox, '') || ' ' || coalesce(grantee, ''))
 ORDER BY time, id
