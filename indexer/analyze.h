/*
 * analyze.h - text analysis shared by indexing and querying.
 *
 * One analyzer turns UTF-8 text into the terms both sides agree on:
 *   - words are found with ICU's UAX #29 word boundaries (letters, numbers,
 *     ideographs; punctuation and spaces are dropped);
 *   - each word is NFKC case-folded and accent-folded ("Épidural" -> "epidural",
 *     "ﬁbrosis" -> "fibrosis", curly apostrophes -> "'");
 *   - words joined by a hyphen, dash or slash with no space around it
 *     ("X-ray", "L4–L5", "C5-C6", "and/or", "24-48"), or by ':' between
 *     letters ("Nd:YAG"), form a compound: each part
 *     is a token at its own position, and afterwards the solid form ("xray",
 *     "l4l5") is emitted as one more token flagged PS_TOK_JOINED at the
 *     position of the first part.  So "X-ray", "x ray" and "xray" meet;
 *   - tokens with digits keep them ("l4", "2.5", "24").
 * Stemming (Snowball English through the shim) is a separate call, because
 * the indexer stems each distinct word once per page, not per occurrence.
 *
 * An analyzer holds ICU state and buffers: one per thread.
 */
#ifndef PS_ANALYZE_H
#define PS_ANALYZE_H

#include <stddef.h>
#include <stdint.h>

#include "common/err.h"

#define PS_TOK_DIGIT 0x1u    /* contains a digit: never stemmed */
#define PS_TOK_PART 0x2u     /* one part of a compound */
#define PS_TOK_JOINED 0x4u   /* the solid form of the compound just emitted */

/* Words longer than this (in bytes, after folding) are skipped: they get no
 * token, take no position, and end any compound they were part of. */
#define PS_TERM_MAX 64

typedef struct ps_token {
    const char *term;  /* folded form, NUL-terminated, valid during the callback */
    size_t len;        /* strlen(term) */
    size_t start, end; /* byte range of the word (for JOINED: the whole
                          compound) in the text given to ps_analyze */
    uint32_t pos;      /* word position (JOINED: the first part's) */
    unsigned flags;    /* PS_TOK_* */
    uint32_t n_parts;  /* for PART and JOINED tokens: parts in the compound
                          (2..8; longer chains are cut into compounds of 8);
                          0 for a plain word */
} ps_token;

/* Return 0 to go on, non-zero to stop the analysis early.  The callback may
 * call ps_stem and ps_is_stopword on the same analyzer, but not ps_analyze. */
typedef int (*ps_token_fn)(const ps_token *tok, void *ctx);

typedef struct ps_analyzer ps_analyzer;

/* NULL on failure (ICU could not be set up), with err saying why. */
ps_analyzer *ps_analyzer_new(ps_err *err);
void ps_analyzer_free(ps_analyzer *a);

/* Tokenize text[0..len).  Positions start at first_pos and rise by one per
 * word; *next_pos (may be NULL) receives the position after the last word so
 * that a caller can continue numbering in the next section (when fn stops
 * the analysis: the position after the last token fn was given).  Invalid UTF-8
 * is tolerated (bad bytes act as separators), so user input can never make
 * this fail; it returns -1 only when ICU itself fails, 1 when fn stopped it,
 * 0 otherwise. */
int ps_analyze(ps_analyzer *a, const char *text, size_t len, uint32_t first_pos,
               ps_token_fn fn, void *ctx, uint32_t *next_pos, ps_err *err);

/* Snowball English stem of a folded term into out (capacity cap, NUL
 * terminated); returns the stem's length, or 0 if it does not fit.  Terms
 * with a digit are returned unchanged.  Stems are cached per analyzer. */
size_t ps_stem(ps_analyzer *a, const char *term, size_t len, char *out, size_t cap);

/* Whether the ASCII byte c always separates words: no word, compound or
 * number runs across it, so text cut there analyzes piece by piece as it
 * does whole (space, tab, and line and page breaks). */
static inline int ps_analyze_splits_at(unsigned char c) {
    return c == ' ' || (c >= '\t' && c <= '\r');
}

/* Whether a folded term is an English stopword ("the", "of", "and", ...). */
int ps_is_stopword(const char *term, size_t len);

#endif
