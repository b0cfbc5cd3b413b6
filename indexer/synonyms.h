/*
 * synonyms.h - the lay/clinical synonym table, stored in the database.
 *
 * The table's text format is documented at the top of corpus/synonyms.txt:
 * one group of equivalent expressions per line, separated by " | ".
 *
 * Each group has a term, S<key of its first member> ("Sgeneral_anesthesia"),
 * that every page where any member occurs is indexed with (docbuild.h,
 * through ps_syngroups).  A query with a member searches that one term:
 * matching "removal of the uterus" costs a posting list, not a phrase check
 * on every page that has both "removal" and "uterus".
 *
 * Each member is stored in Xapian's synonym table under a key made of its
 * stemmed words (stopwords dropped), with the group's term and the other
 * members (their folded words, which snippets highlight) as values.  Storing
 * the table in the database means a searcher needs no file besides it.
 */
#ifndef PS_SYNONYMS_H
#define PS_SYNONYMS_H

#include <stddef.h>

#include "common/err.h"
#include "indexer/analyze.h"
#include "shim/xapian_shim.h"

#define PS_SYNONYM_KEY_MAX 160

/* The lookup key of an expression: the stems of its words that are not
 * stopwords, joined by single spaces ("spinal taps" -> "spinal tap").  An
 * expression written as one word keeps every part ("i&d" -> "i d"), since
 * without its stopword it would be a different, shorter key.
 * Returns its length, or 0 when the expression has no such word or the key
 * does not fit. */
size_t ps_synonym_key(ps_analyzer *an, const char *expr, size_t len, char *out, size_t cap);

/* A multi-word member whose key would be one word ("going under" -> "go")
 * has no key (0): it would match every "go". */

#define PS_SYN_TERM_PREFIX 'S'
#define PS_SYN_MEMBERS_MAX 16

typedef struct ps_syn_member {
    char key[PS_SYNONYM_KEY_MAX]; /* ps_synonym_key */
    char raw[PS_SYNONYM_KEY_MAX]; /* folded words, space-separated */
} ps_syn_member;

typedef struct ps_syn_group {
    char term[PS_SYNONYM_KEY_MAX + 1]; /* "S" + first member's key, ' ' -> '_' */
    ps_syn_member m[PS_SYN_MEMBERS_MAX];
    size_t n; /* members with a key (groups with fewer than 2 are skipped) */
} ps_syn_group;

/* Call fn for each group of text, in order; stops at the first non-zero
 * return (passed on).  -1 with err naming origin and line for a malformed
 * group. */
typedef int (*ps_syn_group_fn)(const ps_syn_group *g, void *ctx, ps_err *err);
int ps_synonyms_each_group(ps_analyzer *an, const char *text, size_t len, const char *origin,
                           ps_syn_group_fn fn, void *ctx, ps_err *err);

/* Replace db's synonym table with the groups in text (origin names it in
 * errors: "corpus/synonyms.txt:12: a group needs at least two members").
 * *groups (may be NULL) receives the number of groups stored.  Does nothing
 * when the database already holds this exact text (recorded in metadata). */
int ps_synonyms_store(xs_db *db, ps_analyzer *an, const char *text, size_t len,
                      const char *origin, size_t *groups, ps_err *err);

#define PS_META_SYNONYMS "procsearch.synonyms_hash"

#endif
