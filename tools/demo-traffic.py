#!/usr/bin/python3
"""Traffic for the pcap demo (config/demo.json, the embedded default).

  demo-traffic.py gen DIR      write DIR/core-in.pcap and DIR/access-in.pcap
  demo-traffic.py report DIR   explain what went in and what came out

Every packet carries a tag ("demo#N") in its payload, so the report can pair
each input packet with what dsanchor sent out for it.
"""
import sys

from scapy.all import (GRE, ICMP, IP, UDP, Ether, IPv6, Raw, rdpcap, wrpcap)

CORE_MAC, CORE_GW = "02:00:00:00:c0:01", "02:00:00:00:c0:fe"
ACC_MAC = "02:00:00:00:a0:01"
MAG = {"2001:db8:a::20": "02:00:00:00:0a:20", "192.0.2.10": "02:00:00:00:0a:10",
       "192.0.2.30": "02:00:00:00:0a:30", "2001:db8:a::30": "02:00:00:00:0a:30"}
LMA4, LMA6 = "203.0.113.1", "2001:db8:ff::1"
CN4, CN6 = "198.18.0.10", "2001:db8:cafe::10"

# (MN, IPv4 HoA, IPv6 HoA, care-of address, GRE key)
MNS = [("mn1", "10.64.0.1", "2001:db8:100:1::100", "2001:db8:a::20", None),
       ("mn2", "10.64.0.2", "2001:db8:100:2::100", "192.0.2.10", None),
       ("mn3", "10.64.0.3", "2001:db8:100:3::100", "192.0.2.30", 1003),
       ("mn4", "10.64.0.4", "2001:db8:100:4::4", "2001:db8:a::30", 1004)]


def tag(n, what):
    return Raw(f"demo#{n:02d} {what}".encode().ljust(48, b"."))


def tunnel(coa, inner, key):
    """What a MAG at coa sends to the anchor for inner."""
    v6 = ":" in coa
    outer = (IPv6(src=coa, dst=LMA6) if v6 else IP(src=coa, dst=LMA4))
    if key is not None:
        outer = outer / GRE(key_present=1, key=key)
    return Ether(src=MAG[coa], dst=ACC_MAC) / outer / inner


def gen(d):
    core, acc, n = [], [], 0
    for mn, h4, h6, coa, key in MNS:
        n += 1
        core.append(Ether(src=CORE_GW, dst=CORE_MAC) / IP(src=CN4, dst=h4) /
                    UDP(sport=5000 + n, dport=7) / tag(n, f"CN->{mn} IPv4"))
        n += 1
        core.append(Ether(src=CORE_GW, dst=CORE_MAC) / IPv6(src=CN6, dst=h6) /
                    UDP(sport=5000 + n, dport=7) / tag(n, f"CN->{mn} IPv6"))
        n += 1
        acc.append(tunnel(coa, IP(src=h4, dst=CN4) / UDP(sport=7, dport=5000 + n) /
                          tag(n, f"{mn}->CN IPv4"), key))
        n += 1
        acc.append(tunnel(coa, IPv6(src=h6, dst=CN6) / UDP(sport=7, dport=5000 + n) /
                          tag(n, f"{mn}->CN IPv6"), key))
    # MN to MN through the anchor (hairpin).
    n += 1
    acc.append(tunnel("2001:db8:a::20", IP(src="10.64.0.1", dst="10.64.0.2") /
                      UDP(sport=9, dport=9) / tag(n, "mn1->mn2 hairpin"), None))
    # What must not get through.
    n += 1
    acc.append(tunnel("2001:db8:a::20", IP(src="10.64.0.2", dst=CN4) /
                      UDP(sport=9, dport=9) / tag(n, "spoofed source"), None))
    n += 1
    core.append(Ether(src=CORE_GW, dst=CORE_MAC) / IP(src=CN4, dst="10.64.9.9") /
                UDP(sport=9, dport=9) / tag(n, "unknown home address"))
    n += 1
    core.append(Ether(src=CORE_GW, dst=CORE_MAC) / IP(src=CN4, dst="198.51.100.1") /
                ICMP(id=1, seq=n) / tag(n, "ping the anchor"))
    wrpcap(f"{d}/core-in.pcap", core)
    wrpcap(f"{d}/access-in.pcap", acc)


def describe(p):
    """One line: the outer header, and the tunnel if there is one."""
    if IPv6 in p and p[IPv6].nh in (4, 41, 47) or IP in p and p[IP].proto in (4, 41, 47):
        o = p[IPv6] if p.haslayer(IPv6) and p.getlayer(IPv6) is p.getlayer(1) else p[IP]
        inner = o.payload
        kind = ""
        if isinstance(inner, GRE):
            kind = f"GRE key {inner.key} over "
            inner = inner.payload
        fam_in = "IPv6" if isinstance(inner, IPv6) else "IPv4"
        fam_out = "IPv6" if isinstance(o, IPv6) else "IPv4"
        name = {("IPv6", "IPv6"): "6in6", ("IPv4", "IPv6"): "4in6",
                ("IPv4", "IPv4"): "4in4", ("IPv6", "IPv4"): "6in4"}[(fam_in, fam_out)]
        return (f"{kind}{name} [{o.src} -> {o.dst}] carrying "
                f"{fam_in} {inner.src} -> {inner.dst}")
    if IPv6 in p:
        return f"IPv6 {p[IPv6].src} -> {p[IPv6].dst}"
    if IP in p:
        extra = " ICMP echo reply" if ICMP in p and p[ICMP].type == 0 else ""
        return f"IPv4 {p[IP].src} -> {p[IP].dst}{extra}"
    return p.summary()


def tag_of(p):
    raw = bytes(p)
    i = raw.find(b"demo#")
    return raw[i:i + 7].decode() if i >= 0 else None


def report(d):
    ins = [("core", p) for p in rdpcap(f"{d}/core-in.pcap")] + \
          [("access", p) for p in rdpcap(f"{d}/access-in.pcap")]
    outs = {}
    for port in ("core", "access"):
        for p in rdpcap(f"{d}/{port}-out.pcap"):
            outs.setdefault(tag_of(p), []).append((port, p))
    ins.sort(key=lambda x: tag_of(x[1]))
    for port, p in ins:
        t = tag_of(p)
        what = bytes(p)[bytes(p).find(b"demo#") + 8:].split(b".")[0].decode()
        print(f"{t}  {what}")
        print(f"   in  on {port:6}  {describe(p)}")
        got = outs.get(t, [])
        for oport, q in got:
            print(f"   out on {oport:6}  {describe(q)}")
        if not got:
            print("   dropped (see the drop counters above)")
    n_out = sum(1 for _, p in ins if outs.get(tag_of(p)))
    print(f"\n{len(ins)} packets in: {n_out} came out (tunnelled, decapsulated, "
          f"hairpinned or answered), {len(ins) - n_out} dropped on purpose.")


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in ("gen", "report"):
        sys.exit(__doc__)
    (gen if sys.argv[1] == "gen" else report)(sys.argv[2])
