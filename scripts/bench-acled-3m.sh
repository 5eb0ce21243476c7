#!/usr/bin/env bash
# The 3-million-row ACLED comparison of docs/performance.md ("A whole ACLED export").
#
# Usage: APP=target/release/strikemap scripts/bench-acled-3m.sh FILE
#
#   FILE  an ACLED CSV, e.g. from
#         strikemap-synth --format acled-csv --count 3m --out acled-3m.csv
#
# Each tool reads FILE once untimed; then 3 interleaved runs of strikemap validate, ogr2ogr
# reading every attribute and ogr2ogr with -select of the 8 columns every ACLED row is checked
# on, under GNU time: name, load average, wall s, user s, system s, peak RSS KiB, exit status.
set -euo pipefail
F=${1:?usage: APP=path/to/strikemap $0 FILE}
APP=${APP:-target/release/strikemap}
SEL=event_id_cnty,event_date,event_type,country,latitude,longitude,geo_precision,fatalities
t() {
    local name=$1
    shift
    echo "$name load=$(cut -d' ' -f1 /proc/loadavg) $({ /usr/bin/time -f '%e %U %S %M %x' "$@" >/dev/null; } 2>&1 | tail -n 1)"
}
"$APP" validate "$F"
ogr2ogr -f CSV /vsistdout/ "$F" -oo X_POSSIBLE_NAMES=longitude -oo Y_POSSIBLE_NAMES=latitude >/dev/null
for run in 1 2 3; do
    t "strikemap-$run" "$APP" validate "$F" || true
    t "gdal-all-$run" ogr2ogr -f CSV /vsistdout/ "$F" -oo X_POSSIBLE_NAMES=longitude -oo Y_POSSIBLE_NAMES=latitude
    t "gdal-select-$run" ogr2ogr -f CSV /vsistdout/ "$F" -oo X_POSSIBLE_NAMES=longitude -oo Y_POSSIBLE_NAMES=latitude -select "$SEL"
done
