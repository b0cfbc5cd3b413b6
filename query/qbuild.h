/*
 * qbuild.h - parsed clauses -> a Xapian query, with the same analysis as
 * the indexer (see indexer/docbuild.h for the terms it matches):
 *
 *   word         Z<stem>, weighted by BM25F through the index's wdf;
 *                section:word filters it by <prefix><stem>.
 *   compound     "x-ray": the parts as a phrase, OR the solid form "xray".
 *   "phrase"     the stems as a phrase over their positions, in order;
 *                stopwords only widen the window.  Weighted by the stems.
 *   prefix*      the Z terms starting with the folded prefix (the most
 *                frequent ones, qbuild.c's PREFIX_MAX), as one synonym so a
 *                short prefix does not swamp the ranking.
 *   stopwords    dropped outside phrases.
 *   unknown word replaced by the closest word of the spelling table (speller.h), weighted
 *                by the "typo" factor, and reported as "did you mean".
 *   synonyms     every run of words (up to the longest key) that is a key of
 *                the synonym table adds the term of each group it belongs to
 *                (S<group>, which pages carry wherever a member occurs),
 *                weighted by the "synonym" factor.
 *
 * SHOULD clauses are OR'ed (BM25 ranks pages matching more of them higher),
 * MUST clauses AND'ed, MUST_NOT subtracted.  Common words may be left out
 * (ps_qbuild_in.common_pages).
 */
#ifndef PS_QBUILD_H
#define PS_QBUILD_H

#include "indexer/analyze.h"
#include "indexer/weights.h"
#include "query/qparse.h"
#include "query/speller.h"
#include "query/synmap.h"
#include "shim/xapian_shim.h"

typedef struct ps_qbuild_in {
    xs_db *db;
    ps_analyzer *an;
    const ps_weights *w;
    int field;    /* restrict clauses typed without a field to this one, or -1 */
    int spelling; /* correct words the index does not know ... */
    ps_speller *speller; /* ... through this speller (spelling needs one) */
    /* Limits for a caller that must answer within a keystroke (0: the
     * defaults a search uses): edits a correction may make (1 is a bounded
     * lookup; 2 also scans the words sharing the first letter, speller.h). */
    unsigned spell_edits;
    /* For the same caller: how a prefix* expands.  NULL: the index's most
     * frequent terms starting with it (xs_query_prefix, which reads every
     * such term).  Else expand_prefix(expand_ctx, the folded prefix, the
     * clause's field or -1, &q, err) returns 0 with q the clause's query
     * (new), or NULL to leave the clause out; -1 with err set when it
     * fails. */
    int (*expand_prefix)(void *ctx, const char *prefix, int field, xs_query **q, ps_err *err);
    void *expand_ctx;
    /* For the same caller: a plain word (one token, no field, not
     * excluded, not in an OR group, not corrected) on more than
     * common_pages pages is left out of the query while it keeps another
     * required clause, or the caller ANDs a part of its own (rarer_part),
     * so that leaving it out only widens the match.  A required one would
     * be checked on every candidate page, a skip along one of the longest
     * lists in the index, for a small weight (idf under log 1.5 at half
     * the pages).  0 keeps every word (rarer_part then changes nothing).
     * Meant for a caller without synonyms or the proximity bonus, which
     * would still see the word. */
    uint32_t common_pages;
    int rarer_part;
    const ps_synmap *syn; /* the database's synonyms, or NULL for none */
} ps_qbuild_in;

/* Set of stems to highlight in snippets. */
typedef struct ps_stemset {
    char **stems;
    size_t n, cap;
} ps_stemset;

int ps_stemset_add(ps_stemset *s, const char *stem, size_t len);
int ps_stemset_has(const ps_stemset *s, const char *stem, size_t len);
void ps_stemset_free(ps_stemset *s);

typedef struct ps_qbuilt {
    xs_query *query;    /* NULL when the query has no searchable word */
    ps_stemset matched; /* stems of the positive words, for highlighting */
    char *corrected;    /* the query with misspellings fixed, or NULL */
    int field;          /* the one field every positive clause is restricted
                           to (snippets show it), or -1 */
} ps_qbuilt;

/* raw is the text parsed (for the corrected echo).  Fails only on
 * allocation or database errors. */
int ps_qbuild(const ps_qbuild_in *in, const char *raw, const ps_qparsed *parsed, ps_qbuilt *out,
              ps_err *err);
void ps_qbuilt_free(ps_qbuilt *b);

#endif
