/*
 * syngroups.h - the synonym groups a run of a page's words belongs to.
 *
 * The indexer looks up every run of up to ps_syngroups_max_words() stems of
 * a page (keys as synonyms.h makes them: stems joined by one space) and
 * indexes the page with the term of each group found, so that a query
 * naming any member finds it through that one term.  Read-only once built:
 * indexing threads may share one.
 */
#ifndef PS_SYNGROUPS_H
#define PS_SYNGROUPS_H

#include <stddef.h>
#include <stdint.h>

#include "common/err.h"
#include "indexer/analyze.h"

typedef struct ps_syngroups ps_syngroups;

/* The groups of a table in the text format of corpus/synonyms.txt (origin
 * names it in errors).  NULL with err set on a malformed table or when
 * memory runs out. */
ps_syngroups *ps_syngroups_new(ps_analyzer *an, const char *text, size_t len,
                               const char *origin, ps_err *err);
void ps_syngroups_free(ps_syngroups *g);

/* Words in the longest key. */
size_t ps_syngroups_max_words(const ps_syngroups *g);

/* Number of distinct group terms; group ids run from 0 to this - 1. */
size_t ps_syngroups_count(const ps_syngroups *g);

/* The groups key[0..len) is a member of, or NULL (and *n = 0) when it is
 * none's.  Valid as long as g.  *ends (may be NULL) says whether some key
 * ends with key[0..len) (word for word, itself included): when none does,
 * no longer run ending with it is a key either. */
const uint32_t *ps_syngroups_find(const ps_syngroups *g, const char *key, size_t len, size_t *n,
                                  int *ends);

/* A group's term ("Sgeneral_anesthesia"). */
const char *ps_syngroups_term(const ps_syngroups *g, uint32_t group);

#endif
