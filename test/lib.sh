# Shared by the shell tests (sourced). Usage: TEST DSANCHOR REPO.
# Sets bin and repo, and moves into a scratch directory, removed on exit,
# that holds the demo's input pcaps in run/demo (the embedded config's paths).
bin=$1
repo=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
mkdir -p run/demo
/usr/bin/python3 "$repo/tools/demo-traffic.py" gen run/demo
