#!/usr/bin/env bash
# serve.sh - `procsearch serve` under load: wrk sends a mix of /search and
# /suggest requests (bench/serve.lua, queries from corpus/dev/queries.tsv) at
# 1, 4, 16 and 64 connections, first with the server idle otherwise and then
# while an indexer re-indexes corpus/dev/docs into the same database in a
# loop.  Prints one table: requests/s, latency percentiles, errors.
#
# Environment: BIN (procsearch binary, default build/procsearch), DURATION
# (seconds per step, default 10), CONNS (default "1 4 16 64"), THREADS
# (server threads, default: cores), OUT (folder for logs, default bench/out).
set -euo pipefail
cd "$(dirname "$0")/.."

BIN=${BIN:-build/procsearch}
DURATION=${DURATION:-10}
CONNS=${CONNS:-1 4 16 64}
OUT=${OUT:-bench/out}
CORES=$(nproc)
THREADS=${THREADS:-$CORES}
command -v wrk >/dev/null || { echo "serve.sh: wrk is missing (make deps-bench)" >&2; exit 1; }
[ -x "$BIN" ] || { echo "serve.sh: no binary at $BIN (make)" >&2; exit 1; }

mkdir -p "$OUT"
work=$(mktemp -d "${TMPDIR:-/tmp}/procsearch-serve-bench.XXXXXX")
server_pid=""
indexer_pid=""
cleanup() {
    [ -n "$indexer_pid" ] && touch "$work/stop" && wait "$indexer_pid" 2>/dev/null
    [ -n "$server_pid" ] && kill -TERM "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT

db="$work/db"
"$BIN" index --quiet --db "$db" corpus/dev/docs

"$BIN" serve --db "$db" --listen 127.0.0.1:0 --threads "$THREADS" 2>"$OUT/serve.log" &
server_pid=$!
for _ in $(seq 100); do
    url=$(grep -o 'http://127\.0\.0\.1:[0-9]*' "$OUT/serve.log" || true)
    [ -n "$url" ] && break
    sleep 0.1
done
[ -n "$url" ] || { echo "serve.sh: the server did not start:" >&2; cat "$OUT/serve.log" >&2; exit 1; }

# Re-index the corpus over and over in small batches (many commits) until
# told to stop; a run in progress finishes first.
reindex_loop() {
    while [ ! -e "$work/stop" ]; do
        "$BIN" index --quiet --batch 20 --db "$db" corpus/dev/docs || exit 1
    done
}

results="$OUT/serve-results.txt"
: > "$results"
run_step() { # label conns
    # wrk's own threads: no more than connections, nor than the cores.
    local threads=$(( $2 < CORES ? $2 : CORES ))
    QUERIES=corpus/dev/queries.tsv LABEL="$1/$2" \
        wrk --latency -t "$threads" -c "$2" -d "${DURATION}s" -s bench/serve.lua "$url" \
        > "$work/wrk.txt"
    grep '^RESULT' "$work/wrk.txt" | tee -a "$results" >&2
}

for c in $CONNS; do run_step idle "$c"; done
reindex_loop & indexer_pid=$!
for c in $CONNS; do run_step reindexing "$c"; done
touch "$work/stop"
reindex_rc=0
wait "$indexer_pid" || reindex_rc=$?
indexer_pid=""

stats=$(curl -s "$url/stats" || true)
kill -TERM "$server_pid"; wait "$server_pid"; server_rc=$?
server_pid=""

echo
echo "procsearch serve, $(wc -l < corpus/dev/queries.tsv) queries mixed 1:2 /search:/suggest," \
     "$THREADS server threads, $CORES cores, ${DURATION}s per step"
printf '%-11s %6s %10s %9s %9s %9s %8s %8s\n' load conns req/s p50_ms p90_ms p99_ms sockerr non2xx
sed -e 's/^RESULT //' "$results" | while read -r label requests rps p50 p90 p99 sockerr non2xx; do
    v() { echo "${1#*=}"; }
    l=$(v "$label")
    printf '%-11s %6s %10s %9s %9s %9s %8s %8s\n' "${l%/*}" "${l#*/}" "$(v "$rps")" "$(v "$p50")" \
        "$(v "$p90")" "$(v "$p99")" "$(v "$sockerr")" "$(v "$non2xx")"
done
echo
echo "server /stats at the end: $stats"
echo "server exit status after SIGTERM: $server_rc; indexer loop exit status: $reindex_rc"
server_errors=$(grep -c 'procsearch serve:' "$OUT/serve.log" || true)
echo "server error lines in $OUT/serve.log: $server_errors"
