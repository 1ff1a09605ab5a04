#!/usr/bin/env bash
# SIGINT and SIGTERM: dsanchor stops RX, drains, prints its final counters
# and exits 0; the pcap output is complete (every packet it counted as sent).
# usage: sigint_test.sh DSANCHOR REPO
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
fail=0
for sig in INT TERM; do
	rm -f run/demo/*-out.pcap
	"$bin" --no-huge -m 512 --file-prefix "dsa-sig-$$" -- >out.txt 2>&1 &
	pid=$!
	for _ in $(seq 50); do
		grep -q running out.txt && break
		sleep 0.1
	done
	sleep 1
	kill -s "$sig" "$pid"
	rc=0
	wait "$pid" || rc=$?
	if [ "$rc" -ne 0 ]; then
		echo "FAIL: SIG$sig: exit status $rc"
		fail=1
	fi
	if ! grep -q 'dsanchor: final counters' out.txt; then
		echo "FAIL: SIG$sig: no final counters"
		fail=1
	fi
	tx=$(awk '$1 == "tx" {print $2}' out.txt)
	got=$(/usr/bin/python3 -c 'import sys
from scapy.all import rdpcap
print(sum(len(rdpcap(f)) for f in sys.argv[1:]))' run/demo/core-out.pcap run/demo/access-out.pcap)
	if [ "${tx:-0}" != "$got" ]; then
		echo "FAIL: SIG$sig: counted tx ${tx:-none}, pcaps hold $got"
		fail=1
	else
		echo "ok - SIG$sig: exit 0, counters printed, $got packets written"
	fi
done
exit $fail
