#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# usage: test_config_bad.sh CHECKER DIR [PROFILES_DIR]
# Runs CHECKER FILE [PROFILES_DIR] on every DIR/*.json. Each must be rejected: exit status 1..127
# (not a crash), nothing on stdout, exactly one line on stderr, and that line
# names the file and contains the text of the sibling <name>.expect.
set -u

checker=${1:?usage: $0 CHECKER DIR}
dir=${2:?usage: $0 CHECKER DIR}
profiles=${3:-}
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

pass=0
fail=0
shopt -s nullglob
for cfg in "$dir"/*.json; do
	name=$(basename "$cfg" .json)
	expect_file="$dir/$name.expect"
	why=""
	if [ ! -f "$expect_file" ]; then
		why="no $name.expect"
	else
		expect=$(head -n 1 "$expect_file")
		"$checker" "$cfg" ${profiles:+"$profiles"} >"$tmp/out" 2>"$tmp/err"
		rc=$?
		lines=$(wc -l <"$tmp/err")
		msg=$(head -n 1 "$tmp/err")
		if [ $rc -ge 128 ]; then
			why="crashed (exit $rc)"
		elif [ $rc -eq 0 ]; then
			why="accepted"
		elif [ -s "$tmp/out" ]; then
			why="wrote to stdout: $(head -n 1 "$tmp/out")"
		elif [ "$lines" -ne 1 ]; then
			why="$lines lines on stderr, expected 1"
		elif [[ "$msg" != *"$cfg"* ]]; then
			why="message does not name the file: $msg"
		elif [[ "$msg" != *"$expect"* ]]; then
			why="message lacks \"$expect\": $msg"
		fi
	fi
	if [ -z "$why" ]; then
		echo "PASS $name: $msg"
		pass=$((pass + 1))
	else
		echo "FAIL $name: $why"
		fail=$((fail + 1))
	fi
done
for e in "$dir"/*.expect; do
	if [ ! -f "${e%.expect}.json" ]; then
		echo "FAIL $(basename "$e"): no matching .json"
		fail=$((fail + 1))
	fi
done
echo "$pass passed, $fail failed"
[ $fail -eq 0 ] && [ $pass -gt 0 ]
