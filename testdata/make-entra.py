#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# make-entra.py - writes the Entra sign-in and directory-audit logs and the
# mailbox-rule dumps of the sample incident (testdata/scenario/entra,
# testdata/scenario/rules) and the same records in every export shape
# (testdata/entra, testdata/rules), plus bad inputs (testdata/invalid).
# The sign-ins are the audit log's own STS logons of make-scenario.py, so
# times, users, addresses and session ids agree with it. Deterministic.
import base64
import csv
import importlib.util
import io
import json
import os
from datetime import timedelta

HERE = os.path.dirname(os.path.abspath(__file__))
_spec = importlib.util.spec_from_file_location(
    'scenario', os.path.join(HERE, 'make-scenario.py'))
S = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(S)

SCEN = os.path.join(HERE, 'scenario')
ENTRA = os.path.join(HERE, 'entra')
RULES = os.path.join(HERE, 'rules')
INVALID = os.path.join(HERE, 'invalid')
gid = S.gid

APPS = {
    S.OFFICEHOME_APP: 'OfficeHome',
    S.AADPS_APP: 'Azure Active Directory PowerShell',
    S.EVIL_APP: S.EVIL_APP_NAME,
    S.GRAPH_APP: 'Microsoft Graph',
    '00000002-0000-0000-c000-000000000000': 'Windows Azure Active Directory',
}
# where each address is (invented, consistent)
GEO = {
    '62.214.45': ('Berlin', 'Berlin', 'DE', 52.5200, 13.4050, 3320),
    '88.130': ('Hamburg', 'Hamburg', 'DE', 53.5511, 9.9937, 3320),
    '94.31': ('Munich', 'Bavaria', 'DE', 48.1351, 11.5820, 8767),
    '151.47': ('Leipzig', 'Saxony', 'DE', 51.3397, 12.3731, 6805),
    S.SPRAY_IP: ('Amsterdam', 'North Holland', 'NL', 52.3676, 4.9041,
                 206728),
    S.ATTACKER_IP: ('Bucharest', 'Bucuresti', 'RO', 44.4268, 26.1025,
                    9009),
}
REASONS = {
    '50126': 'Error validating credentials due to invalid username or '
             'password.',
    '50034': 'The user account does not exist in the tenant directory.',
}
BACKUP_APP = 'c1a7d2e4-5b6f-4e8a-9c3d-2f1e0b9a8c76'   # benign SP
FUNC_MI = '0f3e9b2a-6c4d-4a1b-8e7f-5d2c1b0a9e84'      # benign MI


def geo(ip):
    for k, v in GEO.items():
        if ip.startswith(k):
            return v
    raise KeyError(ip)


def isoz(t, frac='.0000000'):
    return t.strftime('%Y-%m-%dT%H:%M:%S') + frac + 'Z'


def token_id(sid):
    return base64.urlsafe_b64encode(bytes.fromhex(
        sid.replace('-', ''))[:16]).decode().rstrip('=')


def users_by_upn():
    return {u.upn: u for u in S.USERS}


def build():
    """Sign-ins (dicts in Graph beta shape) and directory audits."""
    S.benign()
    S.incident()
    by = users_by_upn()
    signins = []
    for t, r, tags in sorted(S.records, key=lambda x: (x[0], x[1]['Id'])):
        if r['RecordType'] != 15:
            continue
        dev = {p['Name']: p['Value'] for p in r['DeviceProperties']}
        ext = {p['Name']: p['Value'] for p in r['ExtendedProperties']}
        u = by.get(r['UserId'])
        ok = r['ErrorNumber'] == '0'
        ropc = ext['RequestType'] == 'OAuth2:Token'
        city, state, cc, lat, lon, asn = geo(r['ClientIP'])
        sid = gid('signin', r['Id'])
        signins.append({
            'kind': 'interactive',
            'tags': tags,
            't': t,
            'id': sid,
            'createdDateTime': isoz(t),
            'userDisplayName': u.display if u else None,
            'userPrincipalName': r['UserId'],
            'userId': r['Actor'][0]['ID'] if u else
            '00000000-0000-0000-0000-000000000000',
            'userType': 'member',
            'appId': r['ApplicationId'],
            'appDisplayName': APPS[r['ApplicationId']],
            'ipAddress': r['ClientIP'],
            'clientAppUsed': 'Mobile Apps and Desktop clients' if ropc
            else 'Browser',
            'correlationId': gid('corr', sid),
            'conditionalAccessStatus': 'notApplied',
            'isInteractive': True,
            'resourceDisplayName': APPS.get(r['ObjectId'], 'OfficeHome'),
            'resourceId': r['ObjectId'],
            'status': {'errorCode': int(r['ErrorNumber']),
                       'failureReason': 'Other.' if ok else
                       REASONS[r['ErrorNumber']],
                       'additionalDetails': None},
            'deviceDetail': {'deviceId': '', 'displayName': '',
                             'operatingSystem': dev.get('OS', ''),
                             'browser': dev.get('BrowserType', ''),
                             'isCompliant': False, 'isManaged': False,
                             'trustType': ''},
            'location': {'city': city, 'state': state,
                         'countryOrRegion': cc,
                         'geoCoordinates': {'altitude': None,
                                            'latitude': lat,
                                            'longitude': lon}},
            'asn': asn,
            'authenticationProtocol': 'ropc' if ropc else 'none',
            'authenticationRequirement': 'singleFactorAuthentication',
            'sessionId': dev.get('SessionId', ''),
            'uniqueTokenIdentifier': token_id(sid),
            'userAgent': ext['UserAgent'],
            'riskLevelDuringSignIn': 'hidden' if not ok else 'none',
        })
    # the malicious app's Graph access as alice: non-interactive sign-ins
    # whose session ids are the MailItemsAccessed SessionIds
    t0 = S.T0 + timedelta(days=3, hours=3, minutes=35, seconds=49)
    for k in range(4):
        t = t0 + timedelta(minutes=4 * k, seconds=17 * k)
        sid = gid('signin', 'graph', k)
        city, state, cc, lat, lon, asn = geo(S.ATTACKER_IP)
        signins.append({
            'kind': 'non-interactive', 'tags': {'attack'}, 't': t,
            'id': sid, 'createdDateTime': isoz(t),
            'userDisplayName': S.ALICE.display,
            'userPrincipalName': S.ALICE.upn, 'userId': S.ALICE.oid,
            'userType': 'member', 'appId': S.EVIL_APP,
            'appDisplayName': S.EVIL_APP_NAME, 'ipAddress': S.ATTACKER_IP,
            'clientAppUsed': 'Mobile Apps and Desktop clients',
            'correlationId': gid('corr', sid),
            'conditionalAccessStatus': 'notApplied', 'isInteractive': False,
            'resourceDisplayName': 'Microsoft Graph',
            'resourceId': S.GRAPH_APP,
            'status': {'errorCode': 0, 'failureReason': 'Other.',
                       'additionalDetails': None},
            'deviceDetail': {'deviceId': '', 'displayName': '',
                             'operatingSystem': '', 'browser': '',
                             'isCompliant': False, 'isManaged': False,
                             'trustType': ''},
            'location': {'city': city, 'state': state,
                         'countryOrRegion': cc,
                         'geoCoordinates': {'altitude': None,
                                            'latitude': lat,
                                            'longitude': lon}},
            'asn': asn, 'authenticationProtocol': 'none',
            'authenticationRequirement': 'singleFactorAuthentication',
            'sessionId': gid('sess', 'graph', k),
            'uniqueTokenIdentifier': token_id(sid),
            'userAgent': 'python-requests/2.31.0',
            'riskLevelDuringSignIn': 'none',
        })
    # a backup service principal and a function's managed identity
    for k, (kind, app, name) in enumerate([
            ('service-principal', BACKUP_APP, 'Contoso Backup Agent'),
            ('managed-identity', FUNC_MI, 'contoso-labs-invoices-func')]):
        t = S.T0 + timedelta(days=2, hours=1, minutes=30 + k)
        sid = gid('signin', kind)
        signins.append({
            'kind': kind, 'tags': set(), 't': t, 'id': sid,
            'createdDateTime': isoz(t), 'appId': app,
            'appDisplayName': name, 'ipAddress': '62.214.45.18'
            if kind == 'service-principal' else '',
            'correlationId': gid('corr', sid),
            'conditionalAccessStatus': 'notApplied', 'isInteractive': False,
            'resourceDisplayName': 'Microsoft Graph',
            'resourceId': S.GRAPH_APP,
            'status': {'errorCode': 0, 'failureReason': 'Other.',
                       'additionalDetails': None},
            'servicePrincipalId': gid('sp', app),
            'servicePrincipalName': name,
            'servicePrincipalCredentialKeyId':
            gid('key', app) if kind == 'service-principal' else '',
            'location': {'city': 'Berlin', 'state': 'Berlin',
                         'countryOrRegion': 'DE',
                         'geoCoordinates': {}},
            'sessionId': '', 'uniqueTokenIdentifier': token_id(sid),
        })
    signins.sort(key=lambda s: (s['t'], s['id']))

    audits = []
    for t, r, tags in sorted(S.records, key=lambda x: (x[0], x[1]['Id'])):
        if r['RecordType'] != 8:
            continue
        ext = {p['Name']: p['Value'] for p in r['ExtendedProperties']}
        det = json.loads(ext['additionalDetails'])
        tgt_name = [x['ID'] for x in r['Target'] if x['Type'] == 1][0]
        tgt_id = [x['ID'] for x in r['Target'] if x['Type'] == 2][1]
        audits.append({
            't': t,
            'id': 'Directory_' + gid('corr', r['Id']) + '_' +
                  r['Id'][:5].upper() + '_' + str(int(r['Id'][-6:], 16)),
            'category': 'ApplicationManagement',
            'correlationId': gid('corr', r['Id']),
            'result': 'success', 'resultReason': '',
            # Entra writes the operation without the UAL's final dot
            'activityDisplayName': r['Operation'].rstrip('.'),
            'activityDateTime': isoz(t, '.%03d0000' % (t.second * 7 % 1000)),
            'loggedByService': 'Core Directory',
            'operationType': 'Assign',
            'initiatedBy': {'app': None, 'user': {
                'id': S.ALICE.oid, 'displayName': None,
                'userPrincipalName': S.ALICE.upn,
                'ipAddress': r['ClientIP'], 'roles': []}},
            'targetResources': [{
                'id': tgt_id, 'displayName': tgt_name,
                'type': 'ServicePrincipal', 'userPrincipalName': None,
                'groupType': None,
                'modifiedProperties': [
                    {'displayName': m['Name'],
                     'oldValue': json.dumps(m['OldValue']) if m['OldValue']
                     else None,
                     'newValue': json.dumps(m['NewValue'])}
                    for m in r['ModifiedProperties']]}],
            'additionalDetails': [{'key': 'User-Agent',
                                   'value': det['User-Agent']},
                                  {'key': 'AppId', 'value': det['AppId']}],
        })
    # a benign directory change with a user target, by the IT admin
    t = S.T0 + timedelta(hours=9, minutes=40, seconds=12)
    audits.append({
        't': t, 'id': 'Directory_' + gid('corr', 'ben-group') + '_BENGR_1',
        'category': 'GroupManagement',
        'correlationId': gid('corr', 'ben-group'), 'result': 'success',
        'resultReason': '', 'activityDisplayName': 'Add member to group',
        'activityDateTime': isoz(t, '.1230000'),
        'loggedByService': 'Core Directory', 'operationType': 'Assign',
        'initiatedBy': {'app': None, 'user': {
            'id': S.BEN.oid, 'displayName': None,
            'userPrincipalName': S.BEN.upn, 'ipAddress': '62.214.45.18',
            'roles': []}},
        'targetResources': [
            {'id': S.U['farid.haddad'].oid, 'displayName': None,
             'type': 'User', 'userPrincipalName': S.U['farid.haddad'].upn,
             'groupType': None, 'modifiedProperties': [
                 {'displayName': 'Group.DisplayName', 'oldValue': None,
                  'newValue': '"Engineering Leads"'}]},
            {'id': gid('group', 'eng-leads'),
             'displayName': 'Engineering Leads', 'type': 'Group',
             'userPrincipalName': None, 'groupType': 'unifiedGroups',
             'modifiedProperties': []}],
        'additionalDetails': [{'key': 'User-Agent', 'value': S.UA_EDGE}],
    })
    audits.sort(key=lambda a: (a['t'], a['id']))
    return signins, audits


# ----------------------------------------------------------------- writers

def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'wb') as f:
        f.write(data)


def csv_text(header, rows, eol='\r\n', quote_all=False, final=True):
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator=eol,
                   quoting=csv.QUOTE_ALL if quote_all else
                   csv.QUOTE_MINIMAL)
    w.writerow(header)
    for r in rows:
        w.writerow(r)
    s = buf.getvalue()
    return s if final else s[:-len(eol)]


def graph_obj(s, beta=True):
    """The sign-in as Graph returns it (v1.0 without the beta members)."""
    keys = ['id', 'createdDateTime', 'userDisplayName', 'userPrincipalName',
            'userId', 'appId', 'appDisplayName', 'ipAddress',
            'clientAppUsed', 'correlationId', 'conditionalAccessStatus',
            'isInteractive', 'riskDetail', 'riskLevelAggregated',
            'riskLevelDuringSignIn', 'riskState', 'riskEventTypes',
            'resourceDisplayName', 'resourceId', 'status', 'deviceDetail',
            'location', 'appliedConditionalAccessPolicies']
    o = {}
    for k in keys:
        if k == 'riskEventTypes':
            o[k] = []
        elif k == 'appliedConditionalAccessPolicies':
            o[k] = []
        elif k in ('riskDetail', 'riskLevelAggregated', 'riskState'):
            o[k] = 'none'
        else:
            o[k] = s.get(k)
    if beta:
        o.update({
            'signInEventTypes': [{'interactive': 'interactiveUser',
                                  'non-interactive': 'nonInteractiveUser',
                                  'service-principal': 'servicePrincipal',
                                  'managed-identity': 'managedIdentity'}
                                 [s['kind']]],
            'authenticationProtocol': s.get('authenticationProtocol'),
            'authenticationRequirement': s.get('authenticationRequirement'),
            'sessionId': s.get('sessionId'),
            'uniqueTokenIdentifier': s.get('uniqueTokenIdentifier'),
            'userAgent': s.get('userAgent'),
            'userType': s.get('userType'),
            'autonomousSystemNumber': s.get('asn'),
            'servicePrincipalId': s.get('servicePrincipalId', ''),
            'servicePrincipalName': s.get('servicePrincipalName', ''),
            'servicePrincipalCredentialKeyId':
            s.get('servicePrincipalCredentialKeyId', ''),
            'homeTenantId': S.TENANT, 'resourceTenantId': S.TENANT,
            'crossTenantAccessType': 'none',
            'incomingTokenType': 'none',
        })
    return o


def pascal(o):
    if isinstance(o, dict):
        return {k[0].upper() + k[1:]: pascal(v) for k, v in o.items()}
    if isinstance(o, list):
        return [pascal(v) for v in o]
    return o


def sdk_obj(s):
    """A Graph PowerShell SDK signIn object as ConvertTo-Json writes it."""
    o = pascal(graph_obj(s, beta=False))
    o['CreatedDateTime'] = '/Date(%d)/' % (
        int(s['t'].timestamp()) * 1000)
    o['IPAddress'] = o.pop('IpAddress')
    o['AdditionalProperties'] = {}
    return o


PORTAL_USER_HDR = (
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
# an older download: no cross-tenant, token protection or Global Secure
# Access columns, "MFA result" wording, no trailing spaces
PORTAL_OLD_HDR = (
    'Date (UTC),Request ID,User agent,Correlation ID,User ID,User,Username,'
    'User type,Incoming token type,Authentication Protocol,'
    'Unique token identifier,Application,Application ID,Resource,'
    'Resource ID,Resource tenant ID,Home tenant ID,IP address,Location,'
    'Status,Sign-in error code,Failure reason,Client app,Device ID,Browser,'
    'Operating System,Compliant,Managed,Join Type,MFA result,'
    'MFA auth method,MFA auth detail,Authentication requirement,'
    'Sign-in identifier,Session ID,IP address (seen by resource),'
    'Autonomous system number,Flagged for review,Token issuer type,'
    'Token issuer name,Latency,Conditional Access').split(',')
PORTAL_SP_HDR = (
    'Date (UTC),Request ID,Correlation ID,Service principal ID,'
    'Service principal name,Credential key ID,Credential thumbprint,'
    'Application,Application ID ,App owner tenant ID,Resource,Resource ID ,'
    'Resource tenant ID,Resource owner tenant ID,Home tenant ID,'
    'Home tenant name,IP address,Location,Status,Sign-in error code,'
    'Failure reason,Conditional Access').split(',')
# not seen in a real download (FORMATS.md §2.1 gap): the service principal
# columns with the managed identity's own
PORTAL_MI_HDR = PORTAL_SP_HDR[:7] + ['Managed Identity type',
                                     'Associated Resource Id'] + \
    PORTAL_SP_HDR[7:]


def portal_status(s):
    code = s['status']['errorCode']
    return 'Success' if code == 0 else 'Failure'


def portal_cell(s, name, idx):
    loc = s.get('location', {})
    dev = s.get('deviceDetail', {})
    place = ', '.join(x for x in (loc.get('city'), loc.get('state'),
                                  loc.get('countryOrRegion')) if x)
    code = s['status']['errorCode']
    v = {
        'Date (UTC)': s['t'].strftime('%Y-%m-%dT%H:%M:%SZ'),
        'Request ID': s['id'],
        'User agent': s.get('userAgent', ''),
        'Correlation ID': s['correlationId'],
        'User ID': s.get('userId', ''),
        'User': s.get('userDisplayName') or '',
        'Username': s.get('userPrincipalName', ''),
        'User type': 'Member' if s.get('userPrincipalName') else '',
        'Cross tenant access type': 'None',
        'Authentication Protocol': {'ropc': 'ROPC'}.get(
            s.get('authenticationProtocol'), 'None'),
        'Unique token identifier': s['uniqueTokenIdentifier'],
        'Application': s['appDisplayName'],
        'Application ID ': s['appId'], 'Application ID': s['appId'],
        'App owner tenant ID': S.TENANT,
        'Resource': s['resourceDisplayName'],
        'Resource ID ': s['resourceId'], 'Resource ID': s['resourceId'],
        'Resource tenant ID': S.TENANT, 'Home tenant ID': S.TENANT,
        'Home tenant name': 'Contoso Labs',
        'IP address': s.get('ipAddress', ''),
        'Location': place,
        'Status': portal_status(s),
        'Sign-in error code': str(code),
        'Failure reason': s['status']['failureReason'] if code else '',
        'Client app': s.get('clientAppUsed', ''),
        'Device ID': dev.get('deviceId', ''),
        'Browser': dev.get('browser', ''),
        'Operating System': dev.get('operatingSystem', ''),
        'Compliant': 'False' if dev else '',
        'Managed': 'False' if dev else '',
        'Multifactor authentication result': '',
        'MFA result': '',
        'Authentication requirement': 'Single-factor authentication'
        if s.get('userPrincipalName') else '',
        'Sign-in identifier': s.get('userPrincipalName', ''),
        'Session ID': s.get('sessionId', ''),
        'Autonomous system  number': str(s.get('asn', '')),
        'Autonomous system number': str(s.get('asn', '')),
        'Flagged for review': 'No', 'Token issuer type': 'Azure AD',
        'Latency': '87', 'Conditional Access': 'Not Applied',
        'Service principal ID': s.get('servicePrincipalId', ''),
        'Service principal name': s.get('servicePrincipalName', ''),
        'Credential key ID': s.get('servicePrincipalCredentialKeyId', ''),
        'Managed Identity type': 'System Assigned'
        if s['kind'] == 'managed-identity' else '',
    }.get(name, '')
    # the duplicated "Incoming token type": the first says None, the
    # second (later in the row) is empty
    if name == 'Incoming token type':
        v = 'None' if idx < 20 else ''
    return v


def portal_rows(sis, hdr):
    return [[portal_cell(s, h, i) for i, h in enumerate(hdr)] for s in sis]


def la_time(t):
    return S.la_date(t).replace('.000 ', '.%03d ' % (t.second * 7 % 1000))


LA_HDR = ['TenantId', 'SourceSystem', 'TimeGenerated [UTC]', 'ResourceId',
          'OperationName', 'OperationVersion', 'Category', 'ResultType',
          'ResultSignature', 'ResultDescription', 'DurationMs',
          'CorrelationId', 'Resource', 'ResourceGroup', 'Identity', 'Level',
          'Location', 'AppDisplayName', 'AppId', 'AuthenticationDetails',
          'AuthenticationRequirement', 'ClientAppUsed',
          'ConditionalAccessStatus', 'CreatedDateTime [UTC]',
          'DeviceDetail', 'IsInteractive', 'Id', 'IPAddress',
          'LocationDetails', 'MfaDetail', 'ResourceDisplayName',
          'ResourceIdentity', 'ServicePrincipalId', 'ServicePrincipalName',
          'SessionId', 'Status', 'UniqueTokenIdentifier', 'UserAgent',
          'UserDisplayName', 'UserId', 'UserPrincipalName', 'UserType',
          'AutonomousSystemNumber', 'Type']
LA_TABLE = {'interactive': ('SigninLogs', 'SignInLogs'),
            'non-interactive': ('AADNonInteractiveUserSignInLogs',
                                'NonInteractiveUserSignInLogs'),
            'service-principal': ('AADServicePrincipalSignInLogs',
                                  'ServicePrincipalSignInLogs'),
            'managed-identity': ('AADManagedIdentitySignInLogs',
                                 'ManagedIdentitySignInLogs')}


def la_values(s, pretty):
    def dyn(v):
        return json.dumps(v, indent=2) if pretty else \
            json.dumps(v, separators=(',', ':'))
    loc = s.get('location', {})
    auth = [{'authenticationStepDateTime': s['createdDateTime'],
             'authenticationMethod': 'Password',
             'authenticationMethodDetail': 'Password in the cloud',
             'succeeded': s['status']['errorCode'] == 0,
             'authenticationStepResultDetail':
             'Correct password' if s['status']['errorCode'] == 0
             else 'Invalid username or password or Invalid on-premise '
             'username or password.'}] if s.get('userPrincipalName') else []
    code = s['status']['errorCode']
    return {
        'TenantId': S.TENANT, 'SourceSystem': 'Azure AD',
        'TimeGenerated': la_time(s['t']),
        'ResourceId': '/tenants/' + S.TENANT +
        '/providers/Microsoft.aadiam',
        'OperationName': 'Sign-in activity', 'OperationVersion': '1.0',
        'Category': LA_TABLE[s['kind']][1], 'ResultType': str(code),
        'ResultSignature': 'None',
        'ResultDescription': s['status']['failureReason'] if code else '',
        'DurationMs': '0', 'CorrelationId': s['correlationId'],
        'Resource': 'Microsoft.aadiam', 'ResourceGroup': 'Microsoft.aadiam',
        'Identity': s.get('userDisplayName') or
        s.get('servicePrincipalName', ''),
        'Level': '4', 'Location': loc.get('countryOrRegion', ''),
        'AppDisplayName': s['appDisplayName'], 'AppId': s['appId'],
        'AuthenticationDetails': dyn(auth) if auth else '',
        'AuthenticationRequirement': s.get('authenticationRequirement',
                                           ''),
        'ClientAppUsed': s.get('clientAppUsed', ''),
        'ConditionalAccessStatus': 'notApplied',
        'CreatedDateTime': la_time(s['t']),
        'DeviceDetail': dyn(s['deviceDetail']) if 'deviceDetail' in s
        else '',
        'IsInteractive': 'TRUE' if s['isInteractive'] else 'FALSE',
        'Id': s['id'], 'IPAddress': s.get('ipAddress', ''),
        'LocationDetails': dyn(loc), 'MfaDetail': dyn({}),
        'ResourceDisplayName': s['resourceDisplayName'],
        'ResourceIdentity': s['resourceId'],
        'ServicePrincipalId': s.get('servicePrincipalId', ''),
        'ServicePrincipalName': s.get('servicePrincipalName', ''),
        'SessionId': s.get('sessionId', ''),
        'Status': dyn({'errorCode': code} if not code else
                      {'errorCode': code,
                       'failureReason': s['status']['failureReason']}),
        'UniqueTokenIdentifier': s['uniqueTokenIdentifier'],
        'UserAgent': s.get('userAgent', ''),
        'UserDisplayName': s.get('userDisplayName') or '',
        'UserId': s.get('userId', ''),
        'UserPrincipalName': s.get('userPrincipalName', ''),
        'UserType': 'Member' if s.get('userPrincipalName') else '',
        'AutonomousSystemNumber': str(s.get('asn', '')),
        'Type': LA_TABLE[s['kind']][0],
    }


def la_csv(sis, pretty):
    rows = []
    for s in sis:
        v = la_values(s, pretty)
        rows.append([v[h.replace(' [UTC]', '')] for h in LA_HDR])
    return b'\xef\xbb\xbf' + csv_text(LA_HDR, rows).encode()


def diag(s):
    o = graph_obj(s)
    o['createdDateTime'] = s['t'].strftime('%Y-%m-%dT%H:%M:%S') + \
        '.0000000+00:00'
    return {'time': isoz(s['t']),
            'resourceId': '/tenants/' + S.TENANT +
            '/providers/Microsoft.aadiam',
            'operationName': 'Sign-in activity', 'operationVersion': '1.0',
            'category': LA_TABLE[s['kind']][1], 'tenantId': S.TENANT,
            'resultType': str(s['status']['errorCode']),
            'resultSignature': 'None', 'durationMs': 0,
            'callerIpAddress': s.get('ipAddress', ''),
            'correlationId': s['correlationId'],
            'identity': s.get('userDisplayName') or
            s.get('servicePrincipalName', ''),
            'Level': 4,
            'location': s.get('location', {}).get('countryOrRegion', ''),
            'properties': o}


def compact(o):
    return json.dumps(o, separators=(',', ':'), ensure_ascii=False)


def write_signins(all_si):
    scen = os.path.join(SCEN, 'entra')
    inter = [s for s in all_si if s['kind'] == 'interactive']
    nonint = [s for s in all_si if s['kind'] == 'non-interactive']
    sp = [s for s in all_si if s['kind'] == 'service-principal']
    mi = [s for s in all_si if s['kind'] == 'managed-identity']
    # the responder's downloads: one file per portal tab, the week
    write(os.path.join(scen, 'InteractiveSignIns_2026-03-02_2026-03-09.csv'),
          csv_text(PORTAL_USER_HDR, portal_rows(inter, PORTAL_USER_HDR),
                   eol='\n').encode())
    write(os.path.join(scen,
                       'NonInteractiveSignIns_2026-03-02_2026-03-09.csv'),
          csv_text(PORTAL_USER_HDR, portal_rows(nonint, PORTAL_USER_HDR),
                   eol='\n').encode())
    write(os.path.join(scen, 'ApplicationSignIns_2026-03-02_2026-03-09.csv'),
          csv_text(PORTAL_SP_HDR, portal_rows(sp, PORTAL_SP_HDR),
                   eol='\n').encode())
    write(os.path.join(scen, 'MSISignIns_2026-03-02_2026-03-09.csv'),
          csv_text(PORTAL_MI_HDR, portal_rows(mi, PORTAL_MI_HDR),
                   eol='\n').encode())

    # shapes: the incident's sign-ins, plus one service principal and one
    # managed identity, in every export shape
    sh = [s for s in all_si if s['tags'] & {'attack', 'shape'} or
          s['kind'] in ('service-principal', 'managed-identity')]
    sh_user = [s for s in sh if s.get('userPrincipalName')]
    write(os.path.join(ENTRA, 'portal-interactive.csv'),
          csv_text(PORTAL_USER_HDR,
                   portal_rows([s for s in sh_user
                                if s['kind'] == 'interactive'],
                               PORTAL_USER_HDR)).encode())
    write(os.path.join(ENTRA, 'portal-noninteractive.csv'),
          csv_text(PORTAL_USER_HDR,
                   portal_rows([s for s in sh_user
                                if s['kind'] == 'non-interactive'],
                               PORTAL_USER_HDR)).encode())
    write(os.path.join(ENTRA, 'portal-old-header.csv'),
          b'\xef\xbb\xbf' + csv_text(
              PORTAL_OLD_HDR, portal_rows(sh_user, PORTAL_OLD_HDR)).encode())
    write(os.path.join(ENTRA, 'portal-serviceprincipal.csv'),
          csv_text(PORTAL_SP_HDR, portal_rows(sp, PORTAL_SP_HDR)).encode())
    write(os.path.join(ENTRA, 'portal-managedidentity.csv'),
          csv_text(PORTAL_MI_HDR, portal_rows(mi, PORTAL_MI_HDR)).encode())
    # portal JSON download: one pretty array
    write(os.path.join(ENTRA, 'portal-download.json'),
          json.dumps([graph_obj(s) for s in sh_user], indent=2,
                     ensure_ascii=False).encode())
    # Graph v1.0 page (interactive only, no beta members)
    page = {'@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#'
            'auditLogs/signIns',
            '@odata.nextLink': 'https://graph.microsoft.com/v1.0/auditLogs/'
            'signIns?$top=1000&$skiptoken=9177f2e3532fcd4c4d225f68f7b9bdf7',
            'value': [graph_obj(s, beta=False) for s in sh_user
                      if s['kind'] == 'interactive']}
    write(os.path.join(ENTRA, 'graph-v1.0-page.json'),
          json.dumps(page, indent=4).encode())
    # Goose: beta objects, one per line
    write(os.path.join(ENTRA, 'graph-beta.jsonl'),
          ''.join(compact(graph_obj(s)) + '\n' for s in sh).encode())
    # Extractor-Suite: two pages appended to one file ("][")
    half = len(sh) // 2
    write(os.path.join(ENTRA, 'graph-beta-appended.json'),
          (json.dumps([graph_obj(s) for s in sh[:half]], indent=4) +
           json.dumps([graph_obj(s) for s in sh[half:]], indent=4))
          .encode())
    # Hawk: Get-MgAuditLogSignIn objects through Windows PowerShell's
    # ConvertTo-Json (PascalCase members, "\/Date(ms)\/" times)
    write(os.path.join(ENTRA, 'hawk-signinlog.json'),
          b'\xef\xbb\xbf' + winps_json([sdk_obj(s) for s in sh_user])
          .replace('"/Date(', '"\\/Date(').replace(')/"', ')\\/"')
          .replace('\n', '\r\n').encode())
    # Log Analytics: SigninLogs with pretty dynamic columns (raw newlines),
    # AADNonInteractiveUserSignInLogs with compact strings, JSON lines
    write(os.path.join(ENTRA, 'la-signinlogs.csv'),
          la_csv([s for s in sh if s['kind'] == 'interactive'], True))
    write(os.path.join(ENTRA, 'la-aadnoninteractive.csv'),
          la_csv([s for s in sh if s['kind'] != 'interactive'], False))
    lines = []
    for s in sh:
        v = la_values(s, False)
        v['TimeGenerated'] = isoz(s['t'])
        v['CreatedDateTime'] = isoz(s['t'])
        lines.append(compact(v))
    write(os.path.join(ENTRA, 'la-signinlogs.jsonl'),
          ('\r\n'.join(lines) + '\r\n').encode())
    # Azure Monitor diagnostic settings: Event Hub and storage PT1H.json
    write(os.path.join(ENTRA, 'diagnostic-eventhub.json'),
          compact({'records': [diag(s) for s in sh]}).encode())
    write(os.path.join(ENTRA, 'diagnostic-PT1H.json'),
          ''.join(compact(diag(s)) + '\n' for s in sh).encode())


def audit_graph(a):
    return {k: a[k] for k in a if k != 't'}


def write_audits(audits):
    page = {'@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#'
            'auditLogs/directoryAudits',
            'value': [audit_graph(a) for a in audits]}
    write(os.path.join(SCEN, 'entra', 'DirectoryAudits.json'),
          json.dumps(page, indent=2).encode())
    write(os.path.join(ENTRA, 'audit-graph.json'),
          json.dumps(page, indent=2).encode())
    # Log Analytics AuditLogs: JSON strings inside (double-encoded)
    la = []
    for a in audits:
        la.append({
            'TenantId': S.TENANT, 'SourceSystem': 'Azure AD',
            'TimeGenerated': a['activityDateTime'][:23] + 'Z',
            'ResourceId': '/tenants/' + S.TENANT +
            '/providers/Microsoft.aadiam',
            'OperationName': a['activityDisplayName'],
            'OperationVersion': '1.0', 'Category': a['category'],
            'ResultSignature': 'None', 'CorrelationId': a['correlationId'],
            'Resource': 'Microsoft.aadiam',
            'ResourceGroup': 'Microsoft.aadiam', 'Level': '4',
            'AdditionalDetails': compact(a['additionalDetails']),
            'Id': a['id'], 'InitiatedBy': compact(a['initiatedBy']),
            'LoggedByService': a['loggedByService'], 'Result': a['result'],
            'ResultReason': '',
            'TargetResources': compact(a['targetResources']),
            'AADTenantId': S.TENANT,
            'ActivityDisplayName': a['activityDisplayName'],
            'ActivityDateTime': a['activityDateTime'][:23] + 'Z',
            'AADOperationType': a['operationType'], 'Type': 'AuditLogs'})
    write(os.path.join(ENTRA, 'audit-loganalytics.jsonl'),
          ''.join(compact(x) + '\r\n' for x in la).encode())
    hdr = ['TenantId', 'SourceSystem', 'TimeGenerated [UTC]', 'ResourceId',
           'OperationName', 'OperationVersion', 'Category',
           'ResultSignature', 'CorrelationId', 'Resource', 'ResourceGroup',
           'Level', 'AdditionalDetails', 'Id', 'InitiatedBy',
           'LoggedByService', 'Result', 'ResultReason', 'TargetResources',
           'AADTenantId', 'ActivityDisplayName', 'ActivityDateTime [UTC]',
           'AADOperationType', 'Type']
    rows = []
    for x, a in zip(la, audits):
        y = dict(x)
        y['TimeGenerated [UTC]'] = la_time(a['t'])
        y['ActivityDateTime [UTC]'] = la_time(a['t'])
        y['TargetResources'] = json.dumps(a['targetResources'], indent=2)
        rows.append([y.get(h, '') for h in hdr])
    write(os.path.join(ENTRA, 'audit-loganalytics.csv'),
          b'\xef\xbb\xbf' + csv_text(hdr, rows).encode())
    # the portal download: flattened numbered columns
    hdr = ['Date (UTC)', 'CorrelationId', 'Service', 'Category', 'Activity',
           'Result', 'ResultReason', 'ActorType', 'ActorDisplayName',
           'ActorObjectId', 'ActorUserPrincipalName', 'IPAddress']
    for n in (1, 2):
        hdr += ['Target%dType' % n, 'Target%dDisplayName' % n,
                'Target%dObjectId' % n, 'Target%dUserPrincipalName' % n]
        for m in (1, 2, 3):
            hdr += ['Target%dModifiedProperty%d%s' % (n, m, w)
                    for w in ('Name', 'OldValue', 'NewValue')]
    for n in (1, 2):
        hdr += ['AdditionalDetail%dKey' % n, 'AdditionalDetail%dValue' % n]
    rows = []
    for a in audits:
        u = a['initiatedBy']['user']
        row = {'Date (UTC)': a['activityDateTime'][:19] + 'Z',
               'CorrelationId': a['correlationId'],
               'Service': a['loggedByService'], 'Category': a['category'],
               'Activity': a['activityDisplayName'],
               'Result': a['result'].capitalize(), 'ResultReason': '',
               'ActorType': 'User', 'ActorDisplayName': '',
               'ActorObjectId': u['id'],
               'ActorUserPrincipalName': u['userPrincipalName'],
               'IPAddress': u['ipAddress']}
        for n, tr in enumerate(a['targetResources'][:2], 1):
            row['Target%dType' % n] = tr['type']
            row['Target%dDisplayName' % n] = tr['displayName'] or ''
            row['Target%dObjectId' % n] = tr['id']
            row['Target%dUserPrincipalName' % n] = \
                tr['userPrincipalName'] or ''
            for m, mp in enumerate(tr['modifiedProperties'][:3], 1):
                p = 'Target%dModifiedProperty%d' % (n, m)
                row[p + 'Name'] = mp['displayName']
                row[p + 'OldValue'] = mp['oldValue'] or ''
                row[p + 'NewValue'] = mp['newValue'] or ''
        for n, d in enumerate(a['additionalDetails'][:2], 1):
            row['AdditionalDetail%dKey' % n] = d['key']
            row['AdditionalDetail%dValue' % n] = d['value']
        rows.append([row.get(h, '') for h in hdr])
    write(os.path.join(ENTRA, 'audit-portal.csv'),
          b'\xef\xbb\xbf' + csv_text(hdr, rows).encode())
    # diagnostic settings, category AuditLogs, one record per line
    out = []
    for a in audits:
        p = audit_graph(a)
        p['activityDateTime'] = a['activityDateTime'][:19] + \
            '.0000000+00:00'
        out.append(compact({
            'time': isoz(a['t']), 'resourceId': '/tenants/' + S.TENANT +
            '/providers/Microsoft.aadiam',
            'operationName': a['activityDisplayName'],
            'operationVersion': '1.0', 'category': 'AuditLogs',
            'tenantId': S.TENANT, 'resultSignature': 'None',
            'durationMs': 0, 'callerIpAddress':
            a['initiatedBy']['user']['ipAddress'],
            'correlationId': a['correlationId'],
            'identity': a['initiatedBy']['user']['userPrincipalName'],
            'level': 'Informational', 'properties': p}))
    write(os.path.join(ENTRA, 'audit-diagnostic.json'),
          ('\n'.join(out)).encode())


# ------------------------------------------------------------------ rules

# Rule identities: unsigned 64-bit numbers above 2^53 (kept exact)
RULES_DEF = [
    dict(owner=S.ALICE, name='Invoice sync', rid='15394007230974001153',
         priority=1, desc_cond="the message includes specific words in "
         "the subject or body 'invoice' or 'payment' or 'wire'",
         desc_act="forward the message to 'Accounts Payable'",
         sob=['invoice', 'payment', 'wire'],
         fwd=['"Accounts Payable" [SMTP:' + S.EXFIL_ADDR + ']'],
         move=None, mark=False, stop=False),
    dict(owner=S.ALICE, name='..', rid='15394007230974001154', priority=2,
         desc_cond="the message includes specific words in the subject "
         "or body 'hacked' or 'phishing' or 'suspicious' or 'password'",
         desc_act="move the message to folder 'RSS Feeds'\n\tmark the "
         "message as read\n\tstop processing more rules",
         sob=['hacked', 'phishing', 'suspicious', 'password'], fwd=[],
         move=S.ALICE.upn + ':\\RSS Feeds', mark=True, stop=True),
    dict(owner=S.U['grace.liu'], name='Newsletters',
         rid='9871543210987654321', priority=1,
         desc_cond="the message was received from "
         "'news@industry-weekly.example'",
         desc_act="move the message to folder 'Newsletters'", sob=[],
         fwd=[], move=S.U['grace.liu'].upn + ':\\Newsletters',
         mark=False, stop=False,
         frm=['"Industry Weekly" [SMTP:news@industry-weekly.example]']),
]
# an internal forward in legacy-DN form, to show EX: addresses
EX_HELPDESK = ('"IT Helpdesk" [EX:/o=ExchangeLabs/ou=Exchange '
               'Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/'
               'cn=5e1f0c2a9d8b4e7f8a6c3b2d1e0f9a8b-it-helpdesk]')

INBOX_COLS = ['RunspaceId', 'Description', 'Enabled', 'Identity', 'InError',
              'ErrorType', 'Name', 'Priority', 'RuleIdentity',
              'SupportedByTask', 'Legacy', 'BodyContainsWords', 'From',
              'HasAttachment', 'SubjectContainsWords',
              'SubjectOrBodyContainsWords', 'CopyToFolder', 'DeleteMessage',
              'ForwardAsAttachmentTo', 'ForwardTo', 'MarkAsRead',
              'MoveToFolder', 'RedirectTo', 'SoftDeleteMessage',
              'StopProcessingRules', 'MailboxOwnerId', 'IsValid',
              'ObjectState']


def inbox_obj(r):
    desc = ('If the message:\n\t' + r['desc_cond'] +
            '\nTake the following actions:\n\t' + r['desc_act'] + '\n')
    return {
        'RunspaceId': gid('runspace'), 'Description': desc,
        'Enabled': True,
        'Identity': r['owner'].oid + '\\' + r['rid'], 'InError': False,
        'ErrorType': 'None', 'Name': r['name'], 'Priority': r['priority'],
        'RuleIdentity': int(r['rid']), 'SupportedByTask': True,
        'Legacy': False, 'BodyContainsWords': None,
        'From': r.get('frm') or None, 'HasAttachment': False,
        'SubjectContainsWords': None,
        'SubjectOrBodyContainsWords': r['sob'] or None,
        'CopyToFolder': None, 'DeleteMessage': False,
        'ForwardAsAttachmentTo': None, 'ForwardTo': r['fwd'] or None,
        'MarkAsRead': r['mark'], 'MoveToFolder': r['move'],
        'RedirectTo': None, 'SoftDeleteMessage': False,
        'StopProcessingRules': r['stop'],
        'MailboxOwnerId': r['owner'].upn, 'IsValid': True,
        'ObjectState': 'Unchanged'}


def ps_cell(v, joined):
    if v is None:
        return ''
    if isinstance(v, bool):
        return 'True' if v else 'False'
    if isinstance(v, list):
        return '; '.join(v) if joined else 'System.Collections.ArrayList'
    return str(v)


def winps_json(o, indent=4, sep=':  '):
    """ConvertTo-Json of Windows PowerShell 5.1: 4-space indent, two spaces
    after the colon, <>&' escaped as \\u00XX."""
    s = json.dumps(o, indent=indent, ensure_ascii=True)
    s = s.replace('": ', '"' + sep)
    for ch in '<>&\'':
        s = s.replace(ch, '\\u%04x' % ord(ch))
    return s


def bigint_json(s, rids):
    # json.dumps writes Python ints exactly; make sure of it
    for r in rids:
        assert r in s
    return s


def graph_actions(r):
    a = {}
    if r['fwd']:
        a['forwardTo'] = [{'emailAddress': {'name': 'Accounts Payable',
                                            'address': S.EXFIL_ADDR}}]
    if r['move']:
        a['moveToFolder'] = 'AAMkAGI2' + gid('folder', r['name'])[:12] + \
            'AAA='
    if r['mark']:
        a['markAsRead'] = True
    a['stopProcessingRules'] = r['stop']
    return a


def write_rules():
    objs = [inbox_obj(r) for r in RULES_DEF]
    rids = [r['rid'] for r in RULES_DEF]
    # scenario: Hawk's All_InboxRules.csv collected after the incident
    # (raw Get-InboxRule | Export-Csv: multi-valued cells are type names)
    rows = [[ps_cell(o[c], False) for c in INBOX_COLS] for o in objs]
    text = '#TYPE Deserialized.Microsoft.Exchange.Management.' \
           'Infoworker.InboxRule\r\n' + \
           csv_text(INBOX_COLS, rows, quote_all=True)
    write(os.path.join(SCEN, 'rules', 'All_InboxRules.csv'),
          b'\xef\xbb\xbf' + text.replace('\n\t', '\r\n\t').encode())
    write(os.path.join(SCEN, 'rules', 'All_InboxRules.json'),
          b'\xef\xbb\xbf' + bigint_json(winps_json(objs), rids)
          .replace('\n', '\r\n').encode())

    # shapes
    write(os.path.join(RULES, 'get-inboxrule-typenames.csv'),
          b'\xef\xbb\xbf' + text.encode())
    rows = [[ps_cell(o[c], True) for c in INBOX_COLS] for o in objs]
    write(os.path.join(RULES, 'get-inboxrule-joined.csv'),
          csv_text(INBOX_COLS, rows, quote_all=True, eol='\n').encode())
    write(os.path.join(RULES, 'get-inboxrule-winps.json'),
          b'\xef\xbb\xbf' + bigint_json(winps_json(objs), rids)
          .replace('\n', '\r\n').encode())
    write(os.path.join(RULES, 'get-inboxrule-ps7.json'),
          bigint_json(json.dumps(objs, indent=2), rids).encode())
    # Hawk -append: one array per mailbox, concatenated
    write(os.path.join(RULES, 'hawk-all-inboxrules.json'),
          (winps_json(objs[:2]) + winps_json(objs[2:])).encode())
    # Goose EXO_InboxRules_PowerShell.json: -Compress, ASCII, one line
    # per mailbox: an array (several rules) or an object (one rule)
    write(os.path.join(RULES, 'goose-inboxrules-powershell.json'),
          (json.dumps(objs[:2], separators=(',', ':')) + '\n' +
           json.dumps(objs[2], separators=(',', ':')) + '\n').encode())
    # Extractor-Suite Get-MailboxRules
    hdr = ['UserName', 'RuleName', 'Enabled', 'Priority', 'RuleIdentity',
           'StopProcessingRules', 'CopyToFolder', 'MoveToFolder',
           'RedirectTo', 'ForwardTo', 'ForwardAsAttachmentTo',
           'ApplyCategory', 'MarkImportance', 'MarkAsRead', 'DeleteMessage',
           'SoftDeleteMessage', 'From', 'SubjectContainsWords',
           'SubjectOrBodyContainsWords', 'BodyContainsWords',
           'HasAttachment', 'Description', 'InError', 'ErrorType']
    rows = []
    for r, o in zip(RULES_DEF, objs):
        rows.append([r['owner'].upn, r['name'], 'True', str(r['priority']),
                     r['rid'], str(r['stop']), '', r['move'] or '', '',
                     ', '.join(r['fwd']), '', '', '', str(r['mark']),
                     'False', 'False', ', '.join(r.get('frm') or []), '',
                     ', '.join(r['sob']), '', 'False', o['Description'],
                     'False', 'None'])
    write(os.path.join(RULES, 'extractor-mailboxrules.csv'),
          b'\xef\xbb\xbf' + csv_text(hdr, rows, quote_all=True).encode())
    # Graph messageRule objects
    graph = []
    for r in RULES_DEF:
        graph.append((r['owner'].upn, {
            'id': 'AQAAAJ' + r['rid'][-8:] + '=', 'displayName': r['name'],
            'sequence': r['priority'], 'isEnabled': True, 'hasError': False,
            'isReadOnly': False,
            'conditions': {'bodyOrSubjectContains': r['sob']}
            if r['sob'] else
            {'fromAddresses': [{'emailAddress': {
                'name': 'Industry Weekly',
                'address': 'news@industry-weekly.example'}}]},
            'actions': graph_actions(r)}))
    hdr = ['UserPrincipalName', 'RuleName', 'Sequence', 'Enabled',
           'ForwardTo', 'RedirectTo', 'ForwardAsAttachment', 'Delete',
           'PermanentDelete', 'MoveToFolder', 'StopProcessingRules',
           'MarkAsRead', 'From', 'SubjectContains', 'BodyContains',
           'HasAttachments', 'IsImportant', 'RuleId']
    rows = []
    for upn, g in graph:
        a, c = g['actions'], g['conditions']
        rows.append([upn, g['displayName'], str(g['sequence']), 'True',
                     '; '.join(x['emailAddress']['address']
                               for x in a.get('forwardTo', [])), '', '',
                     'False', 'False',
                     'FolderID: ' + a['moveToFolder']
                     if 'moveToFolder' in a else '',
                     str(a['stopProcessingRules']),
                     str(a.get('markAsRead', False)),
                     '; '.join(x['emailAddress']['address']
                               for x in c.get('fromAddresses', [])),
                     '', '', 'False', 'False', g['id']])
    write(os.path.join(RULES, 'extractor-mailboxrules-graph.csv'),
          b'\xef\xbb\xbf' + csv_text(hdr, rows, quote_all=True).encode())
    # Goose EXO_InboxRules_Graph.json: per user an array of rules with an
    # extra {"userPrincipalName"} element; a user without rules too
    lines = []
    for upn in (S.ALICE.upn, S.U['grace.liu'].upn, S.DAVID.upn):
        lst = [g for u, g in graph if u == upn] + \
            [{'userPrincipalName': upn}]
        lines.append(json.dumps(lst, separators=(',', ':')))
    write(os.path.join(RULES, 'goose-inboxrules-graph.json'),
          ('\n'.join(lines) + '\n').encode())
    # Graph /me/mailFolders/inbox/messageRules page (alice's mailbox)
    write(os.path.join(RULES, 'graph-messagerules.json'),
          json.dumps({'@odata.context': "https://graph.microsoft.com/v1.0/"
                      "$metadata#users('" + S.ALICE.oid + "')/mailFolders"
                      "('inbox')/messageRules",
                      'value': [g for u, g in graph if u == S.ALICE.upn]},
                     indent=2).encode())
    # forwarding: Hawk's report and Goose's mailbox JSON lines; ben keeps
    # an internal forward to the helpdesk, nobody forwards outside
    when = '3/9/2026 8:02:11 AM'
    fw = [(S.ALICE, '', '', 'False'), (S.BEN, '', 'IT Helpdesk', 'True'),
          (S.DAVID, '', '', 'False')]
    hdr = ['DisplayName', 'UserPrincipalName', 'PrimarySMTPAddress',
           'ForwardingSMTPAddress', 'ForwardingAddress',
           'DeliverToMailboxAndForward', 'WhenChangedUTC']
    write(os.path.join(RULES, 'hawk-forwardingreport.csv'),
          csv_text(hdr, [[u.display, u.upn, u.upn, smtp, addr, keep, when]
                         for u, smtp, addr, keep in fw],
                   quote_all=True).encode())
    write(os.path.join(RULES, 'goose-mailboxforwarding.json'),
          ''.join(json.dumps({'ForwardingAddress': addr or None,
                              'DeliverToMailboxAndForward': keep == 'True',
                              'ObjectId': u.oid,
                              'PrimarySmtpAddress': u.upn},
                             separators=(',', ':')) + '\n'
                  for u, smtp, addr, keep in fw).encode())
    # transport rules: Extractor-Suite CSV and Goose -Compress JSON
    tr = [('External sender disclaimer', 'Enabled', '0', 'Enforce', [],
           'If the message:\n\tIs received from \'NotInOrganization\'\n'
           'Take the following actions:\n\tPrepend the subject with '
           '\'[EXTERNAL]\'\n'),
          ('Finance journal copy', 'Enabled', '1', 'Enforce',
           ['compliance-archive@' + S.DOMAIN],
           'If the message:\n\tIs sent to members of group '
           '\'finance@contoso-labs.com\'\nTake the following actions:\n\t'
           'Blind carbon copy (Bcc) the message to '
           '\'compliance-archive@contoso-labs.com\'\n')]
    write(os.path.join(RULES, 'extractor-transportrules.csv'),
          b'\xef\xbb\xbf' + csv_text(
              ['Name', 'Description', 'CreatedBy', 'WhenChanged', 'State',
               'Priority', 'Mode'],
              [[n, d, 'Ben Okafor', '2/11/2026 9:12:40 AM', st, p, m]
               for n, st, p, m, bcc, d in tr], quote_all=True).encode())
    write(os.path.join(RULES, 'goose-transportrules.json'),
          json.dumps([{'Name': n, 'State': st, 'Mode': m, 'Priority': int(p),
                       'Description': d, 'BlindCopyTo': bcc or None,
                       'RedirectMessageTo': None,
                       'WhenChanged': '/Date(1770801160000)/'}
                      for n, st, p, m, bcc, d in tr],
                     separators=(',', ':')).encode())


# ---------------------------------------------------------------- invalid

def write_invalid(all_si):
    s = [x for x in all_si if x['kind'] == 'interactive'][0]
    rows = portal_rows([s, s], PORTAL_USER_HDR)
    rows[1][0] = '2026-13-45T99:00:00Z'
    rows[1][1] = gid('bad-date')
    write(os.path.join(INVALID, 'signin-portal-bad-date.csv'),
          csv_text(PORTAL_USER_HDR, rows, eol='\n').encode())
    # a Graph page cut short inside the second sign-in
    text = json.dumps({'value': [graph_obj(x) for x in all_si[:2]]},
                      indent=2)
    write(os.path.join(INVALID, 'signin-graph-truncated.json'),
          text[:len(text) * 3 // 4].encode())
    # a Log Analytics row without any time
    v = la_values(s, False)
    hdr = [h for h in LA_HDR if '[UTC]' not in h]
    write(os.path.join(INVALID, 'signin-la-no-time.csv'),
          csv_text(hdr, [[v[h] if h != 'AuthenticationDetails' else ''
                          for h in hdr]]).encode())
    # directory audit rows: no activity, and an unparsable time
    write(os.path.join(INVALID, 'audit-portal-no-activity.csv'),
          csv_text(['Date (UTC)', 'CorrelationId', 'Activity', 'Result',
                    'ActorUserPrincipalName', 'IPAddress',
                    'Target1DisplayName'],
                   [['2026-03-05T03:20:04Z', gid('x'), '', 'Success',
                     S.ALICE.upn, S.ATTACKER_IP, 'Mail Backup Sync']])
          .encode())
    write(os.path.join(INVALID, 'audit-graph-bad-time.json'),
          json.dumps({'value': [{'id': 'Directory_bad',
                                 'activityDateTime': 'yesterday',
                                 'activityDisplayName': 'Update user',
                                 'result': 'success'}]}).encode())
    # a rule with neither mailbox, name nor identity
    write(os.path.join(INVALID, 'rules-extractor-empty-rule.csv'),
          csv_text(['UserName', 'RuleName', 'Enabled', 'Priority',
                    'RuleIdentity', 'ForwardTo'],
                   [[S.ALICE.upn, 'Invoice sync', 'True', '1',
                     '15394007230974001153', S.EXFIL_ADDR],
                    ['', '', 'True', '2', '', '']], quote_all=True).encode())


def main():
    signins, audits = build()
    write_signins(signins)
    write_audits(audits)
    write_rules()
    write_invalid(signins)


if __name__ == '__main__':
    main()
