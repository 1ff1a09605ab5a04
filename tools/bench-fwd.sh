#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Forwarding benchmark: generator -> DUT -> generator over memif, one run, one machine.
#
# The generator+sink (dsanchor-bench memif-gen) is one lcore on CPU 0; the DUT forwards on
# CPU 1. Its main/control lcore, if it has one, sits on CPU 0 and must stay idle. Each DUT is
# started afresh for each packet size, and every figure is also given as a ratio to
# dpdk-testpmd io forwarding at the same size in the same run (docs: ARCHITECTURE.md §9).
#
# DUTs: testpmd (io forwarding), l3fwd (DPDK's example, exact match, built here from
# /usr/share/dpdk/examples), dsanchor (downlink, and uplink with --uplink; skipped with a
# message while build/app/dsanchor/dsanchor does not exist).
#
# Results: one JSON line per measurement appended to build-bench/fwd-results.jsonl, and a table.

set -u

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BB=$ROOT/build-bench

SIZES="64 128 256 512 1024 1500"
DURATION=4
WARMUP=1
REPEAT=3
DUTS="testpmd,l3fwd,dsanchor"
RESULTS=$BB/fwd-results.jsonl
BINDINGS=1000
GRE_EVERY=0
FLOWS=256
NO_HUGE=0
HUGEPAGES=1024
UPLINK=0
DSANCHOR=$ROOT/build/app/dsanchor/dsanchor
BENCH_BIN=
LINK_TIMEOUT=20
OTHERS_MAX=5
RTT_MAX=
RETRIES=1
RETRY_BUDGET=
NICE=0

usage() {
	cat <<EOF
usage: $0 [options]

  --quick            sizes 64 512 1500, once, 2 s measured after 0.5 s (about a minute)
  --sizes "LIST"     frame sizes in bytes, no FCS [$SIZES]
  --duration S       measured seconds per point [$DURATION]
  --warmup S         seconds of traffic before measuring [$WARMUP]
  --repeat N         measure each point N times, DUTs interleaved; the table shows the
                     median [$REPEAT]
  --duts LIST        comma-separated, of testpmd,l3fwd,dsanchor [$DUTS]
  --uplink           dsanchor: also measure uplink (decapsulation)
  --bindings N       dsanchor: bindings in the generated config [$BINDINGS]
  --gre-every K      dsanchor: every K-th binding uses GRE [0: none]
  --flows N          testpmd/l3fwd: UDP flows (l3fwd exact-match entries) [$FLOWS]
  --results FILE     JSON lines appended here [build-bench/fwd-results.jsonl]
  --hugepages N      2 MB pages to have reserved [$HUGEPAGES]
  --no-huge          run every process with --no-huge (figures are lower)
  --others-max P     a point is clean if other processes took at most P% of the two
                     CPUs while it ran; others are measured again [$OTHERS_MAX]
  --rtt-max NS       a point is clean if the cache-line round trip between the CPUs
                     stayed at most NS ns [twice the lowest seen at start-up]
  --retries N        how many times to measure a spoilt point again [$RETRIES]; in all, at
                     most a third of the points are measured again
  --nice N           run the generator and the DUT at this nice level (e.g. -10 on a
                     shared machine; slows everyone else down while it runs) [$NICE]
  --dsanchor PATH    the dsanchor binary [build/app/dsanchor/dsanchor]
  --bench-bin PATH   use this dsanchor-bench rather than building one in build-bench/
  -h, --help
EOF
}

while [ $# -gt 0 ]; do
	case "$1" in
	--quick) SIZES="64 512 1500"; DURATION=2; WARMUP=0.5; REPEAT=1 ;;
	--repeat) REPEAT=$2; shift ;;
	--sizes) SIZES=$2; shift ;;
	--duration) DURATION=$2; shift ;;
	--warmup) WARMUP=$2; shift ;;
	--duts) DUTS=$2; shift ;;
	--uplink) UPLINK=1 ;;
	--bindings) BINDINGS=$2; shift ;;
	--gre-every) GRE_EVERY=$2; shift ;;
	--flows) FLOWS=$2; shift ;;
	--results) RESULTS=$2; shift ;;
	--hugepages) HUGEPAGES=$2; shift ;;
	--no-huge) NO_HUGE=1 ;;
	--dsanchor) DSANCHOR=$2; shift ;;
	--others-max) OTHERS_MAX=$2; shift ;;
	--retries) RETRIES=$2; shift ;;
	--rtt-max) RTT_MAX=$2; shift ;;
	--nice) NICE=$2; shift ;;
	--bench-bin) BENCH_BIN=$2; shift ;;
	-h|--help) usage; exit 0 ;;
	*) echo "$0: unknown option $1" >&2; usage >&2; exit 2 ;;
	esac
	shift
done

log() { echo "bench-fwd: $*" >&2; }
NICE_CMD=
die() { log "$*"; exit 1; }

# ---- processes and clean-up ----

RUN_ID=$(date -u +%Y%m%dT%H%M%SZ)
PREFIX=dsab$$
SOCKDIR=${TMPDIR:-/tmp}/dsanchor-bench.$$
RUNDIR=$BB/run
PIDS=()

# SIGTERM first (DPDK apps close their ports and free their memory), SIGKILL after 5 s.
# Not SIGINT: background jobs of a script start with SIGINT ignored.
stop_pid() {
	local pid=$1 i
	kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null; return 0; }
	kill -TERM "$pid" 2>/dev/null
	for i in $(seq 50); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	return 0
}

cleanup() {
	local pid
	trap - EXIT INT TERM
	for pid in "${PIDS[@]}"; do
		stop_pid "$pid"
	done
	PIDS=()
	rm -rf "$SOCKDIR"
	# what a killed EAL leaves behind, for our prefixes only
	rm -rf /var/run/dpdk/"$PREFIX"-* 2>/dev/null
	rm -f /dev/hugepages/"$PREFIX"-* 2>/dev/null
}
trap cleanup EXIT
trap 'log interrupted; cleanup; exit 130' INT TERM

# ---- hugepages ----

HP_SYS=/sys/kernel/mm/hugepages/hugepages-2048kB
setup_hugepages() {
	local nr free want
	[ "$NO_HUGE" = 1 ] && return 0
	if ! grep -qs "hugetlbfs /dev/hugepages" /proc/mounts; then
		mkdir -p /dev/hugepages 2>/dev/null
		mount -t hugetlbfs nodev /dev/hugepages 2>/dev/null ||
			{ log "no hugetlbfs on /dev/hugepages and cannot mount it: using --no-huge"; NO_HUGE=1; return 0; }
	fi
	nr=$(cat $HP_SYS/nr_hugepages 2>/dev/null || echo 0)
	free=$(cat $HP_SYS/free_hugepages 2>/dev/null || echo 0)
	if [ "$free" -lt "$HUGEPAGES" ]; then
		want=$((nr + HUGEPAGES - free))
		echo "$want" > $HP_SYS/nr_hugepages 2>/dev/null
		free=$(cat $HP_SYS/free_hugepages 2>/dev/null || echo 0)
		log "hugepages: asked for $want 2 MB pages in all, $free free"
	fi
	if [ "$free" -lt 512 ]; then
		log "only $free free 2 MB hugepages: using --no-huge (figures will be lower)"
		NO_HUGE=1
	fi
}

# ---- builds ----

build_bench() {
	local src=$ROOT/app/dsanchor-bench out=$BB/dsanchor-bench
	if [ -n "$BENCH_BIN" ]; then
		[ -x "$BENCH_BIN" ] || die "$BENCH_BIN is not executable"
		return 0
	fi
	BENCH_BIN=$out
	if [ -x "$out" ] && [ "$out" -nt "$src/gen.c" ] && [ "$out" -nt "$src/main.c" ] &&
			[ "$out" -nt "$src/gen.h" ] && [ "$out" -nt "$src/bench.h" ]; then
		return 0
	fi
	# Only memif-gen is needed here, so the lead's cycles.c (which needs lib/) is replaced
	# by a stub in this private build.
	cat > "$BB/cycles-stub.c" <<'EOF'
#include <stdio.h>
#include "bench.h"
int
dsa_bench_cycles_main(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "cycles: not in this build (tools/bench-fwd.sh builds memif-gen only)\n");
	return 1;
}
EOF
	log "building $out"
	# shellcheck disable=SC2046
	cc -O3 -g -Wall -Wextra -Wno-unused-parameter -Wno-missing-field-initializers \
		-D_GNU_SOURCE -DALLOW_EXPERIMENTAL_API -I"$src" $(pkg-config --cflags libdpdk) \
		"$src/main.c" "$src/gen.c" "$BB/cycles-stub.c" -o "$out" \
		$(pkg-config --libs libdpdk) || die "cannot build dsanchor-bench"
}

L3FWD=$BB/l3fwd/build/l3fwd
build_l3fwd() {
	local ex=/usr/share/dpdk/examples
	[ -x "$L3FWD" ] && return 0
	[ -d $ex/l3fwd ] || die "$ex/l3fwd not found (apt-get install dpdk-doc)"
	log "building l3fwd from $ex/l3fwd into $BB/l3fwd"
	rm -rf "$BB/l3fwd" "$BB/common"
	cp -r $ex/l3fwd $ex/common "$BB/" || die "cannot copy the l3fwd example"
	# memif offers no Rx checksum offload, and l3fwd asks for it unconditionally.
	sed -i 's|\.offloads = RTE_ETH_RX_OFFLOAD_CHECKSUM,|.offloads = 0, /* bench-fwd.sh: memif has no Rx checksum offload */|' \
		"$BB/l3fwd/main.c"
	grep -q "bench-fwd.sh: memif" "$BB/l3fwd/main.c" || die "cannot patch l3fwd/main.c"
	# shared, like the Debian dpdk-testpmd it is compared with
	make -C "$BB/l3fwd" -j2 shared >"$BB/l3fwd-build.log" 2>&1 ||
		die "cannot build l3fwd (see $BB/l3fwd-build.log)"
}

# ---- one measurement ----

eal_mem() { # $1: MB for --no-huge
	if [ "$NO_HUGE" = 1 ]; then echo "--no-huge -m $1"; else echo "--huge-unlink"; fi
}

memif_vdevs() {
	echo "--vdev net_memif0,role=client,socket=$SOCKDIR/gen0.sock,socket-abstract=no,id=0" \
		"--vdev net_memif1,role=client,socket=$SOCKDIR/gen1.sock,socket-abstract=no,id=1"
}

# CPU time in USER_HZ ticks: "busy all" for the machine, and the sum for some processes.
sys_ticks() {
	awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9 }' \
		/proc/stat
}
pid_ticks() {
	local p t=0 x
	for p in "$@"; do
		x=$(sed 's/.*) //' "/proc/$p/stat" 2>/dev/null | awk '{ print $12 + $13 }')
		t=$((t + ${x:-0}))
	done
	echo "$t"
}

# Round trip of a cache line between CPUs 0 and 1, in ns. On a VM, the host moves the vCPUs
# between cores that share a cache and cores that do not; memif throughput follows this
# figure, several times over. (dsanchor-bench xcore-rtt)
xcore_rtt() {
	"$BENCH_BIN" xcore-rtt --cpu0 0 --cpu1 1 2>/dev/null |
		python3 -c 'import json, sys; print(int(json.load(sys.stdin)["rtt_ns"]))' 2>/dev/null ||
		echo 0
}

# run_point DUT DIRECTION SIZE "GEN OPTIONS" DUT-COMMAND...
# Starts the generator (the memif server), then the DUT; waits for the generator's result;
# stops the DUT, then the generator; appends the labelled result to $RESULTS. Returns 0, 1 if
# there is no result, 2 if the point is not clean (recorded with "clean": false): other
# processes took more than $OTHERS_MAX % of the machine while it ran, or the cache-line round
# trip between the CPUs, before or after, was above $RTT_MAX ns.
run_point() {
	local dut=$1 dir=$2 size=$3 genopts=$4
	shift 4
	local tag=$dut-$dir-$size-$REP
	local glog=$RUNDIR/$tag.gen.log gout=$RUNDIR/$tag.json dlog=$RUNDIR/$tag.dut.log
	local gpid dpid i limit t0= t1= others=-1 rtt0 rtt1 clean=1

	rtt0=$(xcore_rtt)
	rm -f "$SOCKDIR"/gen0.sock "$SOCKDIR"/gen1.sock
	# shellcheck disable=SC2086
	$NICE_CMD "$BENCH_BIN" memif-gen -l 0 --file-prefix "$PREFIX-gen" --no-pci \
		$(eal_mem 512) --log-level=notice -- --socket-dir "$SOCKDIR" \
		--duration "$DURATION" --warmup "$WARMUP" --link-timeout "$LINK_TIMEOUT" \
		--hold 30 $genopts >"$gout" 2>"$glog" </dev/null &
	gpid=$!
	PIDS+=("$gpid")
	for i in $(seq 100); do
		[ -S "$SOCKDIR/gen0.sock" ] && [ -S "$SOCKDIR/gen1.sock" ] && break
		kill -0 "$gpid" 2>/dev/null || break
		sleep 0.1
	done
	if ! [ -S "$SOCKDIR/gen1.sock" ]; then
		log "$tag: the generator did not create its sockets (see $glog)"
		stop_pid "$gpid"
		PIDS=()
		return 1
	fi

	$NICE_CMD "$@" >"$dlog" 2>&1 </dev/null &
	dpid=$!
	PIDS+=("$dpid")

	# Bounded wait for the result: link timeout + warm-up + measurement + slack. The DUT is
	# stopped before the generator, which holds its ports up meanwhile (--hold): a memif
	# client whose server goes away while it polls can crash. From link-up to the result,
	# the CPU time of every other process on the machine is added up.
	limit=$(awk -v a="$LINK_TIMEOUT" -v b="$WARMUP" -v c="$DURATION" \
		'BEGIN { printf "%d", (a + b + c + 15) * 10 }')
	for i in $(seq "$limit"); do
		if grep -qs '^{' "$gout"; then
			t1="$(sys_ticks) $(pid_ticks "$gpid" "$dpid")"
			break
		fi
		[ -z "$t0" ] && grep -qs "links up" "$glog" &&
			t0="$(sys_ticks) $(pid_ticks "$gpid" "$dpid")"
		kill -0 "$gpid" 2>/dev/null || break
		if ! kill -0 "$dpid" 2>/dev/null; then
			log "$tag: the DUT exited early (see $dlog)"
			break
		fi
		sleep 0.1
	done
	stop_pid "$dpid"
	stop_pid "$gpid"
	PIDS=()
	rtt1=$(xcore_rtt)

	if ! grep -qs '^{' "$gout"; then
		log "$tag: no result (generator log: $glog, DUT log: $dlog)"
		tail -n 3 "$glog" "$dlog" >&2
		return 1
	fi
	if [ -n "$t0" ] && [ -n "$t1" ]; then
		# share of the whole machine (both CPUs) that went to anything but us
		others=$(echo "$t0 $t1" | awk '{ all = $5 - $2; mine = $6 - $3;
			printf "%d", (all > 0 ? 100 * ($4 - $1 - mine) / all : 0) }')
		[ "$others" -lt 0 ] && others=0
	fi
	[ "$others" -gt "$OTHERS_MAX" ] && clean=0
	[ "$rtt0" -gt "$RTT_MAX" ] || [ "$rtt1" -gt "$RTT_MAX" ] && clean=0
	python3 - "$RUN_ID" "$dut" "$dir" "$size" "$REP" "$gout" "$BINDINGS" "$FLOWS" \
		"$others" "$rtt0" "$rtt1" "$clean" "$NICE" >>"$RESULTS" <<'EOF'
import json, sys
(run, dut, direction, size, rep, path, bindings, flows, others, rtt0, rtt1, clean,
 nice) = sys.argv[1:]
with open(path) as f:
    g = json.loads([l for l in f if l.startswith("{")][-1])
rec = {"run": run, "dut": dut, "dir": direction, "size": int(size), "rep": int(rep),
       "clean": clean == "1", "cpu_others_pct": int(others),
       "xcore_rtt_ns_before": int(rtt0), "xcore_rtt_ns_after": int(rtt1), "nice": int(nice)}
if dut == "dsanchor":
    rec["bindings"] = int(bindings)
else:
    rec["flows"] = int(flows)
rec.update(g)
print(json.dumps(rec, separators=(",", ":")))
EOF
	log "$tag: $(python3 -c 'import json,sys; g=json.loads([l for l in open(sys.argv[1]) if l.startswith("{")][-1]); print("%.2f Mpps rx (p90 %.2f), %.2f Mpps tx, %.2f Gb/s" % (g["rx_mpps"], g.get("rx_mpps_p90", 0), g["tx_mpps"], g["rx_gbps"]))' "$gout"), others $others%, rtt $rtt0/$rtt1 ns"
	if [ "$clean" = 0 ]; then
		log "$tag: not clean (others > $OTHERS_MAX% or rtt > $RTT_MAX ns)"
		return 2
	fi
	return 0
}

# Runs a point again, up to $RETRIES times, while it is spoilt, within $RETRY_BUDGET.
run_clean() {
	local try rc
	for try in $(seq 0 "$RETRIES"); do
		"$@"
		rc=$?
		[ "$rc" = 2 ] || return "$rc"
		[ "$try" -lt "$RETRIES" ] && [ "$RETRY_BUDGET" -gt 0 ] || break
		RETRY_BUDGET=$((RETRY_BUDGET - 1))
		log "measuring again ($RETRY_BUDGET more allowed in this run)"
	done
	return 2
}

# ---- the DUTs ----

run_testpmd() {
	local size=$1
	# shellcheck disable=SC2046
	run_clean run_point testpmd fwd "$size" "--pkt-size $size --flows $FLOWS" \
		dpdk-testpmd -l 0,1 --main-lcore 0 --file-prefix "$PREFIX-dut" --no-pci \
		$(eal_mem 1024) $(memif_vdevs) -- --forward-mode=io --auto-start --no-mlockall \
		--nb-cores=1 --rxq=1 --txq=1 --stats-period 5
}

run_l3fwd() {
	local size=$1
	# The main lcore is the forwarding lcore 1: with a separate main lcore, l3fwd's
	# rte_eal_mp_wait_lcore() would spin on CPU 0, against the generator.
	# shellcheck disable=SC2046
	run_clean run_point l3fwd fwd "$size" "--pkt-size $size --flows $FLOWS" \
		"$L3FWD" -l 1 --file-prefix "$PREFIX-dut" --no-pci $(eal_mem 2048) $(memif_vdevs) \
		-- -p 0x3 -P -E --parse-ptype --config="(0,0,1),(1,0,1)" \
		--rule_ipv4="$RUNDIR/l3fwd-rules.v4" --rule_ipv6="$RUNDIR/l3fwd-rules.v6"
}

# The generated config names the generator's sockets and the DUT's MACs; see
# tools/gen-bench-config.py for the topology.
DS_CORE_MAC=02:00:00:00:c0:01
DS_ACCESS_MAC=02:00:00:00:a0:01
# memif's MTU is at most 1500, and the largest encapsulation (IPv6 + GRE) adds 48 bytes, so
# dsanchor's plain frames stop at 1466 bytes: its "1500" row is measured with 1466-byte frames
# (the JSON's pkt_size says so).
DS_MAX_FRAME=1466
run_dsanchor() {
	local row=$1 size=$1 cfg=$RUNDIR/dsanchor.json nohuge=
	[ "$size" -gt "$DS_MAX_FRAME" ] && size=$DS_MAX_FRAME
	[ "$NO_HUGE" = 1 ] && nohuge=--no-huge
	# shellcheck disable=SC2086
	python3 "$ROOT/tools/gen-bench-config.py" --bindings "$BINDINGS" --gre-every "$GRE_EVERY" \
		--pkt-size "$size" --frames 4096 --socket-dir "$SOCKDIR" \
		--file-prefix "$PREFIX-dut" $nohuge --config "$cfg" \
		--downlink "$RUNDIR/downlink-$size.pcap" --uplink "$RUNDIR/uplink-$size.pcap" ||
		{ log "gen-bench-config.py failed"; return 1; }
	run_clean run_point dsanchor down "$row" \
		"--pcap $RUNDIR/downlink-$size.pcap --dst-mac $DS_CORE_MAC --max-frames 4096" \
		"$DSANCHOR" -c "$cfg"
	[ "$UPLINK" = 1 ] || return 0
	# Uplink: the generator sends on the access side, so its port 0 takes the DUT's access
	# socket and id.
	run_clean run_point dsanchor up "$row" \
		"--pcap $RUNDIR/uplink-$size.pcap --dst-mac $DS_ACCESS_MAC --max-frames 4096 --socket0 $SOCKDIR/gen1.sock --id0 1 --mac0 02:00:00:00:ee:01 --socket1 $SOCKDIR/gen0.sock --id1 0 --mac1 02:00:00:00:ee:00" \
		"$DSANCHOR" -c "$cfg"
}

# ---- main ----

command -v pkg-config >/dev/null && pkg-config --exists libdpdk || die "libdpdk-dev is needed"
command -v dpdk-testpmd >/dev/null || die "dpdk-testpmd is needed (apt-get install dpdk)"
command -v python3 >/dev/null || die "python3 is needed"
[ "$(nproc)" -ge 2 ] || die "two CPUs are needed (generator on 0, DUT on 1)"
[ "$(id -u)" = 0 ] || log "not root: hugepages and memif may not be available"

[ "$NICE" != 0 ] && NICE_CMD="nice -n $NICE"
mkdir -p "$BB" "$RUNDIR" "$SOCKDIR" "$(dirname "$RESULTS")" || die "cannot create $BB"
setup_hugepages
build_bench
"$BENCH_BIN" memif-gen -- --flows "$FLOWS" --write-l3fwd-rules "$RUNDIR/l3fwd-rules" ||
	die "cannot write the l3fwd rules"

if [ -z "$RTT_MAX" ]; then
	RTT_BASE=$(for i in 1 2 3 4 5; do xcore_rtt; sleep 0.2; done | sort -n | head -n 1)
	RTT_MAX=$((2 * RTT_BASE))
	[ "$RTT_BASE" = 0 ] && RTT_MAX=1000000
	log "cache-line round trip between CPUs 0 and 1: $RTT_BASE ns at best; points above" \
		"$RTT_MAX ns are measured again"
fi

want_dut() { case ",$DUTS," in *",$1,"*) return 0 ;; esac; return 1; }

DO_DSANCHOR=0
if want_dut dsanchor; then
	if [ ! -x "$DSANCHOR" ]; then
		log "dsanchor: $DSANCHOR is not built yet; skipping it (testpmd and l3fwd still run)"
	elif [ ! -f "$ROOT/drivers-cfg/memif.json" ]; then
		log "dsanchor: drivers-cfg/memif.json is missing; skipping dsanchor"
	else
		DO_DSANCHOR=1
	fi
fi
want_dut l3fwd && build_l3fwd

log "run $RUN_ID: sizes [$SIZES], ${WARMUP}s warm-up + ${DURATION}s per point," \
	"$([ "$NO_HUGE" = 1 ] && echo "no hugepages" || echo "hugepages"); results in $RESULTS"
# Each repetition runs every DUT once per size, back to back, in an order that rotates
# between repetitions: the host's noise (these are VMs) then falls on all DUTs alike.
DUT_LIST=()
want_dut testpmd && DUT_LIST+=(testpmd)
want_dut l3fwd && DUT_LIST+=(l3fwd)
[ "$DO_DSANCHOR" = 1 ] && DUT_LIST+=(dsanchor)
[ ${#DUT_LIST[@]} -gt 0 ] || die "no DUT to run"
n_points=$(( $(echo $SIZES | wc -w) * REPEAT * (${#DUT_LIST[@]} + (DO_DSANCHOR && UPLINK)) ))
RETRY_BUDGET=$((n_points / 3))
for size in $SIZES; do
	for REP in $(seq "$REPEAT"); do
		n=${#DUT_LIST[@]}
		for k in $(seq 0 $((n - 1))); do
			run_"${DUT_LIST[$(((k + REP - 1) % n))]}" "$size"
		done
	done
done

python3 - "$RESULTS" "$RUN_ID" <<'EOF'
import json, statistics, sys
path, run = sys.argv[1:]
pts = {}
hp = None
with open(path) as f:
    for line in f:
        try:
            r = json.loads(line)
        except ValueError:
            continue
        if r.get("run") != run:
            continue
        hp = r.get("hugepages")
        pts.setdefault((r["dut"], r["dir"], r["size"]), []).append(r)
if not pts:
    print("no results", file=sys.stderr)
    sys.exit(1)
# Spoilt points (other processes ran meanwhile) count only where there is no clean one.
spoilt = {k: sum(not x.get("clean", True) for x in v) for k, v in pts.items()}
for k, v in pts.items():
    clean = [x for x in v if x.get("clean", True)]
    pts[k] = clean or v
mean = {k: statistics.median(x["rx_mpps"] for x in v) for k, v in pts.items()}
p90 = {k: statistics.median(x.get("rx_mpps_p90", x["rx_mpps"]) for x in v)
       for k, v in pts.items()}
order = {"testpmd": 0, "l3fwd": 1, "dsanchor": 2}
print()
print("run %s, %s; sizes exclude the FCS" % (run, "hugepages" if hp else "no hugepages"))
print("mean: rx Mpps over the measured interval; p90: the rate of its best 10% of 0.1 s"
      " slots;\nboth are medians over the clean repetitions; ratios are to testpmd at the"
      " same size")
bad = [k for k, v in pts.items() if not v[0].get("clean", True)]
if bad:
    print("warning: %d of %d rows have no clean point (other processes were using the CPUs,"
          " or the host had moved them apart); their figures are suspect" % (len(bad), len(pts)))
print("%-14s %5s %5s %5s %7s %7s %15s %7s %6s %6s" % ("DUT", "size", "frame", "clean",
      "mean", "p90", "p90 min..max", "Gb/s", "r.mean", "r.p90"))
for k in sorted(pts, key=lambda k: (k[2], order.get(k[0], 9), k[1])):
    dut, d, size = k
    v = pts[k]
    lo = min(x.get("rx_mpps_p90", x["rx_mpps"]) for x in v)
    hi = max(x.get("rx_mpps_p90", x["rx_mpps"]) for x in v)
    gbps = statistics.median(x["rx_gbps"] for x in v)
    base = ("testpmd", "fwd", size)
    r_mean = "%.2f" % (mean[k] / mean[base]) if mean.get(base) else "-"
    r_p90 = "%.2f" % (p90[k] / p90[base]) if p90.get(base) else "-"
    name = dut if d == "fwd" else "%s-%s" % (dut, d)
    # the mean frame length sent (uplink frames carry the tunnel headers)
    frame = statistics.median(x["pkt_size"] for x in v)
    nclean = sum(x.get("clean", True) for x in v)
    print("%-14s %5d %5.0f %5s %7.2f %7.2f %7.2f..%-6.2f %7.2f %6s %6s"
          % (name, size, frame, "%d/%d" % (nclean, nclean + spoilt[k]), mean[k], p90[k],
             lo, hi, gbps, r_mean, r_p90))
EOF
