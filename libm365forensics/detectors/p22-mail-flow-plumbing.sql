-- SPDX-License-Identifier: MIT
-- id: p22-mail-flow-plumbing
-- title: Inbound connector or mail protocols opened up
-- category: persistence
-- severity: medium
-- attack: T1114.002
-- version: 1
-- description: New-InboundConnector or Set-InboundConnector (mail from a
--   host of the attacker's choosing is trusted), and Set-CASMailbox
--   turning on POP, IMAP, ActiveSync, MAPI, EWS or OWA for a mailbox
--   (legacy protocols let a stolen password read mail without MFA).
--   Turning protocols off is not reported.
-- false-positives: Onboarding of a mail gateway; a user who needs IMAP.
-- references: indicator family P22; Suzaku
--   m365_casmailbox_protocols_enabled
WITH c AS (
    SELECT e.id, e.time, e.user, e.operation,
           (SELECT value FROM event_params i WHERE i.event_id = e.id
             AND i.name IN ('Identity', 'Name') LIMIT 1) AS target,
           (SELECT group_concat(p.name, ', ') FROM event_params p
             WHERE p.event_id = e.id
               AND p.name IN ('PopEnabled', 'ImapEnabled',
                              'ActiveSyncEnabled', 'MAPIEnabled',
                              'EwsEnabled', 'OWAEnabled',
                              'SmtpClientAuthenticationDisabled')
               AND lower(p.value) IN ('true', '$true', '1')
               AND p.name <> 'SmtpClientAuthenticationDisabled'
           ) AS enabled,
           e.op_norm
      FROM events e
     WHERE e.op_norm IN ('new-inboundconnector', 'set-inboundconnector',
                         'set-casmailbox')
  )
SELECT user, time AS first_time, time AS last_time,
       CASE WHEN op_norm = 'set-casmailbox'
         THEN printf('%s enabled %s for %s', coalesce(user, '?'), enabled,
                     coalesce(target, '?'))
         ELSE printf('%s: %s ''%s''', coalesce(user, '?'), operation,
                     coalesce(target, '?')) END AS summary,
       json_object('target', target, 'enabled', enabled,
                   'operation', operation) AS detail,
       id AS events
  FROM c
 WHERE op_norm <> 'set-casmailbox' OR enabled IS NOT NULL
 ORDER BY time, id
