#!/usr/bin/python3
"""MTU edges of the tunnels (port MTU 1500), outer reassembly before decap,
and inner headers with IPv4 options / IPv6 extension headers. One dsanchor
run carries every case (paired by tag, fragments by IPv4 ID)."""
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from lib import *  # noqa: E402,F401,F403
from scapy.all import fragment, fragment6, IPOption  # noqa: E402

T = Suite("mtu")
PORT_MTU = 1500


def overhead(mn):
    return (40 if mn.v6 else 20) + (8 if mn.key is not None else 0)


def kind(mn, fam):
    if mn.key is not None:
        return "gre6" if mn.v6 else "gre4"
    return {(True, 4): "4in6", (True, 6): "6in6", (False, 4): "4in4", (False, 6): "6in4"}[(mn.v6, fam)]


core_in, acc_in = [], []
want = Counter()
passes, fneeded, frags, ptb = [], [], [], []
ip_id = [100]


def v4(mn, size, t, df):
    ip_id[0] += 1
    return pad_to(IP(src=CN4, dst=mn.hoa4, flags="DF" if df else 0, id=ip_id[0], ttl=50) /
                  UDP(sport=3333, dport=7), size, t)


def v6(mn, size, t):
    return pad_to(IPv6(src=CN6, dst=mn.hoa6, hlim=50) / UDP(sport=3333, dport=7), size, t)


for mn in MNS:
    room = PORT_MTU - overhead(mn)
    k4, k6 = kind(mn, 4), kind(mn, 6)
    for size in (room - 1, room):
        t = f"{k4}-{mn.name}-v4-{size}-df"
        ip = v4(mn, size, t, True)
        core_in.append(from_core(ip))
        passes.append((t, mn, ip))
        want["encap_" + k4] += 1
    t = f"{k4}-{mn.name}-v4-{room + 1}-df"
    ip = v4(mn, room + 1, t, True)
    core_in.append(from_core(ip))
    fneeded.append((t, mn, ip, room))
    want["drop.too_big"] += 1
    want["icmp_err"] += 1
    t = f"{k4}-{mn.name}-v4-{room + 1}-nodf"
    ip = v4(mn, room + 1, t, False)
    core_in.append(from_core(ip))
    frags.append((t, mn, ip, room))
    want["encap_" + k4] += 2
    want["frag_in"] += 1
    want["frag_out"] += 2
    t = f"{k6}-{mn.name}-v6-{room}"
    ip = v6(mn, room, t)
    core_in.append(from_core(ip))
    passes.append((t, mn, ip))
    want["encap_" + k6] += 1
    t = f"{k6}-{mn.name}-v6-{room + 1}"
    ip = v6(mn, room + 1, t)
    core_in.append(from_core(ip))
    ptb.append((t, mn, ip, max(room, 1280)))
    want["drop.too_big"] += 1
    want["icmp_err"] += 1

# Outer fragments to the anchor: reassembled, then decapsulated.
reasm = []


def outer_frags(name, mn, inner, pieces_size, fam6=False, order=None, key=None):
    if fam6:
        outer = IPv6(src=mn.coa, dst=LMA6)
        if key is not None:
            outer = outer / IPv6ExtHdrFragment(id=0x1234 + len(reasm)) / GRE(key_present=1, key=key)
        else:
            outer = outer / IPv6ExtHdrFragment(id=0x1234 + len(reasm))
        fr = fragment6(outer / inner, pieces_size)
    else:
        outer = IP(src=mn.coa, dst=LMA4, id=0x777 + len(reasm), proto=47 if key else (41 if IPv6 in inner else 4))
        if key is not None:
            outer = outer / GRE(key_present=1, key=key)
        fr = fragment(outer / inner, fragsize=pieces_size)
    fr = [Ether(src=mn.mac, dst=ACC_MAC) / f for f in fr]
    if order:
        fr = [fr[i] for i in order]
    acc_in.extend(fr)
    reasm.append((name, mn, inner, len(fr)))
    want["reasm_held"] += len(fr) - 1
    want["reasm_done"] += 1


def up_inner4(mn, t, size):
    return pad_to(IP(src=mn.hoa4, dst=CN4, ttl=40, id=999) / UDP(sport=7, dport=4444), size, t)


def up_inner6(mn, t, size):
    return pad_to(IPv6(src=mn.hoa6, dst=CN6, hlim=40) / UDP(sport=7, dport=4444), size, t)


outer_frags("reasm-4in4-2pieces", MN2, up_inner4(MN2, "reasm-4in4-2pieces", 1000), 600)
want["decap_4in4"] += 1
outer_frags("reasm-4in4-3pieces", MN2, up_inner4(MN2, "reasm-4in4-3pieces", 1000), 400)
want["decap_4in4"] += 1
outer_frags("reasm-4in4-3pieces-reversed", MN2,
            up_inner4(MN2, "reasm-4in4-3pieces-reversed", 1000), 400, order=[2, 1, 0])
want["decap_4in4"] += 1
outer_frags("reasm-6in4-2pieces", MN2, up_inner6(MN2, "reasm-6in4-2pieces", 1200), 800)
want["decap_6in4"] += 1
outer_frags("reasm-gre4-3pieces", MN3, up_inner4(MN3, "reasm-gre4-3pieces", 1400), 520, key=MN3.key)
want["decap_gre4"] += 1
outer_frags("reasm-6in6-fraghdr-2pieces", MN1, up_inner6(MN1, "reasm-6in6-fraghdr-2pieces", 1200),
            800, fam6=True)
want["decap_6in6"] += 1
outer_frags("reasm-4in6-fraghdr-3pieces", MN1, up_inner4(MN1, "reasm-4in6-fraghdr-3pieces", 1300),
            560, fam6=True)
want["decap_4in6"] += 1
outer_frags("reasm-gre6-fraghdr-2pieces", MN4, up_inner6(MN4, "reasm-gre6-fraghdr-2pieces", 1200),
            800, fam6=True, key=MN4.key)
want["decap_gre6"] += 1

# Inner IPv4 options / IPv6 extension headers, both directions.
exts = []  # (tag, direction, mn, inner)
OPTS = b"\x07\x07\x04\x00\x00\x00\x00\x01"  # record route (empty slot) + EOL
for mn in MNS:
    t = f"opts-down-{kind(mn, 4)}-{mn.name}"
    ip = IP(src=CN4, dst=mn.hoa4, ttl=30, options=[IPOption(OPTS)]) / UDP(sport=1, dport=7) / tag(t)
    core_in.append(from_core(ip))
    exts.append((t, "down", mn, ip))
    want["encap_" + kind(mn, 4)] += 1
    t = f"opts-up-{kind(mn, 4)}-{mn.name}"
    ip = IP(src=mn.hoa4, dst=CN4, ttl=30, options=[IPOption(OPTS)]) / UDP(sport=7, dport=1) / tag(t)
    acc_in.append(from_mag(mn, ip))
    exts.append((t, "up", mn, ip))
    want["decap_" + kind(mn, 4)] += 1
    for hname, hdrs in (("hbh", IPv6ExtHdrHopByHop(options=[PadN(optdata=b"\0\0\0\0")])),
                        ("dstopt", IPv6ExtHdrDestOpt(options=[PadN(optdata=b"\0\0\0\0")])),
                        ("hbh+dstopt", IPv6ExtHdrHopByHop(options=[PadN(optdata=b"\0\0\0\0")]) /
                         IPv6ExtHdrDestOpt(options=[PadN(optdata=b"\0" * 12)]))):
        t = f"ext-{hname}-down-{kind(mn, 6)}-{mn.name}"
        ip = IPv6(src=CN6, dst=mn.hoa6, hlim=30) / hdrs.copy() / UDP(sport=1, dport=7) / tag(t)
        core_in.append(from_core(ip))
        exts.append((t, "down", mn, ip))
        want["encap_" + kind(mn, 6)] += 1
        t = f"ext-{hname}-up-{kind(mn, 6)}-{mn.name}"
        ip = IPv6(src=mn.hoa6, dst=CN6, hlim=30) / hdrs.copy() / UDP(sport=7, dport=1) / tag(t)
        acc_in.append(from_mag(mn, ip))
        exts.append((t, "up", mn, ip))
        want["decap_" + kind(mn, 6)] += 1

# An outer IPv6 header with a destination option (RFC 2473 tunnel encapsulation limit).
t = "outer-dstopt-encaplimit-6in6"
inner = IPv6(src=MN1.hoa6, dst=CN6, hlim=30) / UDP(sport=7, dport=1) / tag(t)
acc_in.append(Ether(src=MN1.mac, dst=ACC_MAC) / IPv6(src=MN1.coa, dst=LMA6, nh=60) /
              Raw(bytes([41, 0, 4, 1, 4, 1, 1, 0])) / Raw(bytes(inner)))
exts.append((t, "up", MN1, inner))
want["decap_6in6"] += 1


# Inner packets that are already fragments, or carry options, and must be
# fragmented again: fragment offsets / MF / copied options kept right.
refrag = []  # (tag, mn, ip, room)
for mn in (MN1, MN2):
    room = PORT_MTU - overhead(mn)
    k4 = kind(mn, 4)
    t = f"refrag-{k4}-{mn.name}-middle-fragment"
    ip_id[0] += 1
    ip = pad_to(IP(src=CN4, dst=mn.hoa4, flags="MF", frag=1000, id=ip_id[0], ttl=50,
                   proto=17), room + 1, t)
    core_in.append(from_core(ip))
    ip = IP(bytes(ip))
    refrag.append((t, mn, ip, room))
    want["encap_" + k4] += 2
    want["frag_in"] += 1
    want["frag_out"] += 2
    t = f"refrag-{k4}-{mn.name}-options"
    ip_id[0] += 1
    ip = pad_to(IP(src=CN4, dst=mn.hoa4, id=ip_id[0], ttl=50,
                   options=[IPOption(b"\x07\x07\x04\x00\x00\x00\x00\x01")]) /
                UDP(sport=3333, dport=7), room + 1, t)
    core_in.append(from_core(ip))
    ip = IP(bytes(ip))
    refrag.append((t, mn, ip, room))
    want["encap_" + k4] += 2
    want["frag_in"] += 1
    want["frag_out"] += 2

# Reassembled inner packets larger than the core port MTU: fragmented toward
# the core (no DF), or an ICMP error back through the tunnel (DF, IPv6).
big_up = []
t = "reasm-big-4in4-nodf"
inner = pad_to(IP(src=MN2.hoa4, dst=CN4, ttl=40, id=555) / UDP(sport=7, dport=4445), 2000, t)
outer_frags(t, MN2, inner, 700)
reasm.pop()
big_up.append((t, MN2, inner, "frag"))
want["decap_4in4"] += 1
want["frag_in"] += 1
want["frag_out"] += 2
t = "reasm-big-4in4-df"
inner = pad_to(IP(src=MN2.hoa4, dst=CN4, ttl=40, id=556, flags="DF") / UDP(sport=7, dport=4445),
               2000, t)
outer_frags(t, MN2, inner, 700)
reasm.pop()
big_up.append((t, MN2, inner, "icmp4"))
want["decap_4in4"] += 1
want["drop.too_big"] += 1
want["icmp_err"] += 1
want["encap_4in4"] += 1
t = "reasm-big-4in4-df-3000"
inner = pad_to(IP(src=MN2.hoa4, dst=CN4, ttl=40, id=557, flags="DF") / UDP(sport=7, dport=4445),
               3000, t)
outer_frags(t, MN2, inner, 700)
reasm.pop()
big_up.append((t, MN2, inner, "icmp4"))
want["decap_4in4"] += 1
want["drop.too_big"] += 1
want["icmp_err"] += 1
want["encap_4in4"] += 1
t = "reasm-big-6in6"
inner = pad_to(IPv6(src=MN1.hoa6, dst=CN6, hlim=40) / UDP(sport=7, dport=4445), 2000, t)
outer_frags(t, MN1, inner, 800, fam6=True)
reasm.pop()
big_up.append((t, MN1, inner, "icmp6"))
want["decap_6in6"] += 1
want["drop.too_big"] += 1
want["icmp_err"] += 1
want["encap_6in6"] += 1

R = run("mtu", core_in, acc_in)


@T.test
def dsanchor_ran():
    T.ran(R, len(core_in) + len(acc_in))


@T.test
def counters():
    T.counters_exact(R, want)
    T.counter(R, "icmp_ratelimited", 0)


def outer_ok(name, p, mn, inner_len):
    o = p.payload
    gre = 8 if mn.key is not None else 0
    T.eq(f"{name}: eth dst / src", (p.dst, p.src), (mn.mac, ACC_MAC))
    if mn.v6:
        T.eq(f"{name}: outer IPv6 to the care-of address", (type(o).__name__, o.dst), ("IPv6", mn.coa))
        T.eq(f"{name}: outer payload length", o.plen, inner_len + gre)
    else:
        T.eq(f"{name}: outer IPv4 to the care-of address", (type(o).__name__, o.dst), ("IP", mn.coa))
        T.eq(f"{name}: outer total length", o.len, 20 + inner_len + gre)
        T.check(f"{name}: outer checksum valid", ip4_csum_ok(o))
    T.check(f"{name}: outer packet fits the port MTU",
            len(bytes(p)) - 14 <= PORT_MTU, f"{len(bytes(p)) - 14} bytes")


@T.test
def fits():
    for t, mn, ip in passes:
        p = T.one_out(R, t, "access")
        if p is None:
            continue
        outer_ok(t, p, mn, len(ip))
        T.eq(f"{t}: outer size", len(bytes(p)) - 14, len(ip) + overhead(mn))
        ib, _ = inner_bytes_after_outer(p)
        T.bytes_eq(f"{t}: inner intact but TTL-1", ib, dec_ttl(bytes(ip)))


def quoted_matches(name, quoted, ip):
    """The quote is the offending packet (as received, or with TTL already -1)."""
    ob = bytes(ip)
    n = min(len(quoted), len(ob))
    T.check(f"{name}: quotes header + 8 bytes at least", n >= len(ob[:28]))
    T.check(f"{name}: quoted = the offending packet", quoted[:n] in (ob[:n], dec_ttl(ob)[:n]),
            hexdiff(quoted[:n], ob[:n]))


@T.test
def frag_needed():
    for t, mn, ip, mtu in fneeded:
        p = T.one_out(R, t, "core")
        if p is None:
            continue
        T.eq(f"{t}: eth dst / src", (p.dst, p.src), (CORE_GW_MAC, CORE_MAC))
        e = p[IP]
        T.eq(f"{t}: ICMP from the core port address to the sender", (e.src, e.dst), (CORE4, CN4))
        T.check(f"{t}: IPv4 checksum valid", ip4_csum_ok(e))
        T.eq(f"{t}: protocol", e.proto, 1)
        icmp = bytes(e.payload)
        T.eq(f"{t}: type 3 code 4 (fragmentation needed)", (icmp[0], icmp[1]), (3, 4))
        T.eq(f"{t}: next-hop MTU", int.from_bytes(icmp[6:8], "big"), mtu)
        T.eq(f"{t}: unused field 0", icmp[4:6], b"\0\0")
        T.eq(f"{t}: ICMP checksum valid", checksum(icmp), 0)
        T.check(f"{t}: at most 576 bytes", e.len <= 576, f"{e.len}")
        quoted_matches(t, icmp[8:], ip)


@T.test
def packet_too_big():
    for t, mn, ip, mtu in ptb:
        p = T.one_out(R, t, "core")
        if p is None:
            continue
        T.eq(f"{t}: eth dst / src", (p.dst, p.src), (CORE_GW_MAC, CORE_MAC))
        e = p[IPv6]
        T.eq(f"{t}: ICMPv6 from the core port address to the sender", (e.src, e.dst), (CORE6, CN6))
        raw = bytes(e.payload)
        T.eq(f"{t}: next header 58", e.nh, 58)
        T.eq(f"{t}: type 2 code 0 (packet too big)", (raw[0], raw[1]), (2, 0))
        T.eq(f"{t}: MTU", int.from_bytes(raw[4:8], "big"), mtu)
        T.eq(f"{t}: ICMPv6 checksum valid", in6_chksum(58, e, raw), 0)
        T.check(f"{t}: at most 1280 bytes", len(bytes(e)) <= 1280, f"{len(bytes(e))}")
        quoted_matches(t, raw[8:], ip)


@T.test
def fragmented():
    for t, mn, ip, room in frags:
        got = []
        for p in R.out["access"]:
            ib, _ = inner_bytes_after_outer(p)
            if ib[:1] and ib[0] >> 4 == 4:
                q = IP(ib)
                if q.id == ip.id and q.src == ip.src:
                    got.append((p, q, ib))
        if not T.eq(f"{t}: 2 encapsulated fragments", len(got), 2):
            continue
        for i, (p, q, ib) in enumerate(got):
            outer_ok(f"{t} fragment {i}", p, mn, len(ib))
            T.check(f"{t} fragment {i}: inner fits the room {room}", q.len <= room, f"{q.len}")
            T.check(f"{t} fragment {i}: inner checksum valid", ip4_csum_ok(q))
            T.eq(f"{t} fragment {i}: TTL-1, DF clear", (q.ttl, bool(q.flags.DF)), (ip.ttl - 1, False))
            if not mn.v6:
                T.eq(f"{t} fragment {i}: outer DF clear (copied)", bool(p.payload.flags.DF), False)
        got.sort(key=lambda x: x[1].frag)
        T.eq(f"{t}: first fragment MF set, last MF clear",
             (bool(got[0][1].flags.MF), bool(got[-1][1].flags.MF)), (True, False))
        data, nxt = b"", 0
        ok_offsets = True
        for p, q, ib in got:
            hl = q.ihl * 4
            if q.frag * 8 != nxt:
                ok_offsets = False
            piece = ib[hl:q.len]
            data += piece
            nxt += len(piece)
        T.check(f"{t}: fragment offsets contiguous", ok_offsets)
        T.bytes_eq(f"{t}: reassembled payload = original", data, bytes(ip)[20:])


@T.test
def reassembly():
    for t, mn, inner, n in reasm:
        p = T.one_out(R, t, "core")
        if p is None:
            continue
        T.eq(f"{t} ({n} outer fragments): eth dst / src", (p.dst, p.src), (CORE_GW_MAC, CORE_MAC))
        T.bytes_eq(f"{t} ({n} outer fragments): output = whole inner packet, TTL-1",
                   bytes(p.payload), dec_ttl(bytes(inner)))


@T.test
def extension_headers():
    for t, d, mn, ip in exts:
        p = T.one_out(R, t, "access" if d == "down" else "core")
        if p is None:
            continue
        if d == "down":
            outer_ok(t, p, mn, len(ip))
            ib, _ = inner_bytes_after_outer(p)
        else:
            ib = bytes(p.payload)
        T.bytes_eq(f"{t}: inner options/extension headers intact (only TTL-1)", ib,
                   dec_ttl(bytes(ip)))


def inner_frags(outs, ip):
    got = []
    for p in outs:
        ib, _ = inner_bytes_after_outer(p)
        if ib[:1] and ib[0] >> 4 == 4:
            q = IP(ib)
            if q.id == ip.id and q.src == ip.src:
                got.append((p, q, ib))
    return got


@T.test
def refragment():
    for t, mn, ip, room in refrag:
        got = inner_frags(R.out["access"], ip)
        if not T.eq(f"{t}: 2 encapsulated fragments", len(got), 2):
            continue
        got.sort(key=lambda x: x[1].frag)
        for i, (p, q, ib) in enumerate(got):
            outer_ok(f"{t} fragment {i}", p, mn, len(ib))
            T.check(f"{t} fragment {i}: inner checksum valid", ip4_csum_ok(q))
        base = ip.frag
        T.eq(f"{t}: first fragment offset = original offset", got[0][1].frag, base)
        hl0, hl1 = got[0][1].ihl * 4, got[1][1].ihl * 4
        T.eq(f"{t}: second fragment offset follows the first",
             got[1][1].frag * 8, base * 8 + got[0][1].len - hl0)
        T.eq(f"{t}: MF of first / last", (bool(got[0][1].flags.MF), bool(got[1][1].flags.MF)),
             (True, bool(ip.flags.MF)))
        ihl = ip.ihl * 4
        T.bytes_eq(f"{t}: first fragment keeps the whole original header (TTL-1)",
                   got[0][2][:ihl][12:], bytes(ip)[:ihl][12:])
        if ihl > 20:
            T.eq(f"{t}: not-copied option (record route) left out of later fragments",
                 hl1, 20)
        data = got[0][2][hl0:got[0][1].len] + got[1][2][hl1:got[1][1].len]
        T.bytes_eq(f"{t}: reassembled payload = original", data, bytes(ip)[ihl:])
        if mn.v6:
            T.eq(f"{t}: both fragments carry the same flow label",
                 got[0][0].payload.fl, got[1][0].payload.fl)


@T.test
def reassembled_too_big_for_core():
    for t, mn, inner, what in big_up:
        if what == "frag":
            got = [(port, p) for port in ("core",) for p in R.out[port]
                   if IP in p and p[IP].id == inner.id and p[IP].src == inner.src]
            if not T.eq(f"{t}: fragmented in 2 toward the core", len(got), 2):
                continue
            qs = sorted((p[IP] for _, p in got), key=lambda q: q.frag)
            T.check(f"{t}: fragments fit 1500", all(q.len <= 1500 for q in qs),
                    repr([q.len for q in qs]))
            T.check(f"{t}: fragment checksums valid", all(ip4_csum_ok(q) for q in qs))
            data = b"".join(bytes(q)[q.ihl * 4:q.len] for q in qs)
            T.bytes_eq(f"{t}: reassembled = original payload", data, bytes(inner)[20:])
            continue
        p = T.one_out(R, t, "access")
        if p is None:
            continue
        outer = p.payload
        T.eq(f"{t}: error tunnelled back to the MN's care-of address", outer.dst, mn.coa)
        ib, _ = inner_bytes_after_outer(p)
        if what == "icmp4":
            e = IP(ib)
            icmp = bytes(e.payload)
            T.eq(f"{t}: ICMP to the MN, type 3 code 4, MTU 1500",
                 (e.dst, icmp[0], icmp[1], int.from_bytes(icmp[6:8], "big")),
                 (mn.hoa4, 3, 4, 1500))
            T.eq(f"{t}: ICMP checksum valid", checksum(icmp), 0)
            T.check(f"{t}: at most 576 bytes", e.len <= 576, f"{e.len}")
        else:
            e = IPv6(ib)
            raw = bytes(e.payload)
            T.eq(f"{t}: ICMPv6 Packet Too Big to the MN, MTU 1500",
                 (e.dst, raw[0], raw[1], int.from_bytes(raw[4:8], "big")),
                 (mn.hoa6, 2, 0, 1500))
            T.eq(f"{t}: ICMPv6 checksum valid", in6_chksum(58, e, raw), 0)
            T.check(f"{t}: at most 1280 bytes", len(ib) <= 1280, f"{len(ib)}")


@T.test
def tshark_clean():
    T.expert_clean(R)


# -- a second run: access port MTU 1300, ICMP rate limit 1/s, burst 3 ------------

SMALL_MTU = 1300


@T.test
def small_mtu_and_icmp_rate_limit():
    """RFC 2473 7.1: an IPv6 packet of at most 1280 bytes must still go through
    a tunnel whose path MTU is smaller (the tunnel packet is fragmented); and
    ICMP errors obey icmp_rate / icmp_burst."""
    cfg = base_config(tunnel={"icmp_rate": 1, "icmp_burst": 3},
                      ports_extra=[{}, {"mtu": SMALL_MTU}])
    ins, cases = [], []
    room = SMALL_MTU - 40  # 1260 for 6in6
    for size in (room, room + 1, 1280):
        t = f"small-6in6-{size}"
        ip = v6(MN1, size, t)
        ins.append(from_core(ip))
        cases.append((t, ip, size))
    limited = []
    for i in range(6):
        t = f"ratelimit-4in4-df-{i}"
        ip = v4(MN2, SMALL_MTU - 20 + 1, t, True)
        ins.append(from_core(ip))
        limited.append(t)
    r = run("small-mtu", ins, [], cfg=cfg)
    T.eq("small-mtu: dsanchor exit status", r.rc, 0)
    for t, ip, size in cases:
        o = r.outs(t)
        if size <= room:
            p = T.one_out(r, t, "access")
            if p is not None:
                ib, _ = inner_bytes_after_outer(p)
                T.bytes_eq(f"{t}: fits the {SMALL_MTU} path: encapsulated", ib, dec_ttl(bytes(ip)))
            continue
        # Inner IPv6 <= 1280 bytes: must be delivered (outer fragmented),
        # never answered with a Packet Too Big that the sender cannot act on.
        enc = [p for port, p in o if port == "access"]
        errs = [p for port, p in o if port == "core"]
        T.check(f"{t}: IPv6 packet of {size} <= 1280 bytes is tunnelled (outer fragmented), "
                f"not refused", enc and not errs,
                f"{len(enc)} tunnelled, {len(errs)} ICMPv6 errors "
                + "; ".join(f"type {bytes(e[IPv6].payload)[0]} mtu "
                            f"{int.from_bytes(bytes(e[IPv6].payload)[4:8], 'big')}"
                            for e in errs))
        for p in enc:
            T.check(f"{t}: each tunnel packet fits the {SMALL_MTU} port MTU",
                    len(bytes(p)) - 14 <= SMALL_MTU, f"{len(bytes(p)) - 14} bytes")
    n_big = r.c("drop.too_big")
    T.check("rate limit: the 6 back-to-back too-big IPv4 DF packets refused", n_big >= 6,
            f"drop.too_big {n_big}")
    T.eq("rate limit: ICMP errors sent = icmp_burst (3)", r.c("icmp_err"), 3)
    T.eq("rate limit: the other refusals counted as icmp_ratelimited",
         r.c("icmp_ratelimited"), n_big - 3)
    T.eq("rate limit: ICMP error packets out on core", len(r.out["core"]), 3)

if __name__ == "__main__":
    T.run()
