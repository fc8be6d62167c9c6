#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# make-bundles.py - writes the evidence bundles of the triage tests: one
# clean folder, one compromised .zip, one broken .tar.gz, plus a .tar.gz
# of the clean bundle. Deterministic: fixed times, owners and order.
# Python 3 standard library only. Run from anywhere.
import gzip
import io
import json
import os
import tarfile
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
TENANT = '5d0c1a2b-7e44-4f0b-9c61-2a8e3f7b1c90'
ORG = 'northwindtraders.onmicrosoft.com'
DOMAIN = 'northwind-traders.com'
EXO = '00000002-0000-0ff1-ce00-000000000000'
OFFICEHOME = '4765445b-32c6-49b0-83e6-1d93765276ca'
HOME_IP = '77.180.14.92'
OFFICE_IP = '62.214.50.9'
ATTACKER_IP = '185.220.101.47'
EVIL_APP = '9c3e7a15-2b8d-4f60-8e1a-5d7c0b4f2e63'
EXFIL = 'ledger.sync@northwind-traders-billing.com'
UA_EDGE = ('Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 '
           '(KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36 '
           'Edg/122.0.2365.66')
# What an intruder controls ends up in every output: a formula, markup,
# a terminal escape and a right-to-left override in one rule name.
HOSTILE_RULE = ('=HYPERLINK("http://evil.example/x","open")'
                '<script>alert(1)</script>\x1b[31mred\x1b[0m'
                '\u202eexe.pdf')
HOSTILE_UA = 'python-requests/2.31 <img src=x onerror=alert(2)>'


def rec(n, time, op, user, rtype=1, workload='Exchange', ip=None,
        params=None, obj=None, app=EXO, extra=None):
    r = {
        'CreationTime': time,
        'Id': '00000000-0000-4000-8000-%012d' % n,
        'Operation': op,
        'OrganizationId': TENANT,
        'RecordType': rtype,
        'ResultStatus': 'True' if rtype == 1 else 'Succeeded',
        'UserKey': '1003%012X' % n,
        'UserType': 0,
        'Version': 1,
        'Workload': workload,
        'UserId': user,
        'OrganizationName': ORG,
    }
    if ip:
        r['ClientIP'] = ip
    if obj:
        r['ObjectId'] = obj
    if app:
        r['AppId'] = app
    if params is not None:
        r['Parameters'] = [{'Name': k, 'Value': v} for k, v in params]
    if extra:
        r.update(extra)
    return r


def jsonl(records):
    return ''.join(json.dumps(r, separators=(',', ':')) + '\n'
                   for r in records).encode()


def clean_records():
    u = 'mia.jensen@' + DOMAIN
    return [
        rec(1, '2026-04-06T07:58:11', 'UserLoggedIn', u, 15,
            'AzureActiveDirectory', OFFICE_IP, app=OFFICEHOME,
            extra={'ExtendedProperties': [
                {'Name': 'UserAgent', 'Value': UA_EDGE}]}),
        rec(2, '2026-04-06T08:02:40', 'MailItemsAccessed', u, 50,
            'Exchange', OFFICE_IP,
            extra={'MailAccessType': 'Bind'}),
        rec(3, '2026-04-06T09:15:03', 'FileAccessed', u, 6, 'SharePoint',
            OFFICE_IP, obj='https://northwindtraders.sharepoint.com/sites/'
            'Finance/Shared Documents/Q1.xlsx', app=None),
        rec(4, '2026-04-07T08:01:55', 'UserLoggedIn', u, 15,
            'AzureActiveDirectory', HOME_IP, app=OFFICEHOME),
        rec(5, '2026-04-07T08:20:12', 'New-InboxRule', u, 1, 'Exchange',
            HOME_IP, [('Name', 'Newsletters'),
                      ('From', 'news@industry-weekly.example'),
                      ('MoveToFolder', 'Newsletters')],
            obj=ORG + '\\' + u + '\\Newsletters'),
    ]


def compromised_records():
    u = 'noah.berg@' + DOMAIN
    rule_obj = ORG + '\\' + u + '\\' + HOSTILE_RULE
    return [
        rec(11, '2026-04-08T07:55:02', 'UserLoggedIn', u, 15,
            'AzureActiveDirectory', HOME_IP, app=OFFICEHOME),
        rec(12, '2026-04-09T02:11:45', 'UserLoggedIn', u, 15,
            'AzureActiveDirectory', ATTACKER_IP, app=OFFICEHOME,
            extra={'ExtendedProperties': [
                {'Name': 'UserAgent', 'Value': HOSTILE_UA}]}),
        rec(13, '2026-04-09T02:14:10', 'New-InboxRule', u, 1, 'Exchange',
            ATTACKER_IP + ':51234',
            [('Name', HOSTILE_RULE), ('ForwardTo', EXFIL),
             ('DeleteMessage', 'True'), ('StopProcessingRules', 'True')],
            obj=rule_obj),
        rec(14, '2026-04-09T02:16:31', 'Set-Mailbox', u, 1, 'Exchange',
            ATTACKER_IP, [('Identity', u),
                          ('ForwardingSmtpAddress', 'smtp:' + EXFIL),
                          ('DeliverToMailboxAndForward', 'False')],
            obj=u),
        rec(15, '2026-04-09T02:18:02', 'Add-MailboxPermission', u, 1,
            'Exchange', ATTACKER_IP,
            [('Identity', 'finance@' + DOMAIN), ('User', u),
             ('AccessRights', 'FullAccess'),
             ('InheritanceType', 'All')], obj='finance@' + DOMAIN),
        rec(16, '2026-04-09T02:20:44', 'Consent to application.', u, 8,
            'AzureActiveDirectory', ATTACKER_IP, obj=EVIL_APP,
            app=EVIL_APP),
        rec(17, '2026-04-09T02:25:19', 'MailItemsAccessed', u, 50,
            'Exchange', ATTACKER_IP, extra={'MailAccessType': 'Sync'}),
    ]


def zip_bytes(members):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, 'w') as z:
        for name, data in members:
            zi = zipfile.ZipInfo(name, date_time=(2026, 4, 10, 12, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            z.writestr(zi, data)
    return buf.getvalue()


def tar_gz_bytes(members):
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode='w', format=tarfile.USTAR_FORMAT) \
            as t:
        for name, data in members:
            ti = tarfile.TarInfo(name)
            ti.size = len(data)
            ti.mtime = 1775822400
            ti.mode = 0o644
            t.addfile(ti, io.BytesIO(data))
    out = io.BytesIO()
    with gzip.GzipFile(filename='', mode='wb', fileobj=out, mtime=0) as g:
        g.write(raw.getvalue())
    return out.getvalue()


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'wb') as f:
        f.write(data)


def main():
    clean = jsonl(clean_records())
    write(os.path.join(HERE, 'clean', 'ual', 'audit.jsonl'), clean)
    write(os.path.join(HERE, 'clean-copy.tar.gz'),
          tar_gz_bytes([('./ual/audit.jsonl', clean)]))
    write(os.path.join(HERE, 'compromised.zip'), zip_bytes([
        ('exports/ual/audit.jsonl', jsonl(compromised_records())),
        ('exports/README.txt', b'Collected 2026-04-10 by the MSP.\n'),
        ('../outside.jsonl', jsonl(clean_records()[:1])),
        ('/etc/absolute.jsonl', jsonl(clean_records()[:1])),
        ('exports/.DS_Store', b'\0\0\0\1Bud1'),
    ]))
    whole = tar_gz_bytes([('ual/audit.jsonl', jsonl(compromised_records()
                                                    + clean_records()))])
    # cut inside the compressed stream: the tar and gzip end are missing
    write(os.path.join(HERE, 'broken.tar.gz'), whole[:len(whole) * 2 // 3])


if __name__ == '__main__':
    main()
