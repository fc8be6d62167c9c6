-- SPDX-License-Identifier: MIT
-- id: p20-device-registration-no-mfa
-- title: Device registration sign-in with a single factor
-- category: persistence
-- severity: medium
-- attack: T1098.005
-- version: 1
-- description: A successful sign-in to the Device Registration Service
--   (app or resource 01cb2876-7ebd-4aa4-9cc9-d28bd4d359a9) that needed only
--   one factor. Registering a device without MFA is how a stolen
--   password becomes a lasting device identity.
-- false-positives: Tenants that do not require MFA for device
--   registration; trusted-location exemptions.
-- references: indicator family P20; Sigma
--   azure_ad_device_registration_or_join_without_mfa
SELECT e.user AS user, e.time AS first_time, e.time AS last_time,
       printf('%s signed in to the Device Registration Service with one '
              || 'factor from %s', e.user, coalesce(e.client_ip, '?'))
         AS summary,
       json_object('app', d.app_name, 'resource', d.resource_name,
                   'auth_requirement', d.auth_requirement,
                   'client_app', d.client_app) AS detail,
       e.id AS events
  FROM events e JOIN signin_details d ON d.event_id = e.id
 WHERE (d.resource_id = '01cb2876-7ebd-4aa4-9cc9-d28bd4d359a9'
        OR d.app_id = '01cb2876-7ebd-4aa4-9cc9-d28bd4d359a9'
        OR d.resource_name = 'Device Registration Service'
        OR d.app_name = 'Device Registration Service')
   AND coalesce(d.error_code, 0) = 0
   AND lower(d.auth_requirement) IN ('singlefactorauthentication',
                                     'single-factor authentication')
 ORDER BY e.time, e.id
