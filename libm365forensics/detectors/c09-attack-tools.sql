-- SPDX-License-Identifier: MIT
-- id: c09-attack-tools
-- title: Attack or scripting tool user agent or application
-- category: initial-access
-- severity: high
-- attack: T1078.004
-- description: A sign-in or audit record whose user agent matches an
--   attack or scripting tool (ref_tool_agents: AADInternals, AzureHound,
--   kali365, TeamFiltration, python-requests, BAV2ROPC...) or that used
--   a scripting application id (ref_first_party_apps with tool = 1: Azure
--   and Exchange PowerShell, Azure CLI, Graph command line), or a
--   MailboxLogin from the Exchange PowerShell WinRM client. Failed
--   attempts are left to the spray and brute-force detectors. The
--   severity is the tool's (high, medium, low).
-- false-positives: admins' own PowerShell and CLI work; add them to
--   allow_users.
-- param: allow_users =

-- each distinct user agent is matched once against the patterns
WITH agents AS (
  SELECT a.user_agent AS agent, t.tool, t.severity
    FROM (SELECT DISTINCT user_agent FROM events
           WHERE user_agent IS NOT NULL AND user_agent <> '') a
    JOIN ref_tool_agents t ON regexp('(?i)' || t.pattern, a.user_agent)),
ua AS (
  SELECT e.id, e.time, e.user, e.client_ip, m.tool, m.severity
    FROM agents m JOIN events e ON e.user_agent = m.agent
   WHERE e.user LIKE '%@%' AND e.op_norm <> 'userloginfailed'
     AND NOT EXISTS (SELECT 1 FROM signin_details d
                      WHERE d.event_id = e.id AND d.error_code <> 0)),
app AS (
  SELECT a.id, a.time, a.user, a.client_ip, f.name AS tool,
         'low' AS severity
    FROM auth_events a JOIN ref_first_party_apps f
      ON f.app_id = a.app_id AND f.tool = 1
   WHERE a.code = 0
  UNION ALL
  SELECT id, time, user, client_ip, 'Exchange PowerShell', 'low'
    FROM events
   WHERE op_norm = 'mailboxlogin'
     AND user_agent LIKE '%Microsoft.Exchange.Powershell%'),
hits AS (SELECT * FROM ua UNION ALL SELECT * FROM app)
SELECT user, min(time) AS first_time, max(time) AS last_time,
       printf('tools: %s from %s', group_concat(DISTINCT tool),
              group_concat(DISTINCT client_ip)) AS summary,
       group_concat(DISTINCT id) AS events,
       CASE max(CASE severity WHEN 'high' THEN 3 WHEN 'medium' THEN 2
                              ELSE 1 END)
         WHEN 3 THEN 'high' WHEN 2 THEN 'medium' ELSE 'low' END
         AS severity
  FROM hits
 WHERE instr(',' || lower(param('allow_users', '')) || ',',
             ',' || user || ',') = 0
 GROUP BY user
