#!/usr/bin/env bash
# bench/perf.sh - speed of procsearch at several corpus sizes, against its own queries on raw
# Xapian (what our layers cost above the matcher) and the peer engines (bench/peers/).  Also
# `make bench` (not part of `make test`).
#
# Per size: a synthetic corpus and query mix from `procsearch gen` (cached under
# bench/out/corpus-N/: pages.jsonl, the pages as `procsearch export` writes them so that every
# system indexes the identical parsed fields, and queries.tsv), plus the development
# collection (corpus/dev/docs with corpus/dev/queries.tsv) as size "dev".  Then, one job at a
# time (the machine may be small and shared):
#   index    procsearch index, xapian_stock / fts5 / lucene index: pages/s and MB/s of
#            pages.jsonl over the wall time, index bytes per page (du), peak RSS
#   search   procsearch bench (in-process, results turned into JSON as a server does) on 1
#            thread and on every core, with and without snippets, with the split of its time;
#            procsearch bench --suggest (search-as-you-type on every cut of the first
#            $SUGGEST_QUERIES queries); xapian_raw (the exact Xapian queries procsearch ran,
#            dumped by `procsearch bench --dump-queries`, on our database with the same BM25);
#            xapian_stock / fts5 / lucene latency (1 thread; "all cores" runs one copy per
#            core at once and adds up their QPS)
# Peak RSS is /usr/bin/time's maximum resident set size of each run.  On the dev collection
# the rankings of xapian_raw and `procsearch eval --run` are compared (they must be equal).
#
# Output: a progress log on stderr; the tables on stdout and in bench/out/perf.md; every number
# in bench/out/perf.json; bench/out/latency.png (p50 and p99 against corpus size, log-log).
# Environment: BUILD (default build), SIZES (default "10000 100000 1000000"), DEV (1: also the
# dev collection, default 1), N_QUERIES (generated queries per size, default 1000), SEED
# (default 1), REPEAT (timed passes over the queries, default 3), SUGGEST_QUERIES (default
# 200), LUCENE_MODES (default "multifield bm25f"), KEEP_DBS (1: keep the indexes under
# bench/out/db-N/, default 0: delete each size's once measured), PS_INDEX_ARGS (more options
# for `procsearch index`, e.g. "--batch 5000"; procsearch builds with --threads = cores, and
# also serially, as "procsearch-serial", up to SERIAL_MAX pages, default 100000), PEER_SYSTEMS
# (the peers indexed and queried, default "xapian-stock fts5 lucene"; xapian-raw always runs), MERGE (1: keep the results of sizes measured
# by earlier runs and not by this one in the report, e.g. SIZES=1000000 DEV=0 MERGE=1 after
# a run of the smaller sizes; default 0), OUT (where corpora, indexes and results go, default
# bench/out; a run of one size in its own OUT can go on beside another, and its
# perf-results.jsonl lines appended to the other's, then MERGE=1 SIZES= rebuilds the report),
# REUSE_INDEX (1: query the indexes already in OUT/db-N/ instead of building them again, and
# report the index figures saved beside each (OUT/db-N/SYSTEM.index.json) when there are any;
# e.g. a 1M build timed on its own; default 0), INDEX_ONLY (1: build and keep the indexes, save
# their figures, and query nothing: a later REUSE_INDEX=1 run queries them; default 0),
# INDEX_SYSTEMS (the systems this run indexes, default "procsearch" and PEER_SYSTEMS; with
# INDEX_ONLY=1 and a separate OUT per job, slow peer builds can run beside each other, one per
# core, and their OUT/db-N/SYSTEM folders and .index.json files be moved into one OUT),
# PEER_ALL (0: query the peers on one process only, not also one per core; the slow peers at
# 1M pages take minutes per pass; default 1).
set -euo pipefail

cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
SIZES=${SIZES-10000 100000 1000000}
DEV=${DEV:-1}
N_QUERIES=${N_QUERIES:-1000}
SEED=${SEED:-1}
REPEAT=${REPEAT:-3}
SUGGEST_QUERIES=${SUGGEST_QUERIES:-200}
LUCENE_MODES=${LUCENE_MODES:-multifield bm25f}
KEEP_DBS=${KEEP_DBS:-0}
PS_INDEX_ARGS=${PS_INDEX_ARGS:-}
MERGE=${MERGE:-0}
SERIAL_MAX=${SERIAL_MAX:-100000}
REUSE_INDEX=${REUSE_INDEX:-0}
PEER_SYSTEMS=${PEER_SYSTEMS:-xapian-stock fts5 lucene}
INDEX_SYSTEMS=${INDEX_SYSTEMS:-procsearch $PEER_SYSTEMS}
INDEX_ONLY=${INDEX_ONLY:-0}
PEER_ALL=${PEER_ALL:-1}
WEIGHTS=corpus/weights.conf
OUT=${OUT:-bench/out}
BIN=$BUILD/procsearch
PEERS=$BUILD/peers
CORES=$(nproc)
TIME=/usr/bin/time

die() { echo "bench/perf.sh: $*" >&2; exit 1; }
T0=$(date +%s)
step() { printf '== [%4ds] %s\n' $(($(date +%s) - T0)) "$*" >&2; }

for v in N_QUERIES SEED REPEAT SUGGEST_QUERIES CORES; do
    [[ ${!v} =~ ^[0-9]+$ ]] && [ "${!v}" -ge 1 ] || die "$v must be a whole number >= 1, not '${!v}'"
done
for n in $SIZES; do
    [[ $n =~ ^[0-9]+$ ]] && [ "$n" -ge 1 ] || die "SIZES must be page counts, not '$n'"
done
[ -x "$TIME" ] || die "$TIME is missing (make deps-bench installs 'time')"

step "packages (scripts/install-deps.sh bench)"
scripts/install-deps.sh bench
step "build procsearch and the peers in $BUILD"
make --no-print-directory BUILD="$BUILD" all peers >&2

all_sizes=()
[ "$DEV" = 1 ] && all_sizes+=(dev)
for n in $SIZES; do all_sizes+=("$n"); done

mkdir -p "$OUT"
RESULTS=$OUT/perf-results.jsonl # one line per measurement; perf.json is built from it
if [ "$MERGE" = 1 ] && [ -s "$RESULTS" ]; then
    # Keep the earlier runs' sizes that this run does not measure again.
    measured=$(printf '%s\n' "${all_sizes[@]}" | jq -R . | jq -s -c .)
    jq -c --argjson m "$measured" 'select(.size as $s | $m | index([$s]) | not)' "$RESULTS" \
        > "$RESULTS.kept"
    mv "$RESULTS.kept" "$RESULTS"
else
    : > "$RESULTS"
fi

# record SIZE SYSTEM KIND JSON: one measurement.
record() {
    jq -c --arg size "$1" --arg system "$2" --arg kind "$3" \
        '{size: $size, system: $system, kind: $kind, data: .}' <<< "$4" >> "$RESULTS"
}

# timed PREFIX CMD...: run CMD with stdout to PREFIX.out and stderr passed on (progress), its
# wall time and peak RSS to PREFIX.time (a JSON object).
timed() {
    local pfx=$1
    shift
    if ! "$TIME" -f '{"elapsed_s": %e, "max_rss_kb": %M}' -o "$pfx.time" "$@" > "$pfx.out"; then
        die "failed: $* (output in $pfx.out)"
    fi
}

# merge_time PREFIX: PREFIX.out's JSON line (the tool's own report) with PREFIX.time.
merge_time() {
    jq -c -s '.[0] + {max_rss_kb: .[1].max_rss_kb, elapsed_s: .[1].elapsed_s}' \
        <(tail -n 1 "$1.out") "$1.time"
}

# has_peer NAME: whether PEER_SYSTEMS names it; indexes NAME: whether INDEX_SYSTEMS does.
has_peer() { [[ " $PEER_SYSTEMS " == *" $1 "* ]]; }
indexes() { [[ " $INDEX_SYSTEMS " == *" $1 "* ]]; }

# ---- corpora ------------------------------------------------------------------

# corpus SIZE: make sure bench/out/corpus-SIZE/{pages.jsonl,queries.tsv} exist.
corpus() {
    local size=$1 dir=$OUT/corpus-$1
    if [ -s "$dir/pages.jsonl" ] && [ -s "$dir/queries.tsv" ] && [ -e "$dir/.complete" ]; then
        step "corpus $size: cached in $dir"
        return
    fi
    rm -rf "$dir"
    mkdir -p "$dir"
    if [ "$size" = dev ]; then
        step "corpus dev: export corpus/dev/docs"
        "$BIN" export --quiet corpus/dev/docs > "$dir/pages.jsonl"
        cp corpus/dev/queries.tsv "$dir/queries.tsv"
    else
        step "corpus $size: procsearch gen --pages $size --seed $SEED (+ $N_QUERIES queries)"
        "$BIN" gen --pages "$size" --seed "$SEED" --out "$dir/gen" --format jsonl \
            --queries "$dir/queries.tsv" --n-queries "$N_QUERIES" >&2
        step "corpus $size: export (the parsed pages every system indexes)"
        "$BIN" export --quiet "$dir/gen" > "$dir/pages.jsonl"
        rm -rf "$dir/gen"
    fi
    touch "$dir/.complete"
}

# ---- one size ---------------------------------------------------------------------

run_size() {
    local size=$1 dir=$OUT/corpus-$1 db=$OUT/db-$1 w=$OUT/work-$1
    corpus "$size"
    local pages=$dir/pages.jsonl queries=$dir/queries.tsv
    local n_pages bytes n_queries
    n_pages=$(wc -l < "$pages")
    bytes=$(stat -L -c %s "$pages") # -L: a corpus may be linked from another OUT
    n_queries=$(grep -c . "$queries")
    # The code measured: the tree can change between runs (and sizes) while others work on it.
    local code
    code=$(git describe --always --dirty 2>/dev/null || echo unknown)
    record "$size" corpus corpus "$(jq -n --argjson pages "$n_pages" --argjson bytes "$bytes" \
        --argjson queries "$n_queries" --arg query_file "$queries" --arg code "$code" \
        --arg at "$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
        '{pages: $pages, bytes: $bytes, queries: $queries, query_file: $query_file,
          code: $code, measured_at: $at}')"
    if [ "$REUSE_INDEX" = 1 ]; then
        rm -rf "$w"
    else
        rm -rf "$db" "$w"
    fi
    mkdir -p "$db" "$w"

    # index SYSTEM DBDIR CMD...: time an indexing run, record speed, size and memory (also in
    # DBDIR.index.json, for a later REUSE_INDEX=1 run).  With REUSE_INDEX=1 an existing DBDIR
    # is kept, and its saved figures recorded if it has them.
    index_one() {
        local sys=$1 dbdir=$2
        shift 2
        if [ "$REUSE_INDEX" = 1 ] && [ -d "$dbdir" ]; then
            if [ -s "$dbdir.index.json" ]; then
                step "size $size: reusing $dbdir and its figures ($dbdir.index.json)"
                record "$size" "$sys" index "$(cat "$dbdir.index.json")"
            else
                step "size $size: reusing $dbdir (no saved figures: none reported)"
            fi
            return
        fi
        step "size $size: index $sys ($n_pages pages, $((bytes / 1000000)) MB)"
        timed "$w/index-$sys" "$@"
        local du_bytes
        du_bytes=$(du -sb "$dbdir" | cut -f1)
        jq -c --argjson pages "$n_pages" --argjson bytes "$bytes" --argjson du "$du_bytes" \
            --arg code "$code" --arg at "$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
            '{seconds: .elapsed_s, max_rss_kb: .max_rss_kb,
              pages_per_s: (if .elapsed_s > 0 then $pages / .elapsed_s else null end),
              mb_per_s: (if .elapsed_s > 0 then $bytes / 1e6 / .elapsed_s else null end),
              index_bytes: $du, bytes_per_page: ($du / $pages), code: $code, built_at: $at}' \
            "$w/index-$sys.time" > "$dbdir.index.json"
        record "$size" "$sys" index "$(cat "$dbdir.index.json")"
    }
    if indexes procsearch; then
        # shellcheck disable=SC2086  # PS_INDEX_ARGS: extra options, split on spaces
        index_one procsearch "$db/procsearch" "$BIN" index --db "$db/procsearch" \
            --weights "$WEIGHTS" --overwrite --threads "$CORES" $PS_INDEX_ARGS "$pages"
        if [ "$size" = dev ] || [ "$n_pages" -le "$SERIAL_MAX" ]; then
            # shellcheck disable=SC2086
            index_one procsearch-serial "$db/procsearch-serial" "$BIN" index \
                --db "$db/procsearch-serial" --weights "$WEIGHTS" --overwrite $PS_INDEX_ARGS "$pages"
            [ "$INDEX_ONLY" = 1 ] || rm -rf "$db/procsearch-serial"
        fi
    fi
    indexes xapian-stock && index_one xapian-stock "$db/xapian-stock" "$PEERS/xapian_stock" \
        index --pages "$pages" --db "$db/xapian-stock" --weights "$WEIGHTS" \
        --stopwords "$PEERS/stopwords.txt"
    indexes fts5 && index_one fts5 "$db/fts5" "$PEERS/fts5" index --pages "$pages" \
        --db "$db/fts5" --weights "$WEIGHTS" --stopwords "$PEERS/stopwords.txt"
    indexes lucene && index_one lucene "$db/lucene" "$PEERS/lucene" index --pages "$pages" \
        --db "$db/lucene" --weights "$WEIGHTS" --stopwords "$PEERS/stopwords.txt"
    if [ "$INDEX_ONLY" = 1 ]; then
        step "size $size: INDEX_ONLY=1: indexes kept in $db, nothing queried"
        return
    fi
    # Every system queried needs an index, built by this run or an earlier one.
    local need
    for need in procsearch $PEER_SYSTEMS; do
        [ "$need" = none ] || [ -d "$db/$need" ] ||
            die "size $size: no index $db/$need to query (INDEX_SYSTEMS leaves it out)"
    done

    # procsearch in-process: 1 thread (also dumping its Xapian queries), every core, without
    # snippets, and suggest.
    local bench=("$BIN" bench --db "$db/procsearch" --queries "$queries" --repeat "$REPEAT" --json)
    step "size $size: procsearch bench, 1 thread"
    timed "$w/ps-1t" "${bench[@]}" --threads 1 --dump-queries "$w/dump.tsv"
    record "$size" procsearch latency-1t "$(merge_time "$w/ps-1t")"
    step "size $size: procsearch bench, $CORES threads"
    timed "$w/ps-all" "${bench[@]}" --threads "$CORES"
    record "$size" procsearch latency-all "$(merge_time "$w/ps-all")"
    step "size $size: procsearch bench --no-snippets, 1 thread and $CORES threads"
    timed "$w/psns-1t" "${bench[@]}" --threads 1 --no-snippets
    record "$size" procsearch-nosnippets latency-1t "$(merge_time "$w/psns-1t")"
    timed "$w/psns-all" "${bench[@]}" --threads "$CORES" --no-snippets
    record "$size" procsearch-nosnippets latency-all "$(merge_time "$w/psns-all")"
    head -n "$SUGGEST_QUERIES" "$queries" > "$w/suggest-queries.tsv"
    step "size $size: procsearch bench --suggest (every cut of $(wc -l < "$w/suggest-queries.tsv") queries), 1 thread"
    timed "$w/sg-1t" "$BIN" bench --db "$db/procsearch" --queries "$w/suggest-queries.tsv" \
        --repeat 1 --json --suggest --threads 1
    record "$size" procsearch-suggest latency-1t "$(merge_time "$w/sg-1t")"
    timed "$w/sg-all" "$BIN" bench --db "$db/procsearch" --queries "$w/suggest-queries.tsv" \
        --repeat 1 --json --suggest --threads "$CORES"
    record "$size" procsearch-suggest latency-all "$(merge_time "$w/sg-all")"

    # A peer's latency on one core, then one copy per core at once (QPS added up).
    # peer SYSTEM CMD...
    peer() {
        local sys=$1
        shift
        step "size $size: $sys latency, 1 process"
        timed "$w/$sys-1t" "$@"
        record "$size" "$sys" latency-1t "$(merge_time "$w/$sys-1t")"
        [ "$PEER_ALL" = 1 ] || return 0
        step "size $size: $sys latency, $CORES processes at once"
        local pids=() i
        for i in $(seq "$CORES"); do
            "$TIME" -f '{"elapsed_s": %e, "max_rss_kb": %M}' -o "$w/$sys-all.$i.time" "$@" \
                > "$w/$sys-all.$i.out" &
            pids+=($!)
        done
        for i in "${pids[@]}"; do
            wait "$i" || die "failed: $* (run $CORES at once; output in $w/$sys-all.*.out)"
        done
        local rss
        rss=$(cat "$w/$sys-all".*.time | jq -s 'map(.max_rss_kb) | max')
        record "$size" "$sys" latency-all "$(for i in $(seq "$CORES"); do tail -n 1 "$w/$sys-all.$i.out"; done |
            jq -c -s --argjson rss "$rss" '{qps: (map(.qps) | add), p50_ms: (map(.p50_ms) | max),
                      p99_ms: (map(.p99_ms) | max), processes: length, max_rss_kb: $rss}')"
    }
    peer xapian-raw "$PEERS/xapian_raw" latency --db "$db/procsearch" --dump "$w/dump.tsv" \
        --repeat "$REPEAT" --warmup 1
    has_peer xapian-stock && peer xapian-stock "$PEERS/xapian_stock" latency \
        --db "$db/xapian-stock" --queries "$queries" --repeat "$REPEAT" --warmup 1
    has_peer fts5 && peer fts5 "$PEERS/fts5" latency --db "$db/fts5" --queries "$queries" \
        --repeat "$REPEAT" --warmup 1
    local mode
    has_peer lucene && for mode in $LUCENE_MODES; do
        # Lucene's warm-up is longer: the JIT compiles the hot path during the first passes.
        peer "lucene-$mode" "$PEERS/lucene" latency --db "$db/lucene" --queries "$queries" \
            --mode "$mode" --repeat "$REPEAT" --warmup 3
    done

    if [ "$size" = dev ]; then
        step "size dev: xapian_raw's rankings against procsearch's (eval --run)"
        "$BIN" eval --db "$db/procsearch" --queries "$queries" --qrels corpus/dev/qrels.txt \
            --run "$w/procsearch.run" --depth 100 > /dev/null
        "$PEERS/xapian_raw" run --db "$db/procsearch" --dump "$w/dump.tsv" \
            --run "$w/xapian-raw.run" --depth 100 --tag procsearch
        local same=false lines
        lines=$(wc -l < "$w/procsearch.run")
        cmp -s "$w/procsearch.run" "$w/xapian-raw.run" && same=true
        record dev xapian-raw check "$(jq -n --argjson same "$same" --argjson lines "$lines" \
            '{identical_runs: $same, run_lines: $lines}')"
        $same || echo "bench/perf.sh: WARNING: xapian_raw ranks differently from procsearch" \
                      "(diff $w/procsearch.run $w/xapian-raw.run)" >&2
    fi
    [ "$KEEP_DBS" = 1 ] || [ "$REUSE_INDEX" = 1 ] || rm -rf "$db"
}

for size in "${all_sizes[@]}"; do
    run_size "$size"
done
if [ "$INDEX_ONLY" = 1 ]; then
    # Nothing was queried: no report, only what each build saved.
    for size in "${all_sizes[@]}"; do
        for f in "$OUT/db-$size"/*.index.json; do
            [ -e "$f" ] && printf '%s %s\n' "$f" "$(cat "$f")"
        done
    done
    step "done (INDEX_ONLY=1): query them with REUSE_INDEX=1"
    exit 0
fi

# ---- report ---------------------------------------------------------------------

step "report: $OUT/perf.json, $OUT/perf.md, $OUT/latency.png"
cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//' || echo unknown)
jq -s --arg cpu "$cpu" --argjson cores "$CORES" --argjson repeat "$REPEAT" \
    --arg xapian "$(xapian-config --version | awk '{print $NF}')" \
    --arg date "$(date -u +%Y-%m-%dT%H:%M:%SZ)" --arg commit "$(git rev-parse --short HEAD 2>/dev/null || echo none)" '
  . as $all
  | ([$all[] | .size] | reduce .[] as $s ([]; if index([$s]) then . else . + [$s] end)) as $sizes
  | def get($size; $sys; $kind): first($all[] | select(.size == $size and .system == $sys and .kind == $kind) | .data) // null;
    def ratio($a; $b): if $a == null or $b == null or $b == 0 then null else $a / $b end;
  { date: $date, commit: $commit, cpu: $cpu, cores: $cores, repeat: $repeat, xapian: $xapian,
    sizes: [ $sizes[] as $size
      | get($size; "corpus"; "corpus") as $c
      | ([$all[] | select(.size == $size and .system != "corpus" and .kind != "check") | .system]
         | reduce .[] as $s ([]; if index([$s]) then . else . + [$s] end)) as $systems
      | { size: $size, pages: $c.pages, bytes: $c.bytes, queries: $c.queries,
          query_file: $c.query_file, code: $c.code, measured_at: $c.measured_at,
          systems: [ $systems[] as $sys
            | { system: $sys, index: get($size; $sys; "index"),
                latency_1t: get($size; $sys; "latency-1t"),
                latency_all: get($size; $sys; "latency-all") }
            # one Lucene index serves both query modes: each mode row shows it
            | if (.system | startswith("lucene-")) and .index == null
              then .index = get($size; "lucene"; "index") else . end
            | select(.system != "lucene" or .latency_1t != null) ]
            | sort_by(.system as $n | ["procsearch", "procsearch-serial", "procsearch-nosnippets",
                "procsearch-suggest", "xapian-raw", "xapian-stock", "fts5"] | index($n) // 99),
          check: get($size; "xapian-raw"; "check") }
      | . as $s
      | def sys($n): first($s.systems[] | select(.system == $n)) // null;
        . + { ratios: {
          ours_above_matcher: (if sys("procsearch").latency_1t and sys("xapian-raw").latency_1t
              then (sys("procsearch").latency_1t.p50_ms - sys("xapian-raw").latency_1t.p50_ms)
                   / sys("procsearch").latency_1t.p50_ms else null end),
          ours_above_matcher_no_snippets: (if sys("procsearch-nosnippets").latency_1t and sys("xapian-raw").latency_1t
              then (sys("procsearch-nosnippets").latency_1t.p50_ms - sys("xapian-raw").latency_1t.p50_ms)
                   / sys("procsearch-nosnippets").latency_1t.p50_ms else null end),
          p50_vs_stock: ratio(sys("procsearch").latency_1t.p50_ms; sys("xapian-stock").latency_1t.p50_ms),
          p99_vs_stock: ratio(sys("procsearch").latency_1t.p99_ms; sys("xapian-stock").latency_1t.p99_ms),
          p50_vs_stock_no_snippets: ratio(sys("procsearch-nosnippets").latency_1t.p50_ms; sys("xapian-stock").latency_1t.p50_ms),
          p99_vs_stock_no_snippets: ratio(sys("procsearch-nosnippets").latency_1t.p99_ms; sys("xapian-stock").latency_1t.p99_ms),
          index_pages_per_s_vs_stock: ratio(sys("procsearch").index.pages_per_s; sys("xapian-stock").index.pages_per_s),
          index_serial_pages_per_s_vs_stock: ratio(sys("procsearch-serial").index.pages_per_s; sys("xapian-stock").index.pages_per_s),
          index_pages_per_s_vs_fts5: ratio(sys("procsearch").index.pages_per_s; sys("fts5").index.pages_per_s),
          index_bytes_per_page_vs_stock: ratio(sys("procsearch").index.bytes_per_page; sys("xapian-stock").index.bytes_per_page)
        } } ] }' "$RESULTS" > "$OUT/perf.json"

jq -r '
  def r($n): if . == null then "-" else (. * pow(10; $n) | round) / pow(10; $n) | tostring end;
  def ms: if . == null then "-" elif . < 1 then r(3) elif . < 10 then r(2) else r(1) end;
  def int: if . == null then "-" else round | tostring end;
  def mb: if . == null then "-" else (. / 1024 | round | tostring) end;
  def pct: if . == null then "-" else (. * 100 | round | tostring) + "%" end;
  def x: if . == null then "-" else r(2) + "x" end;
  "Speed of procsearch and its peers: \(.cpu), \(.cores) cores, libxapian \(.xapian), commit \(.commit), \(.date).",
  "Latency per query in ms over \(.repeat) timed passes after a warm-up (one process, one thread); QPS 1t = searches/s",
  "of one thread, QPS all = every core at once (procsearch: \(.cores) threads; peers: \(.cores) processes, QPS added).",
  "Index: wall time of the whole run over the pages as JSON Lines (MB/s of that file), bytes/page = du of the index.",
  "RSS: peak resident memory of the index run / of the 1-thread query run.  procsearch rows include turning results",
  "into JSON (and snippets unless \"no snippets\"); xapian-raw runs procsearch'"'"'s exact Xapian queries on its database.",
  "",
  (.sizes[] as $s
   | "### \(if $s.size == "dev" then "corpus/dev (" + ($s.pages | tostring) + " pages, corpus/dev/queries.tsv)" else ($s.pages | tostring) + " pages (procsearch gen)" end), \($s.queries) queries, \($s.bytes / 1e6 | r(1)) MB\(if $s.code then " (code \($s.code), \($s.measured_at))" else "" end)",
     "",
     "| system | index pages/s | MB/s | bytes/page | index RSS MB | p50 ms | p95 ms | p99 ms | QPS 1t | QPS all | query RSS MB |",
     "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
     ($s.systems[] | "| \(.system) | \(.index.pages_per_s | int) | \(.index.mb_per_s | r(2)) | \(.index.bytes_per_page | int) | \(.index.max_rss_kb | mb) | \(.latency_1t.p50_ms | ms) | \(.latency_1t.p95_ms | ms) | \(.latency_1t.p99_ms | ms) | \(.latency_1t.qps | int) | \(.latency_all.qps | int) | \(.latency_1t.max_rss_kb | mb) |"),
     "",
     (first($s.systems[] | select(.system == "procsearch")) as $p
      | (first($s.systems[] | select(.system == "procsearch-suggest")) // null) as $g
      | "procsearch per query type (1 thread; suggest: every cut of the first queries):",
        "",
        "| type | searches | p50 ms | p99 ms | mean ms | suggest cuts | suggest p50 ms | suggest p99 ms |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
        ($p.latency_1t.by_type | to_entries[] | .key as $t
         | "| \($t) | \(.value.searches) | \(.value.p50_ms | ms) | \(.value.p99_ms | ms) | \(.value.mean_ms | ms) | \($g.latency_1t.by_type[$t].searches // "-") | \($g.latency_1t.by_type[$t].p50_ms | ms) | \($g.latency_1t.by_type[$t].p99_ms | ms) |"),
        "",
        "Where procsearch'"'"'s time goes (mean ms per search, 1 thread):",
        "",
        "| | parse + analysis | match | fetch + snippets | output (JSON) | total (mean) |",
        "|---|---:|---:|---:|---:|---:|",
        "| procsearch | \($p.latency_1t.parse_ms | ms) | \($p.latency_1t.match_ms | ms) | \($p.latency_1t.fetch_ms | ms) | \($p.latency_1t.output_ms | ms) | \($p.latency_1t.mean_ms | ms) |",
        (first($s.systems[] | select(.system == "procsearch-nosnippets")) // null | select(. != null)
         | "| no snippets | \(.latency_1t.parse_ms | ms) | \(.latency_1t.match_ms | ms) | \(.latency_1t.fetch_ms | ms) | \(.latency_1t.output_ms | ms) | \(.latency_1t.mean_ms | ms) |"),
        (first($s.systems[] | select(.system == "xapian-raw")) // null | select(. != null)
         | "| xapian-raw (match + ids) | | \(.latency_1t.mean_ms | ms) | | | \(.latency_1t.mean_ms | ms) |")),
     "",
     "Ratios: ours above the matcher = (procsearch p50 - xapian-raw p50) / procsearch p50 = **\($s.ratios.ours_above_matcher | pct)** (no snippets: \($s.ratios.ours_above_matcher_no_snippets | pct));",
     "procsearch p50 / stock p50 = **\($s.ratios.p50_vs_stock | x)** (no snippets \($s.ratios.p50_vs_stock_no_snippets | x)), p99 / stock p99 = **\($s.ratios.p99_vs_stock | x)** (no snippets \($s.ratios.p99_vs_stock_no_snippets | x));",
     "index pages/s / stock = **\($s.ratios.index_pages_per_s_vs_stock | x)** (\(.cores) threads; serial \($s.ratios.index_serial_pages_per_s_vs_stock | x)), / fts5 = **\($s.ratios.index_pages_per_s_vs_fts5 | x)**; index bytes/page / stock = \($s.ratios.index_bytes_per_page_vs_stock | x).",
     (if $s.check then "xapian-raw check: its top-100 rankings are \(if $s.check.identical_runs then "identical to" else "DIFFERENT from" end) procsearch'"'"'s (\($s.check.run_lines) run lines)." else empty end),
     "")
' "$OUT/perf.json" > "$OUT/perf.md"

# latency.png: p50 (left) and p99 (right) against pages, log-log, one colour per system.  The
# dev collection has its own queries, so it is a point of its own only when nothing else ran.
# Sizes in order of pages: a merged report lists them in the order they were measured, and
# gnuplot joins the points in file order.
plot_data=$OUT/latency.dat
jq -r '
  ([.sizes[] | select(.size != "dev")] | if length > 0 then . else null end) // .sizes
  | [.[] | {pages, systems}] | sort_by(.pages) as $sz
  | ([$sz[].systems[] | select(.latency_1t != null) | .system] | unique) as $systems
  | $systems[] as $sys
  | "# \($sys)",
    ($sz[] | .pages as $p | .systems[] | select(.system == $sys and .latency_1t != null)
     | "\($p) \(.latency_1t.p50_ms) \(.latency_1t.p99_ms)"),
    "", ""' "$OUT/perf.json" > "$plot_data"
mapfile -t plot_systems < <(grep '^# ' "$plot_data" | cut -c3-)
p50_cmd="" p99_cmd=""
for i in "${!plot_systems[@]}"; do
    s=${plot_systems[$i]}
    p50_cmd+="'$plot_data' index $i using 1:2 with linespoints lw 2 pt 7 lc $((i + 1)) title '$s', "
    p99_cmd+="'$plot_data' index $i using 1:3 with linespoints lw 2 dt 2 pt 6 lc $((i + 1)) title '$s', "
done
gnuplot <<EOF
set terminal pngcairo size 1400,650 font ",10" noenhanced
set output '$OUT/latency.png'
set logscale xy
set xlabel 'pages (procsearch gen)'
set ylabel 'ms per query (1 thread)'
set grid xtics ytics mytics
set format x '%.0s%c'
set offsets graph 0.05, graph 0.05, 0, 0
set multiplot layout 1,2 title 'Query latency against corpus size'
set key top left
set title 'p50'
plot ${p50_cmd%, }
set title 'p99'
plot ${p99_cmd%, }
unset multiplot
EOF

cat "$OUT/perf.md"
step "done: $OUT/perf.md, $OUT/perf.json, $OUT/latency.png"
