#!/usr/bin/python3
"""What dsanchor must not forward: each case is dropped, counted under its own
reason, and nothing is sent for it; TTL/hop-limit expiry is answered with an
ICMP error. One dsanchor run carries every case (paired by tag)."""
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from lib import *  # noqa: E402,F401,F403
from scapy.all import Dot1Q, ICMPv6DestUnreach  # noqa: E402

T = Suite("drops")

core_in, acc_in = [], []
cases = []          # (tag, drop counter)
want = Counter()


def udp4(src, dst, t, **kw):
    return IP(src=src, dst=dst, **kw) / UDP(sport=1234, dport=7) / tag(t)


def udp6(src, dst, t, **kw):
    return IPv6(src=src, dst=dst, **kw) / UDP(sport=1234, dport=7) / tag(t)


def case(t, reason, frame, port):
    (core_in if port == "core" else acc_in).append(frame)
    cases.append((t, reason))
    want["drop." + reason] += 1


# Anti-spoofing.
case("spoof-other-mn-4in6", "spoofed_src", from_mag(MN1, udp4(MN2.hoa4, CN4, "spoof-other-mn-4in6")), "access")
case("spoof-other-mn-6in4", "spoofed_src", from_mag(MN2, udp6(MN1.hoa6, CN6, "spoof-other-mn-6in4")), "access")
case("spoof-other-mn-gre4", "spoofed_src", from_mag(MN3, udp4(MN4.hoa4, CN4, "spoof-other-mn-gre4")), "access")
case("spoof-unbound-4in4", "spoofed_src", from_mag(MN2, udp4("10.64.7.7", CN4, "spoof-unbound-4in4")), "access")
case("spoof-unbound-6in6", "spoofed_src",
     from_mag(MN1, udp6("2001:db8:100:77::1", CN6, "spoof-unbound-6in6")), "access")
case("spoof-unbound-outside-home", "spoofed_src",
     from_mag(MN2, udp4("198.18.5.5", CN4, "spoof-unbound-outside-home")), "access")
case("spoof-wrong-key-gre4", "spoofed_src",
     from_mag(MN3, udp4(MN3.hoa4, CN4, "spoof-wrong-key-gre4"), key=9999), "access")
case("spoof-wrong-key-gre6", "spoofed_src",
     from_mag(MN4, udp6(MN4.hoa6, CN6, "spoof-wrong-key-gre6"), key=1003), "access")
case("spoof-no-key-gre4", "spoofed_src",
     from_mag(MN3, udp4(MN3.hoa4, CN4, "spoof-no-key-gre4"), key=None), "access")
case("spoof-gre-for-plain-binding", "spoofed_src",
     from_mag(MN2, udp4(MN2.hoa4, CN4, "spoof-gre-for-plain-binding"), key=1002), "access")
case("spoof-right-src-wrong-coa", "spoofed_src",
     from_mag(MN2, udp4(MN2.hoa4, CN4, "spoof-right-src-wrong-coa"), outer_src="192.0.2.40"),
     "access")

# Home addresses without a binding.
case("unknown-hoa4", "unknown_hoa", from_core(udp4(CN4, "10.64.9.9", "unknown-hoa4")), "core")
case("unknown-hoa6", "unknown_hoa",
     from_core(udp6(CN6, "2001:db8:100:99::1", "unknown-hoa6")), "core")

# Tunnel packets for an address that is not ours.
case("outer-dst-not-ours-4in6", "outer_dst_not_ours",
     from_mag(MN1, udp4(MN1.hoa4, CN4, "outer-dst-not-ours-4in6"), outer_dst="2001:db8:cafe::99"),
     "access")
case("outer-dst-not-ours-4in4", "outer_dst_not_ours",
     from_mag(MN2, udp4(MN2.hoa4, CN4, "outer-dst-not-ours-4in4"), outer_dst="198.18.0.99"),
     "access")

# Truncated and malformed headers.
case("trunc-ipv4-total-length", "truncated",
     from_core(IP(src=CN4, dst=MN2.hoa4, len=300) / UDP(sport=1, dport=7) / tag("trunc-ipv4-total-length")),
     "core")
tenbytes = Raw(bytes.fromhex("02000000c001 02000000"))
core_in.append(tenbytes)
want["drop.truncated"] += 1
case("trunc-ipv6-payload-length", "truncated",
     from_core(IPv6(src=CN6, dst=MN1.hoa6, plen=400) / UDP(sport=1, dport=7) / tag("trunc-ipv6-payload-length")),
     "core")
case("trunc-ipv4-ihl-4", "truncated",
     from_core(IP(src=CN4, dst=MN2.hoa4, ihl=4) / UDP(sport=1, dport=7) / tag("trunc-ipv4-ihl-4")), "core")
case("bad-ipv4-csum", "bad_ipv4_csum",
     from_core(IP(src=CN4, dst=MN2.hoa4, chksum=0x1234) / UDP(sport=1, dport=7) / tag("bad-ipv4-csum")),
     "core")
case("bad-version-ipv4-ethertype", "bad_version",
     Ether(src=CORE_GW_MAC, dst=CORE_MAC, type=0x0800) / IPv6(src=CN6, dst=MN1.hoa6) / UDP() /
     tag("bad-version-ipv4-ethertype"), "core")

# Bad inner headers after decapsulation.
case("bad-inner-v6-in-proto4", "bad_inner",
     Ether(src=MN2.mac, dst=ACC_MAC) / IP(src=MN2.coa, dst=LMA4, proto=4) /
     IPv6(src=MN2.hoa6, dst=CN6) / UDP(sport=1, dport=7) / tag("bad-inner-v6-in-proto4"), "access")
case("bad-inner-v4-in-proto41", "bad_inner",
     Ether(src=MN1.mac, dst=ACC_MAC) / IPv6(src=MN1.coa, dst=LMA6, nh=41) /
     IP(src=MN1.hoa4, dst=CN4) / UDP(sport=1, dport=7) / tag("bad-inner-v4-in-proto41"), "access")
case("bad-inner-truncated-4in4", "truncated",
     from_mag(MN2, IP(src=MN2.hoa4, dst=CN4, len=400) / UDP(sport=1, dport=7) /
              tag("bad-inner-truncated-4in4")), "access")
case("bad-inner-csum-4in6", "bad_ipv4_csum",
     from_mag(MN1, IP(src=MN1.hoa4, dst=CN4, chksum=0x4321) / UDP(sport=1, dport=7) /
              tag("bad-inner-csum-4in6")), "access")
case("bad-inner-short-gre6", "truncated",
     Ether(src=MN4.mac, dst=ACC_MAC) / IPv6(src=MN4.coa, dst=LMA6) / GRE(key_present=1, key=1004, proto=0x0800) /
     Raw(b"\x45\x00\x00"), "access")

# Unsupported GRE.
case("bad-gre-version1", "bad_gre",
     Ether(src=MN3.mac, dst=ACC_MAC) / IP(src=MN3.coa, dst=LMA4, proto=47) /
     Raw(bytes.fromhex("20010800") + (1003).to_bytes(4, "big")) /
     Raw(bytes(udp4(MN3.hoa4, CN4, "bad-gre-version1"))), "access")
case("bad-gre-routing-bit", "bad_gre",
     Ether(src=MN3.mac, dst=ACC_MAC) / IP(src=MN3.coa, dst=LMA4, proto=47) /
     Raw(bytes.fromhex("60000800") + (1003).to_bytes(4, "big") + b"\0" * 4) /
     Raw(bytes(udp4(MN3.hoa4, CN4, "bad-gre-routing-bit"))), "access")
case("bad-gre-proto-teb", "bad_gre",
     Ether(src=MN4.mac, dst=ACC_MAC) / IPv6(src=MN4.coa, dst=LMA6, nh=47) /
     Raw(bytes.fromhex("20006558") + (1004).to_bytes(4, "big")) /
     Raw(bytes(Ether() / udp6(MN4.hoa6, CN6, "bad-gre-proto-teb"))), "access")
case("gre-key-truncated", "truncated",
     Ether(src=MN3.mac, dst=ACC_MAC) / IP(src=MN3.coa, dst=LMA4, proto=47) /
     Raw(bytes.fromhex("20000800") + b"\x00\x00"), "access")

# Layer 2 and addresses not handled.
case("vlan-tagged", "unsupported_l2",
     Ether(src=CORE_GW_MAC, dst=CORE_MAC) / Dot1Q(vlan=5) / udp4(CN4, MN2.hoa4, "vlan-tagged"),
     "core")
case("other-unicast-mac", "martian",
     Ether(src=CORE_GW_MAC, dst="02:00:00:00:99:99") / udp4(CN4, MN2.hoa4, "other-unicast-mac"),
     "core")
case("link-local-dst-not-ours", "martian",
     from_core(udp6(CN6, "fe80::1234", "link-local-dst-not-ours")), "core")

# TTL / hop limit running out: an ICMP error back toward the source.
TTL_CASES = [
    ("ttl1-down-v4", from_core(udp4(CN4, MN2.hoa4, "ttl1-down-v4", ttl=1)), "core"),
    ("hlim1-down-v6", from_core(udp6(CN6, MN1.hoa6, "hlim1-down-v6", hlim=1)), "core"),
    ("ttl1-up-v4", from_mag(MN2, udp4(MN2.hoa4, CN4, "ttl1-up-v4", ttl=1)), "access"),
    # errors about ICMP errors are never sent (RFC 1812 4.3.2.7, RFC 4443 2.4(e))
    ("ttl1-icmp-error-v4", from_core(IP(src=CN4, dst=MN2.hoa4, ttl=1) / ICMP(type=3, code=1) /
                                     udp4(MN2.hoa4, CN4, "ttl1-icmp-error-v4")), "core"),
    ("hlim1-icmp-error-v6", from_core(IPv6(src=CN6, dst=MN1.hoa6, hlim=1) /
                                      ICMPv6DestUnreach() / udp6(MN1.hoa6, CN6, "hlim1-icmp-error-v6")),
     "core"),
]
N_ICMP = 3  # the first three TTL cases are answered
for t, f, port in TTL_CASES:
    (core_in if port == "core" else acc_in).append(f)
want["drop.ttl_exceeded"] += len(TTL_CASES)

R = run("drops", core_in, acc_in)
IN = {tag_of(p): p for p in core_in + acc_in if tag_of(p)}


@T.test
def dsanchor_ran():
    T.ran(R, len(core_in) + len(acc_in))


@T.test
def drop_counters():
    T.counters_exact(R, want)
    T.counter(R, "icmp_err", N_ICMP)
    tun = {k: v for k, v in R.counters.items() if k[:6] in ("encap_", "decap_")}
    T.eq("only the TTL-1 uplink case is decapsulated (and its ICMP encapsulated)", tun,
         {"decap_4in4": 1, "encap_4in4": 1})


@T.test
def nothing_sent():
    for t, reason in cases:
        T.nothing_out(R, t)
    untagged = [p for port in ("core", "access") for p in R.out[port] if tag_of(p) is None]
    T.check("no untagged output (10-byte frame)", not untagged,
            "; ".join(p.summary() for p in untagged))


def quoted_ok(name, quoted, orig_ip):
    """The ICMP payload starts with the offending packet as received."""
    ob = bytes(orig_ip)
    T.check(name + ": quotes the offending header and 8+ bytes", len(quoted) >= 28,
            f"{len(quoted)} bytes quoted")
    n = min(len(quoted), len(ob))
    T.bytes_eq(name + ": quoted bytes = the packet as received", quoted[:n], ob[:n])


@T.test
def ttl_exceeded_v4():
    t = "ttl1-down-v4"
    p = T.one_out(R, t, "core")
    if p is None:
        return
    T.prefix = t + ": "
    T.eq("eth src = core port MAC", p.src, CORE_MAC)
    T.eq("eth dst = core gateway MAC", p.dst, CORE_GW_MAC)
    ip = p[IP]
    T.eq("ICMP from the core port address", ip.src, CORE4)
    T.eq("ICMP to the sender", ip.dst, CN4)
    T.eq("protocol ICMP", ip.proto, 1)
    T.check("IPv4 checksum valid", ip4_csum_ok(ip))
    T.check("TTL > 1", ip.ttl > 1, f"ttl {ip.ttl}")
    T.eq("total length", ip.len, len(bytes(ip)))
    icmp = ip.payload
    T.eq("ICMP type/code = Time Exceeded in transit", (icmp.type, icmp.code), (11, 0))
    raw = bytes(icmp)
    T.eq("ICMP checksum valid", checksum(raw), 0)
    T.eq("unused word zero", raw[4:8], b"\0\0\0\0")
    T.check("ICMP error at most 576 bytes", len(bytes(ip)) <= 576)
    T.prefix = ""
    quoted_ok(t, raw[8:], IN[t][IP])


@T.test
def ttl_exceeded_v6():
    t = "hlim1-down-v6"
    p = T.one_out(R, t, "core")
    if p is None:
        return
    T.prefix = t + ": "
    T.eq("eth src = core port MAC", p.src, CORE_MAC)
    T.eq("eth dst = core gateway MAC", p.dst, CORE_GW_MAC)
    ip6 = p[IPv6]
    T.eq("ICMPv6 from the core port address", ip6.src, CORE6)
    T.eq("ICMPv6 to the sender", ip6.dst, CN6)
    T.eq("next header ICMPv6", ip6.nh, 58)
    T.eq("payload length", ip6.plen, len(bytes(ip6)) - 40)
    T.check("hop limit > 1", ip6.hlim > 1, f"hlim {ip6.hlim}")
    raw = bytes(ip6.payload)
    T.eq("ICMPv6 type/code = Time Exceeded, hop limit", (raw[0], raw[1]), (3, 0))
    T.eq("ICMPv6 checksum valid", in6_chksum(58, ip6, raw), 0)
    T.eq("unused word zero", raw[4:8], b"\0\0\0\0")
    T.check("ICMPv6 error at most 1280 bytes", len(bytes(ip6)) <= 1280)
    T.prefix = ""
    quoted_ok(t, raw[8:], IN[t][IPv6])


@T.test
def ttl_exceeded_uplink():
    """Inner TTL 1 after decap: Time Exceeded, tunnelled back to the MN."""
    t = "ttl1-up-v4"
    p = T.one_out(R, t, "access")
    if p is None:
        return
    T.prefix = t + ": "
    o = p[IP]
    T.eq("tunnelled to the MN's care-of address (4in4)", (o.src, o.dst, o.proto),
         (LMA4, MN2.coa, 4))
    ip = o.payload
    T.check("inner is IPv4 ICMP", isinstance(ip, IP) and ip.proto == 1, ip.summary())
    if isinstance(ip, IP):
        T.eq("ICMP to the MN's home address", ip.dst, MN2.hoa4)
        T.eq("ICMP type/code", (ip.payload.type, ip.payload.code), (11, 0))
        T.check("inner IPv4 checksum valid", ip4_csum_ok(ip))
        T.eq("ICMP checksum valid", checksum(bytes(ip.payload)), 0)
        T.prefix = ""
        inner_in = IN[t][IP].payload
        quoted_ok(t, bytes(ip.payload)[8:], inner_in)
    T.prefix = ""


@T.test
def no_error_about_errors():
    for t in ("ttl1-icmp-error-v4", "hlim1-icmp-error-v6"):
        T.nothing_out(R, t)


@T.test
def tshark_clean():
    T.expert_clean(R)


if __name__ == "__main__":
    T.run()
