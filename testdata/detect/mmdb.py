#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Writes geo-test.mmdb: a tiny IPv4 database in the MaxMind DB format
# (GeoLite2-City and ASN fields) for the enrichment tests. It places the
# addresses of the geoip test in London and Lagos; nothing else is in it.
# Format: MaxMind DB File Format Specification 2.0 (search tree of 24-bit
# records, 16-byte separator, data section, metadata after the marker).
import os
import struct

NETS = [  # (address, prefix length, record)
    ("81.2.69.0", 24, {"country": {"iso_code": "GB"},
                       "city": {"names": {"en": "London"}},
                       "location": {"latitude": 51.5142,
                                    "longitude": -0.0931},
                       "autonomous_system_number": 5089,
                       "autonomous_system_organization": "Virgin Media"}),
    ("105.112.0.0", 16, {"country": {"iso_code": "NG"},
                         "city": {"names": {"en": "Lagos"}},
                         "location": {"latitude": 6.4474,
                                      "longitude": 3.3903},
                         "autonomous_system_number": 36873,
                         "autonomous_system_organization": "Airtel"}),
]


def ctrl(kind, size):
    """Control byte(s) of a field of type kind and payload size."""
    ext = b""
    if kind > 7:
        ext, kind = bytes([kind - 7]), 0
    if size < 29:
        head = bytes([(kind << 5) | size])
        return head[:1] + ext, b""
    if size < 285:
        return bytes([(kind << 5) | 29]) + ext, bytes([size - 29])
    raise ValueError("field too large for this writer")


class U(int):
    """An unsigned integer of a given MaxMind type (5 uint16, 6 uint32,
    9 uint64)."""

    def __new__(cls, v, kind):
        o = int.__new__(cls, v)
        o.kind = kind
        return o


def enc(v):
    if isinstance(v, U):
        b = v.to_bytes((v.bit_length() + 7) // 8, "big") if v else b""
        c, s = ctrl(v.kind, len(b))
        return c + s + b
    if isinstance(v, str):
        b = v.encode()
        c, s = ctrl(2, len(b))
        return c + s + b
    if isinstance(v, float):
        c, s = ctrl(3, 8)
        return c + s + struct.pack(">d", v)
    if isinstance(v, int):
        b = v.to_bytes((v.bit_length() + 7) // 8, "big") if v else b""
        c, s = ctrl(6 if v >= 1 << 16 else 5, len(b))  # uint32 / uint16
        return c + s + b
    if isinstance(v, dict):
        c, s = ctrl(7, len(v))
        return c + s + b"".join(enc(k) + enc(x) for k, x in v.items())
    if isinstance(v, list):
        c, s = ctrl(11, len(v))
        return c + s + b"".join(enc(x) for x in v)
    raise TypeError(v)


def bits(addr, n):
    a = struct.unpack(">I", bytes(int(x) for x in addr.split(".")))[0]
    return [(a >> (31 - i)) & 1 for i in range(n)]


# the trie: node = [left, right]; a leaf is ("data", offset)
data = b""
root = [None, None]
for addr, plen, rec in NETS:
    off = len(data)
    data += enc(rec)
    node = root
    path = bits(addr, plen)
    for i, b in enumerate(path):
        if i == len(path) - 1:
            node[b] = ("data", off)
        else:
            if node[b] is None:
                node[b] = [None, None]
            node = node[b]

nodes = []


def number(n):
    nodes.append(n)
    for child in n:
        if isinstance(child, list):
            number(child)


number(root)
index = {id(n): i for i, n in enumerate(nodes)}
count = len(nodes)
tree = b""
for n in nodes:
    for child in n:
        if child is None:
            v = count                      # no data
        elif isinstance(child, list):
            v = index[id(child)]
        else:
            v = count + 16 + child[1]      # into the data section
        tree += v.to_bytes(3, "big")
meta = enc({"node_count": U(count, 6), "record_size": U(24, 5),
            "ip_version": U(4, 5),
            "database_type": "m365f-test-City-ASN", "languages": ["en"],
            "binary_format_major_version": U(2, 5),
            "binary_format_minor_version": U(0, 5),
            "build_epoch": U(1735689600, 9),
            "description": {"en": "m365f test database"}})
out = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                   "geo-test.mmdb")
with open(out, "wb") as f:
    f.write(tree + b"\0" * 16 + data + b"\xab\xcd\xefMaxMind.com" + meta)
print(out, count, "nodes")
