#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# gen-signins.py - deterministic generator of large Entra portal sign-in
# downloads (the current 56-column interactive CSV, header drift included)
# for the ingest benchmark: 5,000 users, mixed apps, places and results
# (about 7% failures, 3% interrupts), 0.5% repeated rows, about 1 KB a row.
# usage: gen-signins.py RECORDS [SEED] > InteractiveSignIns.csv
import csv
import hashlib
import random
import sys
import uuid
from datetime import datetime, timedelta, timezone

HDR = (
    'Date (UTC),Request ID,User agent,Correlation ID,User ID,User,Username,'
    'User type,Cross tenant access type,Incoming token type,'
    'Authentication Protocol,Unique token identifier,'
    'Original transfer method,Client credential type,'
    'Token Protection - Sign In Session,'
    'Token Protection - Sign In Session StatusCode,Application,'
    'Application ID ,App owner tenant ID,Resource,Resource ID ,'
    'Resource tenant ID,Resource owner tenant ID,Home tenant ID,'
    'Home tenant name,IP address,Location,Status,Sign-in error code,'
    'Failure reason,Client app,Device ID,Browser,Operating System,Compliant,'
    'Managed,Join Type,Multifactor authentication result,'
    'Multifactor authentication auth method,'
    'Multifactor authentication auth detail,Authentication requirement,'
    'Sign-in identifier,Session ID,IP address (seen by resource),'
    'Through Global Secure Access,Global Secure Access IP address,'
    'Autonomous system  number,Flagged for review,Token issuer type,'
    'Incoming token type,Token issuer name,Latency,Conditional Access,'
    'Managed Identity type,Associated Resource Id,Federated Token Id,'
    'Federated Token Issuer').split(',')

TENANT = 'b7e4c2d9-3f18-4a6e-9d25-6c1f0a8e4b73'
APPS = [('OfficeHome', '4765445b-32c6-49b0-83e6-1d93765276ca'),
        ('Microsoft Teams', '1fec8e78-bce4-4aaf-ab1b-5451cc387264'),
        ('Office 365 Exchange Online', '00000002-0000-0ff1-ce00-000000000000'),
        ('Microsoft Office', 'd3590ed6-52b3-4102-aeff-aad2292ab01c'),
        ('Azure Portal', 'c44b4083-3bb0-49c1-b47d-974e53cbdf3c'),
        ('SharePoint Online Web Client Extensibility',
         '08e18876-6177-487e-b8b5-cf950c1e598c')]
PLACES = [('Berlin, Berlin, DE', 3320), ('Hamburg, Hamburg, DE', 3320),
          ('Munich, Bavaria, DE', 8767), ('Vienna, Vienna, AT', 1901),
          ('Amsterdam, North Holland, NL', 1136),
          ('Bucharest, Bucuresti, RO', 9009), ('Lagos, Lagos, NG', 29465)]
UAS = ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 '
       '(KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36 Edg/122.0.2365.66',
       'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 '
       '(KHTML, like Gecko) Version/17.3 Safari/605.1.15',
       'Mozilla/5.0 (X11; Linux x86_64; rv:123.0) Gecko/20100101 '
       'Firefox/123.0', 'BAV2ROPC']
FAILS = [('50126', 'Error validating credentials due to invalid username '
          'or password.'), ('50053', 'Account is locked because user tried '
                            'to sign in too many times.'),
         ('53003', 'Access has been blocked by Conditional Access policies.')]
INTERRUPTS = ['50140', '50074', '16000']


def main():
    n = int(sys.argv[1])
    rng = random.Random(int(sys.argv[2]) if len(sys.argv) > 2 else 1)
    t = datetime(2026, 1, 5, tzinfo=timezone.utc)
    step = timedelta(seconds=max(1, 30 * 86400 // max(n, 1)))
    users = []
    for k in range(5000):
        nick = 'user%04d' % k
        users.append((nick + '@contoso-labs.com', 'User %04d' % k,
                      str(uuid.UUID(bytes=hashlib.sha256(
                          nick.encode()).digest()[:16], version=4)),
                      '%d.%d.%d.%d' % (80 + k % 90, k % 251, (k * 7) % 251,
                                       1 + k % 250)))
    w = csv.writer(sys.stdout, lineterminator='\n')
    w.writerow(HDR)
    last = None
    for i in range(n):
        if last and rng.random() < 0.005:
            w.writerow(last)
            continue
        upn, name, oid, ip = users[rng.randrange(len(users))]
        app, appid = APPS[rng.randrange(len(APPS))]
        place, asn = PLACES[rng.randrange(len(PLACES))]
        r = rng.random()
        if r < 0.07:
            code, reason = FAILS[rng.randrange(len(FAILS))]
            status = 'Failure'
        elif r < 0.10:
            code, reason, status = INTERRUPTS[rng.randrange(3)], '', \
                'Interrupted'
        else:
            code, reason, status = '0', '', 'Success'
        rid = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        sess = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        row = {h: '' for h in HDR}
        cells = [''] * len(HDR)
        vals = {
            'Date (UTC)': t.strftime('%Y-%m-%dT%H:%M:%SZ'),
            'Request ID': rid, 'User agent': UAS[rng.randrange(len(UAS))],
            'Correlation ID': str(uuid.UUID(int=rng.getrandbits(128),
                                            version=4)),
            'User ID': oid, 'User': name, 'Username': upn,
            'User type': 'Member', 'Cross tenant access type': 'None',
            'Authentication Protocol': 'None',
            'Unique token identifier': rid[:22],
            'Application': app, 'Application ID ': appid,
            'App owner tenant ID': TENANT, 'Resource': 'Microsoft Graph',
            'Resource ID ': '00000003-0000-0000-c000-000000000000',
            'Resource tenant ID': TENANT, 'Home tenant ID': TENANT,
            'Home tenant name': 'Contoso Labs', 'IP address': ip,
            'Location': place, 'Status': status,
            'Sign-in error code': code, 'Failure reason': reason,
            'Client app': 'Browser', 'Browser': 'Edge 122.0.0',
            'Operating System': 'Windows10', 'Compliant': 'False',
            'Managed': 'False', 'Authentication requirement':
            'Single-factor authentication', 'Sign-in identifier': upn,
            'Session ID': sess, 'Autonomous system  number': str(asn),
            'Flagged for review': 'No', 'Token issuer type': 'Azure AD',
            'Latency': str(40 + rng.randrange(400)),
            'Conditional Access': 'Not Applied',
        }
        for j, h in enumerate(HDR):
            cells[j] = vals.get(h, row[h])
        cells[HDR.index('Incoming token type')] = 'None'
        w.writerow(cells)
        last = cells
        t += step


if __name__ == '__main__':
    main()
