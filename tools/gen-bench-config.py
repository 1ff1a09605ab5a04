#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Write a dsanchor LMA config for the memif forwarding benchmark, and its traffic.

The topology is the one tools/bench-fwd.sh runs:

    dsanchor-bench memif-gen                       dsanchor (LMA)
      port 0  <-- gen0.sock, id 0 -->  port "core"    (correspondent side)
      port 1  <-- gen1.sock, id 1 -->  port "access"  (care-of side)

Files written (in --out-dir unless given one by one):
  dsanchor.json   the config: N bindings, each with an IPv4 /32 HoA (10.x.y.z) and an IPv6
                  /64 HNP; their care-of addresses alternate between IPv4 and IPv6, so the
                  downlink exercises 4in6, 6in6, 4in4 and 6in4 (and GRE with --gre-every);
                  static neighbors for every next hop, so no ARP/ND is needed
  downlink.pcap   plain UDP packets from correspondents to the HoAs and HNPs, spread over the
                  bindings; sent on the core port
  uplink.pcap     the same flows reversed and already tunnelled: outer source = the binding's
                  care-of address, outer destination = the anchor's access address, inner
                  source = the HoA; sent on the access port

--pkt-size is the length of the plain Ethernet frame (no FCS), as on the core side; a tunnelled
frame is longer by the encapsulation (20 or 40 bytes, plus 8 with GRE). memif carries at most
1518-byte frames (MTU 1500), so a plain frame above 1466 bytes would be fragmented or answered
with Packet Too Big once encapsulated: the script warns about it, and tools/bench-fwd.sh sends
1466-byte frames where the other DUTs get 1500.

Every next hop resolves to the generator's MACs (--gen-mac0 on the core side, --gen-mac1 on
the access side), and every frame is addressed to the DUT port's MAC, so nothing depends on
broadcast or ARP.

Python 3 standard library only.
"""

import argparse
import ipaddress
import json
import os
import struct
import sys

CORE_MAC = "02:00:00:00:c0:01"
ACCESS_MAC = "02:00:00:00:a0:01"
GEN_MAC0 = "02:00:00:00:ee:00"
GEN_MAC1 = "02:00:00:00:ee:01"

CORE_V4 = ipaddress.IPv4Interface("198.51.100.1/24")
CORE_V6 = ipaddress.IPv6Interface("2001:db8:c0::1/64")
CORE_GW_V4 = ipaddress.IPv4Address("198.51.100.254")
CORE_GW_V6 = ipaddress.IPv6Address("2001:db8:c0::fe")
ACCESS_V4 = ipaddress.IPv4Interface("192.0.2.1/24")
ACCESS_V6 = ipaddress.IPv6Interface("2001:db8:a::1/64")

HOA4_NET = ipaddress.IPv4Network("10.0.0.0/8")
HNP_NET = ipaddress.IPv6Network("2001:db8:1000::/36")
# correspondents: the benchmarking ranges of RFC 2544 / RFC 5180
CN4_BASE = int(ipaddress.IPv4Address("198.18.0.1"))
CN6_BASE = int(ipaddress.IPv6Address("2001:2::1"))
CN_COUNT = 256

PROTO_IPIP, PROTO_IPV6, PROTO_UDP, PROTO_GRE = 4, 41, 17, 47
ETH_IPV4, ETH_IPV6 = 0x0800, 0x86DD
UDP_DPORT = 9  # discard
# the largest plain frame whose IPv6+GRE encapsulation fits a 1500-byte MTU
MAX_PLAIN_FRAME = 14 + 1500 - 40 - 8


def mac_bytes(mac):
    b = bytes(int(x, 16) for x in mac.split(":"))
    if len(b) != 6:
        raise ValueError("bad MAC address: " + mac)
    return b


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def ipv4_hdr(src, dst, proto, payload_len, ident=0):
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + payload_len, ident & 0xFFFF, 0, 64,
                      proto, 0, src.packed, dst.packed)
    return hdr[:10] + struct.pack("!H", csum(hdr)) + hdr[12:]


def ipv6_hdr(src, dst, nh, payload_len):
    return struct.pack("!IHBB16s16s", 6 << 28, payload_len, nh, 64, src.packed, dst.packed)


def udp(src, dst, sport, dport, payload):
    length = 8 + len(payload)
    if src.version == 4:
        pseudo = src.packed + dst.packed + struct.pack("!BBH", 0, PROTO_UDP, length)
    else:
        pseudo = src.packed + dst.packed + struct.pack("!IxxxB", length, PROTO_UDP)
    hdr = struct.pack("!HHHH", sport, dport, length, 0)
    c = csum(pseudo + hdr + payload)
    if c == 0:
        c = 0xFFFF  # zero means "no checksum" (and is invalid in IPv6)
    return struct.pack("!HHHH", sport, dport, length, c) + payload


def ip_udp(src, dst, sport, dport, ip_len, ident):
    """An IP packet of ip_len bytes carrying UDP, of src's family."""
    hlen = 20 if src.version == 4 else 40
    payload = bytes(ip_len - hlen - 8)
    seg = udp(src, dst, sport, dport, payload)
    if src.version == 4:
        return ipv4_hdr(src, dst, PROTO_UDP, len(seg), ident) + seg
    return ipv6_hdr(src, dst, PROTO_UDP, len(seg)) + seg


def ether(dst, src, ethertype, payload):
    return mac_bytes(dst) + mac_bytes(src) + struct.pack("!H", ethertype) + payload


def encap(inner, outer_src, outer_dst, gre_key, ident):
    """Tunnel an IP packet: IP-in-IP (RFC 2003/2473) or GRE with key (RFC 5845)."""
    inner_v4 = (inner[0] >> 4) == 4
    if gre_key is None:
        proto = PROTO_IPIP if inner_v4 else PROTO_IPV6
        body = inner
    else:
        proto = PROTO_GRE
        body = struct.pack("!HHI", 0x2000, ETH_IPV4 if inner_v4 else ETH_IPV6, gre_key) + inner
    if outer_src.version == 4:
        return ETH_IPV4, ipv4_hdr(outer_src, outer_dst, proto, len(body), ident) + body
    return ETH_IPV6, ipv6_hdr(outer_src, outer_dst, proto, len(body)) + body


def write_pcap(path, frames):
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        for i, frame in enumerate(frames):
            f.write(struct.pack("<IIII", i // 1000000, i % 1000000, len(frame), len(frame)))
            f.write(frame)


class Binding:
    __slots__ = ("index", "hoa4", "hnp", "coa", "gre_key")

    def __init__(self, i, args):
        self.index = i
        self.hoa4 = HOA4_NET.network_address + 1 + i
        self.hnp = ipaddress.IPv6Network((int(HNP_NET.network_address) + (i << 64), 64))
        # even bindings get an IPv6 care-of, odd ones an IPv4 care-of; each family has
        # --mags distinct care-of addresses (access gateways)
        mag = (i // 2) % args.mags
        if i % 2 == 0:
            self.coa = ACCESS_V6.network.network_address + 0x100 + mag
        else:
            self.coa = ACCESS_V4.network.network_address + 10 + mag
        self.gre_key = (1000 + i) if args.gre_every and i % args.gre_every == 0 else None

    def mn_host6(self):
        return self.hnp.network_address + 1

    def to_json(self):
        b = {"mn_id": "mn%d@bench.example" % self.index, "hoa4": str(self.hoa4),
             "hnp": str(self.hnp), "coa": str(self.coa)}
        if self.gre_key is not None:
            b["gre_key"] = self.gre_key
        return b


def coa_list(args, nbind):
    seen = {}
    for i in range(min(nbind, 2 * args.mags)):
        coa = Binding(i, args).coa
        seen[str(coa)] = coa
    return list(seen.values())


def make_config(args, bindings_json, coas):
    def table_size(n):
        size = 1024
        while size < n * 5 // 4:
            size *= 2
        return size

    sockdir = os.path.abspath(args.socket_dir)

    def device(i):
        return ("net_memif%d,role=client,socket=%s/gen%d.sock,socket-abstract=no,id=%d"
                % (i, sockdir, i, i))

    eal = ["-l", "%d,%d" % (args.control_lcore, args.pipeline_lcore), "--no-pci",
           "--file-prefix=" + args.file_prefix]
    if args.no_huge:
        eal += ["--no-huge", "-m", "2048"]
    ports = [
        {"name": "core", "profile": "memif", "mac": CORE_MAC, "device": device(0),
         "ipv4": str(CORE_V4), "ipv6": str(CORE_V6)},
        {"name": "access", "profile": "memif", "mac": ACCESS_MAC, "device": device(1),
         "ipv4": str(ACCESS_V4), "ipv6": str(ACCESS_V6)},
    ]
    if args.mtu:
        for p in ports:
            p["mtu"] = args.mtu
    neighbors = [
        {"ip": str(CORE_GW_V4), "mac": args.gen_mac0, "port": "core"},
        {"ip": str(CORE_GW_V6), "mac": args.gen_mac0, "port": "core"},
    ]
    neighbors += [{"ip": str(c), "mac": args.gen_mac1, "port": "access"} for c in coas]
    n = len(bindings_json)
    return {
        "role": "lma",
        "eal": eal,
        "lcores": {"control": args.control_lcore, "pipelines": [args.pipeline_lcore]},
        # The control lcore shares CPU 0 with the generator: "adaptive" makes it
        # sleep whenever a loop found nothing to do, and the pipeline, which
        # always has traffic here, busy-polls until a million empty polls.
        "idle": {"mode": "adaptive", "spin_polls": 1000000, "sleep_us": 100},
        "tunnel": {"ttl": 64, "hop_limit": 64, "ecn": "normal"},
        "tables": {"ipv4": table_size(n), "ipv6_prefix": table_size(n), "ipv6_host": 1024},
        "memory": {"mbufs": 16384},
        "ports": ports,
        "routes": [
            {"prefix": "0.0.0.0/0", "via": str(CORE_GW_V4), "port": "core"},
            {"prefix": "::/0", "via": str(CORE_GW_V6), "port": "core"},
            {"prefix": str(HOA4_NET), "type": "home"},
            {"prefix": str(HNP_NET), "type": "home"},
        ],
        "neighbors": neighbors,
        "bindings": bindings_json,
        "log": {"level": "notice"},
    }


def make_traffic(args, nbind):
    """Yields (downlink frame, uplink frame) pairs, alternating IPv4 and IPv6 inner packets,
    spread evenly over the bindings."""
    nframes = min(args.frames, 2 * nbind)
    pairs = (nframes + 1) // 2
    for k in range(nframes):
        # pair k // 2 goes to one binding, as an IPv4 then an IPv6 packet
        b = Binding(k // 2 * nbind // pairs, args)
        v6 = k % 2 == 1
        cn = (ipaddress.IPv6Address(CN6_BASE + k % CN_COUNT) if v6
              else ipaddress.IPv4Address(CN4_BASE + k % CN_COUNT))
        mn = b.mn_host6() if v6 else b.hoa4
        sport = 1024 + k % 4096
        ip_len = args.pkt_size - 14
        down = ip_udp(cn, mn, sport, UDP_DPORT, ip_len, k)
        down = ether(CORE_MAC, args.gen_mac0, ETH_IPV6 if v6 else ETH_IPV4, down)
        up_inner = ip_udp(mn, cn, UDP_DPORT, sport, ip_len, k)
        anchor = ACCESS_V6.ip if b.coa.version == 6 else ACCESS_V4.ip
        et, outer = encap(up_inner, b.coa, anchor, b.gre_key, k)
        up = ether(ACCESS_MAC, args.gen_mac1, et, outer)
        yield down, up


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter,
                                epilog=__doc__.split("\n\n", 1)[1])
    p.add_argument("--bindings", "-n", type=int, default=1000, help="bindings [1000]")
    p.add_argument("--gre-every", type=int, default=0, metavar="K",
                   help="give every K-th binding a GRE key [0: none]")
    p.add_argument("--mags", type=int, default=16,
                   help="distinct care-of addresses per family, at most 200 [16]")
    p.add_argument("--pkt-size", type=int, default=64,
                   help="plain (inner) Ethernet frame length, no FCS, 62..1500 [64]")
    p.add_argument("--frames", type=int, default=4096,
                   help="frames per pcap, at most 2 per binding [4096]")
    p.add_argument("--socket-dir", default="/tmp/dsanchor-bench",
                   help="directory of the generator's memif sockets [/tmp/dsanchor-bench]")
    p.add_argument("--file-prefix", default="dsanchor-bench", help="EAL --file-prefix")
    p.add_argument("--control-lcore", type=int, default=0)
    p.add_argument("--pipeline-lcore", type=int, default=1)
    p.add_argument("--mtu", type=int, default=0,
                   help="ports' MTU; 0 leaves it to the profile (memif: 1500, its maximum) [0]")
    p.add_argument("--no-huge", action="store_true", help="add --no-huge -m 2048 to the EAL")
    p.add_argument("--gen-mac0", default=GEN_MAC0, help="generator port 0 (core side) MAC")
    p.add_argument("--gen-mac1", default=GEN_MAC1, help="generator port 1 (access side) MAC")
    p.add_argument("--out-dir", "-o", default=".", help="where the files go [.]")
    p.add_argument("--config", help="config path [OUT_DIR/dsanchor.json]")
    p.add_argument("--downlink", help="downlink pcap [OUT_DIR/downlink.pcap]")
    p.add_argument("--uplink", help="uplink pcap [OUT_DIR/uplink.pcap]")
    args = p.parse_args()

    if not 1 <= args.bindings <= HOA4_NET.num_addresses - 2:
        p.error("--bindings must be in 1..%d" % (HOA4_NET.num_addresses - 2))
    if not 1 <= args.mags <= 200:
        p.error("--mags must be in 1..200")
    if not 62 <= args.pkt_size <= 1500:
        p.error("--pkt-size must be in 62..1500 (an IPv6/UDP frame needs 62)")
    if args.frames < 1:
        p.error("--frames must be positive")
    for m in (args.gen_mac0, args.gen_mac1):
        try:
            mac_bytes(m)
        except ValueError as e:
            p.error(str(e))

    if args.pkt_size > MAX_PLAIN_FRAME and (args.mtu or 1500) <= 1500:
        print("warning: %d-byte frames exceed the tunnel MTU once encapsulated (at most %d fit)"
              % (args.pkt_size, MAX_PLAIN_FRAME), file=sys.stderr)

    os.makedirs(args.out_dir, exist_ok=True)
    cfg_path = args.config or os.path.join(args.out_dir, "dsanchor.json")
    down_path = args.downlink or os.path.join(args.out_dir, "downlink.pcap")
    up_path = args.uplink or os.path.join(args.out_dir, "uplink.pcap")

    bindings = [Binding(i, args).to_json() for i in range(args.bindings)]
    cfg = make_config(args, bindings, coa_list(args, args.bindings))
    del bindings
    with open(cfg_path, "w") as f:
        json.dump(cfg, f, indent=1 if args.bindings <= 10000 else None)
        f.write("\n")

    down, up = [], []
    for d, u in make_traffic(args, args.bindings):
        down.append(d)
        up.append(u)
    write_pcap(down_path, down)
    write_pcap(up_path, up)
    print("%s: %d bindings; %s, %s: %d frames of %d bytes (uplink %d..%d)"
          % (cfg_path, args.bindings, down_path, up_path, len(down), args.pkt_size,
             min(map(len, up)), max(map(len, up))), file=sys.stderr)


if __name__ == "__main__":
    main()
