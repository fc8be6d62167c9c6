-- SPDX-License-Identifier: MIT
-- id: c05-legacy-auth
-- title: Successful legacy or ROPC authentication
-- category: initial-access
-- severity: medium
-- attack: T1078.004
-- description: A successful sign-in with a legacy client (IMAP4, POP3,
--   Authenticated SMTP, Exchange ActiveSync, Exchange Web Services, MAPI,
--   Outlook Anywhere, Autodiscover, Other clients...), the ROPC protocol,
--   or a legacy user agent (BAV2ROPC, CBAinPROD, CBAinTAR): these bypass
--   MFA. A client the user has used from the same address on at least
--   normal_days days is the user's own (a phone's ActiveSync) and left
--   out.
-- false-positives: old multifunction printers sending mail; legacy apps.
-- param: clients = (?i)^(authenticated smtp|autodiscover|exchange activesync|exchange online powershell|exchange web services|imap4?|mapi over http|offline address book|outlook anywhere.*|outlook service|pop3?|reporting web services|other clients.*)$
-- param: agents = (?i)bav2ropc|cbainprod|cbaintar
-- param: normal_days = 3
WITH l AS (
  SELECT id, time, user, client_ip, client_app, auth_protocol, user_agent
    FROM auth_events
   WHERE code = 0
     AND (regexp(param('clients', '(?i)^(authenticated smtp|autodiscover|exchange activesync|exchange online powershell|exchange web services|imap4?|mapi over http|offline address book|outlook anywhere.*|outlook service|pop3?|reporting web services|other clients.*)$'),
                 coalesce(client_app, ''))
          OR lower(coalesce(auth_protocol, '')) = 'ropc'
          OR regexp(param('agents', '(?i)bav2ropc|cbainprod|cbaintar'),
                    coalesce(user_agent, '')))),
normal AS (
  SELECT user, client_ip, coalesce(client_app, user_agent) AS client
    FROM l GROUP BY 1, 2, 3
  HAVING count(DISTINCT time / 86400000) >= param('normal_days', 3))
SELECT l.user, min(l.time) AS first_time, max(l.time) AS last_time,
       printf('legacy authentication succeeded: %s from %s',
              group_concat(DISTINCT coalesce(nullif(l.client_app, ''),
                                             l.auth_protocol, l.user_agent)),
              group_concat(DISTINCT l.client_ip)) AS summary,
       group_concat(l.id) AS events
  FROM l
 WHERE NOT EXISTS (SELECT 1 FROM normal n WHERE n.user = l.user
                     AND n.client_ip = l.client_ip
                     AND n.client = coalesce(l.client_app, l.user_agent))
 GROUP BY l.user
