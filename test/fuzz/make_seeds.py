#!/usr/bin/env python3
"""Seed corpus for fuzz_mh: valid Mobility Header messages of every type the
codec serves, laid out as MAGs and LMAs send them (standard library only).

  make_seeds.py DIR
"""
import socket
import struct
import sys
from pathlib import Path


def opt(t, data):
    return bytes([t, len(data)]) + data


def pad(off, n, k):
    need = (k - off) % n
    return b"" if need == 0 else b"\0" if need == 1 else bytes([1, need - 2]) + bytes(need - 2)


def mh(mh_type, fixed, options):
    body = bytearray(fixed)
    for data, n, k in options:
        body += pad(6 + len(body), n, k) + data
    body += pad(6 + len(body), 8, 0)
    return bytes([59, (6 + len(body)) // 8 - 1, mh_type, 0, 0, 0]) + bytes(body)


v6 = lambda a: socket.inet_pton(socket.AF_INET6, a)  # noqa: E731
v4 = lambda a: socket.inet_pton(socket.AF_INET, a)  # noqa: E731
MNID = (opt(8, b"\x01mn1@example.net"), 1, 0)
HNP0 = (opt(22, bytes([0, 0]) + v6("::")), 8, 4)
HNP = (opt(22, bytes([0, 64]) + v6("2001:db8:100:1::")), 8, 4)
HI, ATT = (opt(23, bytes([0, 4])), 1, 0), (opt(24, bytes([0, 4])), 1, 0)
TS = (opt(27, struct.pack("!Q", 0xe8b0c0de00000000)), 8, 2)
LLID = (opt(25, bytes(2) + bytes.fromhex("020000000a77")), 1, 0)
GRE = (opt(33, bytes(2) + struct.pack("!I", 1003)), 4, 2)
V4REQ = (opt(36, bytes([32 << 2, 0]) + v4("0.0.0.0")), 4, 0)
V4REP = (opt(37, bytes([0, 32 << 2]) + v4("10.64.0.1")), 4, 0)
V4DR = (opt(38, bytes(2) + v4("10.64.0.254")), 4, 0)
RC = (opt(28, struct.pack("!I", 7)), 4, 2)
AUTH = (opt(9, bytes([1]) + struct.pack("!I", 256) + bytes(range(32))), 1, 0)

SEEDS = {
    "pbu-opensource-mag": mh(5, struct.pack("!HHH", 1, 0xc200, 1000), [MNID, HNP0, HI, ATT, TS]),
    "pbu-dual-stack": mh(5, struct.pack("!HHH", 2, 0xc200, 1000),
                         [MNID, HNP0, HI, ATT, LLID, TS, GRE, V4REQ]),
    "pbu-dereg": mh(5, struct.pack("!HHH", 3, 0xc200, 0), [MNID, HNP, HI, ATT, TS]),
    "pbu-auth": mh(5, struct.pack("!HHH", 4, 0xc200, 1000), [MNID, HNP0, HI, ATT, TS, AUTH]),
    "pba-accepted": mh(6, bytes([0, 0x20]) + struct.pack("!HH", 1, 250),
                       [MNID, HNP, HI, ATT, TS, GRE, V4REP, V4DR, RC]),
    "pba-rejected": mh(6, bytes([153, 0x20]) + struct.pack("!HH", 1, 0), [MNID, HNP0, TS, RC]),
    "heartbeat-request": mh(13, bytes(2) + struct.pack("!I", 1), []),
    "heartbeat-response": mh(13, bytes([0, 1]) + struct.pack("!I", 1), [RC]),
    "bri": mh(16, bytes([1, 1]) + struct.pack("!HH", 9, 0x8000), [MNID, HNP]),
    "bra": mh(16, bytes([2, 0]) + struct.pack("!HH", 9, 0x8000), [MNID]),
    "binding-error": mh(7, bytes(2) + bytes(16), []),
}

if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    for name, data in SEEDS.items():
        (out / name).write_bytes(data)
