"""Helpers for dsanchor's packet tests.

Each test script builds input pcaps with scapy, runs dsanchor on net_pcap
ports (one run per configuration, many cases per run), and checks what came
out. Every input packet carries a tag ("<<name>>") at the start of its
payload, so outputs can be paired with the inputs they came from, even
when the output is an ICMP error quoting the input.

Run the scripts with /usr/bin/python3 (Debian's scapy). The binary comes from
$DSANCHOR, else <repo>/build/app/dsanchor/dsanchor.
"""
import atexit
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import traceback
from pathlib import Path

import logging
logging.getLogger("scapy.runtime").setLevel(logging.ERROR)

from scapy.all import (GRE, ICMP, IP, IPv6, UDP, TCP, Ether, Raw,  # noqa: E402
                       rdpcap, wrpcap, checksum, in6_chksum)
from scapy.layers.inet6 import (ICMPv6PacketTooBig, ICMPv6TimeExceeded,  # noqa: E402,F401
                                IPv6ExtHdrFragment, IPv6ExtHdrHopByHop,
                                IPv6ExtHdrDestOpt, PadN)

REPO = Path(__file__).resolve().parents[2]
DSANCHOR = os.environ.get("DSANCHOR") or str(REPO / "build/app/dsanchor/dsanchor")

# Addresses as in config/demo.json.
CORE_MAC, CORE_GW_MAC = "02:00:00:00:c0:01", "02:00:00:00:c0:fe"
ACC_MAC = "02:00:00:00:a0:01"
CORE4, CORE6 = "198.51.100.1", "2001:db8:c0::1"
ACC4, ACC6 = "192.0.2.1", "2001:db8:a::1"
CORE_GW4, CORE_GW6 = "198.51.100.254", "2001:db8:c0::fe"
LMA4, LMA6 = "203.0.113.1", "2001:db8:ff::1"
CN4, CN6 = "198.18.0.10", "2001:db8:cafe::10"
CN4B, CN6B = "198.18.0.11", "2001:db8:cafe::11"

NEIGHBORS = {  # care-of address -> MAC (all on the access port)
    "192.0.2.10": "02:00:00:00:0a:10",
    "192.0.2.30": "02:00:00:00:0a:30",
    "2001:db8:a::20": "02:00:00:00:0a:20",
    "2001:db8:a::30": "02:00:00:00:0a:30",
    "192.0.2.40": "02:00:00:00:0a:40",
    "2001:db8:a::50": "02:00:00:00:0a:50",
}


class MN:
    def __init__(self, name, hoa4, hnp, hoa6, coa, key=None):
        self.name, self.hoa4, self.coa, self.key = name, hoa4, coa, key
        self.hnp = hnp            # "2001:db8:100:1::/64" or None
        self.hoa6 = hoa6          # an IPv6 home address (inside hnp, or the hoa6)
        self.hoa6_is_host = hnp is None
        self.v6 = ":" in coa

    @property
    def mac(self):
        return NEIGHBORS[self.coa]

    def binding(self):
        b = {"mn_id": f"{self.name}@test.example", "hoa4": self.hoa4, "coa": self.coa}
        if self.hnp:
            b["hnp"] = self.hnp
        else:
            b["hoa6"] = self.hoa6
        if self.key is not None:
            b["gre_key"] = self.key
        return b


# The four tunnel kinds: plain over IPv6 (6in6/4in6), plain over IPv4
# (4in4/6in4), GRE over IPv4, GRE over IPv6.
MN1 = MN("mn1", "10.64.0.1", "2001:db8:100:1::/64", "2001:db8:100:1::100", "2001:db8:a::20")
MN2 = MN("mn2", "10.64.0.2", "2001:db8:100:2::/64", "2001:db8:100:2::100", "192.0.2.10")
MN3 = MN("mn3", "10.64.0.3", "2001:db8:100:3::/64", "2001:db8:100:3::100", "192.0.2.30", 1003)
MN4 = MN("mn4", "10.64.0.4", None, "2001:db8:100:4::4", "2001:db8:a::30", 1004)
MNS = [MN1, MN2, MN3, MN4]


def base_config(bindings=None, tunnel=None, ports_extra=None, routes_extra=None):
    cfg = {
        "role": "lma",
        "eal": ["-l", "0-1", "--no-pci"],
        "lcores": {"control": 0, "pipelines": [1]},
        "idle": {"mode": "adaptive", "spin_polls": 512, "sleep_us": 200},
        "tunnel": {"ttl": 64, "hop_limit": 64, "ecn": "normal",
                   "icmp_rate": 1000, "icmp_burst": 200},
        "tables": {"ipv4": 4096, "ipv6_prefix": 4096, "ipv6_host": 1024},
        "memory": {"mbufs": 8192, "frag_entries": 1024, "frag_timeout_ms": 2000},
        "local_addresses": [LMA6, LMA4],
        "ports": [
            {"name": "core", "profile": "pcap", "mac": CORE_MAC,
             "device": "net_pcap0,rx_pcap=core-in.pcap,tx_pcap=core-out.pcap",
             "ipv4": CORE4 + "/24", "ipv6": CORE6 + "/64"},
            {"name": "access", "profile": "pcap", "mac": ACC_MAC,
             "device": "net_pcap1,rx_pcap=access-in.pcap,tx_pcap=access-out.pcap",
             "ipv4": ACC4 + "/24", "ipv6": ACC6 + "/64"},
        ],
        "routes": [
            {"prefix": "0.0.0.0/0", "via": CORE_GW4, "port": "core"},
            {"prefix": "::/0", "via": CORE_GW6, "port": "core"},
            {"prefix": "10.64.0.0/16", "type": "home"},
            {"prefix": "2001:db8:100::/40", "type": "home"},
        ],
        "neighbors": [
            {"ip": CORE_GW4, "mac": CORE_GW_MAC, "port": "core"},
            {"ip": CORE_GW6, "mac": CORE_GW_MAC, "port": "core"},
        ] + [{"ip": ip, "mac": mac, "port": "access"} for ip, mac in NEIGHBORS.items()],
        "bindings": [m.binding() for m in (bindings if bindings is not None else MNS)],
        "log": {"level": "notice"},
    }
    if tunnel:
        cfg["tunnel"].update(tunnel)
    for i, extra in enumerate(ports_extra or []):
        cfg["ports"][i].update(extra)
    cfg["routes"] += routes_extra or []
    return cfg


# -- tags -------------------------------------------------------------------

TAG_RE = re.compile(rb"<<([A-Za-z0-9_.:+-]+)>>")


def tag(name, size=48):
    """A payload that starts with the tag, padded to size bytes."""
    t = f"<<{name}>>".encode()
    return Raw(t + b"." * max(0, size - len(t)))


def tag_of(p):
    m = TAG_RE.search(bytes(p))
    return m.group(1).decode() if m else None


def pad_to(ip_pkt, total, name):
    """ip_pkt / tagged payload so that the IP packet is total bytes long."""
    head = len(ip_pkt)
    return ip_pkt / tag(name, total - head)


# -- inputs -----------------------------------------------------------------

def from_core(ip_pkt):
    """What the core router sends to the anchor."""
    return Ether(src=CORE_GW_MAC, dst=CORE_MAC) / ip_pkt


def from_mag(mn, inner, key="binding", outer_src=None, outer_dst=None, tos=None):
    """A tunnel packet from mn's MAG (its care-of address) to the anchor."""
    src = outer_src or mn.coa
    v6 = ":" in src
    if v6:
        outer = IPv6(src=src, dst=outer_dst or LMA6)
        if tos is not None:
            outer.tc = tos
    else:
        outer = IP(src=src, dst=outer_dst or LMA4)
        if tos is not None:
            outer.tos = tos
    if key == "binding":
        key = mn.key
    if key is not None:
        outer = outer / GRE(key_present=1, key=key)
    return Ether(src=NEIGHBORS.get(src, "02:00:00:00:0a:99"), dst=ACC_MAC) / outer / inner


# -- running ----------------------------------------------------------------

_run_no = [0]
_tmp_root = tempfile.mkdtemp(prefix="dsa-pkt-")
if not os.environ.get("DSA_KEEP"):
    atexit.register(shutil.rmtree, _tmp_root, True)


class Result:
    def __init__(self, d, counters, out, log, rc):
        self.dir, self.counters, self.out, self.log, self.rc = d, counters, out, log, rc
        self.by_tag = {}
        for port in ("core", "access"):
            for p in out[port]:
                self.by_tag.setdefault(tag_of(p), []).append((port, p))

    def c(self, name):
        return self.counters.get(name, 0)

    def outs(self, t):
        """[(port, packet)] sent out for the input tagged t."""
        return self.by_tag.get(t, [])


def parse_counters(text):
    counters, on = {}, False
    for line in text.splitlines():
        if "final counters" in line:
            on = True
            continue
        if on:
            m = re.match(r"^\s+([A-Za-z0-9_.]+)\s+(\d+)(\s|$)", line)
            if m:
                counters[m.group(1)] = int(m.group(2))
    return counters


def run(name, core_in=(), access_in=(), cfg=None, timeout=60, extra_inputs=None,
        idle_exit_ms=1000):
    """Run dsanchor once on the given input frames; returns a Result.
    extra_inputs: {file name: frames} for configs with more pcap queues."""
    _run_no[0] += 1
    d = Path(_tmp_root) / f"{_run_no[0]:02d}-{name}"
    d.mkdir()
    cfg = cfg or base_config()
    (d / "config.json").write_text(json.dumps(cfg, indent=1))
    for port, pkts in (("core", core_in), ("access", access_in)):
        wrpcap(str(d / f"{port}-in.pcap"), list(pkts), linktype=1)
    for fname, pkts in (extra_inputs or {}).items():
        wrpcap(str(d / fname), list(pkts), linktype=1)
    for attempt in (1, 2):
        prefix = f"dsa-pkt-{os.getpid()}-{_run_no[0]}-{attempt}"
        cmd = [DSANCHOR, "--no-huge", "-m", "512", "--file-prefix", prefix, "--",
               "-c", "config.json", "--idle-exit", str(idle_exit_ms)]
        try:
            pr = subprocess.run(cmd, cwd=d, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                timeout=timeout)
            log, rc = pr.stdout.decode(errors="replace"), pr.returncode
        except subprocess.TimeoutExpired as e:
            log, rc = (e.stdout or b"").decode(errors="replace") + "\n[timed out]", -1
        finally:
            shutil.rmtree(f"/var/run/dpdk/{prefix}", ignore_errors=True)
        # Killed from outside (SIGTERM/SIGKILL/SIGINT) before its signal
        # handler was set: not the appliance's doing; run it once more.
        if rc in (-15, -9, -2) and "final counters" not in log and attempt == 1:
            print(f"# {name}: dsanchor killed by signal {-rc} during start-up; running it again")
            continue
        break
    (d / "dsanchor.log").write_text(log)
    out = {}
    for port in ("core", "access"):
        f = d / f"{port}-out.pcap"
        out[port] = list(rdpcap(str(f))) if f.exists() and f.stat().st_size > 24 else []
    return Result(d, parse_counters(log), out, log, rc)


# -- tshark ------------------------------------------------------------------

SEV_WARN = 0x600000


def expert_problems(pcap):
    """[(frame number, [messages])] of frames with expert Warning/Error items."""
    cmd = ["tshark", "-n", "-r", str(pcap),
           "-o", "ip.check_checksum:TRUE", "-o", "udp.check_checksum:TRUE",
           "-o", "tcp.check_checksum:TRUE",
           "-T", "fields", "-E", "aggregator=|", "-E", "separator=\t",
           "-e", "frame.number", "-e", "_ws.expert.severity", "-e", "_ws.expert.message"]
    pr = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
    if pr.returncode != 0:
        return [(0, ["tshark failed: " + pr.stderr.decode(errors="replace").strip()])]
    bad = []
    for line in pr.stdout.decode(errors="replace").splitlines():
        parts = line.split("\t")
        if len(parts) < 2 or not parts[1]:
            continue
        sevs = [int(s) for s in parts[1].split("|") if s]
        msgs = parts[2].split("|") if len(parts) > 2 else []
        probs = [m for s, m in zip(sevs, msgs + [""] * len(sevs)) if s >= SEV_WARN]
        if probs:
            bad.append((int(parts[0]), probs))
    return bad


# -- packet helpers ------------------------------------------------------------

def ip4_csum_ok(ip):
    raw = bytes(ip)[: ip.ihl * 4]
    return checksum(raw) == 0


def outer_of(p):
    """The first IP layer after Ethernet."""
    return p.payload


def inner_bytes_after_outer(p):
    """(inner IP bytes, gre layer or None) of an encapsulated frame."""
    o = outer_of(p)
    nxt = o.payload
    g = None
    if isinstance(nxt, GRE):
        g = nxt
        nxt = nxt.payload
    return bytes(nxt), g


def dec_ttl(ip_bytes):
    """ip_bytes with the TTL / hop limit decremented (IPv4 checksum redone)."""
    b = bytearray(ip_bytes)
    if b[0] >> 4 == 4:
        b[8] -= 1
        ihl = (b[0] & 0xf) * 4
        b[10:12] = b"\0\0"
        c = checksum(bytes(b[:ihl]))
        b[10:12] = c.to_bytes(2, "big")
    else:
        b[7] -= 1
    return bytes(b)


def set_ecn(ip_bytes, ecn):
    b = bytearray(ip_bytes)
    if b[0] >> 4 == 4:
        b[1] = (b[1] & 0xfc) | ecn
        ihl = (b[0] & 0xf) * 4
        b[10:12] = b"\0\0"
        b[10:12] = checksum(bytes(b[:ihl])).to_bytes(2, "big")
    else:
        tc = ((b[0] & 0xf) << 4) | (b[1] >> 4)
        tc = (tc & 0xfc) | ecn
        b[0] = 0x60 | (tc >> 4)
        b[1] = ((tc & 0xf) << 4) | (b[1] & 0xf)
    return bytes(b)


def hexdiff(a, b):
    if a == b:
        return ""
    if len(a) != len(b):
        return f"length {len(a)} != {len(b)}"
    i = next(i for i in range(len(a)) if a[i] != b[i])
    return f"first difference at byte {i}: got {a[i:i+8].hex()} want {b[i:i+8].hex()}"


# -- the tiny framework ----------------------------------------------------------

class Suite:
    def __init__(self, name):
        self.name = name
        self.tests = []
        self.n_ok = 0
        self.failed = []
        self.prefix = ""

    def test(self, fn):
        self.tests.append(fn)
        return fn

    def _report(self, name, ok, reason=""):
        name = f"{self.prefix}{name}"
        if ok:
            self.n_ok += 1
            print(f"ok - {name}")
        else:
            self.failed.append(name)
            print(f"not ok - {name}: {reason}")
        sys.stdout.flush()
        return ok

    def check(self, name, cond, reason="check failed"):
        return self._report(name, bool(cond), reason)

    def eq(self, name, got, want):
        return self._report(name, got == want, f"got {got!r}, want {want!r}")

    def bytes_eq(self, name, got, want):
        return self._report(name, got == want, hexdiff(got, want))

    def counter(self, res, cname, want):
        return self.eq(f"counter {cname} = {want}", res.c(cname), want)

    def nothing_out(self, res, t):
        o = res.outs(t)
        return self.check(f"{t}: nothing sent", not o,
                          f"{len(o)} packet(s) sent: " + "; ".join(
                              f"{port}: {p.summary()}" for port, p in o))

    def one_out(self, res, t, port):
        """The single packet sent for tag t, on port; None (and a failure) otherwise."""
        o = res.outs(t)
        if not self.check(f"{t}: exactly one packet out", len(o) == 1,
                          f"{len(o)} packets out"):
            return None
        self.eq(f"{t}: sent on {port} port", o[0][0], port)
        return o[0][1]

    def ran(self, res, n_inputs):
        """dsanchor exited 0, printed its counters and received every input."""
        self.eq("dsanchor exit status", res.rc, 0)
        self.check("final counters printed", res.counters, res.log[-2000:])
        self.eq("counter rx = inputs", res.c("rx"), n_inputs)

    def counters_exact(self, res, want):
        """Every counter in want has its value, and no drop reason outside want moved."""
        for name, n in sorted(want.items()):
            self.counter(res, name, n)
        other = {k: v for k, v in res.counters.items() if k.startswith("drop.") and k not in want}
        self.check("no drops under other reasons", not other, repr(other))

    def expert_clean(self, res):
        """tshark reports no Warning/Error for any output packet."""
        for port in ("core", "access"):
            f = res.dir / f"{port}-out.pcap"
            if not f.exists():
                continue
            probs = expert_problems(f)
            pkts = res.out[port]
            desc = "; ".join(
                f"frame {n} ({tag_of(pkts[n-1]) if 0 < n <= len(pkts) else '?'}): "
                + ", ".join(m) for n, m in probs[:8])
            self.check(f"tshark: no expert warnings/errors in {res.dir.name}/{port}-out.pcap",
                       not probs, desc)

    def run(self):
        for fn in self.tests:
            self.prefix = ""
            try:
                fn()
            except Exception as e:  # a crashed test fails, never skips
                self._report(fn.__name__, False,
                             f"exception {type(e).__name__}: {e}\n"
                             + "".join("# " + l + "\n" for l in
                                       traceback.format_exc().splitlines()))
        total = self.n_ok + len(self.failed)
        print(f"# {self.name}: {total} checks, {self.n_ok} ok, {len(self.failed)} failed")
        if self.failed:
            print(f"# failed: " + ", ".join(self.failed))
        if os.environ.get("DSA_KEEP"):
            print(f"# run directories kept in {_tmp_root}")
        sys.exit(1 if self.failed else 0)
