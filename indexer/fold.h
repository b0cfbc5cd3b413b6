/*
 * fold.h - per-word folding for the analyzer (internal to indexer/).
 *
 * Folding is what makes "Épidural", "EPIDURAL" and "epidural" one term:
 * NFKC case folding, then accent folding, then apostrophe clean-up.  It lives
 * apart from the word splitting in analyze.c so that the two can be tested
 * and timed on their own.
 */
#ifndef PS_FOLD_H
#define PS_FOLD_H

#include <stddef.h>

#include <unicode/unorm2.h>
#include <unicode/utypes.h>

#include "common/err.h"
#include "indexer/analyze.h"

/* UTF-16 scratch size.  A word that needs more than this many code units at
 * any folding step cannot plausibly fold to PS_TERM_MAX bytes, so it is
 * treated as too long rather than given a heap buffer. */
#define PS_FOLD_U16_MAX 512

typedef struct ps_folder {
    const UNormalizer2 *nfkc_cf; /* owned by ICU, never closed */
    const UNormalizer2 *nfd;
    const UNormalizer2 *nfc;
    UChar u1[PS_FOLD_U16_MAX];
    UChar u2[PS_FOLD_U16_MAX];
} ps_folder;

/* Results of ps_fold_word besides a length. */
#define PS_FOLD_SKIP 0       /* nothing left worth indexing ("'", "__", "@") */
#define PS_FOLD_TOO_LONG (-1) /* longer than PS_TERM_MAX bytes once folded */
#define PS_FOLD_ERROR (-2)    /* ICU failed for a reason other than size */

int ps_folder_init(ps_folder *f, ps_err *err);

/* Fold the valid UTF-8 word w[0..len) into out (PS_TERM_MAX + 1 bytes, NUL
 * terminated).  Returns the folded length (> 0) and sets *flags to
 * PS_TOK_DIGIT when the term has an ASCII digit, or one of PS_FOLD_*.
 * The folded term holds at least one ASCII letter or digit or one non-ASCII
 * character, and no leading or trailing apostrophe. */
int ps_fold_word(ps_folder *f, const char *w, size_t len, char *out, unsigned *flags,
                 ps_err *err);

/* Length of the valid UTF-8 sequence starting at s[0] (s[0] >= 0x80), given
 * n >= 1 bytes available; 0 when it is not valid (overlong, surrogate, past
 * U+10FFFF, truncated or a stray continuation byte). */
size_t ps_utf8_seq_len(const unsigned char *s, size_t n);

#endif
