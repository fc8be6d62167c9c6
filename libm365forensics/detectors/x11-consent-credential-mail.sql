-- SPDX-License-Identifier: MIT
-- id: x11-consent-credential-mail
-- title: Consent, then app credentials, then mail read by that app
-- category: exfiltration
-- severity: high
-- attack: T1098.001
-- description: The chain of an OAuth attack across the directory and
--   mailbox audit: an application that was consented to or given a new
--   secret or certificate ("Consent to application.", "Add delegated
--   permission grant.", "Add service principal credentials.", "Update
--   application - Certificates and secrets management") and that then
--   read mail (MailItemsAccessed with that app as AppId or ClientAppId)
--   within window_days. Critical when consent, credential and mail access
--   are all there.
-- false-positives: a newly approved mail integration doing its job.
-- param: window_days = 30
-- the app ids the setup events name: values that start with a GUID
-- (TargetId.ServicePrincipalNames "appid;uri", Target ids)
WITH setup AS (
  SELECT e.id, e.time, e.user, e.op_norm,
         lower(substr(trim(p.new_value), 1, 36)) AS app
    FROM events e JOIN event_props p ON p.event_id = e.id
   WHERE e.op_norm IN ('consent to application',
                       'add delegated permission grant',
                       'add app role assignment to service principal',
                       'add service principal credentials',
                       'update application - certificates and secrets management',
                       'add service principal')
     AND p.kind IN ('modified', 'target', 'extended')
     AND regexp('^\s*[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b',
                p.new_value)),
mail AS (
  SELECT e.id, e.time, e.user,
         lower(coalesce((SELECT p.new_value FROM event_props p
                          WHERE p.event_id = e.id AND p.kind = 'field'
                            AND p.name = 'ClientAppId'), e.app_id)) AS app
    FROM events e WHERE e.op_norm = 'mailitemsaccessed'),
apps AS (
  SELECT DISTINCT app FROM mail
   WHERE app IS NOT NULL AND app <> ''
     AND app NOT IN (SELECT lower(app_id) FROM ref_first_party_apps)),
links AS (
  SELECT a.app, s.id, s.time, s.user, s.op_norm FROM apps a
    JOIN setup s ON s.app = a.app),
chain AS (
  SELECT l.app, min(l.time) AS t0,
         max(l.op_norm IN ('consent to application',
                           'add delegated permission grant',
                           'add app role assignment to service principal'))
           AS consent,
         max(l.op_norm IN ('add service principal credentials',
                           'update application - certificates and secrets management'))
           AS cred,
         (SELECT user FROM links x WHERE x.app = l.app
           ORDER BY x.time LIMIT 1) AS actor
    FROM links l GROUP BY l.app),
reads AS (
  SELECT c.app, m.id, m.time, m.user FROM chain c JOIN mail m
      ON m.app = c.app AND m.time >= c.t0
     AND m.time <= c.t0 + param('window_days', 30) * 86400000)
SELECT c.actor AS user, c.t0 AS first_time,
       (SELECT max(time) FROM reads r WHERE r.app = c.app) AS last_time,
       printf('app %s: %s then read the mail of %s',
              c.app,
              CASE WHEN c.consent AND c.cred
                   THEN 'consent and new credentials'
                   WHEN c.consent THEN 'consent'
                   ELSE 'new credentials' END,
              (SELECT group_concat(DISTINCT user) FROM reads r
                WHERE r.app = c.app)) AS summary,
       (SELECT group_concat(DISTINCT id) FROM links l
         WHERE l.app = c.app) || ',' ||
       (SELECT group_concat(id) FROM reads r WHERE r.app = c.app)
         AS events,
       CASE WHEN c.consent AND c.cred THEN 'critical' END AS severity
  FROM chain c
 WHERE EXISTS (SELECT 1 FROM reads r WHERE r.app = c.app)
