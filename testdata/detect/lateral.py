#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Writes the lateral/exfiltration/credential scenario in lateral/: a
# week of a small tenant's audit log (AuditData JSON lines) and Entra
# sign-ins (Graph beta JSON). Each detector gets a user where it must fire
# and a benign near-miss user where it must stay silent; the expectations
# are in tests/unit/test-lateral.c. Deterministic: run it again to rebuild.
import hashlib
import json
import os
import uuid
from datetime import datetime, timedelta, timezone

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "lateral")
DOM = "contoso.com"
ORG = "3f2b8c1e-9d47-4e0a-a6b1-5c2d7e8f9a01"
D0 = datetime(2025, 3, 3, tzinfo=timezone.utc)  # Monday
GRAPH = "00000003-0000-0000-c000-000000000000"
OFFICEHOME = "4765445b-32c6-49b0-83e6-1d93765276ca"
OUTLOOK = "d3590ed6-52b3-4102-aeff-aad2292ab01c"
TEAMS = "1fec8e78-bce4-4aaf-ab1b-5451cc387264"
BROKER = "29d9ed98-a469-4536-ade2-f981bc1d605e"
PORTAL = "9ba1a5c7-f17a-4de9-a1f1-6178c8d51223"
EMCLIENT = "e9a7fea1-1cc0-4cd9-a31b-9137ca5deedd"
EVILAPP = "5a95e683-9c3d-4f2a-8f0b-1c8d6e2b7a10"
OKAPP = "8c1f2d3e-4b5a-4697-8a1b-2c3d4e5f6a7b"
OUTLOOK_MOBILE = "27922004-5251-4030-b22d-91ecd9a37ea4"
EDGE = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
        "(KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36 Edg/122.0.0.0")
ATTACKER = "185.220.101.7"    # used by the compromised accounts
ATTACKER2 = "45.83.64.12"
VPN = "20.50.2.10"            # the corporate VPN most staff share

seq = [0]
ual = []
signins = []


def uid(kind):
    seq[0] += 1
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "m365f/%s/%d" % (kind, seq[0])))


def at(day, hh, mm=0, ss=0):
    return D0 + timedelta(days=day, hours=hh, minutes=mm, seconds=ss)


def u(name):
    return "%s@%s" % (name, DOM)


def audit(t, op, rt, workload, user, ip=None, **kw):
    r = {"CreationTime": t.strftime("%Y-%m-%dT%H:%M:%S"), "Id": uid("ual"),
         "Operation": op, "OrganizationId": ORG, "RecordType": rt,
         "ResultStatus": kw.pop("ResultStatus", "Succeeded"),
         "UserKey": "1003200%s" % hashlib.sha256(
             user.encode()).hexdigest()[:9].upper(),
         "UserType": kw.pop("UserType", 0), "Version": 1,
         "Workload": workload, "UserId": user}
    if ip is not None:
        r["ClientIP"] = ip
    r.update(kw)
    ual.append(r)
    return r


def sp_file(t, op, user, ip, name, ua=EDGE, rt=6, **kw):
    site = "https://contoso.sharepoint.com/sites/finance"
    return audit(t, op, rt, "SharePoint", user, ip,
                 ObjectId="%s/Shared Documents/%s" % (site, name),
                 SiteUrl=site + "/", SourceFileName=name,
                 SourceRelativeUrl="Shared Documents", ItemType="File",
                 UserAgent=ua, EventSource="SharePoint", **kw)


def login(t, user, ip, ok=True, err=None, logon_error=None, ua=EDGE,
          app=OFFICEHOME, request="Login:login", session=None):
    ext = [{"Name": "ResultStatusDetail",
            "Value": "Success" if ok else "UserError"},
           {"Name": "UserAgent", "Value": ua},
           {"Name": "RequestType", "Value": request}]
    dev = [{"Name": "OS", "Value": "Windows10"},
           {"Name": "BrowserType", "Value": "Edge"}]
    if session:
        dev.append({"Name": "SessionId", "Value": session})
    kw = {"ExtendedProperties": ext, "DeviceProperties": dev,
          "ApplicationId": app, "ObjectId": GRAPH,
          "AzureActiveDirectoryEventType": 1,
          "ResultStatus": "Success" if ok else "Failed"}
    if not ok:
        kw["ErrorNumber"] = str(err)
        kw["LogonError"] = logon_error or "InvalidUserNameOrPassword"
    return audit(t, "UserLoggedIn" if ok else "UserLoginFailed", 15,
                 "AzureActiveDirectory", user, ip, **kw)


PLACES = {
    "seattle": ("Seattle", "Washington", "US", 47.6062, -122.3321, 8075),
    "london": ("London", "England", "GB", 51.5072, -0.1276, 5089),
    "lagos": ("Lagos", "Lagos", "NG", 6.4550, 3.3841, 37148),
    "frankfurt": ("Frankfurt am Main", "Hessen", "DE", 50.1109, 8.6821,
                  3320),
    "newyork": ("New York", "New York", "US", 40.7128, -74.0060, 7922),
    "moscow": ("Moscow", "Moscow", "RU", 55.7558, 37.6173, 8359),
    "amsterdam": ("Amsterdam", "North Holland", "NL", 52.3676, 4.9041,
                  None),
    "paris": ("Paris", "Ile-de-France", "FR", 48.8566, 2.3522, 3215),
    "berlin": ("Berlin", "Berlin", "DE", 52.5200, 13.4050, 3320),
    "saopaulo": ("Sao Paulo", "Sao Paulo", "BR", -23.5505, -46.6333, 28573),
}


def signin(t, user, ip, place="seattle", err=0, app=OFFICEHOME,
           app_name="OfficeHome", client="Browser", ua=EDGE, coords=True,
           interactive=True, protocol="none", requirement=
           "multiFactorAuthentication", device_id="", compliant=None,
           managed=None, risk="none", risk_state="none", risk_events=(),
           session=None, token=None, reason=None, details=None, ca=None,
           asn=None):
    city, state, cc, lat, lon, pasn = PLACES[place]
    loc = {"city": city, "state": state, "countryOrRegion": cc,
           "geoCoordinates": {"altitude": None,
                              "latitude": lat if coords else None,
                              "longitude": lon if coords else None}}
    r = {"id": uid("signin"),
         "createdDateTime": t.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z",
         "userDisplayName": user.split("@")[0].capitalize(),
         "userPrincipalName": user, "userId": uid("userid"),
         "appId": app, "appDisplayName": app_name, "ipAddress": ip,
         "clientAppUsed": client, "correlationId": uid("corr"),
         "conditionalAccessStatus": ca or ("success" if err == 0
                                           else "notApplied"),
         "isInteractive": interactive,
         "riskDetail": "none", "riskLevelAggregated": risk,
         "riskLevelDuringSignIn": risk, "riskState": risk_state,
         "riskEventTypes_v2": list(risk_events),
         "resourceDisplayName": "Microsoft Graph", "resourceId": GRAPH,
         "status": {"errorCode": err,
                    "failureReason": reason if err else None,
                    "additionalDetails": details},
         "deviceDetail": {"deviceId": device_id, "displayName": None,
                          "operatingSystem": "Windows10",
                          "browser": "Edge 122.0.0", "isCompliant":
                          compliant, "isManaged": managed,
                          "trustType": "Azure AD joined" if device_id
                          else None},
         "location": loc,
         "authenticationRequirement": requirement,
         "authenticationProtocol": protocol,
         "userAgent": ua,
         "uniqueTokenIdentifier": token or uid("tok")[:22],
         "sessionId": session or uid("sess"),
         "signInEventTypes": ["interactiveUser" if interactive
                              else "nonInteractiveUser"],
         "autonomousSystemNumber": asn if asn is not None else pasn,
         "userType": "member", "tokenIssuerType": "AzureAD"}
    signins.append(r)
    return r


# ------------------------------------------------------------ baseline
# Office staff behind the corporate VPN every working day: the VPN is
# shared by many accounts and must not look like attacker infrastructure
# (l03 near-miss). Everyone signs in from Seattle through it.
STAFF = ["adele", "megan", "nestor", "lynne", "lidia", "grady", "isaiah",
         "henrietta", "irvin", "patti", "johanna", "diego", "paula"]
for day in range(0, 7):
    for i, n in enumerate(STAFF):
        signin(at(day, 8, i), u(n), VPN, "seattle")
        audit(at(day, 9, i), "FileAccessed", 6, "SharePoint", u(n), VPN,
              ObjectId="https://contoso.sharepoint.com/sites/team/%s.docx"
              % n, UserAgent=EDGE)
        # the Exchange mailbox audit: owners reading their own mail
        audit(at(day, 10, i), "MailItemsAccessed", 50, "Exchange", u(n),
              ClientIPAddress=VPN, MailboxOwnerUPN=u(n), LogonType=0,
              ClientInfoString="Client=Microsoft Outlook;16.0.17328",
              AppId=OUTLOOK, OperationCount=4,
              OperationProperties=[{"Name": "MailAccessType",
                                    "Value": "Bind"},
                                   {"Name": "IsThrottled",
                                    "Value": "False"}])

# ------------------------------------------------------------ exfiltration
# X1 megan: 60 downloads in one day from a new address; nestor 40.
for i in range(60):
    sp_file(at(5, 13, i // 2, (i % 2) * 30), "FileDownloaded", u("megan"),
            ATTACKER2, "budget-%02d.xlsx" % i)
for i in range(40):
    sp_file(at(5, 14, i), "FileDownloaded", u("nestor"), VPN,
            "specs-%02d.pdf" % i)

# X2 lynne: PnP PowerShell downloads; lidia: her OneDrive sync client,
# every day from the VPN (the normal sync client near-miss).
for i in range(12):
    sp_file(at(5, 16, i), "FileDownloaded", u("lynne"), VPN,
            "hr-%02d.docx" % i, ua="SharePointPnPPowerShellOnline/3.29")
SYNC = ("Microsoft SkyDriveSync 23.038.0219.0001 ship; Windows NT 10.0 "
        "(19045)")
for day in range(0, 7):
    for i in range(6):
        sp_file(at(day, 11, i), "FileSyncDownloadedFull", u("lidia"), VPN,
                "notes-%d-%d.docx" % (day, i), ua=SYNC)


def mia(t, user, ip, owner=None, access="Bind", throttled="False",
        count=3, app=OUTLOOK, client_app=None, info=None, logon=0,
        session=None, folders=None):
    kw = {"ClientIPAddress": ip, "MailboxOwnerUPN": owner or user,
          "LogonType": logon, "OperationCount": count, "AppId": app,
          "ClientInfoString": info or "Client=Microsoft Outlook;16.0.17328",
          "OperationProperties": [{"Name": "MailAccessType",
                                   "Value": access},
                                  {"Name": "IsThrottled",
                                   "Value": throttled}]}
    if client_app:
        kw["ClientAppId"] = client_app
    if session:
        kw["SessionId"] = session
    if folders:
        kw["Folders"] = [{"Path": f, "FolderItems": []} for f in folders]
    return audit(t, "MailItemsAccessed", 50, "Exchange", user, **kw)


# X3 grady: throttled sync of the mailbox; isaiah: Outlook desktop sync.
mia(at(5, 2, 10), u("grady"), ATTACKER2, access="Sync", throttled="True",
    count=1)
mia(at(5, 2, 12), u("grady"), ATTACKER2, access="Bind", count=240)
for day in range(0, 7):
    mia(at(day, 8, 30), u("isaiah"), VPN, access="Sync", count=12)

# X4 hector: mailbox read through Graph by a third-party app; the near-miss
# is Outlook mobile through REST.
audit(at(5, 3, 0), "MailItemsAccessed", 50, "Exchange", u("hector"),
      ClientIPAddress=ATTACKER2, MailboxOwnerUPN=u("hector"), LogonType=0,
      AppId=GRAPH, ClientAppId=EVILAPP, ClientInfoString="Client=REST;;",
      OperationCount=30, OperationProperties=[
          {"Name": "MailAccessType", "Value": "Bind"},
          {"Name": "IsThrottled", "Value": "False"}])
audit(at(5, 3, 5), "MailItemsAccessed", 50, "Exchange", u("irvin"),
      ClientIPAddress=VPN, MailboxOwnerUPN=u("irvin"), LogonType=0,
      AppId=GRAPH, ClientAppId=OUTLOOK_MOBILE,
      ClientInfoString="Client=REST;;", OperationCount=8,
      OperationProperties=[{"Name": "MailAccessType", "Value": "Bind"},
                           {"Name": "IsThrottled", "Value": "False"}])

# X5 joni: eM Client; lee: Outlook.
signin(at(5, 9), u("joni"), ATTACKER2, "amsterdam", app=EMCLIENT,
       app_name="eM Client", client="Mobile Apps and Desktop clients")
signin(at(5, 9, 5), u("lee"), VPN, app=OUTLOOK, app_name="Microsoft Office",
       client="Mobile Apps and Desktop clients")

# X6 pradeep: content search exported; miriam: search and purge.
audit(at(5, 11), "SearchCreated", 18, "SecurityComplianceCenter",
      u("pradeep"), ATTACKER2, ObjectId="all-mail-export")
audit(at(5, 11, 20), "SearchExported", 18, "SecurityComplianceCenter",
      u("pradeep"), ATTACKER2, ObjectId="all-mail-export")
audit(at(5, 11, 21), "New-ComplianceSearchAction", 1, "Exchange",
      u("pradeep"), ATTACKER2, ObjectId="all-mail-export_Export",
      Parameters=[{"Name": "SearchName", "Value": "all-mail-export"},
                  {"Name": "Export", "Value": "True"},
                  {"Name": "Format", "Value": "FxStream"}])
audit(at(5, 12), "SearchCreated", 18, "SecurityComplianceCenter",
      u("miriam"), VPN, ObjectId="phish-cleanup")
audit(at(5, 12, 30), "New-ComplianceSearchAction", 1, "Exchange",
      u("miriam"), VPN, ObjectId="phish-cleanup_Purge",
      Parameters=[{"Name": "SearchName", "Value": "phish-cleanup"},
                  {"Name": "Purge", "Value": "True"},
                  {"Name": "PurgeType", "Value": "SoftDelete"}])

# X7 alex: anonymous link made and used; diego shares with colleagues.
sp_file(at(5, 15), "AnonymousLinkCreated", u("alex"), ATTACKER2,
        "payroll.xlsx", rt=14, TargetUserOrGroupType="Anonymous")
sp_file(at(5, 15, 30), "AnonymousLinkUsed", "anonymous", "102.89.34.5",
        "payroll.xlsx", rt=14)
for i, who in enumerate(["megan", "nestor", "lynne"]):
    sp_file(at(5, 10, i), "SharingSet", u("diego"), VPN, "plan.pptx", rt=14,
            TargetUserOrGroupName=u(who), TargetUserOrGroupType="Member")
sp_file(at(5, 10, 5), "CompanyLinkCreated", u("diego"), VPN, "plan.pptx",
        rt=14)

# X8 ursula opens anonymous links tenant-wide; victor tightens guests.
audit(at(5, 6), "SharingPolicyChanged", 4, "SharePoint", u("ursula"),
      ATTACKER, ObjectId="https://contoso-admin.sharepoint.com",
      ModifiedProperties=[{"Name": "ShareUsingAnonymousLinks",
                           "OldValue": "False", "NewValue": "True"}])
audit(at(4, 6), "SharingPolicyChanged", 4, "SharePoint", u("victor"), VPN,
      ObjectId="https://contoso-admin.sharepoint.com",
      ModifiedProperties=[{"Name": "ShareWithGuests",
                           "OldValue": "True", "NewValue": "False"}])

# X9 patti searches for secrets; johanna for a report.
for q in ["password", "wire transfer bank details"]:
    audit(at(5, 14, 3), "SearchQueryInitiatedSharePoint", 84, "SharePoint",
          u("patti"), ATTACKER2, SearchQueryText=q)
audit(at(5, 14, 9), "SearchQueryInitiatedExchange", 84, "Exchange",
      u("johanna"), VPN, SearchQueryText="quarterly report")

# X10 henrietta: 12 SendAs in a day; irvin: 5.
for i in range(12):
    audit(at(5, 9, i * 3), "SendAs", 2, "Exchange", u("henrietta"),
          ClientIPAddress=ATTACKER2, SendAsUserSmtp=u("ceo"),
          Item={"Subject": "Invoice %d" % i})
for i in range(5):
    audit(at(5, 9, i * 3), "SendAs", 2, "Exchange", u("irvin"),
          ClientIPAddress=VPN, SendAsUserSmtp="support@" + DOM,
          Item={"Subject": "Ticket %d" % i})

# ------------------------------------------------------------ lateral
# L1 adele (compromised) mails the same lure to 55 colleagues; nestor a
# newsletter to 20; olga's upload is caught as malware.
for i in range(55):
    audit(at(5, 17, i // 2, (i % 2) * 30), "Send", 2, "Exchange", u("adele"),
          ClientIPAddress=ATTACKER, Item={"Subject":
                                          "Action required: shared document"})
for i in range(20):
    audit(at(5, 16, i), "Send", 2, "Exchange", u("nestor"),
          ClientIPAddress=VPN, Item={"Subject": "Team newsletter"})
sp_file(at(5, 17, 50), "FileUploaded", u("olga"), "31.13.72.36",
        "invoice.html")
sp_file(at(5, 18), "FileMalwareDetected", "SHAREPOINT\\system", None,
        "invoice.html", ua="")

# L2 adele opens the CEO's and CFO's mailboxes; paula reads the shared
# help desk mailbox she is a delegate of.
for owner in ["ceo", "cfo"]:
    mia(at(5, 19), u("adele"), ATTACKER, owner=u(owner), logon=2,
        folders=["\\Inbox", "\\Sent Items"])
mia(at(5, 12), u("paula"), VPN, owner=u("helpdesk"), logon=2,
    folders=["\\Inbox", "\\Sent Items"])

# L3 the attacker's address signs in as adele, rob and sara within hours
# (the VPN near-miss is the baseline above).
signin(at(5, 7), u("adele"), ATTACKER, "moscow", risk="high",
       risk_state="atRisk", risk_events=["unfamiliarFeatures"],
       session="sess-adele-attacker")
signin(at(5, 7, 40), u("rob"), ATTACKER, "moscow")
audit(at(5, 8, 15), "FileAccessed", 6, "SharePoint", u("sara"), ATTACKER,
      ObjectId="https://contoso.sharepoint.com/sites/hr/salaries.xlsx",
      UserAgent=EDGE)

# L4 adele's session from her sign-in at home is replayed from another
# network; tom's session moves between two addresses of his carrier.
signin(at(4, 20), u("adele"), "73.42.18.9", "seattle",
       session="sess-adele-home", token="tok-adele-home")
mia(at(5, 1, 5), u("adele"), ATTACKER2, session="sess-adele-home",
    count=40)
audit(at(5, 1, 6), "UserLoggedIn", 15, "AzureActiveDirectory", u("adele"),
      ATTACKER2, ApplicationId=OFFICEHOME, ObjectId=GRAPH,
      AppAccessContext={"UniqueTokenId": "tok-adele-home",
                        "IssuedAtTime": "2025-03-07T20:00:00"},
      ExtendedProperties=[{"Name": "ResultStatusDetail", "Value": "Success"},
                          {"Name": "UserAgent", "Value": EDGE},
                          {"Name": "RequestType", "Value": "OAuth2:Token"}])
signin(at(5, 7), u("tom"), "172.56.10.10", "seattle", session="sess-tom")
mia(at(5, 7, 30), u("tom"), "172.56.10.25", session="sess-tom")

# L5 ursula makes three accounts global admins in an hour, adele makes
# herself site collection admin; victor adds one helpdesk operator.


def add_role(t, actor, ip, target, role):
    audit(t, "Add member to role.", 8, "AzureActiveDirectory", u(actor), ip,
          ObjectId=u(target),
          ModifiedProperties=[{"Name": "Role.DisplayName", "OldValue": "",
                               "NewValue": role}],
          Target=[{"ID": u(target), "Type": 5}],
          Actor=[{"ID": u(actor), "Type": 5}])


for i, who in enumerate(["rob", "sara", "tom"]):
    add_role(at(5, 6, 10 + i * 5), "ursula", ATTACKER, who,
             "Global Administrator")
add_role(at(3, 10), "victor", VPN, "paula", "Helpdesk Administrator")
audit(at(5, 19, 30), "SiteCollectionAdminAdded", 6, "SharePoint",
      u("adele"), ATTACKER,
      ObjectId="https://contoso.sharepoint.com/sites/finance",
      TargetUserOrGroupName=u("adele"))

# L6 wendy is called by a fake help desk from another tenant; xavier
# chats with a partner.
audit(at(5, 13), "ChatCreated", 25, "MicrosoftTeams", u("wendy"),
      "73.42.18.31", CommunicationType="OneOnOne",
      ParticipantInfo={"HasForeignTenantUsers": True, "HasGuestUsers": False,
                       "HasOtherGuestUsers": False,
                       "ParticipatingTenantIds": [ORG, uid("tenant")]},
      Members=[{"DisplayName": "Help Desk Support", "Role": 1,
                "UPN": "helpdesk@it-support365.onmicrosoft.com"},
               {"DisplayName": "Wendy", "Role": 1, "UPN": u("wendy")}],
      ChatThreadId="19:%s@unq.gbl.spaces" % uid("chat"))
audit(at(5, 13, 30), "ChatCreated", 25, "MicrosoftTeams", u("xavier"),
      "73.42.18.32", CommunicationType="OneOnOne",
      ParticipantInfo={"HasForeignTenantUsers": True, "HasGuestUsers": False,
                       "HasOtherGuestUsers": False,
                       "ParticipatingTenantIds": [ORG, uid("tenant")]},
      Members=[{"DisplayName": "Jane Porter (Fabrikam)", "Role": 1,
                "UPN": "jane@fabrikam.com"},
               {"DisplayName": "Xavier", "Role": 1, "UPN": u("xavier")}],
      ChatThreadId="19:%s@unq.gbl.spaces" % uid("chat"))

# L7 ursula adds a partner tenant to cross-tenant access; victor updates a
# token lifetime policy.
audit(at(5, 6, 30), "Add a partner to cross-tenant access setting.", 8,
      "AzureActiveDirectory", u("ursula"), ATTACKER,
      ObjectId="B2BManagementPolicy",
      Target=[{"ID": "B2BManagementPolicy", "Type": 1}],
      ModifiedProperties=[{"Name": "tenantId", "OldValue": "",
                           "NewValue": "9e1c0d2b-aaaa-4bbb-8ccc-1d2e3f405060"}])
audit(at(3, 11), "Update policy.", 8, "AzureActiveDirectory", u("victor"),
      VPN, ObjectId="TokenLifetimePolicy",
      Target=[{"ID": "TokenLifetimePolicy", "Type": 1}])

# ------------------------------------------------------------ credential
# C1 spray: twelve accounts fail from one address in ten minutes (audit
# log); at the VPN four people mistype their password during the week.
SPRAY = "193.37.255.114"
for i in range(12):
    login(at(5, 4, i % 10, i), u("spray%02d" % i), SPRAY, ok=False,
          err=50126, ua="BAV2ROPC", app=OUTLOOK)
for i, n in enumerate(["megan", "nestor", "lynne", "grady"]):
    login(at(i, 9, 30), u(n), VPN, ok=False, err=50126)

# C2 debra: 15 failures in four minutes; enrico: 3 then success.
for i in range(15):
    signin(at(5, 5, i // 4, (i % 4) * 15), u("debra"), "91.219.212.33",
           "amsterdam", err=50126, reason="Invalid username or password")
for i in range(3):
    signin(at(5, 5, 10 + i), u("enrico"), VPN, err=50126,
           reason="Invalid username or password")
signin(at(5, 5, 14), u("enrico"), VPN)

# C3 gerhart is locked out; hillary's password expired.
signin(at(5, 6), u("gerhart"), "91.219.212.33", "amsterdam", err=50053,
       reason="Account is locked")
signin(at(5, 6, 5), u("hillary"), VPN, err=50055,
       reason="Password expired")

# C4 isabel: 12 denied pushes then approves; jamal: 2 then approves.
for i in range(12):
    signin(at(5, 2, i // 2, (i % 2) * 30), u("isabel"), ATTACKER2,
           "amsterdam", err=500121, reason="Authentication failed during "
           "strong authentication request.",
           details="MFA denied; user declined the authentication")
signin(at(5, 2, 7), u("isabel"), ATTACKER2, "amsterdam",
       details="MFA successfully completed")
for i in range(2):
    signin(at(5, 8, 40 + i), u("jamal"), VPN, err=500121,
           reason="Authentication failed during strong authentication "
           "request.", details="MFA denied; user did not respond to "
           "mobile app notification")
signin(at(5, 8, 43), u("jamal"), VPN, details="MFA successfully completed")

# C5 kasia: IMAP success from abroad; liam: his phone's ActiveSync every
# day; mona: IMAP blocked by conditional access.
signin(at(5, 3), u("kasia"), "91.219.212.40", "amsterdam", app=OUTLOOK,
       client="IMAP4", ua="", requirement="singleFactorAuthentication")
for day in range(0, 7):
    signin(at(day, 7, 15), u("liam"), "172.56.20.7", "seattle",
           app=OUTLOOK, client="Exchange ActiveSync",
           ua="Apple-iPhone15C2/2102.100")
signin(at(5, 3, 5), u("mona"), "91.219.212.41", "amsterdam", err=53003,
       client="IMAP4", reason="Access has been blocked by Conditional "
       "Access policies.")

# C6 nina: single-factor success, at risk, unknown device; oscar: single
# factor from his compliant, managed laptop.
signin(at(5, 4), u("nina"), "91.219.212.50", "amsterdam",
       requirement="singleFactorAuthentication", risk="medium",
       risk_state="atRisk")
signin(at(5, 4, 5), u("oscar"), VPN,
       requirement="singleFactorAuthentication",
       device_id="0d9e6c1a-1b2c-4d3e-8f4a-5b6c7d8e9f00", compliant=True,
       managed=True)

# C7 pia: device code flow; quinn: an ordinary broker sign-in.
signin(at(5, 10), u("pia"), "91.219.212.60", "amsterdam", app=BROKER,
       app_name="Microsoft Authentication Broker", protocol="deviceCode",
       details="MFA requirement satisfied by claim in the token")
login(at(5, 10, 1), u("pia"), "91.219.212.60", app=BROKER,
      request="Cmsi:Cmsi")
signin(at(5, 10, 3), u("quinn"), VPN, app=BROKER,
       app_name="Microsoft Authentication Broker",
       device_id="1a2b3c4d-0000-4000-8000-00000000beef", compliant=True)

# C8 rosa: OfficeHome through an AiTM proxy (axios, no device); sven uses
# OfficeHome from his usual address every day.
signin(at(5, 11), u("rosa"), "5.188.62.14", "amsterdam",
       ua="axios/1.6.7", details="MFA requirement satisfied by claim in "
       "the token")
for day in range(0, 7):
    signin(at(day, 8, 50), u("sven"), VPN)

# C9 tariq: python-requests; uma: Firefox on Linux.
signin(at(5, 12), u("tariq"), "91.219.212.70", "amsterdam",
       ua="python-requests/2.31.0")
signin(at(5, 12, 5), u("uma"), VPN,
       ua="Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 "
       "Firefox/128.0")

# C10 vera: London then Lagos 90 minutes later; walt: Frankfurt then New
# York on a plausible flight; xena: Germany then Brazil in 20 minutes,
# no coordinates; yara: Germany then France the next day; zoe: her files
# read from an address that located in Moscow in someone else's sign-in.
signin(at(5, 9), u("vera"), "81.2.69.160", "london")
signin(at(5, 10, 30), u("vera"), "105.112.4.7", "lagos")
signin(at(5, 6), u("walt"), "80.187.100.3", "frankfurt")
signin(at(5, 15, 30), u("walt"), "74.125.30.8", "newyork")
signin(at(5, 10), u("xena"), "80.187.100.9", "berlin", coords=False)
signin(at(5, 10, 20), u("xena"), "177.71.200.5", "saopaulo", coords=False)
signin(at(4, 10), u("yara"), "80.187.100.11", "berlin", coords=False)
signin(at(5, 9), u("yara"), "90.84.0.17", "paris", coords=False)
signin(at(5, 8), u("zoe"), "73.42.18.20", "seattle", session="sess-zoe")
mia(at(5, 8, 5), u("zoe"), "73.42.18.20", session="sess-zoe")
audit(at(5, 8, 30), "FileAccessed", 6, "SharePoint", u("zoe"), ATTACKER,
      ObjectId="https://contoso.sharepoint.com/sites/legal/nda.docx",
      UserAgent=EDGE)

# C11 abe: sign-in from a hosting network; bea from her home ISP.
signin(at(5, 13), u("abe"), "185.107.56.10", "amsterdam", asn=9009)
signin(at(5, 13, 5), u("bea"), "80.187.100.20", "berlin", asn=3320)

# C12 cody: high risk during sign-in; dora: risk dismissed, level hidden.
signin(at(5, 14), u("cody"), "91.219.212.80", "amsterdam", risk="high",
       risk_state="atRisk", risk_events=["anonymizedIPAddress"])
signin(at(5, 14, 5), u("dora"), VPN, risk="hidden", risk_state="dismissed")

# C13 eli: Intune Company Portal from a non-compliant device (the CA
# bypass); fay: the same app from her compliant device.
signin(at(5, 15), u("eli"), "91.219.212.90", "amsterdam", app=PORTAL,
       app_name="Microsoft Intune Company Portal", compliant=False)
signin(at(5, 15, 5), u("fay"), VPN, app=PORTAL,
       app_name="Microsoft Intune Company Portal",
       device_id="2b3c4d5e-0000-4000-8000-00000000cafe", compliant=True,
       managed=True)

# C14 gus declines a consent prompt; hana has six seamless-SSO errors in
# a day; ivan two.
signin(at(5, 16), u("gus"), VPN, err=65004,
       reason="User declined to consent to access the app.")
for i in range(6):
    signin(at(5, 9 + i), u("hana"), VPN, err=81010,
           reason="Seamless SSO failed because the user's Kerberos ticket "
           "has expired or is invalid.")
for i in range(2):
    signin(at(5, 9 + i), u("ivan"), VPN, err=81010,
           reason="Seamless SSO failed because the user's Kerberos ticket "
           "has expired or is invalid.")

# C15 jack: seven attempts with six user agents and three apps in four
# minutes; kim: seven with one browser and two apps.
UAS = [EDGE, "python-requests/2.28.1", "curl/8.4.0", "Go-http-client/1.1",
       "okhttp/4.9.2", "Mozilla/5.0 (Macintosh) Safari/605.1.15", EDGE]
APPS = [OFFICEHOME, OUTLOOK, TEAMS]
for i in range(7):
    signin(at(5, 17, i // 2, (i % 2) * 20), u("jack"), "91.219.212.99",
           "amsterdam", ua=UAS[i], app=APPS[i % 3], app_name="app")
for i in range(7):
    signin(at(5, 17, i // 2, (i % 2) * 20), u("kim"), VPN,
           app=APPS[i % 2], app_name="app")

# C16 lena: a phish delivered to her inbox; max: a blocked one.
audit(at(5, 6, 45), "TIMailData", 28, "ThreatIntelligence", u("lena"),
      ObjectId="<a1b2c3@mail.example>", DeliveryAction="Delivered",
      Directionality="Inbound", Verdict="Phish",
      P1Sender="it-support@micros0ft-security.com")
audit(at(5, 6, 46), "TIMailData", 28, "ThreatIntelligence", u("max"),
      ObjectId="<d4e5f6@mail.example>", DeliveryAction="Blocked",
      Directionality="Inbound", Verdict="Phish",
      P1Sender="it-support@micros0ft-security.com")

# ------------------------------------------------------------ chains
# adele consents to an app, the app gets a secret, and reads mail through
# Graph; lee consents to a harmless app that never touches mail.


def consent(t, user, ip, app_id, name):
    audit(t, "Consent to application.", 8, "AzureActiveDirectory", u(user),
          ip, ObjectId=uid("sp"),
          ModifiedProperties=[
              {"Name": "ConsentContext.IsAdminConsent", "OldValue": "",
               "NewValue": "False"},
              {"Name": "ConsentAction.Permissions", "OldValue": "",
               "NewValue": "[] => [[Id: x, ClientId: %s, Scope: Mail.Read "
               "offline_access]]" % app_id},
              {"Name": "TargetId.ServicePrincipalNames", "OldValue": "",
               "NewValue": app_id}],
          Target=[{"ID": "ServicePrincipal_" + uid("spobj"), "Type": 2},
                  {"ID": name, "Type": 1}, {"ID": app_id, "Type": 2}])


consent(at(5, 20), "adele", ATTACKER, EVILAPP, "MailSync Pro")
audit(at(5, 20, 10), "Add service principal credentials.", 8,
      "AzureActiveDirectory", u("adele"), ATTACKER, ObjectId=uid("sp"),
      ModifiedProperties=[
          {"Name": "KeyDescription", "OldValue": "[]",
           "NewValue": "[\"[KeyIdentifier=1f2e, KeyType=Password, "
           "KeyUsage=Verify, DisplayName=sync]\"]"},
          {"Name": "TargetId.ServicePrincipalNames", "OldValue": "",
           "NewValue": EVILAPP}],
      Target=[{"ID": "MailSync Pro", "Type": 1}, {"ID": EVILAPP, "Type": 2}])
audit(at(5, 21), "MailItemsAccessed", 50, "Exchange", u("adele"),
      ClientIPAddress=ATTACKER2, MailboxOwnerUPN=u("adele"), LogonType=0,
      AppId=GRAPH, ClientAppId=EVILAPP, ClientInfoString="Client=REST;;",
      OperationCount=60, OperationProperties=[
          {"Name": "MailAccessType", "Value": "Bind"},
          {"Name": "IsThrottled", "Value": "False"}])
consent(at(4, 12), "lee", VPN, OKAPP, "Team Calendar")

# adele's risky sign-in above is followed by a forwarding rule.
audit(at(5, 7, 20), "New-InboxRule", 1, "Exchange", u("adele"), ATTACKER,
      SessionId="sess-adele-attacker",
      ObjectId="contoso.onmicrosoft.com\\adele\\.", Parameters=[
          {"Name": "Name", "Value": "."},
          {"Name": "ForwardTo", "Value": "drop.box@proton.me"},
          {"Name": "MarkAsRead", "Value": "True"},
          {"Name": "StopProcessingRules", "Value": "True"}])

os.makedirs(OUT, exist_ok=True)
ual.sort(key=lambda r: r["CreationTime"])
signins.sort(key=lambda r: r["createdDateTime"])
with open(os.path.join(OUT, "ual.jsonl"), "w", newline="\n") as f:
    for r in ual:
        f.write(json.dumps(r, separators=(",", ":")) + "\n")
with open(os.path.join(OUT, "signins.json"), "w", newline="\n") as f:
    f.write('{"@odata.context":"https://graph.microsoft.com/beta/'
            '$metadata#auditLogs/signIns","value":[\n')
    f.write(",\n".join(json.dumps(r, separators=(",", ":"))
                       for r in signins))
    f.write("\n]}\n")
print("%d audit records, %d sign-ins" % (len(ual), len(signins)))
