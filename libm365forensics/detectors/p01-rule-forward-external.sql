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
  -- every recipient, one per row (lists are ';' or ',' separated, and
  -- dumps write "Name" [SMTP:a@b])
  targets(event_id, action, rest, addr) AS (
    SELECT event_id, 'forwards', replace(replace(forward_to, ',', ';'),
           '"', '') || ';', NULL FROM rules WHERE forward_to <> ''
    UNION ALL
    SELECT event_id, 'forwards as attachment',
           replace(replace(forward_as_attachment, ',', ';'), '"', '') || ';',
           NULL FROM rules WHERE forward_as_attachment <> ''
    UNION ALL
    SELECT event_id, 'redirects', replace(replace(redirect_to, ',', ';'),
           '"', '') || ';', NULL FROM rules WHERE redirect_to <> ''
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
      FROM keyed k JOIN external x ON x.event_id = k.event_id
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
