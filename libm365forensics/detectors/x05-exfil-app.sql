-- SPDX-License-Identifier: MIT
-- id: x05-exfil-app
-- title: Known mail exfiltration or "traitorware" application
-- category: exfiltration
-- severity: high
-- attack: T1114.002
-- description: A sign-in to, or audit activity by, an application that
--   attackers use to pull whole mailboxes or drives: eM Client, rclone,
--   PERFECTDATA SOFTWARE, SigParser, Spike, ZoomInfo, CloudSponge,
--   Fastmail, PostBox, Newsletter Software Supermailer (app ids), or a
--   ClientInfoString naming eM Client.
-- false-positives: a user who really uses one of these clients.
-- param: app_ids = e9a7fea1-1cc0-4cd9-a31b-9137ca5deedd,4761b959-9780-4c2d-87a3-512b4638f767,ff8d92dc-3d82-41d6-bcbd-b9174d163620,caffae8c-0882-4c81-9a27-d1803af53a40,a245e8c0-b53c-4b67-9b45-751d1dff8e6b,0ef0b5b3-2d3c-4b7d-ab5a-3a7b09d1b3b9,6ac3d3a1-0c2b-4ea7-a1b0-35e5a7aa2a5d,a43e5392-f48b-46a4-a0f1-098b5eeb4757,2ef68ccc-8a4d-42ff-ae88-2d7bb89ad139,b15665d9-eda6-4092-8539-0eec376afd59
-- param: client_re = (?i)em client|rclone|perfectdata
WITH ids AS (
  SELECT ',' || lower(param('app_ids', 'e9a7fea1-1cc0-4cd9-a31b-9137ca5deedd,4761b959-9780-4c2d-87a3-512b4638f767,ff8d92dc-3d82-41d6-bcbd-b9174d163620,caffae8c-0882-4c81-9a27-d1803af53a40,a245e8c0-b53c-4b67-9b45-751d1dff8e6b,0ef0b5b3-2d3c-4b7d-ab5a-3a7b09d1b3b9,6ac3d3a1-0c2b-4ea7-a1b0-35e5a7aa2a5d,a43e5392-f48b-46a4-a0f1-098b5eeb4757,2ef68ccc-8a4d-42ff-ae88-2d7bb89ad139,b15665d9-eda6-4092-8539-0eec376afd59')) || ',' AS list),
hits AS (
  SELECT e.id, e.time, e.user, e.client_ip, e.app_id AS app
    FROM events e, ids
   WHERE e.app_id IS NOT NULL
     AND instr(ids.list, ',' || lower(e.app_id) || ',') > 0
  UNION
  SELECT e.id, e.time, e.user, e.client_ip, p.new_value
    FROM event_props p, ids JOIN events e ON e.id = p.event_id
   WHERE p.kind = 'field' AND p.name = 'ClientAppId'
     AND instr(ids.list, ',' || lower(p.new_value) || ',') > 0
  UNION
  SELECT e.id, e.time, e.user, e.client_ip, e.user_agent FROM events e
   WHERE e.op_norm = 'mailitemsaccessed'
     AND regexp(param('client_re', '(?i)em client|rclone|perfectdata'),
                coalesce(e.user_agent, ''))),
ok AS (
  SELECT h.*, coalesce(d.app_name, h.app) AS name FROM hits h
    LEFT JOIN signin_details d ON d.event_id = h.id
   WHERE h.user LIKE '%@%' AND coalesce(d.error_code, 0) = 0)
SELECT user, min(time) AS first_time, max(time) AS last_time,
       printf('%d events of exfiltration app %s from %s', count(*),
              group_concat(DISTINCT name), group_concat(DISTINCT client_ip))
         AS summary,
       group_concat(id) AS events
  FROM ok GROUP BY +user
