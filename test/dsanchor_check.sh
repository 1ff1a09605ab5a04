#!/usr/bin/env bash
# Adapter for test/unit/test_config_bad.sh: validate FILE with the real
# appliance binary (dsanchor --check), which must touch no port.
# usage: DSANCHOR=... dsanchor_check.sh FILE [PROFILES_DIR]
exec "$DSANCHOR" -- --check -c "$1" ${2:+-p "$2"}
