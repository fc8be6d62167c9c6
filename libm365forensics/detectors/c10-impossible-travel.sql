-- SPDX-License-Identifier: MIT
-- id: c10-impossible-travel
-- title: Impossible travel between sign-ins and activity
-- category: initial-access
-- severity: high
-- attack: T1078.004
-- description: Two consecutive located actions of one account that are
--   at least min_km apart at a speed of at least max_kmh (great-circle
--   distance over the time between them), or, where no coordinates are
--   known, in different countries less than country_minutes apart.
--   Successful sign-ins carry their own location; audit-log activity gets
--   the location that its address was given by a sign-in anywhere in the
--   case (any account), or by a MaxMind database (m365f geoip).
-- false-positives: VPN and cloud-proxy exits far from the user; mobile
--   carriers that geolocate to their head office.
-- param: min_km = 500
-- param: max_kmh = 800
-- param: country_minutes = 60
WITH geo AS (
  SELECT a.id, a.time, a.user, a.client_ip, a.latitude AS lat,
         a.longitude AS lon, a.country, a.city
    FROM auth_events a
   WHERE a.code = 0 AND a.src = 'signin'
     AND (a.latitude IS NOT NULL OR a.country IS NOT NULL)
  UNION ALL
  SELECT e.id, e.time, e.user, e.client_ip, g.latitude, g.longitude,
         g.country, g.city
    FROM events e JOIN ip_locations g ON g.ip = e.client_ip
   WHERE e.product = 'ual' AND e.user LIKE '%@%'
     AND e.op_norm <> 'userloginfailed'),
seq AS (
  SELECT geo.*, lag(id) OVER w AS pid, lag(time) OVER w AS pt,
         lag(lat) OVER w AS plat, lag(lon) OVER w AS plon,
         lag(country) OVER w AS pc, lag(city) OVER w AS pcity,
         lag(client_ip) OVER w AS pip
    FROM geo WINDOW w AS (PARTITION BY user ORDER BY time, id)),
hops AS (
  SELECT seq.*, geo_distance_km(plat, plon, lat, lon) AS km,
         (time - pt) / 3600000.0 AS h
    FROM seq WHERE pid IS NOT NULL),
bad AS (
  SELECT hops.*,
         CASE WHEN km IS NOT NULL
              THEN printf('%s, %s (%s) to %s, %s (%s): %.0f km in %.1f h (%.0f km/h)',
                          pcity, pc, pip, city, country, client_ip, km, h,
                          km / max(h, 1 / 60.0))
              ELSE printf('%s (%s) to %s (%s) in %d minutes', pc, pip,
                          country, client_ip, (time - pt) / 60000) END
           AS hop,
         coalesce(km / max(h, 1 / 60.0), 1e9) AS speed
    FROM hops
   WHERE (km IS NOT NULL AND km >= param('min_km', 500)
          AND km / max(h, 1 / 60.0) >= param('max_kmh', 800))
      OR (km IS NULL AND pc IS NOT NULL AND country IS NOT NULL
          AND pc <> country
          AND time - pt <= param('country_minutes', 60) * 60000))
-- one finding per account and day; the summary shows its first hop
SELECT user, min(pt) AS first_time, max(time) AS last_time,
       CASE WHEN count(*) > 1
            THEN printf('%d impossible moves, one of them: %s', count(*), hop)
            ELSE hop END AS summary,
       json_object('hops', count(*), 'max_kmh',
                   CASE WHEN max(speed) < 1e9 THEN round(max(speed)) END)
         AS detail,
       group_concat(pid || ',' || id) AS events
  FROM bad GROUP BY user, pt / 86400000
