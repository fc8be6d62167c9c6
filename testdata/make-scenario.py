#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# make-scenario.py - writes the sample incident (testdata/scenario/) and the
# same audit records in every unified-audit-log export shape (testdata/ual/).
# Deterministic: every run writes the same bytes. Run from anywhere.
import csv
import gzip
import hashlib
import io
import json
import os
import random
import uuid
from datetime import datetime, timedelta, timezone

HERE = os.path.dirname(os.path.abspath(__file__))
SCEN = os.path.join(HERE, 'scenario')
UAL = os.path.join(HERE, 'ual')

# ------------------------------------------------------------------ tenant

TENANT = 'b7e4c2d9-3f18-4a6e-9d25-6c1f0a8e4b73'
ORG = 'contosolabs.onmicrosoft.com'
DOMAIN = 'contoso-labs.com'
SP_ROOT = 'https://contosolabs.sharepoint.com'
OD_ROOT = 'https://contosolabs-my.sharepoint.com'

# Invented public addresses (not documentation ranges, so detectors that
# skip private and reserved space still see them).
SPRAY_IP = '83.97.73.114'         # password spray source
ATTACKER_IP = '45.147.229.81'     # the attacker's interactive sessions
ANON_IP = '185.247.71.19'         # who used the anonymous link
OFFICE_IPS = ['62.214.45.17', '62.214.45.18']  # the company's NAT
EXO_APP = '00000002-0000-0ff1-ce00-000000000000'
GRAPH_APP = '00000003-0000-0000-c000-000000000000'
OFFICEHOME_APP = '4765445b-32c6-49b0-83e6-1d93765276ca'
AADPS_APP = '1b730954-1685-4b74-9bfd-dac224a7b894'
OUTLOOK_APP = 'd3590ed6-52b3-4102-aeff-aad2292ab01c'
EVIL_APP = '6e2a1f3c-9b7d-4c85-a0e4-7d1b3f5c9a28'    # "Mail Backup Sync"
EVIL_APP_NAME = 'Mail Backup Sync'
EXFIL_ADDR = 'accounts.payable@contoso-labs-billing.com'

UA_EDGE = ('Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 '
           '(KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36 '
           'Edg/122.0.2365.66')
UA_MAC = ('Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/'
          '605.1.15 (KHTML, like Gecko) Version/17.3 Safari/605.1.15')
UA_ATTACKER = ('Mozilla/5.0 (X11; Linux x86_64; rv:123.0) Gecko/20100101 '
               'Firefox/123.0')
UA_SPRAY = 'BAV2ROPC'


def gid(*parts):
    """A deterministic GUID for a label."""
    h = hashlib.sha256('|'.join(str(p) for p in parts).encode()).digest()
    return str(uuid.UUID(bytes=h[:16], version=4))


def puid(name):
    return '1003' + hashlib.sha256(name.encode()).hexdigest()[:12].upper()


class User:
    def __init__(self, nick, display, dept, home_ip, ua):
        self.upn = nick + '@' + DOMAIN
        self.display = display
        self.dept = dept
        self.oid = gid('user', nick)
        self.puid = puid(nick)
        self.home_ip = home_ip
        self.ua = ua
        self.od = OD_ROOT + '/personal/' + nick.replace('.', '_') + \
            '_contoso-labs_com'


USERS = [
    User('alice.nguyen', 'Alice Nguyen', 'Finance', '88.130.77.41', UA_EDGE),
    User('ben.okafor', 'Ben Okafor', 'IT', '94.31.102.9', UA_EDGE),
    User('carla.mendes', 'Carla Mendes', 'Sales', '151.47.212.66', UA_MAC),
    User('david.kim', 'David Kim', 'Finance', '88.130.91.203', UA_EDGE),
    User('elena.petrova', 'Elena Petrova', 'HR', '94.31.118.52', UA_EDGE),
    User('farid.haddad', 'Farid Haddad', 'Engineering', '151.47.199.14',
         UA_MAC),
    User('grace.liu', 'Grace Liu', 'Marketing', '88.130.64.177', UA_EDGE),
    User('hugo.martin', 'Hugo Martin', 'Legal', '94.31.87.230', UA_EDGE),
    User('isabel.santos', 'Isabel Santos', 'Operations', '151.47.230.8',
         UA_EDGE),
    User('jonas.weber', 'Jonas Weber', 'Management', '88.130.55.19', UA_MAC),
]
U = {u.upn.split('@')[0]: u for u in USERS}
ALICE, DAVID, BEN = U['alice.nguyen'], U['david.kim'], U['ben.okafor']
SPRAY_EXTRA = ['admin', 'info', 'finance', 'it-support', 'accounts',
               'j.weber']

T0 = datetime(2026, 3, 2, tzinfo=timezone.utc)   # Monday of the week
rng = random.Random(20260305)


def iso(t):
    return t.strftime('%Y-%m-%dT%H:%M:%S')


# ----------------------------------------------------------------- records

records = []   # (time, auditdata dict, tags)


def add(t, rec, *tags):
    records.append((t, rec, set(tags)))
    return rec


def common(t, op, rt, user, workload, result, userkey, utype=0,
           label=None):
    return {
        'CreationTime': iso(t),
        'Id': gid('rec', label or (iso(t) + op + user)),
        'Operation': op,
        'OrganizationId': TENANT,
        'RecordType': rt,
        'ResultStatus': result,
        'UserKey': userkey,
        'UserType': utype,
        'Version': 1,
        'Workload': workload,
    }


def sts(t, upn, ip, ok, ua, app, resource, request, err=None,
        session=None, oid=None, os_name='Windows 10', browser='Edge',
        label=None):
    oid = oid or gid('user', upn)
    op = 'UserLoggedIn' if ok else 'UserLoginFailed'
    r = common(t, op, 15, upn, 'AzureActiveDirectory',
               'Success' if ok else 'Failed', oid, label=label)
    r.update({
        'ClientIP': ip,
        'ObjectId': resource,
        'UserId': upn,
        'AzureActiveDirectoryEventType': 1,
        'ExtendedProperties': [
            {'Name': 'ResultStatusDetail',
             'Value': 'Success' if ok else 'UserError'},
            {'Name': 'UserAgent', 'Value': ua},
            {'Name': 'UserAuthenticationMethod', 'Value': '1'},
            {'Name': 'RequestType', 'Value': request},
        ],
        'ModifiedProperties': [],
        'Actor': [{'ID': oid, 'Type': 0}, {'ID': upn, 'Type': 5}],
        'ActorContextId': TENANT,
        'ActorIpAddress': ip,
        'InterSystemsId': gid('isid', r['Id']),
        'IntraSystemId': r['Id'],
        'SupportTicketId': '',
        'Target': [{'ID': resource, 'Type': 0}],
        'TargetContextId': TENANT,
        'ApplicationId': app,
        'DeviceProperties': [
            {'Name': 'OS', 'Value': os_name},
            {'Name': 'BrowserType', 'Value': browser},
            {'Name': 'IsCompliantAndManaged', 'Value': 'False'},
        ],
    })
    if session:
        r['DeviceProperties'].append({'Name': 'SessionId', 'Value': session})
    if ok:
        r['ErrorNumber'] = '0'
    else:
        r['ErrorNumber'] = err[0]
        r['LogonError'] = err[1]
    return r


def exo_admin(t, user, ipport, op, params, rule, session, label=None):
    r = common(t, op, 1, user.upn, 'Exchange', 'True', user.puid,
               label=label)
    r.update({
        'ClientIP': ipport,
        'ObjectId': 'AM9PR04A003.PROD.OUTLOOK.COM/Microsoft Exchange '
                    'Hosted Organizations/' + ORG + '/' + user.oid +
                    '\\' + rule,
        'UserId': user.upn,
        'AppId': EXO_APP,
        'ClientAppId': '',
        'ExternalAccess': False,
        'OrganizationName': ORG,
        'OriginatingServer': 'AM9PR04MB8171 (15.20.7339.031)\r\n',
        'Parameters': [{'Name': k, 'Value': v} for k, v in params],
        'SessionId': session,
    })
    return r


def mail_access(t, user, ip, client, app, client_app, access, session,
                items, throttled=False, label=None):
    r = common(t, 'MailItemsAccessed', 50, user.upn, 'Exchange',
               'Succeeded', user.puid, label=label)
    folders = []
    per = {}
    for path, mid in items:
        per.setdefault(path, []).append(mid)
    for path in sorted(per):
        folders.append({
            'FolderItems': [{'InternetMessageId': '<' + m + '>',
                             'SizeInBytes': 20000 + (len(m) * 731) % 90000}
                            for m in per[path]],
            'Id': 'LgAAAAB' + hashlib.sha256(path.encode()).hexdigest()[:24],
            'Path': path,
        })
    r.update({
        'ClientIP': ip,
        'UserId': user.upn,
        'AppId': app,
        'ClientAppId': client_app,
        'ClientIPAddress': ip,
        'ClientInfoString': client,
        'ExternalAccess': False,
        'InternalLogonType': 0,
        'LogonType': 0,
        'LogonUserSid': 'S-1-5-21-3310584617-1906218746-2204437163-' +
                        str(int(user.puid[-4:], 16)),
        'MailboxGuid': gid('mbx', user.upn),
        'MailboxOwnerSid': 'S-1-5-21-3310584617-1906218746-2204437163-' +
                           str(int(user.puid[-4:], 16)),
        'MailboxOwnerUPN': user.upn,
        'OperationProperties': [
            {'Name': 'MailAccessType', 'Value': access},
            {'Name': 'IsThrottled', 'Value': 'True' if throttled else
             'False'},
        ],
        'OrganizationName': ORG,
        'OriginatingServer': 'AM9PR04MB8171 (15.20.7339.031)\r\n',
        'SessionId': session,
        'Folders': folders,
        'OperationCount': len(items) if not throttled else 1000,
    })
    return r


def sp_file(t, user, ip, op, site, folder, name, ua, rt=6, label=None,
            upn=None, userkey=None, utype=0):
    ext = name.rsplit('.', 1)[-1] if '.' in name else ''
    workload = 'OneDrive' if site.startswith(OD_ROOT) else 'SharePoint'
    upn = upn or user.upn
    r = common(t, op, rt, upn, workload, 'Succeeded' if rt == 6 else
               None, userkey or ('i:0h.f|membership|' + user.puid.lower() +
                                 '@live.com'), utype, label=label)
    if r['ResultStatus'] is None:
        del r['ResultStatus']
    r.update({
        'ClientIP': ip,
        'ObjectId': site + '/' + folder + '/' + name,
        'UserId': upn,
        'CorrelationId': gid('corr', label or (iso(t) + op + name)),
        'EventSource': 'SharePoint',
        'ItemType': 'File',
        'ListId': gid('list', site, folder),
        'ListItemUniqueId': gid('item', site, folder, name),
        'Site': gid('site', site),
        'UserAgent': ua,
        'WebId': gid('web', site),
        'HighPriorityMediaProcessing': False,
        'SourceFileExtension': ext,
        'SiteUrl': site + '/',
        'SourceFileName': name,
        'SourceRelativeUrl': folder,
    })
    return r


def aad_dir(t, user, ip, op, objid, modified, targets, extended,
            label=None):
    r = common(t, op, 8, user.upn, 'AzureActiveDirectory', 'Success',
               user.puid + '@' + ORG, label=label)
    r.update({
        'ClientIP': ip,
        'ObjectId': objid,
        'UserId': user.upn,
        'AzureActiveDirectoryEventType': 1,
        'ExtendedProperties': extended,
        'ModifiedProperties': modified,
        'Actor': [{'ID': 'Unknown', 'Type': 1},
                  {'ID': user.upn, 'Type': 5},
                  {'ID': user.puid, 'Type': 3},
                  {'ID': 'User_' + user.oid, 'Type': 2},
                  {'ID': user.oid, 'Type': 2},
                  {'ID': 'User', 'Type': 2}],
        'ActorContextId': TENANT,
        'ActorIpAddress': ip,
        'InterSystemsId': gid('isid', r['Id']),
        'IntraSystemId': gid('intra', r['Id']),
        'SupportTicketId': '',
        'Target': targets,
        'TargetContextId': TENANT,
    })
    return r


def teams(t, user, op, label=None):
    r = common(t, op, 25, user.upn, 'MicrosoftTeams', None, user.oid,
               label=label)
    del r['ResultStatus']
    r.update({
        'UserId': user.upn,
        'ClientIP': '',
        'Id': r['Id'],
        'CommunicationType': 'GroupChat' if op == 'MessageSent' else '',
        'ChatThreadId': '19:' + hashlib.sha256(user.upn.encode())
        .hexdigest()[:32] + '@thread.v2',
    })
    if op != 'MessageSent':
        del r['CommunicationType']
        del r['ChatThreadId']
    return r


# ------------------------------------------------------- benign background

FILES = {
    'Finance': ['Budget 2026.xlsx', 'Forecast Q1.xlsx', 'Vendor list.xlsx',
                'Invoices March.xlsx', 'Payment runs.docx'],
    'IT': ['Network diagram.vsdx', 'Onboarding checklist.docx'],
    'Sales': ['Pipeline.xlsx', 'Pricing 2026.pptx', 'Customer visit.docx'],
    'HR': ['Holiday planner.xlsx', 'Policy handbook.docx'],
    'Engineering': ['Design notes.docx', 'Release plan.xlsx'],
    'Marketing': ['Campaign brief.pptx', 'Newsletter March.docx'],
    'Legal': ['NDA template.docx', 'Contract review.docx'],
    'Operations': ['Überweisungen März 2026.xlsx', 'Shift plan.xlsx'],
    'Management': ['Board deck.pptx', 'Strategy 2026.docx'],
}


def site_of(dept):
    return SP_ROOT + '/sites/' + dept


def benign():
    for day in range(7):
        date = T0 + timedelta(days=day)
        weekend = day >= 5
        for u in USERS:
            if weekend and u is not BEN and rng.random() < 0.8:
                continue
            from_home = weekend or rng.random() < 0.3
            ip = u.home_ip if from_home else rng.choice(OFFICE_IPS)
            t = date + timedelta(hours=7, minutes=rng.randrange(0, 100),
                                 seconds=rng.randrange(60))
            sess = gid('sess', u.upn, day)
            if u is U['carla.mendes'] and day == 2:
                add(t - timedelta(seconds=40),
                    sts(t - timedelta(seconds=40), u.upn, ip, False, u.ua,
                        OFFICEHOME_APP, OFFICEHOME_APP, 'Login:login',
                        ('50126', 'InvalidUserNameOrPassword'),
                        oid=u.oid), 'benign')
            add(t, sts(t, u.upn, ip, True, u.ua, OFFICEHOME_APP,
                       OFFICEHOME_APP, 'Login:login', session=sess,
                       oid=u.oid), 'benign')
            t += timedelta(minutes=rng.randrange(2, 20),
                           seconds=rng.randrange(60))
            items = [('\\Inbox', gid('msg', u.upn, day, k)[:18] +
                      '@AM9PR04MB8171.eurprd04.prod.outlook.com')
                     for k in range(rng.randrange(1, 4))]
            add(t, mail_access(t, u, ip, 'Client=OWA;Action=ViaProxy',
                               EXO_APP, '', 'Bind', sess, items),
                'benign')
            nfile = rng.randrange(1, 3) if not weekend else 1
            for k in range(nfile):
                t += timedelta(minutes=rng.randrange(10, 90),
                               seconds=rng.randrange(60))
                name = rng.choice(FILES[u.dept])
                op = rng.choice(['FileAccessed', 'FileAccessed',
                                 'FileModified', 'FileDownloaded',
                                 'FileUploaded'])
                add(t, sp_file(t, u, ip, op, site_of(u.dept),
                               'Shared Documents', name, u.ua), 'benign')
            if not weekend and rng.random() < 0.5:
                t += timedelta(minutes=rng.randrange(5, 60))
                add(t, teams(t, u, rng.choice(['TeamsSessionStarted',
                                               'MessageSent'])),
                    'benign')
    # a benign rule (newsletters to a folder) and an admin change
    g = U['grace.liu']
    t = T0 + timedelta(days=1, hours=10, minutes=4, seconds=12)
    add(t, exo_admin(t, g, OFFICE_IPS[0] + ':50211', 'New-InboxRule',
                     [('AlwaysDeleteOutlookRulesBlob', 'False'),
                      ('Force', 'False'), ('Name', 'Newsletters'),
                      ('From', 'news@industry-weekly.example'),
                      ('MoveToFolder', 'Newsletters'),
                      ('StopProcessingRules', 'False')],
                     'Newsletters', gid('sess', g.upn, 1)), 'benign',
        'shape')
    t = T0 + timedelta(days=0, hours=9, minutes=31, seconds=5)
    add(t, exo_admin(t, BEN, OFFICE_IPS[1] + ':49877', 'Set-Mailbox',
                     [('Identity', 'hugo.martin@' + DOMAIN),
                      ('ProhibitSendQuota', '48 GB (51,539,607,552 bytes)')],
                     '', gid('sess', BEN.upn, 0)), 'benign')
    t = T0 + timedelta(days=2, hours=11, minutes=2, seconds=44)
    add(t, teams(t, U['jonas.weber'], 'TeamsSessionStarted',
                 label='jonas-teams'), 'benign', 'shape')


# ---------------------------------------------------------------- incident

def incident():
    day = T0 + timedelta(days=3)          # Thursday 2026-03-05
    victims = [u.upn for u in USERS] + [n + '@' + DOMAIN
                                        for n in SPRAY_EXTRA]
    order = victims[:]
    rng.shuffle(order)
    # round 1: every account fails
    t = day + timedelta(hours=2, minutes=11, seconds=4)
    for k, upn in enumerate(order):
        known = any(u.upn == upn for u in USERS)
        err = ('50126', 'InvalidUserNameOrPassword') if known else \
            ('50034', 'UserAccountNotFound')
        rec = sts(t, upn, SPRAY_IP, False, UA_SPRAY, AADPS_APP,
                  '00000002-0000-0000-c000-000000000000', 'OAuth2:Token',
                  err, os_name='', browser='Other',
                  oid=None if known else '00000000-0000-0000-0000-'
                  '000000000000')
        add(t, rec, 'spray', *(['shape'] if k == 0 else []))
        t += timedelta(seconds=13 + rng.randrange(8))
    # round 2: the same list with a second password; alice's works
    t = day + timedelta(hours=2, minutes=41, seconds=9)
    for upn in order[6:] + order[:6]:
        known = any(u.upn == upn for u in USERS)
        if upn == ALICE.upn:
            rec = sts(t, upn, SPRAY_IP, True, UA_SPRAY, AADPS_APP,
                      '00000002-0000-0000-c000-000000000000',
                      'OAuth2:Token', session=gid('sess', 'spray-alice'),
                      oid=ALICE.oid, os_name='', browser='Other')
            add(t, rec, 'spray', 'attack', 'shape')
        else:
            err = ('50126', 'InvalidUserNameOrPassword') if known else \
                ('50034', 'UserAccountNotFound')
            add(t, sts(t, upn, SPRAY_IP, False, UA_SPRAY, AADPS_APP,
                       '00000002-0000-0000-c000-000000000000',
                       'OAuth2:Token', err, os_name='', browser='Other',
                       oid=None if known else '00000000-0000-0000-0000-'
                       '000000000000'), 'spray')
        t += timedelta(seconds=12 + rng.randrange(9))

    # the attacker signs in interactively from another address
    s1 = gid('sess', 'attacker-alice')
    t = day + timedelta(hours=3, minutes=5, seconds=10)
    add(t, sts(t, ALICE.upn, ATTACKER_IP, True, UA_ATTACKER, OFFICEHOME_APP,
               OFFICEHOME_APP, 'Login:login', session=s1, oid=ALICE.oid,
               os_name='Linux', browser='Firefox'), 'attack', 'shape')
    t = day + timedelta(hours=3, minutes=7, seconds=42)
    items = [('\\Inbox', gid('amsg', k)[:18] +
              '@AM9PR04MB8171.eurprd04.prod.outlook.com') for k in range(6)]
    add(t, mail_access(t, ALICE, ATTACKER_IP, 'Client=OWA;Action=ViaProxy',
                       EXO_APP, '', 'Bind', s1, items), 'attack', 'shape')
    # forwarding rule to an outside address, then the hiding rule
    t = day + timedelta(hours=3, minutes=12, seconds=15)
    add(t, exo_admin(t, ALICE, ATTACKER_IP + ':51234', 'New-InboxRule',
                     [('AlwaysDeleteOutlookRulesBlob', 'False'),
                      ('Force', 'False'), ('Name', 'Invoice sync'),
                      ('SubjectOrBodyContainsWords', 'invoice;payment;wire'),
                      ('ForwardTo', EXFIL_ADDR),
                      ('StopProcessingRules', 'False')],
                     'Invoice sync', s1), 'attack', 'rule', 'shape')
    t = day + timedelta(hours=3, minutes=13, seconds=40)
    add(t, exo_admin(t, ALICE, ATTACKER_IP + ':51240', 'New-InboxRule',
                     [('AlwaysDeleteOutlookRulesBlob', 'False'),
                      ('Force', 'False'), ('Name', '..'),
                      ('SubjectOrBodyContainsWords',
                       'hacked;phishing;suspicious;password'),
                      ('MoveToFolder', 'RSS Feeds'),
                      ('MarkAsRead', 'True'),
                      ('StopProcessingRules', 'True')],
                     '..', s1), 'attack', 'rule', 'shape')
    # OAuth consent to the malicious app (Mail.Read)
    sp_oid = gid('sp', EVIL_APP)
    graph_oid = gid('sp', GRAPH_APP)
    grant = gid('grant', EVIL_APP)
    t = day + timedelta(hours=3, minutes=20, seconds=3)
    perms = ('[] => [[Id: ' + grant + ', ClientId: ' + sp_oid +
             ', PrincipalId: ' + ALICE.oid + ', ResourceId: ' + graph_oid +
             ', ConsentType: Principal, Scope:  User.Read Mail.Read '
             'offline_access, CreatedDateTime: , LastModifiedDateTime: ]]; ')
    targets = [{'ID': 'ServicePrincipal_' + sp_oid, 'Type': 2},
               {'ID': sp_oid, 'Type': 2},
               {'ID': 'ServicePrincipal', 'Type': 2},
               {'ID': EVIL_APP_NAME, 'Type': 1},
               {'ID': EVIL_APP, 'Type': 2},
               {'ID': EVIL_APP, 'Type': 4}]
    extended = [
        {'Name': 'additionalDetails',
         'Value': json.dumps({'User-Agent': UA_ATTACKER,
                              'AppId': EVIL_APP},
                             separators=(',', ':'))},
        {'Name': 'extendedAuditEventCategory', 'Value': 'ServicePrincipal'}]
    add(t, aad_dir(t, ALICE, ATTACKER_IP, 'Add delegated permission grant.',
                   grant,
                   [{'Name': 'DelegatedPermissionGrant.Scope',
                     'NewValue': 'User.Read Mail.Read offline_access',
                     'OldValue': ''},
                    {'Name': 'DelegatedPermissionGrant.ConsentType',
                     'NewValue': 'Principal', 'OldValue': ''},
                    {'Name': 'ServicePrincipal.ObjectID',
                     'NewValue': graph_oid, 'OldValue': ''}],
                   [{'ID': 'ServicePrincipal_' + graph_oid, 'Type': 2},
                    {'ID': graph_oid, 'Type': 2},
                    {'ID': 'Microsoft Graph', 'Type': 1}],
                   extended), 'attack')
    t += timedelta(seconds=1)
    add(t, aad_dir(t, ALICE, ATTACKER_IP, 'Consent to application.',
                   sp_oid,
                   [{'Name': 'ConsentContext.IsAdminConsent',
                     'NewValue': 'False', 'OldValue': ''},
                    {'Name': 'ConsentContext.IsAppOnly',
                     'NewValue': 'False', 'OldValue': ''},
                    {'Name': 'ConsentContext.OnBehalfOfAll',
                     'NewValue': 'False', 'OldValue': ''},
                    {'Name': 'ConsentContext.Tags',
                     'NewValue': 'WindowsAzureActiveDirectoryIntegratedApp',
                     'OldValue': ''},
                    {'Name': 'ConsentAction.Permissions',
                     'NewValue': perms, 'OldValue': ''},
                    {'Name': 'TargetId.ServicePrincipalNames',
                     'NewValue': EVIL_APP + ';https://mailbackupsync.app',
                     'OldValue': ''}],
                   targets, extended), 'attack', 'consent', 'shape')
    # the app reads the mailbox through Graph
    t = day + timedelta(hours=3, minutes=35, seconds=51)
    for k in range(4):
        items = [('\\Inbox', gid('gmsg', k, j)[:18] +
                  '@AM9PR04MB8171.eurprd04.prod.outlook.com')
                 for j in range(5)] + \
                [('\\Sent Items', gid('gsent', k, j)[:18] +
                  '@AM9PR04MB8171.eurprd04.prod.outlook.com')
                 for j in range(2)]
        add(t, mail_access(t, ALICE, ATTACKER_IP, 'Client=REST;;',
                           GRAPH_APP, EVIL_APP, 'Sync',
                           gid('sess', 'graph', k), items,
                           throttled=(k == 3)), 'attack',
            *(['shape'] if k == 0 else []))
        t += timedelta(minutes=4, seconds=17)
    # bulk download from the Finance site
    t = day + timedelta(hours=4, minutes=2, seconds=7)
    names = []
    for k in range(52):
        names.append('Invoice %04d-%s.pdf' % (4100 + k,
                                               ['ACME', 'Northwind',
                                                'Fabrikam', 'Tailspin']
                                               [k % 4]))
    names[7] = 'Überweisungen März 2026.xlsx'
    names[20] = 'Payroll 2026-Q1.xlsx'
    for k, name in enumerate(names):
        folder = 'Shared Documents/Accounts Payable' if 'Invoice' in name \
            else 'Shared Documents'
        add(t, sp_file(t, ALICE, ATTACKER_IP, 'FileDownloaded',
                       site_of('Finance'), folder, name, UA_ATTACKER,
                       label='dl%d' % k), 'attack', 'download',
            *(['shape'] if k in (0, 7) else []))
        t += timedelta(seconds=9 + rng.randrange(14))
    # an anonymous link to the payroll file, used from elsewhere
    t = day + timedelta(hours=4, minutes=25, seconds=33)
    r = sp_file(t, ALICE, ATTACKER_IP, 'AnonymousLinkCreated',
                site_of('Finance'), 'Shared Documents',
                'Payroll 2026-Q1.xlsx', UA_ATTACKER, rt=14, label='anon1')
    r['EventData'] = '<Type>View</Type><MembersCanShare>Enabled' \
                     '</MembersCanShare>'
    r['TargetUserOrGroupType'] = 'Guest'
    r['TargetUserOrGroupName'] = 'Anonymous'
    add(t, r, 'attack', 'shape')
    t = day + timedelta(hours=4, minutes=31, seconds=10)
    anon = 'urn:spo:anon#' + hashlib.sha256(b'anonlink').hexdigest()[:40]
    r = sp_file(t, ALICE, ANON_IP, 'AnonymousLinkUsed', site_of('Finance'),
                'Shared Documents', 'Payroll 2026-Q1.xlsx', UA_ATTACKER,
                rt=14, label='anon2', upn=anon, userkey=anon, utype=10)
    add(t, r, 'attack', 'shape')

    # the next night: a second account from the same attacker address
    s2 = gid('sess', 'attacker-david')
    t = day + timedelta(days=1, hours=1, minutes=14, seconds=50)
    add(t, sts(t, DAVID.upn, ATTACKER_IP, False, UA_ATTACKER,
               OFFICEHOME_APP, OFFICEHOME_APP, 'Login:login',
               ('50126', 'InvalidUserNameOrPassword'), oid=DAVID.oid,
               os_name='Linux', browser='Firefox'), 'attack')
    t += timedelta(seconds=32)
    add(t, sts(t, DAVID.upn, ATTACKER_IP, True, UA_ATTACKER, OFFICEHOME_APP,
               OFFICEHOME_APP, 'Login:login', session=s2, oid=DAVID.oid,
               os_name='Linux', browser='Firefox'), 'attack', 'shape')
    t += timedelta(minutes=2, seconds=9)
    items = [('\\Inbox', gid('dmsg', k)[:18] +
              '@AM9PR04MB8171.eurprd04.prod.outlook.com') for k in range(4)]
    add(t, mail_access(t, DAVID, ATTACKER_IP, 'Client=OWA;Action=ViaProxy',
                       EXO_APP, '', 'Bind', s2, items), 'attack')
    for k, name in enumerate(['Vendor list.xlsx', 'Payment runs.docx',
                              'Invoices March.xlsx']):
        t += timedelta(minutes=1, seconds=17 + 11 * k)
        add(t, sp_file(t, DAVID, ATTACKER_IP, 'FileDownloaded',
                       site_of('Finance'), 'Shared Documents', name,
                       UA_ATTACKER, label='ddl%d' % k), 'attack')


# ---------------------------------------------------------------- writers

def enc_json(rec):
    """Compact AuditData as the service writes it: '/' escaped as '\\/'
    in Exchange and directory records, not in SharePoint ones."""
    s = json.dumps(rec, separators=(',', ':'), ensure_ascii=False)
    if rec.get('Workload') in ('Exchange', 'AzureActiveDirectory'):
        s = s.replace('/', '\\/')
    return s


RT_NAMES = {1: 'ExchangeAdmin', 6: 'SharePointFileOperation',
            8: 'AzureActiveDirectory', 14: 'SharePointSharingOperation',
            15: 'AzureActiveDirectoryStsLogon', 25: 'MicrosoftTeams',
            50: 'ExchangeItemAggregated'}


def us_date(t):
    h = t.hour % 12 or 12
    return '%d/%d/%d %d:%02d:%02d %s' % (t.month, t.day, t.year, h,
                                           t.minute, t.second,
                                           'AM' if t.hour < 12 else 'PM')


def au_date(t):
    h = t.hour % 12 or 12
    return '%d/%d/%d %d:%02d:%02d %s' % (t.day, t.month, t.year, h,
                                           t.minute, t.second,
                                           'AM' if t.hour < 12 else 'PM')


def la_date(t):
    h = t.hour % 12 or 12
    return '%d/%d/%d, %d:%02d:%02d.000 %s' % (t.month, t.day, t.year, h,
                                                t.minute, t.second,
                                                'AM' if t.hour < 12 else
                                                'PM')


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'wb') as f:
        f.write(data)


def csv_text(header, rows, quote_all=False, eol='\r\n', final=True):
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator=eol,
                   quoting=csv.QUOTE_ALL if quote_all else
                   csv.QUOTE_MINIMAL)
    w.writerow(header)
    for r in rows:
        w.writerow(r)
    s = buf.getvalue()
    if not final:
        s = s[:-len(eol)]
    return s


PURVIEW_HDR = ['RecordId', 'CreationDate', 'RecordType', 'Operation',
               'UserId', 'AuditData', 'AssociatedAdminUnits',
               'AssociatedAdminUnitsNames']


def purview_rows(recs, datefmt=us_date):
    return [[r['Id'], datefmt(t), r['RecordType'], r['Operation'],
             r['UserId'], enc_json(r), '', ''] for t, r, _ in recs]


def newest_first(recs):
    return sorted(recs, key=lambda x: (x[0], x[1]['Id']), reverse=True)


def write_scenario():
    recs = newest_first(records)
    write(os.path.join(SCEN, 'ual', 'purview-export.csv'),
          csv_text(PURVIEW_HDR, purview_rows(recs)).encode())
    # a second search over the incident window, exported a day later by
    # a newer portal (ISO dates with a trailing space): overlaps the first
    lo = T0 + timedelta(days=3, hours=2)
    hi = T0 + timedelta(days=3, hours=4, minutes=10)
    part = [x for x in recs if lo <= x[0] < hi]
    write(os.path.join(SCEN, 'ual', 'purview-incident-window.csv'),
          csv_text(PURVIEW_HDR,
                   purview_rows(part, lambda t: t.strftime(
                       '%Y-%m-%dT%H:%M:%S.0000000Z '))).encode())


def shape_records():
    return sorted([x for x in records if 'shape' in x[2]],
                  key=lambda x: (x[0], x[1]['Id']))


def write_shapes():
    recs = shape_records()
    rows = purview_rows(recs)
    text = csv_text(PURVIEW_HDR, rows)
    # encodings of the Purview CSV
    write(os.path.join(UAL, 'purview-utf8-bom.csv'),
          b'\xef\xbb\xbf' + text.encode())
    write(os.path.join(UAL, 'purview-lf.csv'),
          csv_text(PURVIEW_HDR, rows, eol='\n', final=False).encode())
    write(os.path.join(UAL, 'purview-utf16le.csv'),
          b'\xff\xfe' + text.encode('utf-16-le'))
    write(os.path.join(UAL, 'purview-utf16be.csv'),
          b'\xfe\xff' + text.encode('utf-16-be'))
    write(os.path.join(UAL, 'purview-cp1252.csv'), text.encode('cp1252'))
    # classic portal, 4 columns
    write(os.path.join(UAL, 'classic-4col.csv'),
          csv_text(['CreationDate', 'UserIds', 'Operations', 'AuditData'],
                   [[t.strftime('%Y-%m-%dT%H:%M:%S.0000000Z'), r['UserId'],
                     r['Operation'], enc_json(r)] for t, r, _ in recs])
          .encode())
    # Search-UnifiedAuditLog | Export-Csv, Windows PowerShell 5.1 with
    # #TYPE and RunspaceId, -Encoding UTF8 (BOM), CRLF
    runspace = gid('runspace', 1)
    hdr = ['RunspaceId', 'RecordType', 'CreationDate', 'UserIds',
           'Operations', 'AuditData', 'ResultIndex', 'ResultCount',
           'Identity', 'IsValid', 'ObjectState']
    rows = [[runspace, RT_NAMES[r['RecordType']], us_date(t), r['UserId'],
             r['Operation'], enc_json(r), str(k + 1), str(len(recs)),
             r['Id'], 'True', 'Unchanged']
            for k, (t, r, _) in enumerate(recs)]
    write(os.path.join(UAL, 'cmdlet-type-runspace.csv'),
          b'\xef\xbb\xbf' + ('#TYPE Deserialized.Microsoft.Exchange.'
                             'Management.SystemConfigurationTasks.'
                             'AuditRecord\r\n' +
                             csv_text(hdr, rows, quote_all=True)).encode())
    # the same from PowerShell 7 on a machine set to en-AU (day first),
    # without RunspaceId, LF, no final newline
    rows = [[RT_NAMES[r['RecordType']], au_date(t), r['UserId'],
             r['Operation'], enc_json(r), str(k + 1), str(len(recs)),
             r['Id'], 'True', 'Unchanged']
            for k, (t, r, _) in enumerate(recs)]
    write(os.path.join(UAL, 'cmdlet-en-au.csv'),
          csv_text(hdr[1:], rows, quote_all=True, eol='\n', final=False)
          .encode())
    # raw AuditData: JSON lines, one array, two arrays appended
    lines = [enc_json(r) for _, r, _ in recs]
    write(os.path.join(UAL, 'auditdata.jsonl'),
          ('\n'.join(lines) + '\n').encode())
    write(os.path.join(UAL, 'auditdata-crlf.jsonl'),
          '\r\n'.join(lines).encode())
    write(os.path.join(UAL, 'auditdata-array.json'),
          ('[' + ','.join(lines) + ']').encode())
    half = len(recs) // 2 + 2
    a = json.dumps([r for _, r, _ in recs[:half]], indent=2,
                   ensure_ascii=False)
    b = json.dumps([r for _, r, _ in recs[half - 2:]], indent=2,
                   ensure_ascii=False)
    write(os.path.join(UAL, 'auditdata-appended.json'),
          (a + b + '\n').encode())
    write(os.path.join(UAL, 'auditdata.jsonl.gz'),
          gzip.compress(('\n'.join(lines) + '\n').encode(), mtime=0))
    write(os.path.join(UAL, 'auditdata-2members.jsonl.gz'),
          gzip.compress(('\n'.join(lines[:5]) + '\n').encode(), mtime=0) +
          gzip.compress(('\n'.join(lines[5:]) + '\n').encode(), mtime=0))
    # collector objects with AuditData parsed (Extractor-Suite Get-UAL
    # -Output JSON) and as a string (Windows PowerShell ConvertTo-Json of
    # the cmdlet's objects: 4-space indent, "\/Date(ms)\/")
    objs = [{'RunspaceId': runspace, 'RecordType': RT_NAMES[r['RecordType']],
             'CreationDate': t.strftime('%Y-%m-%dT%H:%M:%S'),
             'UserIds': r['UserId'], 'Operations': r['Operation'],
             'AuditData': r, 'ResultIndex': k + 1,
             'ResultCount': len(recs), 'Identity': r['Id'], 'IsValid': True,
             'ObjectState': 'Unchanged'}
            for k, (t, r, _) in enumerate(recs)]
    write(os.path.join(UAL, 'extractor-suite.json'),
          (json.dumps(objs, indent=2, ensure_ascii=False) + '\n').encode())
    out = []
    for k, (t, r, _) in enumerate(recs):
        ms = int(t.timestamp() * 1000)
        out.append('    {\n'
                   '        "RunspaceId":  "%s",\n'
                   '        "RecordType":  %d,\n'
                   '        "CreationDate":  "\\/Date(%d)\\/",\n'
                   '        "UserIds":  %s,\n'
                   '        "Operations":  %s,\n'
                   '        "AuditData":  %s,\n'
                   '        "ResultIndex":  %d,\n'
                   '        "ResultCount":  %d,\n'
                   '        "Identity":  "%s",\n'
                   '        "IsValid":  true,\n'
                   '        "ObjectState":  2\n'
                   '    }' % (runspace, r['RecordType'], ms,
                              json.dumps(r['UserId']),
                              json.dumps(r['Operation']),
                              json.dumps(enc_json(r)), k + 1, len(recs),
                              r['Id']))
    write(os.path.join(UAL, 'hawk-raw.json'),
          b'\xef\xbb\xbf' + ('[\r\n' + ',\r\n'.join(out).replace(
              '\n', '\r\n').replace('\r\r\n', '\r\n') + '\r\n]\r\n')
          .encode())
    # Graph audit-log query records, one page
    gtype = {1: 'exchangeAdminAuditData', 6: 'sharePointFileOperation'
             'AuditData', 8: 'azureActiveDirectoryAuditData',
             14: 'sharePointSharingOperationAuditData',
             15: 'azureActiveDirectoryStsLogonAuditData',
             25: 'microsoftTeamsAuditData',
             50: 'exchangeAggregatedMailboxAuditData'}
    value = []
    for t, r, _ in recs:
        ad = {'@odata.type': '#microsoft.graph.security.' +
              gtype[r['RecordType']]}
        ad.update(r)
        rt = RT_NAMES[r['RecordType']]
        value.append({
            'id': r['Id'],
            'createdDateTime': t.strftime('%Y-%m-%dT%H:%M:%SZ'),
            'auditLogRecordType': rt[0].lower() + rt[1:],
            'operation': r['Operation'],
            'organizationId': TENANT,
            'userType': 'regular',
            'userId': r['UserId'],
            'service': r['Workload'],
            'objectId': r.get('ObjectId', ''),
            'userPrincipalName': r['UserId'],
            'clientIp': r.get('ClientIP', ''),
            'administrativeUnits': [],
            'auditData': ad,
        })
    page = {'@odata.context': 'https://graph.microsoft.com/beta/$metadata#'
            'security/auditLog/queries(\'' + gid('query', 1) +
            '\')/records', 'value': value}
    write(os.path.join(UAL, 'graph-records.json'),
          (json.dumps(page, indent=2, ensure_ascii=False) + '\n').encode())
    write_officeactivity(recs)


LA_COLS = ['TenantId', 'Application', 'UserDomain', 'UserAgent',
           'RecordType', 'TimeGenerated [UTC]', 'Operation',
           'OrganizationId', 'UserType', 'UserKey', 'OfficeWorkload',
           'ResultStatus', 'OfficeObjectId', 'UserId', 'ClientIP', 'Scope',
           'Site_', 'ItemType', 'EventSource', 'Site_Url',
           'SourceRelativeUrl', 'SourceFileName', 'SourceFileExtension',
           'Event_Data', 'TargetUserOrGroupName', 'TargetUserOrGroupType',
           'Parameters', 'ExternalAccess', 'OriginatingServer',
           'OrganizationName', 'Logon_Type', 'InternalLogonType',
           'MailboxGuid', 'MailboxOwnerUPN', 'MailboxOwnerSid',
           'LogonUserSid', 'ClientInfoString', 'Client_IPAddress',
           'Folders', 'ModifiedProperties', 'ExtendedProperties', 'Actor',
           'ActorContextId', 'ActorIpAddress', 'InterSystemsId',
           'IntraSystemId', 'SupportTicketId', 'TargetContextId',
           'AzureActiveDirectory_EventType', 'AADTarget', 'OfficeTenantId',
           'OperationProperties', 'AppId', 'ClientAppId', 'SessionId',
           'SourceSystem', 'OfficeId', 'Type']
LA_FROM = {'OfficeWorkload': 'Workload', 'OfficeObjectId': 'ObjectId',
           'Site_': 'Site', 'Site_Url': 'SiteUrl', 'Event_Data': 'EventData',
           'Logon_Type': 'LogonType', 'Client_IPAddress': 'ClientIPAddress',
           'AzureActiveDirectory_EventType': 'AzureActiveDirectoryEventType',
           'AADTarget': 'Target', 'OfficeId': 'Id'}
LOGON = {0: 'Owner', 1: 'Admin', 2: 'Delegated'}
UTYPE = {0: 'Regular', 2: 'Admin', 10: 'Guest'}


def la_values(t, r, k, pretty):
    v = {}
    for c in LA_COLS:
        key = LA_FROM.get(c, c)
        x = r.get(key)
        if c == 'TenantId' or c == 'OfficeTenantId':
            x = TENANT
        elif c == 'TimeGenerated [UTC]':
            x = la_date(t)
        elif c == 'RecordType':
            # Log Analytics mixes enum names and numbers in one column
            x = str(r['RecordType']) if k % 3 == 2 else \
                RT_NAMES[r['RecordType']]
        elif c == 'UserType':
            x = UTYPE.get(r['UserType'], str(r['UserType']))
        elif c == 'Logon_Type' and x is not None:
            x = LOGON.get(x, str(x))
        elif c == 'UserDomain':
            x = r['UserId'].split('@')[-1] if '@' in r['UserId'] else ''
        elif c == 'SourceSystem':
            x = 'OfficeActivityManager'
        elif c == 'Type':
            x = 'OfficeActivity'
        elif c == 'Application':
            x = ''
        if isinstance(x, (list, dict)):
            x = json.dumps(x, indent=2 if pretty else None,
                           ensure_ascii=False,
                           separators=None if pretty else (',', ':'))
        elif isinstance(x, bool):
            x = 'True' if x else 'False'
        elif x is None:
            x = ''
        else:
            x = str(x)
        v[c] = x
    return v


def write_officeactivity(recs):
    rows = [[la_values(t, r, k, True)[c] for c in LA_COLS]
            for k, (t, r, _) in enumerate(recs)]
    write(os.path.join(UAL, 'officeactivity.csv'),
          b'\xef\xbb\xbf' + csv_text(LA_COLS, rows).encode())
    lines = []
    for k, (t, r, _) in enumerate(recs):
        v = la_values(t, r, k, False)
        o = {}
        for c in LA_COLS:
            if not v[c]:
                continue
            if c == 'TimeGenerated [UTC]':
                o['TimeGenerated'] = t.strftime('%Y-%m-%dT%H:%M:%SZ')
            elif c == 'RecordType':
                o[c] = str(r['RecordType'])
            else:
                o[c] = v[c]
        lines.append(json.dumps(o, ensure_ascii=False,
                                separators=(',', ':')))
    write(os.path.join(UAL, 'officeactivity.jsonl'),
          ('\r\n'.join(lines) + '\r\n').encode())


# ----------------------------------------------------------------- invalid

INV = os.path.join(HERE, 'invalid')


def write_invalid():
    """One small file per parser error; tests/golden/invalid-* pin the
    message of each."""
    recs = shape_records()
    good = [purview_rows([x])[0] for x in recs[:3]]

    def purview(rows, eol='\r\n'):
        return csv_text(PURVIEW_HDR, rows, eol=eol).encode()

    # AuditData that is not JSON: a colon missing after a key
    bad = list(good[1])
    bad[5] = bad[5].replace('"Operation":', '"Operation" ', 1)
    write(os.path.join(INV, 'auditdata-bad-json.csv'),
          purview([good[0], bad, good[2]]))
    # AuditData cut short (an export or Excel cell limit)
    cut = list(good[1])
    cut[5] = cut[5][:200]
    write(os.path.join(INV, 'auditdata-truncated.csv'),
          purview([good[0], cut, good[2]]))
    # AuditData a JSON value but not an object
    arr = list(good[1])
    arr[5] = '["' + good[1][0] + '"]'
    write(os.path.join(INV, 'auditdata-not-object.csv'),
          purview([good[0], arr]))
    # a NUL byte inside AuditData, far enough in not to look binary
    more = [purview_rows([x])[0] for x in recs[:6]]
    nul = list(more[5])
    nul[5] = nul[5].replace('"Workload"', '"Work\0load"', 1)
    write(os.path.join(INV, 'auditdata-nul-byte.csv'),
          purview(more[:5] + [nul]))
    # a row longer than the header
    write(os.path.join(INV, 'row-too-long.csv'),
          purview([good[0], good[1] + ['extra'], good[2]]))
    # the export's date is all there is, and day and month could swap
    hdr = ['RecordType', 'CreationDate', 'UserIds', 'Operations',
           'AuditData', 'ResultIndex', 'ResultCount', 'Identity',
           'IsValid', 'ObjectState']
    rows = []
    for k, (t, r, _) in enumerate(recs[:3]):
        ad = dict(r)
        if k == 1:
            del ad['CreationTime']
        rows.append([RT_NAMES[r['RecordType']],
                     '3/5/2026 2:11:04 AM' if k == 1 else us_date(t),
                     r['UserId'], r['Operation'], enc_json(ad), str(k + 1),
                     '3', r['Id'], 'True', 'Unchanged'])
    write(os.path.join(INV, 'date-ambiguous.csv'),
          csv_text(hdr, rows, quote_all=True).encode())
    rows[1][1] = 'Thursday'
    write(os.path.join(INV, 'date-unparsable.csv'),
          csv_text(hdr, rows, quote_all=True).encode())
    # a collector object whose AuditData has no time, and no date beside
    ad = dict(recs[0][1])
    del ad['CreationTime']
    write(os.path.join(INV, 'no-creationtime.json'),
          (json.dumps([{'RecordType': 'ExchangeAdmin', 'AuditData': ad,
                        'Identity': ad['Id']}], indent=2) + '\n').encode())
    # JSON lines: a line that is not JSON and a record with a syntax error
    lines = [enc_json(r) for _, r, _ in recs[:3]]
    write(os.path.join(INV, 'jsonl-bad-lines.jsonl'),
          (lines[0] + '\n' + 'Search-UnifiedAuditLog : The operation '
           'has timed out.\n' + lines[1].replace('","Operation"',
                                                 '" "Operation"', 1) +
           '\n' + lines[2] + '\n').encode())
    # JSON lines whose last record is cut short
    write(os.path.join(INV, 'jsonl-truncated-last.jsonl'),
          (lines[0] + '\n' + lines[1] + '\n' + lines[2][:150]).encode())
    # a JSON record of another kind in the middle of audit records
    write(os.path.join(INV, 'jsonl-unknown-record.jsonl'),
          (lines[0] + '\n{"Name":"Invoice sync","Enabled":true,'
           '"Priority":1}\n' + lines[1] + '\n').encode())
    # JSON of an unknown kind
    write(os.path.join(INV, 'json-unknown-shape.json'),
          b'[{"displayName":"Invoice sync","isEnabled":true,"sequence":1}]'
          b'\n')
    # a CSV nobody exports
    write(os.path.join(INV, 'csv-unknown-header.csv'),
          b'Date,User,Action,Details\r\n2026-03-05,alice,login,ok\r\n')
    # text that is neither
    write(os.path.join(INV, 'not-an-export.txt'),
          b'Incident notes: reset alice, check rules.\n')
    # binary data (a PNG header)
    write(os.path.join(INV, 'binary.png'),
          b'\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10' +
          bytes(range(32)))
    write(os.path.join(INV, 'empty.csv'), b'')
    write(os.path.join(INV, 'blank-lines.csv'), b'\r\n  \r\n\t\r\n')
    # gzip cut short and gzip with damaged data
    z = gzip.compress(('\n'.join(lines) + '\n').encode(), mtime=0)
    write(os.path.join(INV, 'gzip-cut.jsonl.gz'), z[:len(z) // 2])
    damaged = bytearray(z)
    for k in range(20, 30):
        damaged[k] ^= 0x5A
    write(os.path.join(INV, 'gzip-damaged.jsonl.gz'), bytes(damaged))
    # strict CSV: a stray quote, and a quoted field the file cuts off
    text = purview(good).decode()
    user = ',' + good[1][4] + ','
    at = text.index(user, text.index(good[1][0]))
    write(os.path.join(INV, 'csv-stray-quote.csv'),
          (text[:at] + ',"' + good[1][4] + '"x,' +
           text[at + len(user):]).encode())
    write(os.path.join(INV, 'csv-unterminated-quote.csv'),
          purview([good[0]]) + b'x,3/5/2026 2:11:04 AM,1,Op,u,"{""Id')


def main():
    benign()
    incident()
    seen = set()
    for _, r, _ in records:
        assert r['Id'] not in seen, r['Id']
        seen.add(r['Id'])
    write_scenario()
    write_shapes()
    write_invalid()


if __name__ == '__main__':
    main()
