#!/usr/bin/python3
"""Two pipeline lcores: each owns one RX and one TX queue on every port.

net_pcap gives one queue per rx_pcap/tx_pcap pair, so each pipeline reads its
own input file: every packet must still be tunnelled or decapsulated exactly
as with one pipeline, both pipelines must have done work, and the binding
table (read by both without locks) must serve them alike.
"""
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import lib  # noqa: E402
from lib import IP, IPv6, UDP, MNS, from_core, from_mag, tag  # noqa: E402
from scapy.all import rdpcap, wrpcap  # noqa: E402

S = lib.Suite("pipelines")


def two_queue_config():
    cfg = lib.base_config()
    # Three lcores on two CPUs: control alone, both pipelines on the second.
    cfg["eal"] = ["--lcores", "0@0,1@1,2@1", "--no-pci"]
    cfg["lcores"] = {"control": 0, "pipelines": [1, 2]}
    for port in cfg["ports"]:
        n = port["name"]
        port["device"] = (f"net_pcap{0 if n == 'core' else 1},"
                          f"rx_pcap={n}-in.pcap,rx_pcap={n}-in2.pcap,"
                          f"tx_pcap={n}-out.pcap,tx_pcap={n}-out2.pcap")
    return cfg


@S.test
def two_pipelines():
    core = [[], []]
    acc = [[], []]
    want = {}
    for q in (0, 1):
        for i, mn in enumerate(MNS):
            t = f"q{q}-down4-{mn.name}"
            core[q].append(from_core(IP(src="198.18.0.10", dst=mn.hoa4) /
                                     UDP(sport=1000 + i, dport=7) / tag(t)))
            want[t] = ("access", mn.coa)
            t = f"q{q}-down6-{mn.name}"
            core[q].append(from_core(IPv6(src="2001:db8:cafe::10", dst=mn.hoa6) /
                                     UDP(sport=1000 + i, dport=7) / tag(t)))
            want[t] = ("access", mn.coa)
            t = f"q{q}-up4-{mn.name}"
            acc[q].append(from_mag(mn, IP(src=mn.hoa4, dst="198.18.0.10") /
                                   UDP(sport=7, dport=1000 + i) / tag(t)))
            want[t] = ("core", "198.18.0.10")
    res = lib.run("two-pipelines", core_in=core[0], access_in=acc[0], cfg=two_queue_config(),
                  extra_inputs={"core-in2.pcap": core[1], "access-in2.pcap": acc[1]})
    S.eq("exit status", res.rc, 0)
    outs = {}
    for port in ("core", "access"):
        for f in (f"{port}-out.pcap", f"{port}-out2.pcap"):
            path = res.dir / f
            if path.exists() and path.stat().st_size > 24:
                for p in rdpcap(str(path)):
                    outs.setdefault(lib.tag_of(p), []).append((port, p))
    for t, (port, dst) in want.items():
        o = outs.get(t, [])
        if not S.check(f"{t}: exactly one packet out", len(o) == 1, f"{len(o)} out"):
            continue
        S.eq(f"{t}: port", o[0][0], port)
        outer = o[0][1].payload
        S.eq(f"{t}: destination", outer.dst, dst)
    per = re.findall(r"pipeline (\d) \(lcore (\d)\): rx (\d+) tx (\d+)", res.log)
    S.eq("two pipelines reported", len(per), 2)
    for p, lcore, rx, tx in per:
        S.eq(f"pipeline {p}: rx", int(rx), 3 * len(MNS))
        S.eq(f"pipeline {p}: tx", int(tx), 3 * len(MNS))
    S.counter(res, "rx", 2 * 3 * len(MNS))


@S.test
def too_few_queues():
    cfg = lib.base_config()
    cfg["eal"] = ["--lcores", "0@0,1@1,2@1", "--no-pci"]
    cfg["lcores"] = {"control": 0, "pipelines": [1, 2]}
    res = lib.run("too-few-queues", cfg=cfg)
    S.check("refused with a non-zero exit", res.rc not in (0, None) and res.rc > 0,
            f"exit {res.rc}")
    S.check("the message names the port and the queues",
            "ports[0] (core): 2 pipelines need 2 queues" in res.log, res.log[-300:])


if __name__ == "__main__":
    S.run()
