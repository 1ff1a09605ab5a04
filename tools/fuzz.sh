#!/usr/bin/env bash
# Build the libFuzzer targets with clang (ASan + UBSan) in build-fuzz/ and
# run each for SECONDS (default 60), keeping what it finds in its corpus.
# usage: tools/fuzz.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-60}
tools/setup.sh --no-build >/dev/null
if [ ! -f build-fuzz/build.ninja ]; then
	CC=clang meson setup build-fuzz -Dfuzz=true -Dbuildtype=debugoptimized >/dev/null
fi
ninja -C build-fuzz test/fuzz/fuzz_mh >/dev/null
for t in mh; do
	corpus=test/fuzz/corpus/$t
	mkdir -p "build-fuzz/corpus-$t"
	echo "fuzz_$t: $secs s"
	"build-fuzz/test/fuzz/fuzz_$t" -max_total_time="$secs" -print_final_stats=1 \
		"build-fuzz/corpus-$t" "$corpus" 2>&1 | grep -E 'stat::number_of_executed_units|stat::peak_rss|ERROR|SUMMARY' || true
done
