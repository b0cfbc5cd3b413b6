/*
 * page_walk.h - read every page under a list of paths, as `index`,
 * `export` and the benchmarks all do.
 *
 * A folder is walked recursively (entries sorted, hidden ones skipped) for
 * *.txt pages and *.jsonl feeds; a file named directly is read as JSON
 * Lines if it ends in .jsonl and as a page in the text format otherwise, its
 * id being the file name without folder and extension.  A file or record
 * that cannot be read or parsed is reported through on_reject (the message
 * names it: "x.txt: invalid UTF-8 at byte 12 (line 2)") and skipped.
 */
#ifndef PS_PAGE_WALK_H
#define PS_PAGE_WALK_H

#include <stddef.h>

#include "common/err.h"
#include "corpus/page.h"

/* Takes ownership of page (free it with ps_page_free).  origin names where
 * it came from ("x.txt", "feed.jsonl:12").  Return 0 to go on, -1 to stop
 * the walk (with err set). */
typedef int (*ps_page_fn)(void *ctx, const char *origin, ps_page *page, ps_err *err);
typedef void (*ps_reject_fn)(const char *message, void *ctx);

typedef struct ps_walk_stats {
    size_t pages, rejected, bytes;
} ps_walk_stats;

/* -1 only when on_page stopped the walk or memory ran out; rejections are
 * counted in *stats, not failures. */
int ps_walk_pages(const char *const *paths, size_t n_paths, ps_page_fn on_page,
                  ps_reject_fn on_reject, void *ctx, ps_walk_stats *stats, ps_err *err);

#endif
