#!/usr/bin/env bash
# The README's second command (and .ci/run's): set up the machine, build,
# run every test suite (unit, packet) in the normal build and again in a
# build with AddressSanitizer + UBSan (the packet tests then run the
# sanitized appliance on real packets), and end with one line
# "N passed, N failed, N skipped".
#
# usage: tools/test.sh [--no-asan] [meson test args...]
set -uo pipefail
cd "$(dirname "$0")/.."
asan=1
if [ "${1:-}" = "--no-asan" ]; then
	asan=0
	shift
fi
eval "$(tools/setup.sh | tail -n 1)" || { echo "0 passed, 1 failed"; exit 1; }
export DSA_MEM_ARGS

logs=()
meson test -C build --print-errorlogs "$@"
logs+=(build/meson-logs/testlog.json)

if [ "$asan" -eq 1 ]; then
	# Alignment checks are off: DPDK's inline CRC and our header reads load
	# addresses at any offset in a packet, which x86 does at no cost.
	if [ ! -f build-asan/build.ninja ]; then
		meson setup build-asan -Db_sanitize=address,undefined -Dbuildtype=debug \
			-Dc_args=-fno-sanitize=alignment \
			-Db_lundef=false >/dev/null
	fi
	if ninja -C build-asan >/dev/null; then
		ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 \
			UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
			meson test -C build-asan --print-errorlogs
		logs+=(build-asan/meson-logs/testlog.json)
	else
		echo "ASan build failed" >&2
		echo '{"name": "asan-build", "result": "FAIL"}' >build/asan-build.json
		logs+=(build/asan-build.json)
	fi
fi

python3 - "${logs[@]}" <<'PY'
import json, sys
p = f = s = 0
for path in sys.argv[1:]:
    for line in open(path):
        r = json.loads(line).get("result")
        if r in ("OK", "EXPECTEDFAIL"):
            p += 1
        elif r == "SKIP":
            s += 1
        else:
            f += 1
print(f"{p} passed, {f} failed, {s} skipped")
sys.exit(1 if f else 0)
PY
