#!/usr/bin/env bash
# One night replayed many times on the same database: bench/nightly.ts's third 1M night on a copy of the database as
# its first two nights left it, each run a fresh process as cron starts it (bench/nightly-once.mjs: dist/ when built).
#   bash bench/replay-night.sh setup          # once: bench/nightly.ts --nights 3, then a database after nights 1-2
#   bash bench/replay-night.sh night|time|rerun  # the third night; then a day later with nothing new; then its asOf again
#   bash bench/replay-night.sh resnap         # after a change of the models' SQL or macros: the copy re-kept under it
#     (by a whole evaluation: its database file replayed the night 10-25 % slower than setup's, 7 December; figures from setup)
# Prints nightly-once's JSON. NODEOPTS (e.g. --cpu-prof) and AFSTEM_TRACE_SQL=<file> pass through; FULL=full evaluates
# the measured night whole. RP (default bench/data/replay) is the folder it works in.
set -e
REPO=$(cd "$(dirname "$0")/.." && pwd)
RP=${RP:-$REPO/bench/data/replay}
W=$REPO/bench/data/nightly-1000000-0
cd "$REPO"
run() { node $NODEOPTS bench/nightly-once.mjs "$RP/afstem.config.json" "$RP/out" "" "$@"; }
without() { (cd "$W/nights/$1" && find . -type f -name '*.csv') | while read -r f; do rm -f "$RP/inbox/$f"; done; }
case "${1:-night}" in
  setup)
    node --import tsx bench/nightly.ts --nights 3 --memory-limit '' --beside no
    rm -rf "$RP" && mkdir -p "$RP/snap"
    # a copy of its own, not hard links: a link made or removed elsewhere (bench/nightly.ts re-links the history on
    # every run) changes the files' ctime, and a file whose ctime moved since it was hashed is read and hashed again
    # (390 MB at 1M fees, 0.36 s a night: the harness's cost, not a night's)
    cp -r "$W/inbox" "$RP/inbox"
    sed "s#\"inbox\": \"inbox\"#\"inbox\": \"$RP/inbox\"#; s#\"database\": \"afstem.duckdb\"#\"database\": \"$RP/afstem.duckdb\"#" "$W/afstem.config.json" > "$RP/afstem.config.json"
    for n in 1 2 3; do without $n; done
    cp "$W/history.duckdb" "$RP/afstem.duckdb"
    for n in 1 2; do cp -r "$W/nights/$n/." "$RP/inbox/"; run "" > /dev/null; done
    cp "$RP/afstem.duckdb" "$RP/snap/" && rm -rf "$RP/snap/out" && cp -r "$RP/out" "$RP/snap/out"
    echo "replay database ready in $RP" ;;
  resnap)
    cp "$RP/snap/afstem.duckdb" "$RP/afstem.duckdb"; rm -f "$RP/afstem.duckdb.wal"; without 3
    run "$(grep -o '"asOf": "[^"]*"' "$RP/snap/out/summary.json" | cut -d'"' -f4)" > /dev/null
    cp "$RP/afstem.duckdb" "$RP/snap/afstem.duckdb" && echo "re-kept" ;;
  night|time|rerun)
    cp "$RP/snap/afstem.duckdb" "$RP/afstem.duckdb"; rm -f "$RP/afstem.duckdb.wal"
    rm -rf "$RP/out" && cp -r "$RP/snap/out" "$RP/out"
    without 3; cp -r "$W/nights/3/." "$RP/inbox/"
    if [ "$1" = night ]; then run "" $FULL
    else
      run "" $FULL > /dev/null
      AS=$(grep -o '"asOf": "[^"]*"' "$RP/out/summary.json" | cut -d'"' -f4)
      if [ "$1" = time ]; then AS=$(node -e "console.log(new Date(Date.parse('$AS') + 86400000).toISOString())"); fi
      run "$AS" $FULL
    fi
    without 3 ;;
  *) echo "usage: bash bench/replay-night.sh setup|night|time|rerun|resnap" >&2; exit 2 ;;
esac
