#!/usr/bin/python3
"""PMIPv6 signalling, first slice: Proxy Binding Updates from scapy-built
MAGs go in, the Proxy Binding Acknowledgements that come out are checked
field by field (with a Mobility Header parser of this test's own, not the
appliance's), and the bindings land in the data plane."""
import struct
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import lib  # noqa: E402
from lib import ACC_MAC, IPv6, Raw, Ether  # noqa: E402
from scapy.all import in6_chksum, inet_pton, inet_ntop  # noqa: E402
import socket  # noqa: E402

S = lib.Suite("pmip")
LMA6 = lib.LMA6
MAG1, MAG1_MAC = "2001:db8:a::20", "02:00:00:00:0a:20"
MAG2, MAG2_MAC = "2001:db8:a::30", "02:00:00:00:0a:30"
ROGUE = "2001:db8:a::66"
NTP_OFFSET = 2208988800


def ntp(t=None):
    t = time.time() if t is None else t
    return (int(t) + NTP_OFFSET) << 32 | int((t % 1) * (1 << 32))


def opt(t, data):
    return bytes([t, len(data)]) + data


def pad_to(off, align_n, align_k):
    """Padding so that offset off becomes align_n*x + align_k."""
    need = (align_k - off) % align_n
    if need == 0:
        return b""
    if need == 1:
        return b"\x00"
    return bytes([1, need - 2]) + b"\x00" * (need - 2)


def mh(mh_type, fixed, options):
    """options: list of (bytes, align_n, align_k)."""
    body = bytearray(fixed)
    for data, n, k in options:
        body += pad_to(6 + len(body), n, k)
        body += data
    total = 6 + len(body)
    body += pad_to(total, 8, 0)
    total = 6 + len(body)
    return bytearray([59, total // 8 - 1, mh_type, 0, 0, 0]) + body


def pbu(mnid, seq=1, lifetime=100, hnp="::", plen=0, v4req=None, hi=1, att=4, ts=None,
        p_flag=True, with_mnid=True, with_hi=True, with_att=True, gre=None):
    flags = 0x8000 | 0x4000 | (0x0200 if p_flag else 0)
    fixed = struct.pack("!HHH", seq, flags, lifetime)
    o = []
    if with_mnid:
        o.append((opt(8, b"\x01" + mnid.encode()), 1, 0))
    if hnp is not None:
        o.append((opt(22, bytes([0, plen]) + inet_pton(socket.AF_INET6, hnp)), 8, 4))
    if with_hi:
        o.append((opt(23, bytes([0, hi])), 1, 0))
    if with_att:
        o.append((opt(24, bytes([0, att])), 1, 0))
    if v4req is not None:
        o.append((opt(36, bytes([32 << 2, 0]) + inet_pton(socket.AF_INET, v4req)), 4, 0))
    if gre is not None:
        o.append((opt(33, bytes(2) + struct.pack("!I", gre)), 4, 2))
    o.append((opt(27, struct.pack("!Q", ntp() if ts is None else ts)), 8, 2))
    return mh(5, fixed, o)


def from_mag(src, mac, mh_bytes):
    ip = IPv6(src=src, dst=LMA6, nh=135)
    b = bytearray(mh_bytes)
    b[4:6] = b"\0\0"
    ck = in6_chksum(135, ip / Raw(bytes(b)), bytes(b))
    b[4:6] = struct.pack("!H", ck)
    return Ether(src=mac, dst=ACC_MAC) / ip / Raw(bytes(b))


def parse_ba(p):
    """Our own decoding of a PBA: (fields, options {type: [data...]})."""
    raw = bytes(p[IPv6].payload)
    f = {"proto": raw[0], "len": (raw[1] + 1) * 8, "type": raw[2], "status": raw[6],
         "flags": raw[7], "seq": struct.unpack("!H", raw[8:10])[0],
         "lifetime": struct.unpack("!H", raw[10:12])[0], "raw": raw}
    opts, i = {}, 12
    while i < f["len"]:
        if raw[i] == 0:
            i += 1
            continue
        t, ln = raw[i], raw[i + 1]
        opts.setdefault(t, []).append((i, raw[i + 2:i + 2 + ln]))
        i += 2 + ln
    return f, opts


PROFILES = [
    {"mn_id": "mn1@example.net", "hnp": "2001:db8:100:1::/64", "hoa4": "10.64.0.1"},
    {"mn_id": "mn2@example.net", "hnp": "2001:db8:100:2::/64", "mags": ["mag1"]},
    {"mn_id": "mn3@example.net", "hoa4": "10.64.0.3"},
]
cfg = lib.base_config(bindings=[])
cfg["peers"] = [{"name": "mag1", "address": MAG1}, {"name": "mag2", "address": MAG2}]
cfg["profiles"] = PROFILES
# The PBUs are stamped when this script builds them, seconds before dsanchor
# reads them: a wide window; "old-timestamp" is ten minutes off.
cfg["lma"] = {"ipv4_default_router": "10.64.0.254", "max_lifetime_s": 200,
             "timestamp_window_ms": 30000, "min_delay_before_bce_delete_ms": 0}

CASES = [  # (name, src, mac, PBU, expected status)
    ("attach-mn1", MAG1, MAG1_MAC, pbu("mn1@example.net", seq=1, v4req="0.0.0.0"), 0),
    ("unknown-peer", ROGUE, "02:00:00:00:0a:66", pbu("mn1@example.net", seq=2), 153),
    ("no-profile", MAG1, MAG1_MAC, pbu("nobody@example.net", seq=3), 151),
    ("missing-mnid", MAG1, MAG1_MAC, pbu("x", seq=4, with_mnid=False), 159),
    ("missing-hi", MAG1, MAG1_MAC, pbu("mn3@example.net", seq=5, with_hi=False), 160),
    ("missing-att", MAG1, MAG1_MAC, pbu("mn3@example.net", seq=6, with_att=False), 161),
    ("wrong-hnp", MAG1, MAG1_MAC,
     pbu("mn2@example.net", seq=7, hnp="2001:db8:999::", plen=64), 154),
    ("mag-not-allowed", MAG2, MAG2_MAC, pbu("mn2@example.net", seq=8), 153),
    ("old-timestamp", MAG1, MAG1_MAC, pbu("mn3@example.net", seq=9, ts=ntp(time.time() - 600)),
     155),
    ("not-proxy", MAG1, MAG1_MAC, pbu("mn3@example.net", seq=10, p_flag=False), 151),
    ("attach-mn2", MAG1, MAG1_MAC, pbu("mn2@example.net", seq=11, gre=0x1002), 0),
    ("mn1-to-mag2", MAG2, MAG2_MAC, pbu("mn1@example.net", seq=12, v4req="0.0.0.0"), 0),
    ("dereg-mn2", MAG1, MAG1_MAC, pbu("mn2@example.net", seq=13, lifetime=0), 0),
]
acc = [from_mag(src, mac, b) for _, src, mac, b, _ in CASES]
# Broken ones, counted and not answered.
bad = bytearray(pbu("mn3@example.net", seq=14))
bad_ck = from_mag(MAG1, MAG1_MAC, bad)
raw = bytearray(bytes(bad_ck[Raw]))
raw[6] ^= 0xff  # one byte changed after the checksum was computed
bad_ck[Raw].load = bytes(raw)
trunc = from_mag(MAG1, MAG1_MAC, bytes(pbu("mn3@example.net", seq=15))[:20])
acc += [bad_ck, trunc]
# Heartbeat request from a peer (answered) and from a stranger (not); an
# unknown MH type (answered with a Binding Error, status 2).
HB_SEQ = 0x01020304
acc.append(from_mag(MAG1, MAG1_MAC, mh(13, bytes([0, 0]) + struct.pack("!I", HB_SEQ), [])))
acc.append(from_mag(ROGUE, "02:00:00:00:0a:66", mh(13, bytes([0, 0]) + struct.pack("!I", 9), [])))
acc.append(from_mag(MAG2, MAG2_MAC, mh(42, bytes(6), [])))
# MAG-initiated revocation (RFC 5846): MAG2 revokes all of its bindings (G),
# MAG1 revokes an MN it does not hold.
acc.append(from_mag(MAG2, MAG2_MAC, mh(16, bytes([1, 2]) + struct.pack("!HH", 77, 0xa000), [])))
acc.append(from_mag(MAG1, MAG1_MAC, mh(16, bytes([1, 2]) + struct.pack("!HH", 78, 0x8000),
                                       [(opt(8, b"\x01mn3@example.net"), 1, 0)])))
R = lib.run("pmip", access_in=acc, cfg=cfg)
mh_out = [p for p in R.out["access"] if IPv6 in p and p[IPv6].nh == 135]
outs = [p for p in mh_out if bytes(p[IPv6].payload)[2] == 6]


@S.test
def ran():
    S.ran(R, len(acc))
    S.counter(R, "lma.pbu_in", len(CASES))
    S.counter(R, "lma.pba_out", len(CASES))
    S.counter(R, "lma.rejected", sum(1 for c in CASES if c[4] != 0))
    S.counter(R, "lma.registered", 2)
    S.counter(R, "lma.moved", 1)
    S.counter(R, "lma.deregistered", 1)
    S.counter(R, "lma.bad_checksum", 1)
    S.counter(R, "lma.malformed", 1)
    S.counter(R, "lma.heartbeat_in", 1)
    S.counter(R, "lma.unhandled", 2)  # the stranger's heartbeat, the unknown type
    S.expert_clean(R)
    S.counter(R, "lma.bri_in", 2)
    S.counter(R, "lma.revoked", 1)
    # mn2 was de-registered, and MAG2 revoked mn1 at the end.
    S.check("bindings in the data plane", "bindings: ipv4 0, ipv6_prefix 0," in R.log,
            [l for l in R.log.splitlines() if "bindings:" in l])


@S.test
def acknowledgements():
    by_seq = {}
    for p in outs:
        f, o = parse_ba(p)
        by_seq[f["seq"]] = (p, f, o)
    S.eq("one PBA per PBU", len(outs), len(CASES))
    for name, src, mac, b, status in CASES:
        seq = struct.unpack("!H", bytes(b[6:8]))[0]
        if not S.check(f"{name}: a PBA", seq in by_seq, "none"):
            continue
        p, f, o = by_seq[seq]
        S.eq(f"{name}: status", f["status"], status)
        S.eq(f"{name}: MH type 6 (BA)", f["type"], 6)
        S.eq(f"{name}: payload proto 59", f["proto"], 59)
        S.eq(f"{name}: P flag", f["flags"] & 0x20, 0x20)
        S.eq(f"{name}: to the MAG", p[IPv6].dst, src)
        S.eq(f"{name}: from the LMA address", p[IPv6].src, LMA6)
        S.eq(f"{name}: Ethernet to the MAG", p[Ether].dst, mac)
        raw = bytearray(f["raw"])
        ck = struct.unpack("!H", bytes(raw[4:6]))[0]
        raw[4:6] = b"\0\0"
        S.eq(f"{name}: MH checksum", in6_chksum(135, p[IPv6], bytes(raw)), ck)
        S.eq(f"{name}: length is a multiple of 8", f["len"] % 8, 0)
        if 27 in o:
            S.eq(f"{name}: timestamp option at 8n+2", o[27][0][0] % 8, 2)
        if 22 in o:
            S.eq(f"{name}: HNP option at 8n+4", o[22][0][0] % 8, 4)
        if status == 0 and name != "dereg-mn2":
            S.eq(f"{name}: lifetime capped at max_lifetime_s", f["lifetime"], 200 // 4)
        rc = o.get(28, [(0, b"")])[0][1]
        S.eq(f"{name}: Restart Counter option", len(rc), 4)
        if name in ("attach-mn1", "mn1-to-mag2"):
            hnp = o.get(22, [(0, b"")])[0][1]
            S.eq(f"{name}: HNP granted", (hnp[1:2], inet_ntop(socket.AF_INET6, hnp[2:18])),
                 (bytes([64]), "2001:db8:100:1::"))
            rep = o.get(37, [(0, b"")])[0][1]
            S.eq(f"{name}: IPv4 HoA reply", (rep[0], inet_ntop(socket.AF_INET, rep[2:6])),
                 (0, "10.64.0.1"))
            dr = o.get(38, [(0, b"")])[0][1]
            S.eq(f"{name}: IPv4 default router", inet_ntop(socket.AF_INET, dr[2:6]),
                 "10.64.0.254")
            mnid = o.get(8, [(0, b"")])[0][1]
            S.eq(f"{name}: MN-ID echoed", mnid[1:], b"mn1@example.net")


@S.test
def revocation_on_handover():
    """mn1 moved from MAG1 to MAG2: MAG1 gets a BRI (RFC 5846)."""
    bri = [p for p in mh_out if bytes(p[IPv6].payload)[2] == 16 and
           bytes(p[IPv6].payload)[6] == 1]
    if not S.check("a BRI was sent", len(bri) >= 1, "none"):
        return
    p = bri[0]
    raw = bytes(p[IPv6].payload)
    S.eq("BRI: to the old MAG", p[IPv6].dst, MAG1)
    S.eq("BRI: from the LMA address", p[IPv6].src, LMA6)
    S.eq("BRI: Ethernet to the old MAG", p[Ether].dst, MAG1_MAC)
    S.eq("BRI: B.R. type 1 (indication)", raw[6], 1)
    S.eq("BRI: trigger 3 (inter-MAG handover, same access type)", raw[7], 3)
    S.eq("BRI: P flag", struct.unpack("!H", raw[10:12])[0] & 0x8000, 0x8000)
    o = parse_ba(p)[1]
    S.eq("BRI: MN-ID", o.get(8, [(0, b"")])[0][1][1:], b"mn1@example.net")
    hnp = o.get(22, [(0, b"")])[0][1]
    S.eq("BRI: HNP", inet_ntop(socket.AF_INET6, hnp[2:18]) if len(hnp) == 18 else None,
         "2001:db8:100:1::")
    rawz = bytearray(raw)
    ck = struct.unpack("!H", bytes(rawz[4:6]))[0]
    rawz[4:6] = b"\0\0"
    S.eq("BRI: MH checksum", in6_chksum(135, p[IPv6], bytes(rawz)), ck)


@S.test
def gre_key_negotiation():
    """RFC 5845: mn2's PBU carried GRE key 0x1002 (downlink); the PBA carries
    the anchor's uplink key for mn2."""
    pbas = [parse_ba(p) for p in outs]
    mine = [(f, o) for f, o in pbas if f["seq"] == 11]
    if not S.eq("the PBA for mn2", len(mine), 1):
        return
    f, o = mine[0]
    gre = o.get(33, [(0, b"")])[0][1]
    S.eq("PBA: GRE Key option, 6 bytes", len(gre), 6)
    if len(gre) == 6:
        S.eq("PBA: the anchor's uplink key (base + profile index 1)",
             struct.unpack("!I", gre[2:6])[0], 0x10000 + 1)
    S.check("PBAs without a GRE request carry no GRE Key option",
            all(33 not in o for f, o in pbas if f["seq"] != 11))


@S.test
def mag_initiated_revocation():
    bra = [p for p in mh_out if bytes(p[IPv6].payload)[2] == 16 and
           bytes(p[IPv6].payload)[6] == 2]
    by_seq = {struct.unpack("!H", bytes(p[IPv6].payload)[8:10])[0]: p for p in bra}
    if S.check("BRA to MAG2's global revocation", 77 in by_seq, repr(list(by_seq))):
        raw = bytes(by_seq[77][IPv6].payload)
        S.eq("BRA 77: status 0 (success)", raw[7], 0)
        S.eq("BRA 77: P and G flags echoed", struct.unpack("!H", raw[10:12])[0] & 0xe000,
             0xa000)
        S.eq("BRA 77: to MAG2", by_seq[77][IPv6].dst, MAG2)
    if S.check("BRA to MAG1's revocation of an MN it does not hold", 78 in by_seq,
               repr(list(by_seq))):
        raw = bytes(by_seq[78][IPv6].payload)
        S.eq("BRA 78: status 129 (binding does not exist)", raw[7], 129)
        o = parse_ba(by_seq[78])[1]
        S.eq("BRA 78: MN-ID echoed", o.get(8, [(0, b"")])[0][1][1:], b"mn3@example.net")


@S.test
def heartbeat_and_binding_error():
    hb = [p for p in mh_out if bytes(p[IPv6].payload)[2] == 13]
    if S.eq("one heartbeat response", len(hb), 1):
        raw = bytes(hb[0][IPv6].payload)
        S.eq("heartbeat: R flag", raw[7] & 0x03, 0x01)
        S.eq("heartbeat: sequence echoed", struct.unpack("!I", raw[8:12])[0], HB_SEQ)
        S.eq("heartbeat: to the MAG", hb[0][IPv6].dst, MAG1)
        opts = parse_ba(hb[0])[1]
        S.check("heartbeat: Restart Counter option", 28 in opts, repr(opts))
        pba_rc = [parse_ba(p)[1].get(28, [(0, b"")])[0][1] for p in outs]
        S.check("heartbeat and PBAs carry the same Restart Counter",
                28 in opts and all(rc == opts[28][0][1] for rc in pba_rc))
    be = [p for p in mh_out if bytes(p[IPv6].payload)[2] == 7]
    if S.eq("one Binding Error", len(be), 1):
        raw = bytes(be[0][IPv6].payload)
        S.eq("binding error: status 2 (unknown MH type)", raw[6], 2)
        S.eq("binding error: to the sender", be[0][IPv6].dst, MAG2)


@S.test
def lifetime_and_delete_delay():
    """A 4-second lifetime runs out while dsanchor idles; a de-registration
    under the default MinDelayBeforeBCEDelete (10 s) keeps its binding."""
    c = lib.base_config(bindings=[])
    c["peers"] = cfg["peers"]
    c["profiles"] = PROFILES
    c["lma"] = {"timestamp_window_ms": 30000}
    ins = [from_mag(MAG1, MAG1_MAC, pbu("mn3@example.net", seq=1, hnp=None,
                                        v4req="0.0.0.0", lifetime=1)),
           from_mag(MAG1, MAG1_MAC, pbu("mn2@example.net", seq=1)),
           from_mag(MAG1, MAG1_MAC, pbu("mn2@example.net", seq=2, lifetime=0)),
           # mn1 moves from MAG1 to MAG2; MAG1 never acknowledges the BRI.
           from_mag(MAG1, MAG1_MAC, pbu("mn1@example.net", seq=1)),
           from_mag(MAG2, MAG2_MAC, pbu("mn1@example.net", seq=2))]
    r = lib.run("pmip-expiry", access_in=ins, cfg=c, idle_exit_ms=6000)
    # InitialBRIDelay 1 s, BRIMaxRetries 1: sent at 0 s and 1 s, given up at 3 s.
    S.counter(r, "lma.bri_out", 2)
    S.counter(r, "lma.bri_failed", 1)
    S.counter(r, "lma.registered", 3)
    S.counter(r, "lma.moved", 1)
    S.counter(r, "lma.deregistered", 1)
    S.counter(r, "lma.expired", 1)
    S.check("expired IPv4 HoA gone, de-registered HNP still held",
            "bindings: ipv4 0, ipv6_prefix 2," in r.log,
            [l for l in r.log.splitlines() if "bindings:" in l])


@S.test
def signalling_flood():
    """3000 PBUs from one stranger: all but its burst are dropped in the
    pipeline (punt rate limit), and a peer's PBU behind them is answered."""
    c = lib.base_config(bindings=[])
    c["peers"] = cfg["peers"]
    c["profiles"] = PROFILES
    c["lma"] = {"timestamp_window_ms": 30000}
    c["punt"] = {"per_source_rate": 100, "per_source_burst": 50}
    flood = from_mag(ROGUE, "02:00:00:00:0a:66", pbu("mn1@example.net", seq=1))
    ins = [flood] * 3000 + [from_mag(MAG1, MAG1_MAC, pbu("mn3@example.net", seq=5,
                                                          hnp=None, v4req="0.0.0.0"))]
    r = lib.run("pmip-flood", access_in=ins, cfg=c)
    limited = r.c("drop.punt_ratelimited")
    S.check("the flood is cut to its burst (and a few refilled tokens)",
            2900 <= limited <= 2950, f"{limited} dropped")
    S.eq("every stranger's PBU that got through was refused", r.c("lma.rejected"),
         3000 - limited)
    S.counter(r, "lma.registered", 1)
    ok = [p for p in r.out["access"] if IPv6 in p and p[IPv6].nh == 135 and
          p[IPv6].dst == MAG1]
    S.check("the peer's PBU was answered, status 0",
            len(ok) == 1 and parse_ba(ok[0])[0]["status"] == 0, f"{len(ok)} answers")


if __name__ == "__main__":
    S.run()
