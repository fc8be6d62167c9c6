-- SPDX-License-Identifier: MIT
-- id: p08-many-mailboxes-one-destination
-- title: Several mailboxes forward to the same outside address
-- category: persistence
-- severity: high
-- attack: T1114.003
-- version: 1
-- description: Mailbox forwarding (ForwardingSmtpAddress) and inbox-rule
--   forwarding or redirection of at least min_mailboxes different
--   mailboxes point to one address outside the tenant within the window.
--   One actor collecting several compromised mailboxes is a spread
--   indicator; the detail lists the mailboxes and client addresses.
-- false-positives: An approved archiving or journaling service outside
--   the tenant.
-- references: indicator family P8; Sentinel Office_MailForwarding
-- param: min_mailboxes = 2
--   Fewest different mailboxes forwarding to one address.
-- param: window_days = 7
--   Window in days.
WITH RECURSIVE
  src(id, time, mailbox, value, ip) AS (
    SELECT e.id, e.time,
           lower(coalesce((SELECT value FROM event_params i
                            WHERE i.event_id = e.id AND i.name = 'Identity'),
                          e.user)),
           CASE WHEN lower(p.value) LIKE 'smtp:%' THEN substr(p.value, 6)
                ELSE p.value END, e.client_ip
      FROM events e JOIN event_params p ON p.event_id = e.id
     WHERE e.op_norm IN ('set-mailbox', 'set-mailuser', 'set-remotemailbox')
       AND p.name = 'ForwardingSmtpAddress'
    UNION ALL
    SELECT e.id, e.time,
           lower(coalesce((SELECT value FROM event_params i
                            WHERE i.event_id = e.id AND i.name = 'Mailbox'),
                          CASE WHEN instr(e.object, '\') > 0 THEN
                            substr(e.object, 1, instr(e.object, '\') - 1)
                          END, e.user)),
           p.value, e.client_ip
      FROM events e JOIN event_params p ON p.event_id = e.id
     WHERE e.op_norm IN ('new-inboxrule', 'set-inboxrule')
       AND p.name IN ('ForwardTo', 'ForwardAsAttachmentTo', 'RedirectTo')
  ),
  split(id, time, mailbox, ip, rest, addr) AS (
    SELECT id, time, mailbox, ip,
           replace(replace(value, ',', ';'), '"', '') || ';', NULL
      FROM src WHERE trim(coalesce(value, '')) <> ''
    UNION ALL
    SELECT id, time, mailbox, ip, substr(rest, instr(rest, ';') + 1),
           trim(substr(rest, 1, instr(rest, ';') - 1))
      FROM split WHERE rest <> ''
  ),
  fw AS (
    SELECT DISTINCT id, time, mailbox, ip, lower(addr) AS dest FROM split
     WHERE addr LIKE '%@%' AND is_internal(addr) = 0
  ),
  windows AS (
    SELECT a.dest, a.id AS anchor, count(DISTINCT b.mailbox) AS n,
           min(b.time) AS t1, max(b.time) AS t2,
           group_concat(DISTINCT b.id) AS ids,
           json_group_array(DISTINCT b.mailbox) AS mailboxes,
           json_group_array(DISTINCT b.ip) AS ips
      FROM fw a JOIN fw b ON b.dest = a.dest AND b.time >= a.time
       AND b.time <= a.time + param('window_days') * 86400000
     GROUP BY a.dest, a.id
    HAVING n >= param('min_mailboxes')
  ),
  best AS (
    SELECT *, row_number() OVER (PARTITION BY dest
                                 ORDER BY n DESC, t1, anchor) AS k
      FROM windows
  )
SELECT NULL AS user, t1 AS first_time, t2 AS last_time,
       printf('%d mailboxes forward mail to %s', n, dest) AS summary,
       json_object('destination', dest, 'mailboxes', json(mailboxes),
                   'client_ips', json(ips)) AS detail,
       ids AS events
  FROM best WHERE k = 1
 ORDER BY t1, dest
