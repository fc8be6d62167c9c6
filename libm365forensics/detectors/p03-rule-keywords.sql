-- SPDX-License-Identifier: MIT
-- id: p03-rule-keywords
-- title: Inbox rule keyed on security or payment words
-- category: persistence
-- severity: high
-- attack: T1564.008
-- version: 1
-- description: A New-InboxRule or Set-InboxRule, or a rule in a
--   mailbox-rule dump, matches subjects or bodies on words an attacker
--   wants to hide from the owner (phishing, hacked, invoice, payment, wire,
--   password, MFA ...), or on a catch-all keyword (one character, only
--   white space, a NUL). Business e-mail compromise actors hide replies
--   about the fraud this way.
-- false-positives: A finance team's rule filing invoices into a folder.
--   Such rules rarely delete or hide; see p02-rule-hides-mail together.
-- references: indicator family P3; Sentinel Malicious_Inbox_Rule;
--   M365IRScripts 17-Search-MailboxSuspiciousRules
-- param: keywords = (?i)(helpdesk|help desk|\balert|suspicious|\bfake|malicious|phish|\bspam|do not click|do not open|hijack|\bfatal|docusign|invoice|payment|\bbank|fraud|compromise|password|\bw-?2\b|\bmfa\b|\bwire\b|\bscam|\bhack|\bach\b|routing|venmo|zelle|bitcoin|crypto|malware|\breset\b|unusual|security)
--   PCRE2 pattern searched in the subject and body conditions.
WITH RECURSIVE
  -- one row per rule change in the audit log or rule in a dump, with the
  -- columns of inbox_rules
  ep(event_id, name, value) AS (
    SELECT p.event_id, p.name, p.value
      FROM events e JOIN event_params p ON p.event_id = e.id
     WHERE e.op_norm IN ('new-inboxrule', 'set-inboxrule')
  ),
  rules AS (
    SELECT e.id AS event_id, e.time AS time, e.user AS actor,
           'audit' AS origin, e.operation AS operation,
           coalesce((SELECT value FROM ep WHERE event_id = e.id
                       AND name = 'Mailbox'),
                    -- ObjectId: .../<mailbox>\<rule>
                    nullif(substr(substr(e.object, 1, instr(e.object, '\') - 1),
                       length(rtrim(substr(e.object, 1, instr(e.object, '\') - 1),
                         replace(substr(e.object, 1, instr(e.object, '\') - 1),
                                 '/', ''))) + 1), ''),
                    e.user) AS mailbox,
           coalesce((SELECT value FROM ep WHERE event_id = e.id
                       AND name = 'Name'),
                    (SELECT value FROM ep WHERE event_id = e.id
                       AND name = 'Identity'),
                    substr(e.object, instr(e.object, '\') + 1)) AS name,
           (SELECT value FROM ep WHERE event_id = e.id
              AND name = 'ForwardTo') AS forward_to,
           (SELECT value FROM ep WHERE event_id = e.id
              AND name = 'ForwardAsAttachmentTo') AS forward_as_attachment,
           (SELECT group_concat(value, ';') FROM ep WHERE event_id = e.id
              AND name IN ('RedirectTo', 'RedirectToRecipients'))
             AS redirect_to,
           (SELECT lower(value) IN ('true', '$true', '1') FROM ep
             WHERE event_id = e.id AND name = 'DeleteMessage')
             AS delete_message,
           (SELECT lower(value) IN ('true', '$true', '1') FROM ep
             WHERE event_id = e.id AND name = 'SoftDeleteMessage')
             AS soft_delete,
           (SELECT value FROM ep WHERE event_id = e.id
              AND name = 'MoveToFolder') AS move_to_folder,
           (SELECT lower(value) IN ('true', '$true', '1') FROM ep
             WHERE event_id = e.id AND name = 'MarkAsRead') AS mark_as_read,
           (SELECT value FROM ep WHERE event_id = e.id
              AND name = 'SubjectContainsWords') AS cond_subject,
           (SELECT value FROM ep WHERE event_id = e.id
              AND name = 'BodyContainsWords') AS cond_body,
           (SELECT value FROM ep WHERE event_id = e.id
              AND name = 'SubjectOrBodyContainsWords')
             AS cond_subject_or_body
      FROM events e
     WHERE e.op_norm IN ('new-inboxrule', 'set-inboxrule')
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
  conds AS (
    SELECT k.*, trim(coalesce(k.cond_subject, '') || ' ' ||
                     coalesce(k.cond_body, '') || ' ' ||
                     coalesce(k.cond_subject_or_body, '')) AS words
      FROM keyed k
     WHERE k.cond_subject IS NOT NULL OR k.cond_body IS NOT NULL
        OR k.cond_subject_or_body IS NOT NULL
  ),
  hits AS (
    SELECT c.* FROM conds c
     WHERE regexp(param('keywords'), c.words)
        OR length(trim(coalesce(c.cond_subject, 'xx'))) < 2
        OR length(trim(coalesce(c.cond_body, 'xx'))) < 2
        OR length(trim(coalesce(c.cond_subject_or_body, 'xx'))) < 2
        OR instr(c.words, char(0)) > 0
  )
SELECT min(x.actor) AS user, min(x.time) AS first_time,
       max(x.time) AS last_time,
       printf('Inbox rule ''%s'' on %s matches on ''%s'' (%s)', min(x.name),
              coalesce(max(CASE WHEN x.mailbox LIKE '%@%' THEN x.mailbox END),
                       min(x.mailbox)),
              substr(max(x.words), 1, 120),
              group_concat(DISTINCT x.operation)) AS summary,
       json_object('rule', min(x.name), 'mailbox', min(x.mailbox),
                   'operations', json_group_array(DISTINCT x.operation),
                   'subject', max(x.cond_subject),
                   'body', max(x.cond_body),
                   'subject_or_body', max(x.cond_subject_or_body))
         AS detail,
       group_concat(DISTINCT x.event_id) AS events
  FROM hits x
 GROUP BY x.rkey
 ORDER BY first_time, min(x.event_id)
