#!/usr/bin/python3
"""The control lcore on the wire: ARP and ND answers for our addresses, ICMP
echo, and next-hop resolution (glean) for a care-of address nobody has
resolved yet."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import lib  # noqa: E402
from lib import (ACC4, ACC6, ACC_MAC, CN4, CN6, CORE4, ICMP, IP, IPv6, UDP, MN,  # noqa: E402
                 MNS, from_core, tag)
from scapy.all import ARP, Ether, Raw, in6_chksum  # noqa: E402
from scapy.layers.inet6 import (ICMPv6EchoReply, ICMPv6EchoRequest,  # noqa: E402
                                ICMPv6ND_NA, ICMPv6ND_NS, ICMPv6NDOptDstLLAddr,
                                ICMPv6NDOptSrcLLAddr)

S = lib.Suite("neigh")
HOST_MAC = "02:00:00:00:0a:77"
HOST4, HOST6 = "192.0.2.77", "2001:db8:a::77"
ACC_LL = "fe80::ff:fe00:a001"  # EUI-64 of 02:00:00:00:a0:01
MN_GLEAN4 = MN("mn5", "10.64.0.5", "2001:db8:100:5::/64", "2001:db8:100:5::100", "192.0.2.50")
MN_GLEAN6 = MN("mn6", "10.64.0.6", "2001:db8:100:6::/64", "2001:db8:100:6::100",
               "2001:db8:a::51")


def from_host(l3):
    return Ether(src=HOST_MAC, dst=ACC_MAC) / l3


acc = [
    Ether(src=HOST_MAC, dst="ff:ff:ff:ff:ff:ff") /
    ARP(op=1, hwsrc=HOST_MAC, psrc=HOST4, pdst=ACC4),
    Ether(src=HOST_MAC, dst="ff:ff:ff:ff:ff:ff") /
    ARP(op=1, hwsrc=HOST_MAC, psrc=HOST4, pdst="192.0.2.99"),
    Ether(src=HOST_MAC, dst="ff:ff:ff:ff:ff:ff") /
    ARP(op=1, hwsrc=HOST_MAC, psrc=HOST4, pdst=ACC4, hwlen=5),
    Ether(src=HOST_MAC, dst="33:33:ff:00:00:01") /
    IPv6(src=HOST6, dst="ff02::1:ff00:1", hlim=255) / ICMPv6ND_NS(tgt=ACC6) /
    ICMPv6NDOptSrcLLAddr(lladdr=HOST_MAC),
    Ether(src=HOST_MAC, dst="33:33:ff:00:a0:01") /
    IPv6(src=HOST6, dst="ff02::1:ff00:a001", hlim=255) / ICMPv6ND_NS(tgt=ACC_LL) /
    ICMPv6NDOptSrcLLAddr(lladdr=HOST_MAC),
    # Hop limit below 255: not from the link, must be ignored (RFC 4861 §7.1.1).
    Ether(src=HOST_MAC, dst="33:33:ff:00:00:01") /
    IPv6(src=HOST6, dst="ff02::1:ff00:1", hlim=64) / ICMPv6ND_NS(tgt=ACC6),
    # A host on the access link claiming a correspondent's address: answered,
    # but not learnt, so it cannot pull that address's traffic to itself.
    Ether(src=HOST_MAC, dst="ff:ff:ff:ff:ff:ff") /
    ARP(op=1, hwsrc=HOST_MAC, psrc=CN4, pdst=ACC4),
    from_host(IP(src=HOST4, dst=ACC4) / ICMP(type=8, id=7, seq=1) / tag("echo4")),
    from_host(IPv6(src=HOST6, dst=ACC6) / ICMPv6EchoRequest(id=7, seq=2) / tag("echo6")),
]
core = [
    from_core(IP(src=CN4, dst=MN_GLEAN4.hoa4) / UDP(sport=1, dport=2) / tag("glean4")),
    from_core(IPv6(src=CN6, dst=MN_GLEAN6.hoa6) / UDP(sport=1, dport=2) / tag("glean6")),
]
R = lib.run("neigh", core_in=core, access_in=acc,
            cfg=lib.base_config(bindings=MNS + [MN_GLEAN4, MN_GLEAN6]))
out = R.out["access"]


def find(cond):
    return [p for p in out if cond(p)]


@S.test
def ran():
    S.ran(R, len(core) + len(acc))
    S.counters_exact(R, {"drop.neigh_pending": 2})
    S.counter(R, "ctrl.arp_request_in", 2)
    S.counter(R, "ctrl.arp_reply_out", 2)
    S.counter(R, "ctrl.arp_learned", 1)
    S.counter(R, "ctrl.off_link", 1)
    S.counter(R, "ctrl.ns_in", 2)
    S.counter(R, "ctrl.na_out", 2)
    S.counter(R, "ctrl.echo_reply", 2)
    S.counter(R, "ctrl.resolve_sent", 2)
    S.counter(R, "ctrl.malformed", 2)  # the bad ARP, and the NS with hop limit 64
    S.counter(R, "ctrl.not_for_us", 1)
    S.expert_clean(R)


@S.test
def arp_reply():
    r = find(lambda p: ARP in p and p[ARP].op == 2 and p[ARP].pdst == HOST4)
    if not S.eq("one ARP reply to the host", len(r), 1):
        return
    a, e = r[0][ARP], r[0][Ether]
    S.eq("reply: sender MAC", a.hwsrc, ACC_MAC)
    S.eq("reply: sender IP", a.psrc, ACC4)
    S.eq("reply: target MAC", a.hwdst, HOST_MAC)
    S.eq("reply: target IP", a.pdst, HOST4)
    S.eq("reply: Ethernet to the requester", e.dst, HOST_MAC)
    S.eq("reply: Ethernet from the port", e.src, ACC_MAC)


@S.test
def neighbour_advertisements():
    na = find(lambda p: ICMPv6ND_NA in p)
    S.eq("two NAs", len(na), 2)
    for p in na:
        t = p[ICMPv6ND_NA].tgt
        S.check(f"NA {t}: for one of our addresses", t in (ACC6, ACC_LL), t)
        S.eq(f"NA {t}: to the solicitor", p[IPv6].dst, HOST6)
        S.eq(f"NA {t}: hop limit 255", p[IPv6].hlim, 255)
        S.eq(f"NA {t}: solicited", p[ICMPv6ND_NA].S, 1)
        S.eq(f"NA {t}: override", p[ICMPv6ND_NA].O, 1)
        S.eq(f"NA {t}: not a router flag", p[ICMPv6ND_NA].R, 0)
        S.eq(f"NA {t}: target link-layer address", p[ICMPv6NDOptDstLLAddr].lladdr, ACC_MAC)
        raw = bytes(p[IPv6].payload)
        S.eq(f"NA {t}: ICMPv6 checksum",
             in6_chksum(58, p[IPv6], raw[:2] + b"\0\0" + raw[4:]), p[ICMPv6ND_NA].cksum)


@S.test
def echo():
    r4 = [p for p in out if lib.tag_of(p) == "echo4"]
    if S.eq("one ICMP echo reply", len(r4), 1):
        S.eq("echo reply type", r4[0][ICMP].type, 0)
        S.eq("echo reply from the port", r4[0][IP].src, ACC4)
        S.eq("echo reply to the host", r4[0][IP].dst, HOST4)
        S.check("echo reply IPv4 checksum", lib.ip4_csum_ok(r4[0][IP]))
    r6 = [p for p in out if lib.tag_of(p) == "echo6"]
    if S.eq("one ICMPv6 echo reply", len(r6), 1):
        S.check("ICMPv6 echo reply", ICMPv6EchoReply in r6[0])
        S.eq("echo6 reply from the port", r6[0][IPv6].src, ACC6)


@S.test
def glean():
    req = find(lambda p: ARP in p and p[ARP].op == 1)
    if S.eq("one ARP request for the unresolved care-of address", len(req), 1):
        a = req[0][ARP]
        S.eq("request: target", a.pdst, MN_GLEAN4.coa)
        S.eq("request: sender IP", a.psrc, ACC4)
        S.eq("request: sender MAC", a.hwsrc, ACC_MAC)
        S.eq("request: broadcast", req[0][Ether].dst, "ff:ff:ff:ff:ff:ff")
    ns = find(lambda p: ICMPv6ND_NS in p)
    if S.eq("one NS for the unresolved care-of address", len(ns), 1):
        p = ns[0]
        S.eq("NS: target", p[ICMPv6ND_NS].tgt, MN_GLEAN6.coa)
        S.eq("NS: to the solicited-node address", p[IPv6].dst, "ff02::1:ff00:51")
        S.eq("NS: Ethernet multicast", p[Ether].dst, "33:33:ff:00:00:51")
        S.eq("NS: hop limit 255", p[IPv6].hlim, 255)
        S.eq("NS: source link-layer option", p[ICMPv6NDOptSrcLLAddr].lladdr, ACC_MAC)
    S.check("the data packets themselves were not sent",
            not [p for p in out if lib.tag_of(p) in ("glean4", "glean6")])


if __name__ == "__main__":
    S.run()
