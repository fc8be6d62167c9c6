-- SPDX-License-Identifier: MIT
-- id: c16-phish-delivered
-- title: Phishing or malware mail delivered, or a security alert
-- category: initial-access
-- severity: medium
-- attack: T1566
-- description: Defender for Office 365 TIMailData records of inbound mail
--   with a phish, malware or spam verdict whose delivery action was not
--   Blocked (it reached a mailbox), and security alerts raised in the
--   audit log (AlertEntityGenerated, AlertTriggered) with their names.
-- false-positives: verdicts later corrected (ZAP removed the mail).
WITH f AS (
  SELECT e.id, e.time, e.user, e.op_norm, e.object,
         (SELECT p.new_value FROM event_props p WHERE p.event_id = e.id
            AND p.kind = 'field' AND p.name = 'DeliveryAction') AS action,
         (SELECT p.new_value FROM event_props p WHERE p.event_id = e.id
            AND p.kind = 'field' AND p.name = 'Directionality') AS dir,
         (SELECT p.new_value FROM event_props p WHERE p.event_id = e.id
            AND p.kind = 'field' AND p.name = 'Verdict') AS verdict,
         (SELECT p.new_value FROM event_props p WHERE p.event_id = e.id
            AND p.kind = 'field' AND p.name = 'P1Sender') AS sender,
         (SELECT p.new_value FROM event_props p WHERE p.event_id = e.id
            AND p.kind = 'field' AND p.name = 'Name') AS alert
    FROM events e
   WHERE e.op_norm IN ('timaildata', 'alertentitygenerated',
                       'alerttriggered'))
SELECT user, min(time) AS first_time, max(time) AS last_time,
       CASE WHEN op_norm = 'timaildata'
            THEN printf('%d %s mails delivered from %s', count(*),
                        group_concat(DISTINCT verdict),
                        group_concat(DISTINCT sender))
            ELSE printf('security alerts: %s',
                        group_concat(DISTINCT coalesce(alert, object))) END
         AS summary,
       group_concat(id) AS events
  FROM f
 WHERE (op_norm = 'timaildata' AND lower(coalesce(dir, 'inbound')) = 'inbound'
        AND lower(coalesce(action, '')) NOT IN ('blocked', '')
        AND regexp('(?i)phish|malware|spam', coalesce(verdict, '')))
    OR op_norm <> 'timaildata'
 GROUP BY user, op_norm = 'timaildata'
