-- SPDX-License-Identifier: MIT
-- id: x-header
-- title: A detector with a typo in its header
-- categroy: persistence
-- severity: low
-- attack: T1114
-- description: Broken on purpose.
SELECT 1
