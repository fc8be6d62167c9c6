-- SPDX-License-Identifier: MIT
-- id: c12-identity-risk
-- title: Identity Protection flagged the sign-in as risky
-- category: initial-access
-- severity: high
-- attack: T1078.004
-- description: A sign-in whose risk level during sign-in is medium or
--   high, whose risk state is atRisk or confirmedCompromised, or whose
--   risk event types include one of the Identity Protection detections
--   (anonymizedIPAddress, unfamiliarFeatures, impossibleTravel,
--   maliciousIPAddress, leakedCredentials, passwordSpray, anomalousToken,
--   tokenIssuerAnomaly, ...). "hidden" (no P2 licence), "none",
--   dismissed and remediated are not risk.
-- false-positives: risk already dismissed in the portal after the export.
-- param: events = (?i)anomaloustoken|anomaloususeractivity|riskyipaddress|anonymizedipaddress|unlikelytravel|impossibletravel|suspiciousinboxforwarding|mcassuspiciousinboxmanipulationrules|leakedcredentials|maliciousipaddress|suspiciousipaddress|malwareinfectedipaddress|newcountry|passwordspray|attemptedprtaccess|suspiciousbrowser|investigationsthreatintelligence|tokenissueranomaly|unfamiliarfeatures
SELECT user, min(time) AS first_time, max(time) AS last_time,
       printf('risky sign-in: level %s, state %s%s from %s',
              group_concat(DISTINCT risk_level),
              group_concat(DISTINCT risk_state),
              coalesce(', ' || group_concat(DISTINCT nullif(risk_events,
                                                           '')), ''),
              group_concat(DISTINCT client_ip)) AS summary,
       group_concat(id) AS events
  FROM auth_events
 WHERE lower(coalesce(risk_level, '')) IN ('medium', 'high')
    OR lower(coalesce(risk_state, '')) IN ('atrisk', 'confirmedcompromised')
    OR regexp(param('events', '(?i)anomaloustoken|anomaloususeractivity|riskyipaddress|anonymizedipaddress|unlikelytravel|impossibletravel|suspiciousinboxforwarding|mcassuspiciousinboxmanipulationrules|leakedcredentials|maliciousipaddress|suspiciousipaddress|malwareinfectedipaddress|newcountry|passwordspray|attemptedprtaccess|suspiciousbrowser|investigationsthreatintelligence|tokenissueranomaly|unfamiliarfeatures'),
              coalesce(risk_events, ''))
 GROUP BY user
