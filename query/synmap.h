/*
 * synmap.h - the database's synonym table, held in memory by a searcher.
 *
 * A query looks up every run of up to ps_synmap_max_words() words; doing
 * that against Xapian's table would cost a B-tree lookup each, so the
 * (small) table is read once when the searcher opens and again when it
 * moves to a new revision.
 */
#ifndef PS_SYNMAP_H
#define PS_SYNMAP_H

#include <stddef.h>

#include "common/err.h"
#include "shim/xapian_shim.h"

typedef struct ps_synmap ps_synmap;

/* NULL on failure (err says why); an empty table gives an empty map. */
ps_synmap *ps_synmap_load(const xs_db *db, ps_err *err);
void ps_synmap_free(ps_synmap *m);

/* The synonyms of a key (see indexer/synonyms.h for keys and values), or
 * NULL; *n receives how many.  Valid until the map is freed. */
char *const *ps_synmap_get(const ps_synmap *m, const char *key, size_t len, size_t *n);

/* Words in the longest key (0 for an empty map). */
size_t ps_synmap_max_words(const ps_synmap *m);
size_t ps_synmap_size(const ps_synmap *m);

#endif
