#!/usr/bin/env bash
# In-process cycles per packet of every forwarding path at 1k, 1M and 10M
# bindings (ARCHITECTURE §9), on 2 MB hugepages, on the second CPU.
# Writes build-bench/cycles.jsonl and prints a table.
#
# usage: tools/bench-cycles.sh [--quick] [--bindings LIST] [--packets N]
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=1000,1000000,10000000
packets=4000000
while [ $# -gt 0 ]; do
	case "$1" in
	--quick) sizes=1000,1000000; packets=1000000 ;;
	--bindings) sizes=$2; shift ;;
	--packets) packets=$2; shift ;;
	*) echo "usage: $0 [--quick] [--bindings LIST] [--packets N]" >&2; exit 2 ;;
	esac
	shift
done
DSA_HUGEPAGES=${DSA_HUGEPAGES:-4096} eval "$(tools/setup.sh | tail -n 1)"
if [ -n "$DSA_MEM_ARGS" ]; then
	echo "bench-cycles: no hugepages: figures will be TLB-bound and not comparable" >&2
	DSA_MEM_ARGS="--no-huge -m 8192"
fi
mkdir -p build-bench
out=build-bench/cycles.jsonl
lcore=$(($(nproc) > 1 ? 1 : 0))
# shellcheck disable=SC2086
build/app/dsanchor-bench/dsanchor-bench cycles $DSA_MEM_ARGS -l "$lcore" \
	--file-prefix "dsa-cycles-$$" --log-level warning -- \
	--bindings "$sizes" --packets "$packets" >"$out"
/usr/bin/python3 tools/perf-report.py cycles "$out"
