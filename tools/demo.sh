#!/usr/bin/env bash
# The README's first command: set up the machine, then run dsanchor on its
# embedded default config (the demo topology: an anchor with a core port and
# an access port, both net_pcap) and explain what came out.
set -euo pipefail
cd "$(dirname "$0")/.."
eval "$(tools/setup.sh | tail -n 1)"

dir=run/demo
mkdir -p "$dir"
rm -f "$dir"/*-out.pcap
/usr/bin/python3 tools/demo-traffic.py gen "$dir"

cat <<'TXT'

== dsanchor demo ==========================================================
The anchor (LMA) has two ports, read from and written to pcap files:
  core    198.51.100.1 / 2001:db8:c0::1   toward correspondent nodes (CN)
  access  192.0.2.1    / 2001:db8:a::1    toward the access gateways (MAGs)
It anchors four mobile nodes. Each MN's care-of address picks its tunnel:
  mn1  10.64.0.1, 2001:db8:100:1::/64  at MAG 2001:db8:a::20  (IPv6-only access)
  mn2  10.64.0.2, 2001:db8:100:2::/64  at MAG 192.0.2.10      (IPv4-only access)
  mn3  10.64.0.3, 2001:db8:100:3::/64  at MAG 192.0.2.30      GRE key 1003
  mn4  10.64.0.4, 2001:db8:100:4::4    at MAG 2001:db8:a::30  GRE key 1004
Traffic in: CN -> each MN (IPv4 and IPv6), each MN -> CN through its tunnel,
MN -> MN, a spoofed source, an unknown home address, and a ping.
===========================================================================

TXT
# shellcheck disable=SC2086
build/app/dsanchor/dsanchor $DSA_MEM_ARGS -- --idle-exit 1000 2>&1 | grep -v '^EAL: \|^TELEMETRY:'
echo
echo "== packet by packet (from $dir/*-in.pcap to $dir/*-out.pcap) =="
/usr/bin/python3 tools/demo-traffic.py report "$dir"
