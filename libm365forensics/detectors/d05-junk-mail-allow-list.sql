-- SPDX-License-Identifier: MIT
-- id: d05-junk-mail-allow-list
-- title: Safe or blocked senders list of a mailbox changed
-- category: defense-evasion
-- severity: medium
-- attack: T1564.008
-- version: 1
-- description: Set-MailboxJunkEmailConfiguration with
--   TrustedSendersAndDomains, TrustedRecipientsAndDomains or
--   BlockedSendersAndDomains. Attackers trust their own domain so their
--   mail lands in the inbox, or block the security team and the bank.
-- false-positives: Users maintaining their own lists in Outlook.
-- references: indicator family D5; Microsoft-Analyzer-Suite UAL-Analyzer
SELECT e.user AS user, e.time AS first_time, e.time AS last_time,
       printf('%s changed the junk-mail lists of %s: %s',
              coalesce(e.user, '?'),
              coalesce((SELECT value FROM event_params i
                         WHERE i.event_id = e.id AND i.name = 'Identity'),
                       '?'),
              group_concat(p.name || '=' || substr(p.value, 1, 120), '; '))
         AS summary,
       json_object('lists', json_group_array(p.name || '=' || p.value))
         AS detail,
       e.id AS events
  FROM events e JOIN event_params p ON p.event_id = e.id
 WHERE e.op_norm = 'set-mailboxjunkemailconfiguration'
   AND p.name IN ('TrustedSendersAndDomains', 'TrustedRecipientsAndDomains',
                  'BlockedSendersAndDomains')
   AND trim(coalesce(p.value, '')) NOT IN ('', '{}', '[]', '$null')
 GROUP BY e.id
 ORDER BY e.time, e.id
