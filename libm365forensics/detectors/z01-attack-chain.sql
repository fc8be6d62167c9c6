-- SPDX-License-Identifier: MIT
-- id: z01-attack-chain
-- title: Attack chain: suspicious sign-in, then persistence
-- category: initial-access
-- severity: critical
-- attack: T1078.004
-- description: An initial-access finding of at least medium severity
--   (spray, MFA fatigue, risky or single-factor sign-in, travel, device
--   code, AiTM...) for an account, followed within window_hours by a
--   persistence finding for the same account (forwarding rule, consent,
--   app credential, MFA method...). One finding links the evidence of
--   both. This detector reads the findings of the detectors that ran
--   before it in the same run, so it runs last.
-- false-positives: whatever the two findings it links have.
-- param: window_hours = 24
WITH f AS (
  SELECT f.id, f.detector, f.category, f.user, f.first_time, f.last_time,
         CASE f.severity WHEN 'info' THEN 0 WHEN 'low' THEN 1
              WHEN 'medium' THEN 2 WHEN 'high' THEN 3 ELSE 4 END AS sev
    FROM findings f
   WHERE f.detector <> 'z01-attack-chain' AND f.user LIKE '%@%'),
pairs AS (
  SELECT a.id AS aid, p.id AS pid, a.user, a.detector AS ad,
         p.detector AS pd, a.first_time AS t0, p.last_time AS t1
    FROM f a JOIN f p ON p.user = a.user
   WHERE a.category = 'initial-access' AND a.sev >= 2
     AND p.category = 'persistence'
     AND p.first_time >= a.first_time
     AND p.first_time <= a.last_time + param('window_hours', 24) * 3600000),
ids AS (
  SELECT user, aid AS fid FROM pairs UNION SELECT user, pid FROM pairs),
ev AS (
  SELECT i.user, group_concat(DISTINCT fe.event_id) AS events
    FROM ids i JOIN finding_events fe ON fe.finding_id = i.fid
   GROUP BY i.user)
SELECT p.user, min(p.t0) AS first_time, max(p.t1) AS last_time,
       printf('%s, then %s', group_concat(DISTINCT p.ad),
              group_concat(DISTINCT p.pd)) AS summary,
       ev.events
  FROM pairs p JOIN ev ON ev.user = p.user
 GROUP BY p.user
