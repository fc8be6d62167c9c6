-- SPDX-License-Identifier: MIT
-- id: x07-external-sharing
-- title: Anonymous or external sharing of files
-- category: exfiltration
-- severity: medium
-- attack: T1567
-- description: Anonymous links created, updated or used
--   (AnonymousLink*), sharing invitations to guests, and volumes above the
--   anchors' daily thresholds: SharingInvitationCreated min_invites,
--   AddedToSecureLink min_secure_adds, SecureLinkUpdated min_secure_updates,
--   SharingSet min_sharing_set per user and day. A link used by an
--   anonymous visitor is attributed to the user who created it.
-- false-positives: teams that work with customers through links.
-- param: min_invites = 10
-- param: min_secure_adds = 50
-- param: min_secure_updates = 5
-- param: min_sharing_set = 10
WITH sh AS (
  SELECT e.id, e.time, e.user, e.op_norm, e.object, e.client_ip,
         (SELECT p.new_value FROM event_props p WHERE p.event_id = e.id
            AND p.kind = 'field' AND p.name = 'TargetUserOrGroupType')
           AS ttype
    FROM events e
   WHERE e.op_norm IN ('anonymouslinkcreated', 'anonymouslinkupdated',
                       'anonymouslinkused', 'sharinginvitationcreated',
                       'addedtosecurelink', 'securelinkupdated',
                       'securelinkcreated', 'sharingset')),
-- anonymous use belongs to whoever made the link for that object
owned AS (
  SELECT sh.id, sh.time, sh.op_norm, sh.object, sh.ttype, sh.client_ip,
         CASE WHEN sh.op_norm = 'anonymouslinkused'
              THEN (SELECT c.user FROM sh c
                     WHERE c.object = sh.object
                       AND c.op_norm = 'anonymouslinkcreated'
                       AND c.time <= sh.time ORDER BY c.time DESC LIMIT 1)
              ELSE sh.user END AS user,
         sh.time / 86400000 AS day
    FROM sh),
counts AS (
  SELECT user, day, op_norm, count(*) AS n FROM owned GROUP BY 1, 2, 3),
hits AS (
  SELECT o.* FROM owned o JOIN counts c
      ON c.user = o.user AND c.day = o.day AND c.op_norm = o.op_norm
   WHERE o.user IS NOT NULL
     AND (o.op_norm LIKE 'anonymouslink%'
          OR (o.op_norm IN ('sharinginvitationcreated', 'sharingset',
                            'addedtosecurelink', 'securelinkcreated')
              AND lower(coalesce(o.ttype, '')) IN ('guest', 'partner',
                                                   'anonymous'))
          OR (o.op_norm = 'sharinginvitationcreated'
              AND c.n >= CAST(param('min_invites', 10) AS INTEGER))
          OR (o.op_norm = 'addedtosecurelink'
              AND c.n >= CAST(param('min_secure_adds', 50) AS INTEGER))
          OR (o.op_norm = 'securelinkupdated'
              AND c.n >= CAST(param('min_secure_updates', 5) AS INTEGER))
          OR (o.op_norm = 'sharingset'
              AND c.n >= CAST(param('min_sharing_set', 10) AS INTEGER))))
SELECT user, min(time) AS first_time, max(time) AS last_time,
       printf('%d sharing events (%s) on %d files', count(*),
              group_concat(DISTINCT op_norm), count(DISTINCT object))
         AS summary,
       group_concat(id) AS events
  FROM hits GROUP BY user
