#!/usr/bin/env bash
# Adaptive idle: with no traffic, dsanchor must give its CPUs back (several
# instances share two CPUs in the scenario tests); in busy mode it must not.
# The margins are wide: adaptive must use under a quarter of what busy uses.
# usage: idle_test.sh DSANCHOR REPO
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

cpu_ticks() { # utime + stime of a process, in clock ticks
	awk '{print $14 + $15}' "/proc/$1/stat"
}

measure() { # mode -> CPU ticks used over 3 s of idling
	sed "s/\"mode\": \"adaptive\"/\"mode\": \"$1\"/" "$repo/config/demo.json" >cfg.json
	"$bin" --no-huge -m 512 --file-prefix "dsa-idle-$$-$1" -- -c cfg.json >"out-$1.txt" 2>&1 &
	local pid=$!
	for _ in $(seq 100); do
		grep -q running "out-$1.txt" && break
		sleep 0.1
	done
	sleep 1 # the pcap input is long consumed: idle from here
	local t0 t1
	t0=$(cpu_ticks $pid)
	sleep 3
	t1=$(cpu_ticks $pid)
	kill -INT $pid
	wait $pid
	rm -rf "/var/run/dpdk/dsa-idle-$$-$1"
	echo $((t1 - t0))
}

busy=$(measure busy)
adaptive=$(measure adaptive)
hz=$(getconf CLK_TCK)
echo "CPU used over 3 s idle: busy $busy ticks, adaptive $adaptive ticks ($hz ticks/s)"
if [ "$busy" -lt $((hz * 3 / 2)) ]; then
	echo "FAIL: busy mode used under half a CPU while idle: is it polling at all?"
	exit 1
fi
if [ $((adaptive * 4)) -ge "$busy" ]; then
	echo "FAIL: adaptive mode used $adaptive ticks, not under a quarter of busy's $busy"
	exit 1
fi
echo "ok - adaptive idle gives the CPUs back"
