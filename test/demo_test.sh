#!/usr/bin/env bash
# The README's demo, without the set-up: the embedded default config on its
# pcaps. Every tunnel type must appear in both directions, and the bad packets
# must be dropped under their own reasons.
# usage: demo_test.sh DSANCHOR REPO
set -euo pipefail
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck disable=SC2086
"$bin" ${DSA_MEM_ARGS:---no-huge -m 512} --file-prefix "dsa-demo-test-$$" -- --idle-exit 800 \
	>out.txt 2>&1
/usr/bin/python3 "$repo/tools/demo-traffic.py" report run/demo >report.txt
cat out.txt report.txt
fail=0
want() {
	if ! grep -Eq "^  $1 +$2( |$)" out.txt; then
		echo "FAIL: expected counter $1 = $2"
		fail=1
	fi
}
for c in encap_6in6 encap_4in6 encap_6in4 decap_6in6 decap_4in4 decap_6in4 hairpin \
	drop.unknown_hoa drop.spoofed_src ctrl.echo_reply; do
	want "$c" 1
done
for c in encap_4in4 encap_gre6 encap_gre4 decap_gre6 decap_gre4 decap_4in6; do
	want "$c" 2
done
want rx 20
want tx 18
[ "$(grep -c 'dropped (see' report.txt)" -eq 2 ] || { echo "FAIL: two packets must be dropped"; fail=1; }
exit $fail
