#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Writes the precision fixtures of this folder (precision-*.sql): benign
# situations that once raised findings (OWA through its proxy, a first
# sign-in with no baseline, a session moving from home to the office, an
# undated rule dump) next to the attack each detector must still see.
# Their expectations are in expect.tsv. Deterministic: run it again to
# rebuild.
import os
import textwrap
from datetime import datetime, timedelta, timezone

HERE = os.path.dirname(os.path.abspath(__file__))
D0 = datetime(2025, 6, 2, tzinfo=timezone.utc)  # Monday
OFFICEHOME = "4765445b-32c6-49b0-83e6-1d93765276ca"
EDGE = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
        "(KHTML, like Gecko) Chrome/125.0.0.0 Safari/537.36 Edg/125.0.0.0")
# address: (country, city, asn)
PLACES = {
    "93.104.11.20": ("DE", "Hamburg", 3320),     # home
    "93.104.11.21": ("DE", "Hamburg", 3320),     # the same home line
    "62.159.8.30": ("DE", "Berlin", 3320),       # office egress
    "80.187.77.5": ("DE", "Cologne", 3320),      # never used before
    "45.132.227.9": ("RO", "Bucharest", 9009),   # hosting provider
    "31.13.80.4": ("NL", "Amsterdam", 32934),
}


def ms(t):
    return int(t.timestamp() * 1000)


def at(day, hh, mm=0, ss=0):
    return D0 + timedelta(days=day, hours=hh, minutes=mm, seconds=ss)


def q(v):
    if v is None:
        return "NULL"
    if isinstance(v, int):
        return str(v)
    return "'" + str(v).replace("'", "''") + "'"


class Case:
    def __init__(self, comment):
        self.lines = ["-- SPDX-License-Identifier: MIT"]
        self.lines += ["-- " + c for c in
                       textwrap.wrap(" ".join(comment), 72)]
        self.nev = 0
        self.nsrc = 0

    def source(self, path, product):
        self.nsrc += 1
        self.lines.append(
            "INSERT INTO sources(id, path, size, sha256, format, product, "
            "encoding, compression, ingested_at, lib_version) VALUES "
            "(%d, %s, 0, '', 'fixture', %s, 'utf-8', 'none', "
            "'2025-06-10T00:00:00Z', 'test');"
            % (self.nsrc, q(path), q(product)))
        return self.nsrc

    def event(self, src, t, product, op, user, ip=None, ua=None,
              session=None, obj=None, rt=None):
        self.nev += 1
        self.lines.append(
            "INSERT INTO events(id, time, source_id, line, record_no, "
            "product, record_type, operation, op_norm, result, user, "
            "client_ip, user_agent, object, session_id, raw_offset, "
            "raw_length) VALUES (%d, %d, %d, %d, %d, %s, %s, %s, %s, "
            "'success', %s, %s, %s, %s, %s, 0, 0);"
            % (self.nev, ms(t) if t else 0, src, self.nev, self.nev,
               q(product), q(rt), q(op), q(op.lower()), q(user), q(ip),
               q(ua), q(obj), q(session)))
        return self.nev

    def signin(self, src, t, user, ip, session=None, ua=EDGE,
               req="multiFactorAuthentication"):
        eid = self.event(src, t, "signin", "Sign-in", user, ip, ua, session)
        cc, city, asn = PLACES[ip]
        self.lines.append(
            "INSERT INTO signin_details(event_id, kind, app_name, app_id, "
            "error_code, client_app, auth_requirement, country, city, asn, "
            "device_id, risk_level, interactive) VALUES (%d, 'interactive',"
            " 'OfficeHome', %s, 0, 'Browser', %s, "
            "%s, %s, %d, '', 'none', 1);" % (eid, q(OFFICEHOME), q(req),
                                             q(cc), q(city), asn))
        return eid

    def owa(self, src, t, user, ip, session=None):
        return self.event(src, t, "ual", "MailItemsAccessed", user, ip,
                          "Client=OWA;Action=ViaProxy", session, rt=50)

    def download(self, src, t, user, ip, name):
        return self.event(src, t, "ual", "FileDownloaded", user, ip, EDGE,
                          obj="https://contoso.sharepoint.com/sites/hr/"
                          "Shared Documents/" + name, rt=6)

    def rule_dump(self, src, user):
        return self.event(src, None, "rules", "InboxRule", user)

    def write(self, name):
        with open(os.path.join(HERE, name), "w", newline="\n") as f:
            f.write("\n".join(self.lines) + "\n")


HOME, HOME2, OFFICE = "93.104.11.20", "93.104.11.21", "62.159.8.30"


def workweek(c, src, user, days, ip_for_day):
    """A user signing in to OfficeHome and reading mail in OWA."""
    for d in days:
        ip = ip_for_day(d)
        sid = "%s-day%d" % (user.split("@")[0], d)
        c.signin(src, at(d, 7, 30), user, ip, sid)
        c.owa(src, at(d, 7, 34), user, ip, sid)
        c.owa(src, at(d, 13, 2), user, ip, sid)


# c08: OWA through its proxy, and the first sign-in from the office after
# three days at home, is ordinary use.
def owa(fire):
    c = Case(["c08: dora reads mail in OWA (Client=OWA;Action=ViaProxy)"
              " from home for three days, then from the office: same",
              "country, nothing new but the address." +
              (" Then a sign-in without a device from a hosting network"
               " in Romania, and OWA from there minutes later." if fire
               else "")])
    s = c.source("ual-and-signins", "signin")
    workweek(c, s, "dora@contoso.com", range(0, 3), lambda d: HOME)
    workweek(c, s, "dora@contoso.com", [3], lambda d: OFFICE)
    if fire:
        c.signin(s, at(3, 22, 5), "dora@contoso.com", "45.132.227.9", "x")
        c.owa(s, at(3, 22, 7), "dora@contoso.com", "45.132.227.9", "x")
    return c


owa(False).write("precision-owa-office.quiet.sql")
owa(True).write("precision-owa-abroad.fire.sql")


# c11/c08/x02: the account's first sign-in and first downloads have no
# baseline, even when a mailbox-rule dump (no time) names the account.
def first_days(fire):
    c = Case(["c11, c08, x02: ed's first sign-in in the evidence, and a",
              "dozen downloads on his first day, with his Inbox rules in an",
              "undated dump: nothing is new without a baseline." +
              (" Two days later he signs in from the Netherlands." if fire
               else "")])
    s = c.source("signins", "signin")
    r = c.source("rules-dump", "rules")
    c.rule_dump(r, "ed@contoso.com")
    workweek(c, s, "ed@contoso.com", range(0, 3), lambda d: HOME)
    for i in range(12):
        c.download(s, at(0, 9, i), "ed@contoso.com", HOME,
                   "Onboarding %02d.docx" % i)
    if fire:
        c.signin(s, at(3, 9), "ed@contoso.com", "31.13.80.4", "ed-nl")
    return c


first_days(False).write("precision-first-days.quiet.sql")
first_days(True).write("precision-new-country.fire.sql")


# l04: a session that moves from the user's home to the office (both
# networks of the user's own, one country) is the user moving.
def commute(fire):
    c = Case(["l04: fay's session starts at home and continues at the",
              "office; she used both networks in other sessions." +
              (" Then one session is replayed from an address in the same"
               " country she never used." if fire else "")])
    s = c.source("ual-and-signins", "signin")
    workweek(c, s, "fay@contoso.com", range(0, 2),
             lambda d: HOME if d == 0 else OFFICE)
    c.signin(s, at(2, 7, 10), "fay@contoso.com", HOME2, "fay-commute")
    c.owa(s, at(2, 7, 15), "fay@contoso.com", HOME2, "fay-commute")
    c.owa(s, at(2, 9, 20), "fay@contoso.com", OFFICE, "fay-commute")
    if fire:
        c.owa(s, at(2, 23, 40), "fay@contoso.com", "80.187.77.5",
              "fay-commute")
    return c


commute(False).write("precision-commute.quiet.sql")
commute(True).write("precision-replay.fire.sql")


# l03: SharePoint's own service actor and a user's document rendered by
# Office on the web act from the same Microsoft address: not an attacker
# sharing infrastructure.
def service_actor():
    c = Case(["l03: app@sharepoint updates a list and Word on the web",
              "opens gus's file from the same Microsoft address."])
    s = c.source("ual", "ual")
    c.event(s, at(1, 10), "ual", "ListUpdated", "app@sharepoint", MSFT,
            "ODMTADocCache/1.0", rt=36)
    c.event(s, at(1, 10, 20), "ual", "FileAccessed", "gus@contoso.com", MSFT,
            "OfficeWordWRS", obj="https://contoso.sharepoint.com/sites/hr/"
            "Shared Documents/Plan.docx", rt=6)
    return c


MSFT = "104.146.232.168"
service_actor().write("precision-service-actor.quiet.sql")


# c06: a user exempt from MFA (trusted location) signs in with one factor
# from her first address in the evidence: no baseline, nothing is new.
def single_factor(fire):
    c = Case(["c06: hana signs in with a single factor from home on her",
              "first days in the evidence." +
              (" Then with a single factor from an address she never used."
               if fire else "")])
    s = c.source("signins", "signin")
    for d in range(0, 3):
        c.signin(s, at(d, 8), "hana@contoso.com", HOME, "hana-%d" % d,
                 req="singleFactorAuthentication")
    if fire:
        c.signin(s, at(3, 8), "hana@contoso.com", "80.187.77.5", "hana-3",
                 req="singleFactorAuthentication")
    return c


single_factor(False).write("precision-single-factor.quiet.sql")
single_factor(True).write("precision-single-factor.fire.sql")
