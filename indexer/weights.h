/*
 * weights.h - the ranking parameters, in one documented place.
 *
 * Ranking is BM25F done the way Robertson et al. describe it ("Simple BM25
 * extension to multiple weighted fields"): at index time each occurrence of
 * a word adds its field's weight to the word's within-document frequency,
 * and the document length is the sum of those weighted frequencies.  BM25
 * then saturates the combined frequency once.  Because this lives in the
 * index (wdf and document length), any stock Xapian BM25Weight - including a
 * remote xapian-tcpsrv - ranks exactly as we do.
 *
 * Consequences: field weights are fixed when a page is indexed (they are
 * stored in the database's metadata, and changing them means re-indexing),
 * while k1 and b, and the query-time factors below, can change per search
 * (suggestions use k1 but rank with b = 0, query/suggest.c).
 *
 * The weights file format (also what `procsearch tune` writes): one
 * "name = value" per line, '#' starts a comment, names are the field names
 * of fields.h ("descriptor", "name", "common", "summary", ...) and "k1",
 * "b", "synonym", "typo", "phrase".  Unnamed keys keep their defaults.
 */
#ifndef PS_WEIGHTS_H
#define PS_WEIGHTS_H

#include "common/err.h"
#include "indexer/fields.h"

typedef struct ps_weights {
    double field[PS_F_COUNT]; /* wdf added per occurrence in each field; 0 = field not ranked */
    double k1;                /* BM25 term-frequency saturation */
    double b;                 /* BM25 length normalisation */
    double synonym;           /* weight factor of a synonym expansion vs the word typed */
    double typo;              /* weight factor of a spelling correction vs an exact word */
    double phrase;            /* weight factor of an exact-phrase bonus */
} ps_weights;

/* The shipped defaults (see corpus/weights.conf, produced by `tune`). */
void ps_weights_default(ps_weights *w);

/* Parse the text format on top of what *w holds.  origin names the source
 * in messages ("weights.conf:3: unknown name 'sumary'"). */
int ps_weights_parse(const char *text, const char *origin, ps_weights *w, ps_err *err);
int ps_weights_load(const char *path, ps_weights *w, ps_err *err);

/* The weights in the text format, malloc()ed (NULL on allocation failure). */
char *ps_weights_format(const ps_weights *w);

/* The integer wdf a page gives a word from its weighted occurrence sum:
 * rounded, and at least 1 for a word that occurs in a ranked field. */
unsigned ps_weights_wdf(double weighted_sum);

#endif
