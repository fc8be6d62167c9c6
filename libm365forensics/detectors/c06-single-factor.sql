-- SPDX-License-Identifier: MIT
-- id: c06-single-factor
-- title: Risky single-factor sign-in from an unknown device
-- category: initial-access
-- severity: medium
-- attack: T1078.004
-- description: A successful interactive sign-in that needed only one
--   factor (authenticationRequirement singleFactorAuthentication) from a
--   device that is not known to the tenant (no device id, not compliant
--   or managed) and was risky (risk state atRisk or risk level medium or
--   high) or came from an address the user never used before, once the
--   user has baseline_days of dated activity (the first days of the
--   evidence are the baseline: every address is new there).
-- false-positives: trusted-location exemptions from MFA for new hires.
-- param: baseline_days = 2
WITH s AS (
  SELECT a.* FROM auth_events a
   WHERE a.code = 0
     AND lower(coalesce(a.auth_requirement, '')) =
         'singlefactorauthentication'
     AND coalesce(a.interactive, 1) = 1
     AND coalesce(a.device_id, '') = ''
     AND coalesce(a.compliant, 0) = 0 AND coalesce(a.managed, 0) = 0)
SELECT user, min(time) AS first_time, max(time) AS last_time,
       printf('single-factor sign-in from %s (%s)',
              group_concat(DISTINCT client_ip),
              group_concat(DISTINCT CASE
                WHEN lower(risk_state) = 'atrisk'
                  OR lower(risk_level) IN ('medium', 'high')
                THEN 'risk ' || risk_level || '/' || risk_state
                ELSE 'first-seen address' END)) AS summary,
       group_concat(id) AS events
  FROM s
 WHERE lower(coalesce(risk_state, '')) IN ('atrisk', 'confirmedcompromised')
    OR lower(coalesce(risk_level, '')) IN ('medium', 'high')
    OR (NOT EXISTS (SELECT 1 FROM events p WHERE p.user = s.user
                      AND p.client_ip = s.client_ip AND p.time > 0
                      AND p.time < s.time)
        AND EXISTS (SELECT 1 FROM events h WHERE h.user = s.user
                      AND h.time > 0
                      AND h.time <= s.time
                        - CAST(param('baseline_days', 2) AS INTEGER)
                          * 86400000))
 GROUP BY user
