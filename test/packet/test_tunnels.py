#!/usr/bin/python3
"""Tunnel encapsulation (downlink) and decapsulation (uplink), field by field.

One dsanchor run in normal ECN mode carries every case (paired by tag); a
second run checks compatibility ECN mode.
"""
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from lib import *  # noqa: E402,F401,F403
from scapy.all import IPOption  # noqa: E402

T = Suite("tunnels")
TTL, HLIM = 37, 41  # not the defaults, to see that the config is used

DSCP_EF = 46
NOT_ECT, ECT1, ECT0, CE = 0, 1, 2, 3


def encap_kind(mn, fam):
    if mn.key is not None:
        return "gre6" if mn.v6 else "gre4"
    return {(True, 4): "4in6", (True, 6): "6in6",
            (False, 4): "4in4", (False, 6): "6in4"}[(mn.v6, fam)]


def inner_pkt(fam, src, dst, tos, sport, dport, df=False, ttl=None, name="x", size=64):
    if fam == 4:
        ip = IP(src=src, dst=dst, tos=tos, flags="DF" if df else 0, ttl=ttl or 61, id=4321)
    else:
        ip = IPv6(src=src, dst=dst, tc=tos, hlim=ttl or 61)
    return ip / UDP(sport=sport, dport=dport) / tag(name, size)


def inner_of_frame(p):
    return p.payload


# -- build the normal-mode run ------------------------------------------------

down, up, ecn_cases, hairpins = [], [], [], []
core_in, acc_in = [], []
want = Counter()

for mn in MNS:
    for fam in (4, 6):
        k = encap_kind(mn, fam)
        hoa = mn.hoa4 if fam == 4 else mn.hoa6
        cn = CN4 if fam == 4 else CN6
        sp = 2000 + len(down)
        flows = [("ef-ect0", (DSCP_EF << 2) | ECT0, sp, True),
                 ("ef-ce", (DSCP_EF << 2) | CE, sp, False),   # same flow, DF clear
                 ("flowb", (10 << 2) | ECT1, sp + 500, True)]
        for what, tos, sport, df in flows:
            t = f"down-{k}-v{fam}-{mn.name}-{what}"
            ip = inner_pkt(fam, cn, hoa, tos, sport, 7, df=df, name=t)
            core_in.append(from_core(ip))
            down.append(dict(tag=t, mn=mn, fam=fam, kind=k, inner=bytes(ip), tos=tos,
                             df=df, flow=(mn.name, fam, sport)))
            want["encap_" + k] += 1
        # uplink, plain
        t = f"up-{k}-v{fam}-{mn.name}"
        ip = inner_pkt(fam, hoa, cn, (12 << 2) | ECT0, 7, 3000 + len(up), name=t)
        acc_in.append(from_mag(mn, ip, tos=(12 << 2) | ECT0))
        up.append(dict(tag=t, mn=mn, fam=fam, kind=k, inner=bytes(ip)))
        want["decap_" + k] += 1
        # RFC 6040 decapsulation
        for o_ecn, i_ecn, res in ((CE, ECT0, CE), (ECT1, ECT0, ECT1), (CE, NOT_ECT, None),
                                  (ECT0, CE, CE), (NOT_ECT, ECT1, ECT1), (ECT0, ECT1, ECT1)):
            t = f"ecn-{k}-v{fam}-{mn.name}-o{o_ecn}-i{i_ecn}"
            ip = inner_pkt(fam, hoa, cn, (8 << 2) | i_ecn, 7, 4000 + len(ecn_cases), name=t)
            acc_in.append(from_mag(mn, ip, tos=(8 << 2) | o_ecn))
            ecn_cases.append(dict(tag=t, inner=bytes(ip), res=res, o=o_ecn, i=i_ecn))
            if res is None:
                want["drop.ecn_drop"] += 1
            else:
                want["decap_" + k] += 1

# MN to MN through the anchor.
for src, dst, fam in ((MN1, MN2, 4), (MN4, MN2, 6), (MN2, MN3, 4), (MN3, MN1, 6)):
    s = src.hoa4 if fam == 4 else src.hoa6
    d = dst.hoa4 if fam == 4 else dst.hoa6
    t = f"hairpin-{src.name}-{dst.name}-v{fam}"
    ip = inner_pkt(fam, s, d, 0, 9, 9, name=t)
    acc_in.append(from_mag(src, ip))
    hairpins.append(dict(tag=t, src=src, dst=dst, fam=fam, inner=bytes(ip)))
    want["decap_" + encap_kind(src, fam)] += 1
    want["encap_" + encap_kind(dst, fam)] += 1
    want["hairpin"] += 1

# Other well-formed encodings that must be accepted.
extra_up = []  # (tag, frame, inner bytes)


def add_up(t, frame, inner, counter):
    acc_in.append(frame)
    extra_up.append((t, inner))
    want[counter] += 1


t = "up-gre4-csum-bit"
ip = inner_pkt(4, MN3.hoa4, CN4, 0, 7, 6001, name=t)
add_up(t, Ether(src=MN3.mac, dst=ACC_MAC) / IP(src=MN3.coa, dst=LMA4) /
       GRE(chksum_present=1, key_present=1, key=MN3.key) / ip, bytes(ip), "decap_gre4")
t = "up-gre6-seq-bit"
ip = inner_pkt(6, MN4.hoa6, CN6, 0, 7, 6002, name=t)
add_up(t, Ether(src=MN4.mac, dst=ACC_MAC) / IPv6(src=MN4.coa, dst=LMA6) /
       GRE(key_present=1, key=MN4.key, seqnum_present=1, seqence_number=77) / ip, bytes(ip),
       "decap_gre6")
t = "up-4in4-outer-options"
ip = inner_pkt(4, MN2.hoa4, CN4, 0, 7, 6003, name=t)
add_up(t, Ether(src=MN2.mac, dst=ACC_MAC) /
       IP(src=MN2.coa, dst=LMA4, options=[IPOption(b"\x01\x01\x01\x00")]) / ip, bytes(ip),
       "decap_4in4")
t = "up-6in4-eth-padding"
ip = IPv6(src=MN2.hoa6, dst=CN6, hlim=9) / UDP(sport=7, dport=6004) / tag(t, 12)
add_up(t, Ether(bytes(Ether(src=MN2.mac, dst=ACC_MAC) / IP(src=MN2.coa, dst=LMA4) / ip) +
                b"\xee" * 30), bytes(ip), "decap_6in4")

pad_down = []
for mn, fam in ((MN2, 4), (MN1, 6), (MN3, 4), (MN4, 6)):
    t = f"down-pad-{encap_kind(mn, fam)}-{mn.name}"
    ip = (IP(src=CN4, dst=mn.hoa4) if fam == 4 else IPv6(src=CN6, dst=mn.hoa6)) / \
        UDP(sport=1, dport=2) / tag(t, 4)
    core_in.append(Ether(bytes(from_core(ip)) + b"\xee" * 40))
    pad_down.append(dict(tag=t, mn=mn, fam=fam, kind=encap_kind(mn, fam), inner=bytes(ip),
                         tos=0, df=False))
    want["encap_" + encap_kind(mn, fam)] += 1

R = run("tunnels", core_in, acc_in, cfg=base_config(tunnel={"ttl": TTL, "hop_limit": HLIM}))


@T.test
def dsanchor_ran():
    T.ran(R, len(core_in) + len(acc_in))


@T.test
def counters():
    T.counters_exact(R, want)


def check_encap(name, p, mn, fam, kind, inner, tos, df, hl=HLIM, ttl=TTL, ecn_compat=False):
    """Fields of one encapsulated frame."""
    T.prefix = name + ": "
    T.eq("eth src = access port MAC", p.src, ACC_MAC)
    T.eq("eth dst = neighbour MAC of the care-of address", p.dst, mn.mac)
    o = p.payload
    gre = kind.startswith("gre")
    want_tos = tos & ~3 if ecn_compat else tos
    inner_len = len(inner)
    if mn.v6:
        if not T.check("outer is IPv6", isinstance(o, IPv6), p.summary()):
            return o
        T.eq("ethertype", p.type, 0x86dd)
        T.eq("outer version", o.version, 6)
        T.eq("outer src = anchor address", o.src, LMA6)
        T.eq("outer dst = care-of address", o.dst, mn.coa)
        T.eq("next header", o.nh, 47 if gre else (4 if fam == 4 else 41))
        T.eq("payload length", o.plen, inner_len + (8 if gre else 0))
        T.eq("hop limit = config", o.hlim, hl)
        T.eq("traffic class (DSCP, ECN)", (o.tc >> 2, o.tc & 3), (want_tos >> 2, want_tos & 3))
        T.check("flow label non-zero", o.fl != 0, "flow label 0")
        T.eq("frame length", len(bytes(p)), 14 + 40 + (8 if gre else 0) + inner_len)
    else:
        if not T.check("outer is IPv4", isinstance(o, IP), p.summary()):
            return o
        T.eq("ethertype", p.type, 0x0800)
        T.eq("outer version, IHL", (o.version, o.ihl), (4, 5))
        T.eq("outer src = anchor address", o.src, LMA4)
        T.eq("outer dst = care-of address", o.dst, mn.coa)
        T.eq("protocol", o.proto, 47 if gre else (4 if fam == 4 else 41))
        T.eq("total length", o.len, 20 + inner_len + (8 if gre else 0))
        T.eq("TTL = config", o.ttl, ttl)
        T.check("header checksum valid", ip4_csum_ok(o), f"checksum {o.chksum:#x}")
        T.eq("DF (copied from IPv4, set for IPv6)", bool(o.flags.DF), df if fam == 4 else True)
        T.eq("MF clear, offset 0", (bool(o.flags.MF), o.frag), (False, 0))
        T.eq("TOS (DSCP, ECN)", (o.tos >> 2, o.tos & 3), (want_tos >> 2, want_tos & 3))
        T.eq("frame length", len(bytes(p)), 14 + 20 + (8 if gre else 0) + inner_len)
    ib, g = inner_bytes_after_outer(p)
    if gre:
        if T.check("GRE header present", g is not None, o.payload.summary()):
            raw = bytes(g)[:8]
            T.eq("GRE flags+version word = K only", raw[0:2].hex(), "2000")
            T.eq("GRE protocol", int.from_bytes(raw[2:4], "big"), 0x0800 if fam == 4 else 0x86dd)
            T.eq("GRE key", int.from_bytes(raw[4:8], "big"), mn.key)
    T.bytes_eq("inner packet identical but TTL/hop limit - 1", ib, dec_ttl(inner))
    T.prefix = ""
    return o


@T.test
def downlink():
    labels = {}
    ids = []
    for c in down:
        p = T.one_out(R, c["tag"], "access")
        if p is None:
            continue
        o = check_encap(c["tag"], p, c["mn"], c["fam"], c["kind"], c["inner"], c["tos"], c["df"])
        if isinstance(o, IPv6):
            labels.setdefault(c["flow"], []).append(o.fl)
        elif isinstance(o, IP):
            ids.append(o.id)
    # flow labels: one per flow, (very likely) different between flows
    per_mn = {}
    for (mn, fam, sport), ls in labels.items():
        T.check(f"flow label same for every packet of flow {mn} v{fam} sport {sport}",
                len(set(ls)) == 1, f"labels {[hex(x) for x in ls]}")
        per_mn.setdefault((mn, fam), []).append(ls[0])
    for (mn, fam), ls in per_mn.items():
        T.check(f"flow labels differ between two flows ({mn} v{fam})", len(set(ls)) == len(ls),
                f"labels {[hex(x) for x in ls]}")
    T.check("outer IPv4 IDs present and distinct (RFC 6864)",
            len(ids) > 1 and len(set(ids)) == len(ids), f"ids {ids}")


@T.test
def uplink():
    for c in up:
        p = T.one_out(R, c["tag"], "core")
        if p is None:
            continue
        T.prefix = c["tag"] + ": "
        T.eq("eth src = core port MAC", p.src, CORE_MAC)
        T.eq("eth dst = core gateway MAC", p.dst, CORE_GW_MAC)
        T.eq("ethertype", p.type, 0x0800 if c["fam"] == 4 else 0x86dd)
        T.bytes_eq("output = inner packet with TTL/hop limit - 1", bytes(p.payload),
                   dec_ttl(c["inner"]))
        T.prefix = ""


@T.test
def ecn_decap():
    for c in ecn_cases:
        t = c["tag"]
        if c["res"] is None:
            T.nothing_out(R, t)
            continue
        p = T.one_out(R, t, "core")
        if p is None:
            continue
        T.bytes_eq(f"{t}: outer ECN {c['o']} + inner {c['i']} -> inner {c['res']}, TTL-1",
                   bytes(p.payload), set_ecn(dec_ttl(c["inner"]), c["res"]))


@T.test
def hairpin():
    for c in hairpins:
        p = T.one_out(R, c["tag"], "access")
        if p is None:
            continue
        k = encap_kind(c["dst"], c["fam"])
        check_encap(c["tag"] + f" (re-encapsulated {k})", p, c["dst"], c["fam"], k,
                    c["inner"], 0, False)


@T.test
def other_encodings():
    for t, inner in extra_up:
        p = T.one_out(R, t, "core")
        if p is not None:
            T.bytes_eq(f"{t}: output = inner packet with TTL-1", bytes(p.payload), dec_ttl(inner))


@T.test
def ethernet_padding_not_tunnelled():
    for c in pad_down:
        p = T.one_out(R, c["tag"], "access")
        if p is not None:
            check_encap(c["tag"] + " (padded frame)", p, c["mn"], c["fam"], c["kind"],
                        c["inner"], c["tos"], c["df"])


@T.test
def tshark_clean():
    T.expert_clean(R)


# -- compatibility ECN mode ------------------------------------------------------

@T.test
def ecn_compat():
    ins, cases = [], []
    for mn in MNS:
        for fam in (4, 6):
            for ecn in (ECT0, CE, ECT1):
                t = f"compat-{encap_kind(mn, fam)}-v{fam}-{mn.name}-ecn{ecn}"
                hoa, cn = (mn.hoa4, CN4) if fam == 4 else (mn.hoa6, CN6)
                ip = inner_pkt(fam, cn, hoa, (DSCP_EF << 2) | ecn, 5555, 7, df=True, name=t)
                ins.append(from_core(ip))
                cases.append((t, mn, fam, bytes(ip), (DSCP_EF << 2) | ecn))
    r = run("ecn-compat", ins, [], cfg=base_config(tunnel={"ecn": "compat"}))
    T.eq("compat: dsanchor exit status", r.rc, 0)
    for t, mn, fam, inner, tos in cases:
        p = T.one_out(r, t, "access")
        if p is None:
            continue
        o = p.payload
        otos = o.tc if isinstance(o, IPv6) else o.tos
        T.eq(f"{t}: outer ECN Not-ECT in compat mode", otos & 3, NOT_ECT)
        T.eq(f"{t}: outer DSCP still copied", otos >> 2, DSCP_EF)
        ib, _ = inner_bytes_after_outer(p)
        T.bytes_eq(f"{t}: inner ECN untouched (inner identical but TTL-1)", ib, dec_ttl(inner))
    T.expert_clean(r)


if __name__ == "__main__":
    T.run()
