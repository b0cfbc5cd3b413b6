#include "query/snippet.h"
#include "query/snippet_internal.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/bytes16.h"
#include "indexer/fields.h"

#define MAX_MATCHES 256

typedef struct match {
    size_t start, end;
    int distinct; /* index of the stem in the matched set */
} match;

#define PROBES 2 /* most a stem has (see probe_of) */

typedef char probe_text[PS_TERM_MAX * 2];

typedef struct scan {
    ps_analyzer *an;
    const ps_stemset *matched;
    /* First bytes of the matched stems and prefixes.  English stemming
     * rewrites a word's end, never its first letter, so a word starting
     * with any other byte cannot match and is not stemmed: most words of a
     * section, and their stems were most of a snippet's time. */
    const unsigned char *first;
    size_t base; /* offset of the text being analyzed in its section */
    match m[MAX_MATCHES];
    size_t n;
} scan;

/* Index of the stem or prefix entry the folded term matches, or -1. */
static int which(const ps_stemset *set, const char *term, size_t len, const char *stem,
                 size_t stem_len) {
    for (size_t i = 0; i < set->n; i++) {
        const char *s = set->stems[i];
        size_t n = strlen(s);
        if (n && s[n - 1] == '*') {
            if (len >= n - 1 && !memcmp(term, s, n - 1))
                return (int)i;
        } else if (n == stem_len && !memcmp(s, stem, n)) {
            return (int)i;
        }
    }
    return -1;
}

static int on_token(const ps_token *t, void *ctx) {
    scan *sc = ctx;
    if (sc->n == MAX_MATCHES)
        return 1;
    if (t->len == 0 || !sc->first[(unsigned char)t->term[0]])
        return 0;
    char stem[PS_TERM_MAX * 2];
    size_t sl = ps_stem(sc->an, t->term, t->len, stem, sizeof stem);
    int w = which(sc->matched, t->term, t->len, stem, sl);
    if (w < 0)
        return 0;
    /* A compound's solid form spans its parts, which match on their own. */
    if (t->flags & PS_TOK_JOINED) {
        while (sc->n && sc->m[sc->n - 1].start >= sc->base + t->start)
            sc->n--;
    }
    sc->m[sc->n++] = (match){sc->base + t->start, sc->base + t->end, w};
    return 0;
}

/* A Snowball stem is the start of each of its words but for its last
 * letter ("biopsi" in "biopsy", "gram" in "angiography"): that start, the
 * stem's probe, is what a section must hold at the start of a word (or of
 * a compound's part) for the stem to match there.  Sections are looked at
 * once, sixteen bytes at a time, for the word starts where a probe
 * begins, compared without case and without joiners, so that a compound's
 * solid form ("xray") is found in "X-ray" as the analyzer finds it.
 * Text with non-ASCII bytes is folded in ways this cannot follow ("e" for
 * "é"), so its chunks are always analyzed (look). */
#define PROBE_ALWAYS 1000

/* Snowball English's exceptional forms whose stem does not start the word
 * ("lying" -> "lie"): their word's start is probed as well. */
static const char *const exceptions[][2] = {{"die", "dy"}, {"lie", "ly"}, {"tie", "ty"}};

/* What a word of the stem or prefix entry s must start with: probe k = 0,
 * and k = 1 for the exceptions.  Returns its length, 0 for none. */
static size_t probe_of(const char *s, int k, char *probe, size_t cap) {
    size_t len = strlen(s);
    if (k > 0) {
        for (size_t i = 0; i < sizeof exceptions / sizeof exceptions[0]; i++)
            if (strcmp(s, exceptions[i][0]) == 0) {
                len = strlen(exceptions[i][1]);
                memcpy(probe, exceptions[i][1], len + 1);
                return len;
            }
        return 0;
    }
    if (len && s[len - 1] == '*')
        len--;
    else if (len > 2)
        len--;
    if (len == 0 || len >= cap)
        return 0;
    memcpy(probe, s, len);
    probe[len] = '\0';
    return len;
}

static int is_joiner(unsigned char c) { return c == '-' || c == '/' || c == ':'; }

static unsigned char lower(unsigned char c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }

static int is_alnum(unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* The probes of a snippet's stems, chained by first byte. */
typedef struct probes {
    probe_text *text; /* PROBES per stem, "" for none */
    int *next;        /* the next probe with the same first byte, or -1 */
    int head[256];    /* the first probe with that first byte, or -1 */
    int odd; /* a probe starts with an ASCII byte that starts no word (look) */
    /* The probes' first bytes, lowered (ready, for ps_classify16): look
     * compares only the words starting with one (n_firsts -1: too many to,
     * every word is). */
    int n_firsts;
    ps_firsts16 ready;
    /* For the first PS_FIRSTS_MAX first bytes, the second bytes their
     * probes go on with (every byte for a one-byte probe), which spare
     * most words the walk down the chain: slot[c] is 1 + the index into
     * seconds of first byte c, 0 for none. */
    unsigned char slot[256];
    uint32_t seconds[PS_FIRSTS_MAX][8];
} probes;

/* A probe's first byte c, a lowercase letter or a digit new to the probes,
 * joins the firsts.  (Stems are folded; a probe starting with other ASCII
 * makes the probes odd, and one starting with a non-ASCII byte never
 * matches at an ASCII word start.) */
static void add_first(probes *p, unsigned char firsts[PS_FIRSTS_MAX], unsigned char c) {
    if (p->n_firsts >= 0 && p->n_firsts < PS_FIRSTS_MAX) {
        p->slot[c] = (unsigned char)(p->n_firsts + 1);
        firsts[p->n_firsts++] = c;
    } else {
        p->n_firsts = -1;
    }
}

static void add_second(probes *p, const char *probe) {
    unsigned s = p->slot[(unsigned char)probe[0]];
    if (!s)
        return;
    uint32_t *set = p->seconds[s - 1];
    unsigned char c = (unsigned char)probe[1];
    if (c == '\0')
        memset(set, 0xff, sizeof p->seconds[0]);
    else
        set[c >> 5] |= 1u << (c & 31);
}

static int probes_make(const ps_stemset *set, probes *p) {
    size_t n = set->n * PROBES;
    p->odd = 0;
    p->n_firsts = 0;
    memset(p->slot, 0, sizeof p->slot);
    memset(p->seconds, 0, sizeof p->seconds);
    p->text = malloc((n ? n : 1) * sizeof *p->text);
    p->next = malloc((n ? n : 1) * sizeof *p->next);
    if (!p->text || !p->next)
        return -1;
    for (int c = 0; c < 256; c++)
        p->head[c] = -1;
    unsigned char firsts[PS_FIRSTS_MAX];
    for (size_t i = n; i-- > 0;) {
        char *t = p->text[i];
        if (!probe_of(set->stems[i / PROBES], (int)(i % PROBES), t, sizeof *p->text)) {
            t[0] = '\0';
            continue;
        }
        unsigned char c = (unsigned char)t[0];
        p->odd |= c < 0x80 && !is_alnum(c);
        if (((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) && p->head[c] < 0)
            add_first(p, firsts, c);
        add_second(p, t);
        p->next[i] = p->head[c];
        p->head[c] = (int)i;
    }
    ps_firsts16_set(&p->ready, firsts, p->n_firsts);
    return 0;
}

static void probes_free(probes *p) {
    free(p->text);
    free(p->next);
}

/* Whether text t starts with probe, ignoring case and joiners. */
static int starts_with(const char *t, const char *probe) {
    for (; *probe; probe++, t++) {
        while (is_joiner((unsigned char)*t))
            t++;
        if (lower((unsigned char)*t) != (unsigned char)*probe)
            return 0;
    }
    return 1;
}

/* Where a section's words may match: MAX_STARTS at most, past which the
 * section is analyzed whole. */
#define MAX_STARTS 512

typedef struct starts {
    uint32_t *at; /* the sections' word starts, one section after another */
    size_t n, cap;
} starts;

typedef struct looked {
    int est;         /* distinct stems with a probe at a word start; PROBE_ALWAYS: analyze whole */
    size_t first, n; /* its starts in starts.at, ascending offsets in its text */
} looked;

static int add_start(starts *st, size_t at) {
    if (st->n == st->cap) {
        size_t cap = st->cap ? st->cap * 2 : 64;
        uint32_t *grown = realloc(st->at, cap * sizeof *grown);
        if (!grown)
            return -1;
        st->at = grown, st->cap = cap;
    }
    st->at[st->n++] = (uint32_t)at;
    return 0;
}

#if defined(__GNUC__)
#define LOWEST_BIT(m) ((size_t)__builtin_ctz(m))
#else
static size_t LOWEST_BIT(unsigned m) {
    size_t k = 0;
    while (!(m & 1))
        m >>= 1, k++;
    return k;
}
#endif

/* The stems whose probes start the word at text[i]: counted into est
 * when new to this section (seen[] holds, per stem, the mark of the last
 * section it was found in); 1 when any does. */
static int probe_word(const probes *p, const char *text, size_t i, unsigned mark, unsigned *seen,
                      int *est) {
    int found = 0;
    unsigned char c = lower((unsigned char)text[i]), next = lower((unsigned char)text[i + 1]);
    unsigned s = p->slot[c];
    /* A probe's second byte follows its first in the word, or a joiner does
     * (starts_with); text is NUL-terminated, so text[i + 1] is there. */
    if (s && !is_joiner(next) && !((p->seconds[s - 1][next >> 5] >> (next & 31)) & 1))
        return 0;
    for (int k = p->head[c]; k >= 0; k = p->next[k]) {
        if (!starts_with(text + i, p->text[k]))
            continue;
        found = 1;
        size_t stem = (size_t)k / PROBES;
        if (seen[stem] != mark) {
            seen[stem] = mark;
            (*est)++;
        }
    }
    return found;
}

/* A start kept for the section (MAX_STARTS at most, but counted on). */
static int keep_start(starts *st, looked *out, size_t at) {
    return ++out->n <= MAX_STARTS ? add_start(st, at) : 0;
}

/* One pass over a section: its estimate, which spares most sections the
 * analyzer (the distinct stems whose probes start a word bound what
 * analysis could find), and the word starts where they do.  Sixteen bytes
 * at a time, as every section of every hit passes here: a word starts at
 * a letter or digit after none, and only those starting with a probe's
 * first letter are compared.  Text with non-ASCII bytes is folded in ways
 * the probes cannot follow ("e" for "é"), so the start of each run of
 * such bytes is kept too (its whitespace-delimited chunk is then
 * analyzed) and the section is always analyzed (PROBE_ALWAYS). */
static int look(const probes *p, const char *text, unsigned mark, unsigned *seen, starts *st,
                looked *out) {
    *out = (looked){.est = 0, .first = st->n, .n = 0};
    size_t len = strlen(text);
    if (p->odd) { /* probes the pass cannot see: analyzed whole */
        *out = (looked){.est = len ? PROBE_ALWAYS : 0, .first = st->n, .n = MAX_STARTS + 1};
        return 0;
    }
    int non_ascii = 0;
    unsigned alnum_before = 0, high_before = 0; /* of the byte before the chunk */
    for (size_t i = 0; i < len; i += 16) {
        ps_classes16 c = ps_classify16(text + i, len - i, &p->ready);
        unsigned word_starts = c.alnum & ~((c.alnum << 1) | alnum_before);
        unsigned runs = c.high & ~((c.high << 1) | high_before);
        alnum_before = (c.alnum >> 15) & 1;
        high_before = (c.high >> 15) & 1;
        non_ascii |= runs != 0;
        if (p->n_firsts >= 0)
            word_starts &= c.first;
        /* Both kinds in one ascending walk: scan_probed wants starts in order. */
        for (unsigned want = word_starts | runs; want; want &= want - 1) {
            size_t k = LOWEST_BIT(want), at = i + k;
            if ((runs >> k) & 1) {
                if (keep_start(st, out, at) < 0)
                    return -1;
            } else if (probe_word(p, text, at, mark, seen, &out->est) &&
                       keep_start(st, out, at) < 0) {
                return -1;
            }
        }
    }
    if (non_ascii)
        out->est = PROBE_ALWAYS;
    if (out->n > MAX_STARTS)
        st->n = out->first;
    return 0;
}

static int analyze_at(scan *sc, const char *text, size_t from, size_t to, ps_err *err) {
    sc->base = from;
    int rc = ps_analyze(sc->an, text + from, to - from, 0, on_token, sc, NULL, err);
    sc->base = 0;
    return rc < 0 ? -1 : 0;
}

/* Only the whitespace-delimited chunks holding a section's word starts
 * are analyzed: the analyzer never joins words across whitespace, so a
 * chunk gives the same tokens alone as in its section.  Most of a section
 * is never looked at. */
static int scan_probed(scan *sc, const char *text, const uint32_t *at, size_t n, ps_err *err) {
    size_t done = 0, len = strlen(text);
    for (size_t i = 0; i < n; i++) {
        size_t from = at[i], to = from;
        if (from < done)
            continue;
        while (from > 0 && !ps_analyze_splits_at((unsigned char)text[from - 1]))
            from--;
        while (to < len && !ps_analyze_splits_at((unsigned char)text[to]))
            to++;
        if (analyze_at(sc, text, from, to, err) < 0)
            return -1;
        done = to;
    }
    return 0;
}

/* The matches of a section, from its word starts unless flags ask for
 * full analysis or there were too many to bother. */
static int scan_text(scan *sc, const char *text, const looked *lk, const starts *st,
                     unsigned flags, ps_err *err) {
    sc->n = 0;
    if (!text || !*text)
        return 0;
    if (lk->n <= MAX_STARTS && !(flags & PS_SNIPPET_FULL_SCAN))
        return lk->n && st->at ? scan_probed(sc, text, st->at + lk->first, lk->n, err) : 0;
    return analyze_at(sc, text, 0, strlen(text), err);
}

/* Distinct words matched count most; repeats break ties, up to a point,
 * so that a section's score stays below its estimate + 1 (REPEATS_MAX). */
#define REPEATS_MAX 9

static double score(const scan *sc) {
    unsigned seen = 0;
    int distinct = 0;
    for (size_t i = 0; i < sc->n; i++) {
        unsigned bit = 1u << (sc->m[i].distinct & 31);
        if (!(seen & bit)) {
            seen |= bit;
            distinct++;
        }
    }
    size_t repeats = sc->n < REPEATS_MAX ? sc->n : REPEATS_MAX;
    return distinct + 0.1 * (double)repeats;
}

/* The most a section's score can be, from its look: every match is at a
 * word start that a probe begins, so its repeats are at most those. */
static double bound(const looked *lk) {
    size_t repeats = lk->n < REPEATS_MAX ? lk->n : REPEATS_MAX;
    return lk->est + 0.1 * (double)repeats;
}

/* Start of the window: the match after which the most matches fit. */
static size_t best_start(const scan *sc) {
    size_t best = 0, best_count = 0;
    for (size_t i = 0; i < sc->n; i++) {
        size_t count = 0;
        for (size_t j = i; j < sc->n && sc->m[j].end - sc->m[i].start <= PS_SNIPPET_MAX - 40; j++)
            count++;
        if (count > best_count) {
            best_count = count;
            best = sc->m[i].start;
        }
    }
    return best;
}

static int is_cont(unsigned char c) { return (c & 0xC0) == 0x80; }

static int build(const char *text, const scan *sc, ps_snippet *out) {
    size_t len = strlen(text), from = 0, to = len;
    if (len > PS_SNIPPET_MAX) {
        size_t anchor = sc->n ? best_start(sc) : 0;
        from = anchor > 40 ? anchor - 40 : 0;
        /* Begin at a word, or at the start of the line the match is on. */
        for (size_t k = anchor; k > from; k--)
            if (text[k - 1] == '\n') {
                from = k;
                break;
            }
        while (from > 0 && from < len && text[from - 1] != ' ' && text[from - 1] != '\n')
            from++;
        to = from + PS_SNIPPET_MAX < len ? from + PS_SNIPPET_MAX : len;
        while (to < len && to > from && text[to] != ' ' && text[to] != '\n')
            to--;
        if (to == from)
            to = from + PS_SNIPPET_MAX < len ? from + PS_SNIPPET_MAX : len;
        while (to < len && is_cont((unsigned char)text[to]))
            to--;
    }
    /* Lines are list items: shown joined by " · " rather than run together. */
    size_t cap = (to - from) * 4 + 16;
    char *s = malloc(cap);
    ps_highlight *hl = sc->n ? malloc(sc->n * sizeof *hl) : NULL;
    if (!s || (sc->n && !hl)) {
        free(s);
        free(hl);
        return -1;
    }
    size_t o = 0, nh = 0, mi = 0;
    if (from > 0) {
        memcpy(s, "... ", 4);
        o = 4;
    }
    for (size_t k = from; k < to; k++) {
        while (mi < sc->n && sc->m[mi].start < k)
            mi++;
        if (mi < sc->n && sc->m[mi].start == k && sc->m[mi].end <= to)
            hl[nh++] = (ps_highlight){o, o + (sc->m[mi].end - sc->m[mi].start)};
        if (text[k] == '\n') { /* never inside a word, so never inside a highlight */
            memcpy(s + o, " \xc2\xb7 ", 4);
            o += 4;
        } else {
            s[o++] = text[k];
        }
    }
    if (to < len) {
        memcpy(s + o, " ...", 4);
        o += 4;
    }
    s[o] = '\0';
    out->text = s;
    out->highlights = hl;
    out->n_highlights = nh;
    return 0;
}

/* Sections by estimate, highest first (the section asked about first of
 * all); equal ones in page order. */
typedef struct ranked {
    int est;
    size_t i;
} ranked;

static int cmp_ranked(const void *a, const void *b) {
    const ranked *x = a, *y = b;
    if (x->est != y->est)
        return x->est > y->est ? -1 : 1;
    return (x->i > y->i) - (x->i < y->i);
}

int ps_snippet_make(ps_analyzer *an, const ps_page *page, const ps_stemset *matched, int field,
                    ps_snippet *out, ps_err *err) {
    return ps_snippet_make_ex(an, page, matched, field, 0, out, err);
}

int ps_snippet_make_ex(ps_analyzer *an, const ps_page *page, const ps_stemset *matched,
                       int field, unsigned flags, ps_snippet *out, ps_err *err) {
    memset(out, 0, sizeof *out);
    const size_t n_sec = page->n_sections;
    if (n_sec == 0)
        return 0;
    /* Two scans: the one being made and the best so far, so that the
     * winner is not analyzed twice. */
    scan *sc = malloc(2 * sizeof *sc);
    looked *lks = malloc(n_sec * sizeof *lks);
    ranked *order = malloc(n_sec * sizeof *order);
    unsigned *seen = calloc(matched->n ? matched->n : 1, sizeof *seen);
    probes pr = {0};
    starts st = {0};
    unsigned char first[256] = {0};
    size_t best = 0;
    double best_score = 0;
    int rc = 0;
    if (!sc || !lks || !order || !seen || probes_make(matched, &pr) < 0) {
        rc = ps_err_set(err, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < n_sec; i++) {
        const char *t = page->sections[i].text ? page->sections[i].text : "";
        if (look(&pr, t, (unsigned)i + 1, seen, &st, &lks[i]) < 0) {
            rc = ps_err_set(err, "out of memory");
            goto done;
        }
        int est = lks[i].est;
        if (ps_field_of_section(page->sections[i].key) == field && est > 0)
            est = PROBE_ALWAYS + 1;
        order[i] = (ranked){est, i};
    }
    for (size_t i = 0; i < matched->n; i++)
        first[(unsigned char)matched->stems[i][0]] = 1;
    first['\''] = 1; /* the one first letter it drops */
    for (int k = 0; k < 2; k++) { /* not the matches: set as they are found */
        sc[k].an = an;
        sc[k].matched = matched;
        sc[k].first = first;
        sc[k].base = 0;
        sc[k].n = 0;
    }
    scan *cur = &sc[0], *best_scan = &sc[1];
    qsort(order, n_sec, sizeof *order, cmp_ranked);
    /* Analyze the likeliest sections first, and stop at the first that
     * cannot reach the best so far: its score is below its estimate + 1.
     * Of equal scores, the first in the page wins, whatever the estimates. */
    for (size_t k = 0; k < n_sec; k++) {
        size_t i = order[k].i;
        const ps_section *sec = &page->sections[i];
        if (!(flags & PS_SNIPPET_FULL_SCAN) &&
            (order[k].est == 0 || (order[k].est < PROBE_ALWAYS && order[k].est + 1 <= best_score)))
            break;
        /* Nor need one whose bound is below the best, or equal to it but
         * later in the page. */
        if (!(flags & PS_SNIPPET_FULL_SCAN) && order[k].est < PROBE_ALWAYS) {
            double most = bound(&lks[i]);
            if (most < best_score || (most == best_score && i > best))
                continue;
        }
        if ((rc = scan_text(cur, sec->text, &lks[i], &st, flags, err)) < 0)
            goto done;
        double sco = score(cur);
        /* The section the person asked about wins whenever it matches. */
        if (sco > 0 && ps_field_of_section(sec->key) == field)
            sco += 1000;
        if (sco > best_score || (sco > 0 && sco == best_score && i < best)) {
            best_score = sco;
            best = i;
            scan *t = best_scan;
            best_scan = cur, cur = t;
        }
    }
    if (best_score == 0) {
        best_scan->n = 0;
        for (size_t i = 0; i < n_sec; i++)
            if (page->sections[i].key == PS_SEC_SUMMARY) {
                best = i;
                break;
            }
    }
    const ps_section *sec = &page->sections[best];
    out->section = strdup(sec->title ? sec->title : ps_section_key_title(sec->key));
    out->section_key = strdup(ps_field_name(ps_field_of_section(sec->key)));
    if (!out->section || !out->section_key || build(sec->text ? sec->text : "", best_scan, out) < 0)
        rc = ps_err_set(err, "out of memory");
done:
    free(order);
    free(lks);
    free(seen);
    free(st.at);
    probes_free(&pr);
    free(sc);
    if (rc < 0)
        ps_snippet_free(out);
    return rc;
}

void ps_snippet_free(ps_snippet *s) {
    free(s->section);
    free(s->section_key);
    free(s->text);
    free(s->highlights);
    memset(s, 0, sizeof *s);
}
