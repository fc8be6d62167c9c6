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
WITH
  conds AS (
    SELECT k.*, trim(coalesce(k.cond_subject, '') || ' ' ||
                     coalesce(k.cond_body, '') || ' ' ||
                     coalesce(k.cond_subject_or_body, '')) AS words
      FROM rule_facts k
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
