/*
 * index_shards.h - build an index on several cores: pages are dealt by id
 * to shard databases written side by side, then merged (compacted) into
 * the target.  See ps_index_paths for when it is used.
 */
#ifndef PS_INDEX_SHARDS_H
#define PS_INDEX_SHARDS_H

#include "indexer/index_run.h"
#include "shim/xapian_shim.h"

/* *target is the open target database, held for its lock; it is closed
 * (and set to NULL) just before the merged shards replace it. */
int ps_index_shards(const ps_index_opts *o, const ps_weights *w, xs_db **target,
                    const char *const *paths, size_t n_paths, ps_index_report *report,
                    ps_reject_fn on_reject, void *ctx, ps_err *err);

#endif
