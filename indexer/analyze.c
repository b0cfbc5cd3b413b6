/*
 * analyze.c - UTF-8 text to folded terms: word splitting, compounds, stems.
 *
 * Speed.  The indexer runs every page through here, and ICU's break iterator
 * costs far more per byte than the rest, so text is cut at ASCII whitespace
 * into chunks first.  UAX #29 never joins across ASCII whitespace (no rule
 * lets a word continue through a space, tab or line break), so each chunk
 * can be segmented on its own; a chunk of pure ASCII goes through a small
 * scanner that implements the UAX #29 rules as ICU applies them to ASCII
 * (ICU counts '@' as a letter, and ':' does not join letters), and only
 * chunks with other characters go to ICU.  The unit tests check that both
 * give the same tokens on the whole dev corpus and on random text.
 *
 * Invalid UTF-8.  Bad bytes end a chunk exactly as a space would, so they
 * separate words, are never handed to ICU, and need no copy of the text.
 *
 * Skipped words.  A word that is longer than PS_TERM_MAX bytes once folded,
 * or that folds to nothing indexable ("@", "__"), gets no token and takes no
 * position, and it ends any compound in progress.
 *
 * Compounds.  Words are collected while the gap between two of them is one
 * joiner character (hyphen or dash U+2010..U+2014, '/', U+2215, their full
 * width forms, or ':' with a letter on both sides, as in "Nd:YAG").  A
 * compound has at most PS_MAX_PARTS parts: a longer chain is cut into
 * compounds of that many, each with its own solid form.  When the solid
 * form would be longer than PS_TERM_MAX it is left out; the parts still
 * carry PS_TOK_PART.  Plain words have n_parts 0.
 *
 * Early stop.  When the callback stops the analysis, *next_pos is the
 * position after the last token it was given.
 */
#include "indexer/analyze.h"
#include "indexer/conflate.h"

#include <stdlib.h>
#include <string.h>

#include <unicode/ubrk.h>
#include <unicode/uchar.h>
#include <unicode/utext.h>

#include "indexer/analyze_internal.h"
#include "indexer/fold.h"
#include "shim/xapian_shim.h"

#define PS_MAX_PARTS 8

/* ICU returns break positions as int32_t, so a chunk without whitespace
 * (CJK runs, garbage) is cut at this size; a word can only be split there
 * in input that is not text anyway. */
#define CHUNK_MAX ((size_t)1 << 30)

/* Stem cache: 2-way set-associative with the most recent way first, one
 * 64-byte line per word of up to STEM_SLOT_MAX bytes (nearly all English
 * words; longer ones bypass it).  Xapian's stemmer costs ~200 ns a word
 * through the shim and a hit ~35 ns; 16384 slots (1 MB, touched only as it
 * fills) hold the dev corpus's whole 6.5k-word vocabulary with room for a
 * real corpus's common words, where 4096 direct-mapped slots missed so often
 * that stemming was only twice as fast.  Snowball English never makes a stem
 * longer than its word, so a stem always fits the slot of its word. */
#define STEM_WAYS 2
#define STEM_SETS 8192
#define STEM_SLOT_MAX 31

typedef struct stem_slot {
    uint8_t klen; /* 0: empty */
    uint8_t slen;
    char key[STEM_SLOT_MAX];
    char stem[STEM_SLOT_MAX];
} stem_slot;
_Static_assert(sizeof(stem_slot) == 64, "a stem slot is meant to fill one cache line");

typedef struct part {
    char term[PS_TERM_MAX + 1];
    size_t len, start, end;
    uint32_t pos;
    unsigned flags;
} part;

struct ps_analyzer {
    UBreakIterator *bi;
    UText ut;
    xs_stem *stem;
    int icu_only;
    int cache_on;

    /* State of one ps_analyze call. */
    const unsigned char *text;
    ps_token_fn fn;
    void *ctx;
    ps_err *err;
    uint32_t pos;      /* next position to hand out */
    uint32_t done_pos; /* position after the last token delivered */
    size_t n_parts;    /* words collected for the current compound */
    part parts[PS_MAX_PARTS];
    char joined[PS_TERM_MAX + 1];

    ps_folder fold;
    stem_slot cache[STEM_SETS][STEM_WAYS];
};

ps_analyzer *ps_analyzer_new(ps_err *err) {
    ps_analyzer *a = calloc(1, sizeof *a);
    if (!a) {
        ps_err_set(err, "analyzer: out of memory");
        return NULL;
    }
    UText init = UTEXT_INITIALIZER;
    a->ut = init;
    a->cache_on = 1;
    if (ps_folder_init(&a->fold, err) != 0) {
        free(a);
        return NULL;
    }
    UErrorCode st = U_ZERO_ERROR;
    a->bi = ubrk_open(UBRK_WORD, "en", NULL, 0, &st);
    if (U_FAILURE(st)) {
        ps_err_set(err, "analyzer: cannot open ICU word break iterator: %s", u_errorName(st));
        ps_analyzer_free(a);
        return NULL;
    }
    xs_status s = xs_stem_new("english", &a->stem);
    if (s != XS_OK) {
        ps_err_set(err, "analyzer: cannot create the English stemmer: %s (%s)",
                   xs_status_name(s), xs_last_error());
        a->stem = NULL;
        ps_analyzer_free(a);
        return NULL;
    }
    return a;
}

void ps_analyzer_free(ps_analyzer *a) {
    if (!a)
        return;
    if (a->bi)
        ubrk_close(a->bi);
    utext_close(&a->ut);
    xs_stem_free(a->stem);
    free(a);
}

void ps_analyzer_set_icu_only(ps_analyzer *a, int on) { a->icu_only = on != 0; }

void ps_analyzer_set_stem_cache(ps_analyzer *a, int on) {
    a->cache_on = on != 0;
    memset(a->cache, 0, sizeof a->cache);
}

/* ------------------------------------------------------------ emission */

static int emit(ps_analyzer *a, const ps_token *tok) {
    int stop = a->fn(tok, a->ctx);
    uint32_t after = tok->pos + 1;
    if (tok->flags & PS_TOK_JOINED)
        after = tok->pos + tok->n_parts;
    if (after > a->done_pos)
        a->done_pos = after;
    return stop ? 1 : 0;
}

/* Deliver the words collected so far: one plain token, or a compound's
 * parts followed by its solid form. */
static int flush(ps_analyzer *a) {
    size_t n = a->n_parts;
    a->n_parts = 0;
    if (n == 0)
        return 0;
    ps_token tok;
    if (n == 1) {
        const part *p = &a->parts[0];
        tok = (ps_token){p->term, p->len, p->start, p->end, p->pos, p->flags, 0};
        return emit(a, &tok);
    }
    size_t jl = 0;
    unsigned digit = 0;
    for (size_t i = 0; i < n; i++) {
        const part *p = &a->parts[i];
        digit |= p->flags & PS_TOK_DIGIT;
        if (jl + p->len <= PS_TERM_MAX)
            memcpy(a->joined + jl, p->term, p->len);
        jl += p->len;
    }
    for (size_t i = 0; i < n; i++) {
        const part *p = &a->parts[i];
        tok = (ps_token){p->term, p->len, p->start, p->end, p->pos,
                         p->flags | PS_TOK_PART, (uint32_t)n};
        if (emit(a, &tok))
            return 1;
    }
    if (jl > PS_TERM_MAX)
        return 0;
    a->joined[jl] = '\0';
    tok = (ps_token){a->joined, jl, a->parts[0].start, a->parts[n - 1].end,
                     a->parts[0].pos, digit | PS_TOK_JOINED, (uint32_t)n};
    return emit(a, &tok);
}

/* ------------------------------------------------------------ compounds */

/* Code point ending at t[end) / starting at t[start]; the text there is
 * valid UTF-8 because both are edges of words. */
static UChar32 cp_before(const unsigned char *t, size_t end) {
    size_t i = end - 1;
    while (i > 0 && (t[i] & 0xC0) == 0x80 && end - i < 4)
        i--;
    UChar32 c = t[i];
    if (c < 0x80)
        return c;
    int k = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : 1;
    c &= 0x3F >> k;
    for (size_t j = i + 1; j < end; j++)
        c = (c << 6) | (t[j] & 0x3F);
    return c;
}

static UChar32 cp_at(const unsigned char *t, size_t start) {
    UChar32 c = t[start];
    if (c < 0x80)
        return c;
    int k = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : 1;
    c &= 0x3F >> k;
    for (int j = 1; j <= k; j++)
        c = (c << 6) | (t[start + (size_t)j] & 0x3F);
    return c;
}

/* Whether the gap t[end..start) between two words is a single joiner. */
static int joins(const unsigned char *t, size_t end, size_t start) {
    size_t n = start - end;
    const unsigned char *g = t + end;
    int colon = 0;
    if (n == 1) {
        if (g[0] == '-' || g[0] == '/')
            return 1;
        colon = g[0] == ':';
    } else if (n == 3 && g[0] == 0xE2) {
        /* U+2010..U+2014 hyphens and dashes, U+2215 division slash */
        if ((g[1] == 0x80 && g[2] >= 0x90 && g[2] <= 0x94) || (g[1] == 0x88 && g[2] == 0x95))
            return 1;
    } else if (n == 3 && g[0] == 0xEF && g[1] == 0xBC) {
        /* full-width '-', '/' and ':' (NFKC makes them the ASCII ones) */
        if (g[2] == 0x8D || g[2] == 0x8F)
            return 1;
        colon = g[2] == 0x9A;
    }
    /* "Nd:YAG" but not "10:30" nor "Note: ..." (the space already fails). */
    return colon && u_isalpha(cp_before(t, end)) && u_isalpha(cp_at(t, start));
}

/* One word t[start..end) from either segmenter: 0 go on, 1 stopped, -1 ICU
 * failed. */
static int on_word(ps_analyzer *a, size_t start, size_t end) {
    size_t n = a->n_parts;
    int r;
    if (n > 0 && (n == PS_MAX_PARTS || !joins(a->text, a->parts[n - 1].end, start))) {
        if ((r = flush(a)) != 0)
            return r;
        n = 0;
    }
    part *p = &a->parts[n];
    unsigned flags = 0;
    int len = ps_fold_word(&a->fold, (const char *)a->text + start, end - start, p->term,
                           &flags, a->err);
    if (len == PS_FOLD_ERROR)
        return -1;
    if (len <= 0)
        return flush(a); /* a skipped word breaks a compound */
    p->len = (size_t)len;
    p->start = start;
    p->end = end;
    p->pos = a->pos++;
    p->flags = flags;
    a->n_parts = n + 1;
    return 0;
}

/* ------------------------------------------------------------ segmenters */

/* UAX #29 word-break classes of ASCII, as ICU 72 assigns them. */
#define AL 1u /* ALetter: letters and '@' */
#define NU 2u /* Numeric */
#define EX 4u /* ExtendNumLet: '_' */
#define WORD (AL | NU | EX)
#define ML 8u  /* joins letters: MidNumLet '.', and "'" */
#define MN 16u /* joins digits: MidNum ',' ';', MidNumLet '.', and "'" */

static const unsigned char ascii_class[128] = {
    0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,
    0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,  0,
    0,  0,  0,  0,  0,  0,  0,  ML | MN, 0, 0, 0, 0, MN, 0, ML | MN, 0,
    NU, NU, NU, NU, NU, NU, NU, NU, NU, NU, 0,  MN, 0,  0,  0,  0,
    AL, AL, AL, AL, AL, AL, AL, AL, AL, AL, AL, AL, AL, AL, AL, AL,
    AL, AL, AL, AL, AL, AL, AL, AL, AL, AL, AL, 0,  0,  0,  0,  EX,
    0,  AL, AL, AL, AL, AL, AL, AL, AL, AL, AL, AL, AL, AL, AL, AL,
    AL, AL, AL, AL, AL, AL, AL, AL, AL, AL, AL, 0,  0,  0,  0,  0,
};

/* Words of an ASCII chunk: runs of word characters, continued through one
 * '.' or "'" between letters (WB6/7: "e.g", "don't") or one of ".,;'"
 * between digits (WB11/12: "2.5", "1,000"). */
static int ascii_chunk(ps_analyzer *a, size_t cs, size_t ce) {
    const unsigned char *t = a->text;
    size_t i = cs;
    while (i < ce) {
        unsigned k = ascii_class[t[i]];
        if (!(k & WORD)) {
            i++;
            continue;
        }
        size_t start = i++;
        unsigned last = k;
        for (;;) {
            while (i < ce && ((k = ascii_class[t[i]]) & WORD)) {
                last = k;
                i++;
            }
            if (i + 1 < ce) {
                unsigned mid = ascii_class[t[i]], next = ascii_class[t[i + 1]];
                if ((last == AL && (mid & ML) && next == AL) ||
                    (last == NU && (mid & MN) && next == NU)) {
                    i++;
                    continue;
                }
            }
            break;
        }
        int r = on_word(a, start, i);
        if (r != 0)
            return r;
    }
    return 0;
}

static int icu_chunk(ps_analyzer *a, size_t cs, size_t ce) {
    UErrorCode st = U_ZERO_ERROR;
    utext_openUTF8(&a->ut, (const char *)a->text + cs, (int64_t)(ce - cs), &st);
    ubrk_setUText(a->bi, &a->ut, &st);
    if (U_FAILURE(st))
        return ps_err_set(a->err, "analyzer: ICU word break on bytes %zu..%zu failed: %s", cs,
                          ce, u_errorName(st));
    int32_t b = ubrk_first(a->bi);
    for (int32_t e = ubrk_next(a->bi); e != UBRK_DONE; b = e, e = ubrk_next(a->bi)) {
        if (ubrk_getRuleStatus(a->bi) < UBRK_WORD_NONE_LIMIT)
            continue; /* spaces, punctuation, symbols, emoji */
        int r = on_word(a, cs + (size_t)b, cs + (size_t)e);
        if (r != 0)
            return r;
    }
    return 0;
}

static int scan(ps_analyzer *a, size_t n) {
    const unsigned char *t = a->text;
    int split_ws = !a->icu_only;
    size_t i = 0;
    while (i < n) {
        unsigned char c = t[i];
        if ((c < 0x80 && split_ws && ps_analyze_splits_at(c)) ||
            (c >= 0x80 && ps_utf8_seq_len(t + i, n - i) == 0)) {
            i++;
            continue;
        }
        size_t cs = i;
        size_t lim = n - cs > CHUNK_MAX ? cs + CHUNK_MAX : n;
        int high = 0;
        while (i < lim) {
            c = t[i];
            if (c < 0x80) {
                if (split_ws && ps_analyze_splits_at(c))
                    break;
                i++;
                continue;
            }
            size_t k = ps_utf8_seq_len(t + i, n - i);
            if (k == 0)
                break;
            high = 1;
            i += k;
        }
        int r = high || !split_ws ? icu_chunk(a, cs, i) : ascii_chunk(a, cs, i);
        if (r != 0)
            return r;
    }
    return 0;
}

int ps_analyze(ps_analyzer *a, const char *text, size_t len, uint32_t first_pos,
               ps_token_fn fn, void *ctx, uint32_t *next_pos, ps_err *err) {
    if (next_pos)
        *next_pos = first_pos;
    if (!a || !fn || (!text && len > 0))
        return ps_err_set(err, "ps_analyze: %s is NULL",
                          !a ? "the analyzer" : !fn ? "the callback" : "the text");
    a->text = (const unsigned char *)text;
    a->fn = fn;
    a->ctx = ctx;
    a->err = err;
    a->pos = first_pos;
    a->done_pos = first_pos;
    a->n_parts = 0;
    int r = scan(a, len);
    if (r == 0)
        r = flush(a);
    if (next_pos)
        *next_pos = r == 0 ? a->pos : a->done_pos;
    a->text = NULL;
    return r;
}

/* ------------------------------------------------------------ stemming */

static int has_digit(const char *s, size_t len) {
    for (size_t i = 0; i < len; i++)
        if (s[i] >= '0' && s[i] <= '9')
            return 1;
    return 0;
}

static size_t copy_out(const char *s, size_t len, char *out, size_t cap) {
    if (len >= cap)
        return 0;
    memcpy(out, s, len);
    out[len] = '\0';
    return len;
}

static uint32_t hash_term(const char *s, size_t len) {
    uint32_t h = 2166136261u; /* FNV-1a */
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h ^ (h >> 15);
}

size_t ps_stem(ps_analyzer *a, const char *term, size_t len, char *out, size_t cap) {
    if (cap == 0)
        return 0;
    out[0] = '\0';
    if (len == 0 || has_digit(term, len))
        return copy_out(term, len, out, cap);

    stem_slot *slot = NULL;
    if (a->cache_on && len <= STEM_SLOT_MAX) {
        stem_slot *set = a->cache[hash_term(term, len) & (STEM_SETS - 1)];
        for (int w = 0; w < STEM_WAYS; w++) {
            if (set[w].klen != len || memcmp(set[w].key, term, len) != 0)
                continue;
            if (w > 0) {
                stem_slot hit = set[w];
                memmove(set + 1, set, (size_t)w * sizeof *set);
                set[0] = hit;
            }
            return copy_out(set[0].stem, set[0].slen, out, cap);
        }
        /* Evict the least recent way; the new word goes first once stemmed. */
        memmove(set + 1, set, (STEM_WAYS - 1) * sizeof *set);
        slot = &set[0];
        slot->klen = 0;
    }

    char buf[4 * PS_TERM_MAX];
    size_t sl = 0;
    if (len >= sizeof buf) {
        /* Longer than any folded term: no cache, straight into out. */
        if (xs_stem_word(a->stem, term, len, out, cap, &sl) == XS_OK)
            return sl;
        if (sl >= cap) {
            out[0] = '\0'; /* not a truncated stem that looks whole */
            return 0;
        }
        return copy_out(term, len, out, cap);
    }
    if (xs_stem_word(a->stem, term, len, buf, sizeof buf, &sl) != XS_OK || sl >= sizeof buf)
        /* Only an allocation failure inside Xapian gets here; the word
         * unstemmed is the least wrong term to go on with. */
        return copy_out(term, len, out, cap);
    sl = ps_conflate_stem(buf, sl);
    if (slot && sl <= STEM_SLOT_MAX) {
        slot->klen = (uint8_t)len;
        slot->slen = (uint8_t)sl;
        memcpy(slot->key, term, len);
        memcpy(slot->stem, buf, sl);
    }
    return copy_out(buf, sl, out, cap);
}
