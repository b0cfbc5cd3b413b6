#!/usr/bin/env bash
# bench/callgrind.sh - instructions executed on the ranking hot path, which unlike times do not
# depend on what else the machine is doing: valgrind's callgrind over
#     procsearch bench --repeat 1 --threads 1 --queries corpus/dev/queries.tsv
# (a warm-up pass and one timed pass over the 619 queries, snippets and JSON included) on a
# database indexed from corpus/dev/docs.  Also `make bench-callgrind`.
#
# Prints the total instruction count (Ir), the top $TOP functions by inclusive Ir
# (callgrind_annotate --inclusive=yes) and by their own Ir, and how the total moved against
# the previous run (two runs of the same build agree within about 0.02%: jansson seeds its
# hash tables at random).
# Output in bench/out/callgrind/: callgrind.out (open it with callgrind_annotate or
# kcachegrind), report.txt (what is printed), last.json ({"total_ir", "top"}, the previous
# run's kept as previous.json), db/ (the database, rebuilt on every run).
# Environment: BUILD (default build), TOP (default 15), QUERIES (default
# corpus/dev/queries.tsv), PAGES (default corpus/dev/docs).
set -euo pipefail

cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
TOP=${TOP:-15}
QUERIES=${QUERIES:-corpus/dev/queries.tsv}
PAGES=${PAGES:-corpus/dev/docs}
BIN=$BUILD/procsearch
OUT=bench/out/callgrind

die() { echo "bench/callgrind.sh: $*" >&2; exit 1; }
step() { echo "== $*" >&2; }

[[ $TOP =~ ^[0-9]+$ ]] && [ "$TOP" -ge 1 ] || die "TOP must be a whole number >= 1, not '$TOP'"
[ -r "$QUERIES" ] || die "cannot read $QUERIES"
command -v valgrind > /dev/null && command -v callgrind_annotate > /dev/null ||
    die "valgrind is missing (make deps-bench)"

step "build $BIN"
make --no-print-directory BUILD="$BUILD" all >&2

mkdir -p "$OUT"
step "index $PAGES into $OUT/db"
# shellcheck disable=SC2086  # PAGES may name several paths
"$BIN" index --quiet --overwrite --db "$OUT/db" $PAGES >&2

step "valgrind --tool=callgrind: procsearch bench --repeat 1 --threads 1 --queries $QUERIES"
rm -f "$OUT/callgrind.out"
# No progress line (stderr is not a terminal) and one thread: the same instructions every run.
valgrind --tool=callgrind --callgrind-out-file="$OUT/callgrind.out" --log-file="$OUT/valgrind.log" \
    "$BIN" bench --db "$OUT/db" --queries "$QUERIES" --repeat 1 --threads 1 \
    > "$OUT/bench.txt" 2> "$OUT/bench.err" < /dev/null ||
    die "valgrind or procsearch bench failed (see $OUT/valgrind.log, $OUT/bench.err)"

# callgrind_annotate: "N (100.0%)  PROGRAM TOTALS" then one line per function,
# "N (P%)  file:function [object]", inclusive cost first with --inclusive=yes.
callgrind_annotate --inclusive=yes --threshold=100 "$OUT/callgrind.out" > "$OUT/annotate.txt"
callgrind_annotate --inclusive=no --threshold=100 "$OUT/callgrind.out" > "$OUT/annotate-self.txt"
total=$(grep -m1 'PROGRAM TOTALS' "$OUT/annotate.txt" | awk '{gsub(",", "", $1); print $1}')
[[ $total =~ ^[0-9]+$ ]] || die "no PROGRAM TOTALS in $OUT/annotate.txt"
# The function lines follow the "Ir ... file:function" header of the function table.  A
# function can be listed twice, under its source path as the compiler recorded it and as
# debug information of inlined code names it ("query/search.c:ps_search [procsearch]" and
# "/work/main/query/search.c:ps_search"): the first (highest) line of each name is kept.
top_functions() { # ANNOTATE_FILE
    awk -v top="$TOP" '
    /file:function/ { table = 1; next }
    table && /^ *[0-9][0-9,]* / {
        ir = $1; gsub(",", "", ir)
        pct = $0; sub(/^[^(]*\( */, "", pct); sub(/%.*/, "", pct)
        fn = $0; sub(/^ *[0-9,]+ +\([^)]*\) +/, "", fn)
        name = fn; sub(/ \[[^]]*\]$/, "", name); sub(/^.*:/, "", name)
        if (name ~ /^0x/) { obj = fn; sub(/^[^[]*/, "", obj); name = name obj }
        if (name in seen) next
        seen[name] = 1
        printf "%s\t%s\t%s\n", ir, pct, fn
        if (++n == top) exit
    }' "$1"
}
top_functions "$OUT/annotate.txt" > "$OUT/top.tsv"
top_functions "$OUT/annotate-self.txt" > "$OUT/top-self.tsv"
[ -s "$OUT/top.tsv" ] || die "no function lines in $OUT/annotate.txt"

[ -f "$OUT/last.json" ] && mv "$OUT/last.json" "$OUT/previous.json"
jq -n --argjson total "$total" --arg queries "$QUERIES" \
    --rawfile top "$OUT/top.tsv" --rawfile self "$OUT/top-self.tsv" '
    def rows: [split("\n")[] | select(length > 0) | split("\t")
               | {ir: (.[0] | tonumber), pct: (.[1] | tonumber), function: .[2]}];
    {total_ir: $total, queries: $queries, top: ($top | rows), top_self: ($self | rows)}' \
    > "$OUT/last.json"

{
    n_queries=$(grep -c . "$QUERIES")
    printf 'procsearch bench --repeat 1 --threads 1 (%s queries, warm-up + 1 pass) on %s\n' \
        "$n_queries" "$PAGES"
    printf 'total instructions (Ir): %s  (%s per search)\n' "$total" "$((total / (2 * n_queries)))"
    if [ -f "$OUT/previous.json" ]; then
        jq -r --argjson total "$total" '
            "previous run: \(.total_ir)  (this run \(if $total >= .total_ir then "+" else "" end)\(($total - .total_ir) / .total_ir * 100 * 1000 | round / 1000)%)"' \
            "$OUT/previous.json"
    fi
    echo
    printf 'top %s functions by inclusive Ir:\n' "$TOP"
    awk -F'\t' '{ printf "%16s %6.2f%%  %s\n", $1, $2, $3 }' "$OUT/top.tsv"
    echo
    printf 'top %s functions by their own (exclusive) Ir:\n' "$TOP"
    awk -F'\t' '{ printf "%16s %6.2f%%  %s\n", $1, $2, $3 }' "$OUT/top-self.tsv"
} | tee "$OUT/report.txt"
