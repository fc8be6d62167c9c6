-- SPDX-License-Identifier: MIT
-- id: p01-rule-forward-external
-- title: Inbox rule forwards or redirects mail outside the tenant
-- category: persistence
-- severity: high
-- attack: T1114.003
-- version: 1
-- description: A New-InboxRule or Set-InboxRule, or a rule in a
--   mailbox-rule dump, forwards, forwards as an attachment or redirects
--   mail to an address whose domain is not one of the tenant's domains
--   (learned from the evidence, or given with --internal-domain). The
--   audit records and dump entries of one rule make one finding. When the
--   case knows none of the tenant's domains (a dump alone), every
--   recipient with a domain is reported, as low.
-- false-positives: Approved forwarding to a partner or to a personal
--   address. Add partner domains as internal domains. Recipients given by
--   name only (no domain) are taken as internal.
-- references: indicator family P1; Elastic
--   collection_exchange_new_inbox_rule; Hawk Test-SuspiciousInboxRule
WITH RECURSIVE
  -- every recipient, one per row (lists are ';' or ',' separated, and
  -- dumps write "Name" [SMTP:a@b])
  targets(event_id, action, rest, addr) AS (
    SELECT event_id, 'forwards', replace(replace(forward_to, ',', ';'),
           '"', '') || ';', NULL FROM rule_facts WHERE forward_to <> ''
    UNION ALL
    SELECT event_id, 'forwards as attachment',
           replace(replace(forward_as_attachment, ',', ';'), '"', '') || ';',
           NULL FROM rule_facts WHERE forward_as_attachment <> ''
    UNION ALL
    SELECT event_id, 'redirects', replace(replace(redirect_to, ',', ';'),
           '"', '') || ';', NULL FROM rule_facts WHERE redirect_to <> ''
    UNION ALL
    SELECT event_id, action, substr(rest, instr(rest, ';') + 1),
           trim(substr(rest, 1, instr(rest, ';') - 1))
      FROM targets WHERE rest <> ''
  ),
  external AS (
    SELECT DISTINCT event_id, action, addr FROM targets
     WHERE addr <> '' AND is_internal(addr) = 0
  ),
  hits AS (
    SELECT k.*, x.action, x.addr
      FROM rule_facts k JOIN external x ON x.event_id = k.event_id
  )
SELECT min(x.actor) AS user, min(x.time) AS first_time,
       max(x.time) AS last_time,
       printf('Inbox rule ''%s'' on %s %s mail to %s (%s)', min(x.name),
              coalesce(max(CASE WHEN x.mailbox LIKE '%@%' THEN x.mailbox END),
                       min(x.mailbox)),
              group_concat(DISTINCT x.action), group_concat(DISTINCT x.addr),
              group_concat(DISTINCT x.operation)) AS summary,
       json_object('rule', min(x.name), 'mailbox', min(x.mailbox),
                   'operations', json_group_array(DISTINCT x.operation),
                   'external', json_group_array(DISTINCT x.addr),
                   'tenant_domains_known', EXISTS (SELECT 1 FROM internal_domains))
         AS detail,
       group_concat(DISTINCT x.event_id) AS events,
       CASE WHEN NOT EXISTS (SELECT 1 FROM internal_domains)
            THEN 'low' END AS severity
  FROM hits x
 GROUP BY x.rkey
 ORDER BY first_time, min(x.event_id)
