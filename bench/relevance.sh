#!/usr/bin/env bash
# bench/relevance.sh - procsearch and its peer engines (bench/peers/) side by side on the
# same pages and the same judged queries: one table of nDCG@10, MRR@10, P@1 and R@10,
# overall and per query type.  Also `make bench-relevance`.
#
# Steps: install the bench packages (scripts/install-deps.sh bench); build procsearch and
# the peers in $BUILD; `procsearch export` the pages to JSON Lines, so that every system
# indexes the identical parsed fields; index that file into each system; run the queries
# through each, writing TREC run files; score every run with `procsearch eval --score-run`.
#
# Systems:  procsearch         procsearch's own index and search (eval --run)
#           xapian-stock       plain Xapian: TermGenerator + QueryParser + BM25Weight
#           fts5               SQLite FTS5, bm25() with column weights
#           lucene-multifield  Lucene 8 MultiFieldQueryParser with field boosts
#           lucene-bm25f       Lucene 8 BM25FQuery (sandbox) per term
# Every peer gets procsearch's stopword list and field weights ($WEIGHTS); see the
# comment at the top of each bench/peers/ file for its exact set-up.
#
# Output: the table on stdout, bench/out/relevance.md (the same table, markdown),
# bench/out/relevance.json (every number), bench/out/runs/SYSTEM.run (the run files).
# Environment: BUILD (build folder, default build), PAGES (folder or files to export,
# default corpus/dev/docs), QUERIES, QRELS, WEIGHTS (default corpus/weights.conf), DEPTH
# (results per query in the run files, default 100).
set -euo pipefail

cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
PAGES=${PAGES:-corpus/dev/docs}
QUERIES=${QUERIES:-corpus/dev/queries.tsv}
QRELS=${QRELS:-corpus/dev/qrels.txt}
WEIGHTS=${WEIGHTS:-corpus/weights.conf}
DEPTH=${DEPTH:-100}
OUT=bench/out
WORK=$BUILD/bench/relevance
BIN=$BUILD/procsearch
PEERS=$BUILD/peers
SYSTEMS=(procsearch xapian-stock fts5 lucene-multifield lucene-bm25f)

die() { echo "bench/relevance.sh: $*" >&2; exit 1; }
step() { echo "== $*" >&2; }

for f in "$QUERIES" "$QRELS" "$WEIGHTS"; do
    [ -r "$f" ] || die "cannot read $f"
done

step "packages (scripts/install-deps.sh bench)"
scripts/install-deps.sh bench

step "build procsearch and the peers in $BUILD"
make --no-print-directory BUILD="$BUILD" all peers >&2

rm -rf "$WORK" "$OUT/runs"
mkdir -p "$WORK/db" "$OUT/runs"

step "export $PAGES"
set +e
# shellcheck disable=SC2086  # PAGES may name several paths
"$BIN" export --quiet $PAGES > "$WORK/pages.jsonl"
rc=$?
set -e
case $rc in
    0) ;;
    1) echo "bench/relevance.sh: some pages were rejected (above); every system gets the same rest" >&2 ;;
    *) die "procsearch export failed (exit $rc)" ;;
esac
n_pages=$(grep -c . "$WORK/pages.jsonl" || true)
[ "$n_pages" -gt 0 ] || die "no pages exported from $PAGES"
n_queries=$(grep -c . "$QUERIES" || true)
echo "$n_pages pages, $n_queries queries" >&2

# index SYSTEM COMMAND...: run an index command, keeping its JSON line (peers print one).
index() {
    local sys=$1
    shift
    step "index: $sys"
    "$@" > "$WORK/index-$sys.json"
}

index procsearch "$BIN" index --db "$WORK/db/procsearch" --weights "$WEIGHTS" --overwrite \
    "$WORK/pages.jsonl"
index xapian-stock "$PEERS/xapian_stock" index --pages "$WORK/pages.jsonl" \
    --db "$WORK/db/xapian-stock" --weights "$WEIGHTS" --stopwords "$PEERS/stopwords.txt"
index fts5 "$PEERS/fts5" index --pages "$WORK/pages.jsonl" --db "$WORK/db/fts5" \
    --weights "$WEIGHTS" --stopwords "$PEERS/stopwords.txt"
index lucene "$PEERS/lucene" index --pages "$WORK/pages.jsonl" --db "$WORK/db/lucene" \
    --weights "$WEIGHTS" --stopwords "$PEERS/stopwords.txt"

step "run: procsearch"
"$BIN" eval --db "$WORK/db/procsearch" --queries "$QUERIES" --qrels "$QRELS" \
    --run "$OUT/runs/procsearch.run" --depth "$DEPTH" > /dev/null
step "run: xapian-stock"
"$PEERS/xapian_stock" run --db "$WORK/db/xapian-stock" --queries "$QUERIES" \
    --run "$OUT/runs/xapian-stock.run" --depth "$DEPTH" --tag xapian-stock
step "run: fts5"
"$PEERS/fts5" run --db "$WORK/db/fts5" --queries "$QUERIES" --run "$OUT/runs/fts5.run" \
    --depth "$DEPTH" --tag fts5
for mode in multifield bm25f; do
    step "run: lucene-$mode"
    "$PEERS/lucene" run --db "$WORK/db/lucene" --queries "$QUERIES" --mode "$mode" \
        --run "$OUT/runs/lucene-$mode.run" --depth "$DEPTH" --tag "lucene-$mode"
done

step "score (procsearch eval --score-run)"
for sys in "${SYSTEMS[@]}"; do
    "$BIN" eval --score-run "$OUT/runs/$sys.run" --queries "$QUERIES" --qrels "$QRELS" \
        --worst 0 --json > "$WORK/score-$sys.json"
done

# relevance.json: every system's averages (overall and by type), its run file and, for the
# peers, the indexing line it printed.
{
    for sys in "${SYSTEMS[@]}"; do
        idx=$sys
        case $sys in lucene-*) idx=lucene ;; esac
        index_json=null
        if [ -s "$WORK/index-$idx.json" ] && jq -e . "$WORK/index-$idx.json" > /dev/null 2>&1; then
            index_json=$(cat "$WORK/index-$idx.json")
        fi
        jq -c --arg system "$sys" --arg run "$OUT/runs/$sys.run" --argjson index "$index_json" \
            '{system: $system, run: $run, overall: .overall, by_type: .by_type, index: $index}' \
            "$WORK/score-$sys.json"
    done
} | jq -s --arg pages "$PAGES" --arg queries "$QUERIES" --arg qrels "$QRELS" \
    --arg weights "$WEIGHTS" --argjson n_pages "$n_pages" --argjson depth "$DEPTH" \
    '{pages: $pages, n_pages: $n_pages, queries: $queries, qrels: $qrels, weights: $weights,
      depth: $depth, systems: .}' > "$OUT/relevance.json"

# relevance.md: one table, one block of rows per metric; the best figure of each column
# within a block in bold.
jq -r '
  def f: (. * 10000 | round) as $n | ($n % 10000 | tostring) as $frac
         | "\($n / 10000 | floor).\("0000"[0:4 - ($frac | length)])\($frac)";
  .systems as $sys
  | ($sys[0].by_type | keys_unsorted) as $types
  | (["all"] + $types) as $cols
  | def val($s; $c; $m): if $c == "all" then $s.overall[$m] else $s.by_type[$c][$m] end;
    def count($c): if $c == "all" then $sys[0].overall.queries else $sys[0].by_type[$c].queries end;
    [["ndcg10", "nDCG@10"], ["mrr10", "MRR@10"], ["p1", "P@1"], ["recall10", "R@10"]] as $metrics
  | "Relevance on \(.n_pages) pages (\(.pages)), queries \(.queries), judgments \(.qrels), weights \(.weights).",
    "Columns: all judged queries, then each query type (queries averaged over).",
    "",
    "| metric | system | " + ([$cols[] | "\(.) (\(count(.)))"] | join(" | ")) + " |",
    "|---|---|" + ([$cols[] | "---:"] | join("|")) + "|",
    ($metrics[] as [$m, $mname]
     | [$cols[] as $c | [$sys[] | val(.; $c; $m)] | max] as $best
     | $sys | to_entries[]
     | .key as $i | .value as $s
     | "| " + (if $i == 0 then $mname else "" end) + " | " + $s.system + " | "
       + ([range(0; $cols | length) as $k
           | val($s; $cols[$k]; $m) as $v
           | if $v == $best[$k] then "**\($v | f)**" else ($v | f) end] | join(" | "))
       + " |")
' "$OUT/relevance.json" > "$OUT/relevance.md"

cat "$OUT/relevance.md"
echo >&2
echo "wrote $OUT/relevance.md, $OUT/relevance.json and the run files in $OUT/runs/" >&2
