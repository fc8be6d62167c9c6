-- SPDX-License-Identifier: MIT
-- id: p07-mailbox-forwarding
-- title: Mailbox forwarding set to an outside address
-- category: persistence
-- severity: high
-- attack: T1114.003
-- version: 1
-- description: Set-Mailbox (or Set-MailUser, Set-RemoteMailbox,
--   Enable-RemoteMailbox) sets ForwardingSmtpAddress to an address outside
--   the tenant's domains (high), or ForwardingAddress to a recipient object
--   (medium: a mail contact may point outside). A forwarding entry of a
--   mailbox dump to an outside address is reported too.
--   DeliverToMailboxAndForward is shown in the detail.
-- false-positives: Approved forwarding to a partner; add its domain as
--   an internal domain. When the case knows none of the tenant's domains
--   (a dump alone) an outside address is reported as low.
-- references: indicator family P7; Hawk
--   Get-HawkTenantAdminEmailForwardingChange; Splunk
--   o365_mailbox_email_forwarding_enabled
WITH fw AS (
    SELECT e.id, e.time, e.user, e.operation, p.name AS kind,
           trim(CASE WHEN lower(p.value) LIKE 'smtp:%'
                THEN substr(p.value, 6) ELSE p.value END) AS target,
           (SELECT value FROM event_params i WHERE i.event_id = e.id
             AND i.name = 'Identity') AS mailbox,
           (SELECT value FROM event_params i WHERE i.event_id = e.id
             AND i.name IN ('DeliverToMailboxAndForward',
                            'DeliverToAndForward')) AS keep_copy
      FROM events e JOIN event_params p ON p.event_id = e.id
     WHERE e.op_norm IN ('set-mailbox', 'set-mailuser', 'set-remotemailbox',
                         'enable-remotemailbox', 'new-mailbox')
       AND p.name IN ('ForwardingSmtpAddress', 'ForwardingAddress')
       AND trim(coalesce(p.value, '')) <> ''
    UNION ALL
    SELECT r.event_id, nullif(coalesce(r.time, e.time), 0), e.user,
           'mailbox dump',
           'ForwardingSmtpAddress', r.forward_to, r.mailbox,
           r.deliver_and_forward
      FROM inbox_rules r JOIN events e ON e.id = r.event_id
     WHERE r.source_kind = 'dump' AND r.kind = 'forwarding'
       AND trim(coalesce(r.forward_to, '')) <> ''
  )
SELECT user, time AS first_time, time AS last_time,
       printf('Mailbox %s forwards mail to %s (%s %s)',
              coalesce(mailbox, user), target, operation, kind) AS summary,
       json_object('mailbox', mailbox, 'forward_to', target,
                   'parameter', kind, 'operation', operation,
                   'keep_copy', keep_copy) AS detail,
       id AS events,
       CASE WHEN kind = 'ForwardingAddress' THEN 'medium'
            WHEN NOT EXISTS (SELECT 1 FROM internal_domains) THEN 'low'
       END AS severity
  FROM fw
 WHERE kind = 'ForwardingAddress' OR coalesce(is_internal(target), 0) = 0
 ORDER BY time, id
