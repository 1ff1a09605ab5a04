#!/usr/bin/env bash
# Set up a fresh Debian 12 machine for dsanchor: install the Debian packages
# that are missing (and only those), build, and reserve 2 MB hugepages when
# possible. Prints the EAL memory arguments to use on its last line, in
# DSA_MEM_ARGS=..., so callers can `eval` it: "--no-huge -m N" when no
# hugepages could be had.
#
# usage: tools/setup.sh [--no-build] [--hugepages N]
set -euo pipefail
cd "$(dirname "$0")/.."

PKGS=(build-essential meson ninja-build pkg-config python3 libdpdk-dev dpdk dpdk-dev
	dpdk-doc libjansson-dev libbsd-dev libpcap-dev libssl-dev tshark python3-scapy
	iproute2 clang llvm libclang-rt-14-dev)
build=1
pages=${DSA_HUGEPAGES:-1024}
while [ $# -gt 0 ]; do
	case "$1" in
	--no-build) build=0 ;;
	--hugepages) pages=$2; shift ;;
	*) echo "setup.sh: unknown option $1" >&2; exit 2 ;;
	esac
	shift
done

log() { echo "setup: $*" >&2; }

missing=()
for p in "${PKGS[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	log "installing ${missing[*]}"
	SUDO=""
	[ "$(id -u)" -eq 0 ] || SUDO=sudo
	export DEBIAN_FRONTEND=noninteractive
	echo "wireshark-common wireshark-common/install-setuid boolean false" |
		$SUDO debconf-set-selections 2>/dev/null || true
	$SUDO apt-get update -qq >&2
	$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
else
	log "Debian packages already present"
fi

if [ "$build" -eq 1 ]; then
	mkdir -p build
	if [ ! -f build/build.ninja ]; then
		log "configuring build/"
		meson setup build >build/setup.log 2>&1 || { cat build/setup.log >&2; exit 1; }
	fi
	log "building (log: build/ninja.log)"
	ninja -C build >build/ninja.log 2>&1 || { tail -n 40 build/ninja.log >&2; exit 1; }
fi

# Hugepages: reserve when we can (root), fall back to --no-huge otherwise.
hp=/sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages
mem_args="--no-huge -m 1024"
if [ -w "$hp" ]; then
	have=$(cat "$hp")
	if [ "$have" -lt "$pages" ]; then
		echo "$pages" >"$hp" 2>/dev/null || true
		have=$(cat "$hp")
	fi
	mountpoint -q /dev/hugepages 2>/dev/null ||
		{ mkdir -p /dev/hugepages && mount -t hugetlbfs nodev /dev/hugepages 2>/dev/null; } || true
	free=$(cat /sys/kernel/mm/hugepages/hugepages-2048kB/free_hugepages)
	if [ "$free" -ge 256 ] && mountpoint -q /dev/hugepages; then
		mem_args=""
		log "hugepages: $have reserved, $free free"
	else
		log "hugepages: only $free free: using --no-huge"
	fi
else
	log "hugepages: cannot reserve (not root): using --no-huge"
fi
echo "DSA_MEM_ARGS=\"$mem_args\""
