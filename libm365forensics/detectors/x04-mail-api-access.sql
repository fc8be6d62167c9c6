-- SPDX-License-Identifier: MIT
-- id: x04-mail-api-access
-- title: Mailbox read through Graph or EWS by a non-Microsoft app
-- category: exfiltration
-- severity: high
-- attack: T1114.002
-- description: MailItemsAccessed through Microsoft Graph (AppId
--   00000003-0000-0000-c000-000000000000) or Exchange Web Services
--   (ClientInfoString Client=WebServices;ExchangeWebServices) whose
--   calling app (ClientAppId, else AppId) is not a first-party Microsoft
--   client (ref_first_party_apps) nor in allow_apps. One app reading more than max_mailboxes mailboxes in ten
--   minutes is named in the summary.
-- false-positives: sanctioned third-party mail, CRM or backup apps: add
--   their ids to allow_apps.
-- param: allow_apps =
-- param: max_mailboxes = 5
WITH mia AS (
  SELECT e.id, e.time, e.user, e.client_ip, e.user_agent,
         lower(coalesce((SELECT p.new_value FROM event_props p
                          WHERE p.event_id = e.id AND p.kind = 'field'
                            AND p.name = 'ClientAppId'), e.app_id)) AS app,
         coalesce((SELECT p.new_value FROM event_props p
                    WHERE p.event_id = e.id AND p.kind = 'field'
                      AND p.name = 'MailboxOwnerUPN'), e.user) AS owner
    FROM events e
   WHERE e.op_norm = 'mailitemsaccessed'
     AND (e.app_id = '00000003-0000-0000-c000-000000000000'
          OR e.user_agent LIKE 'Client=WebServices;ExchangeWebServices%')),
odd AS (
  SELECT * FROM mia
   WHERE app IS NOT NULL AND app <> ''
     AND app NOT IN (SELECT lower(app_id) FROM ref_first_party_apps)
     AND instr(',' || lower(param('allow_apps', '')) || ',',
               ',' || app || ',') = 0),
-- apps that read more than max_mailboxes mailboxes in a ten-minute bin
busy AS (
  SELECT DISTINCT app FROM odd GROUP BY app, time / 600000
  HAVING count(DISTINCT owner) > param('max_mailboxes', 5))
SELECT user, min(time) AS first_time, max(time) AS last_time,
       printf('mailbox %s read through %s by %d non-Microsoft apps (%s) from %s%s',
              group_concat(DISTINCT owner),
              CASE WHEN max(user_agent LIKE 'Client=WebServices%')
                   THEN 'EWS' ELSE 'Graph' END, count(DISTINCT app),
              substr(group_concat(DISTINCT app), 1, 400),
              substr(group_concat(DISTINCT client_ip), 1, 200),
              CASE WHEN max(app IN (SELECT app FROM busy))
                   THEN '; an app read many mailboxes in ten minutes'
                   ELSE '' END) AS summary,
       group_concat(id) AS events
  FROM odd GROUP BY +user
