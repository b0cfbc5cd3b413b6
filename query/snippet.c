#include "query/snippet.h"
#include "query/snippet_internal.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "indexer/fields.h"

#define MAX_MATCHES 256

typedef struct match {
    size_t start, end;
    int distinct; /* index of the stem in the matched set */
} match;

#define PROBES 2 /* most a stem has (see probe_of) */

/* The probes of every matched stem, made once per snippet: PROBES per
 * stem, "" for none. */
typedef char probe_text[PS_TERM_MAX * 2];

typedef struct scan {
    ps_analyzer *an;
    const ps_stemset *matched;
    /* First bytes of the matched stems and prefixes.  English stemming
     * rewrites a word's end, never its first letter, so a word starting
     * with any other byte cannot match and is not stemmed: most words of a
     * section, and their stems were most of a snippet's time. */
    const unsigned char *first;
    const probe_text *probes; /* of matched, PROBES per stem */
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

/* Sections are looked at through their lower-cased ASCII text ("low"),
 * where a Snowball stem is the start of each of its words but for its last
 * letter ("biopsi" in "biopsy", "gram" in "angiography").  Joiners are left
 * out, so that a compound's solid form ("xray") is found in "X-ray" as the
 * analyzer finds it; gap[] holds where in low each one was left out, to map
 * low back to the text.  Text with non-ASCII bytes is folded in ways low
 * cannot follow ("é" -> "e"), so it is always analyzed whole. */
#define PROBE_ALWAYS 1000

typedef struct lowered {
    char *low;     /* in a buffer of the whole page's */
    uint32_t *gap; /* ascending */
    size_t n, n_gaps;
    int ascii;
} lowered;

#define ONES 0x0101010101010101ull
#define HIGHS 0x8080808080808080ull

/* Whether a byte of the ASCII word x is c. */
static int has_byte(uint64_t x, unsigned char c) {
    uint64_t v = x ^ (ONES * c);
    return ((v - ONES) & ~v & HIGHS) != 0;
}

static void lower_byte(lowered *l, unsigned char c) {
    if (c == '-' || c == '/' || c == ':')
        l->gap[l->n_gaps++] = (uint32_t)l->n;
    else
        l->low[l->n++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
}

/* Text of len bytes into l, whose low and gap have room for len + 1 and
 * len.  Eight bytes at a time: every section of every hit passes here. */
static void lower(lowered *l, const char *text, size_t len) {
    size_t i = 0;
    l->n = l->n_gaps = 0;
    l->ascii = 1;
    for (; l->ascii && i + 8 <= len; i += 8) {
        uint64_t x;
        memcpy(&x, text + i, 8);
        if (x & HIGHS) {
            l->ascii = 0;
        } else if (has_byte(x, '-') || has_byte(x, '/') || has_byte(x, ':')) {
            for (size_t k = 0; k < 8; k++)
                lower_byte(l, (unsigned char)text[i + k]);
        } else {
            /* Bytes from 'A' to 'Z' get 0x20: with the high bit set, no
             * subtraction borrows from the next byte. */
            uint64_t b = x | HIGHS;
            uint64_t upper = ((b - ONES * 'A') & ~(b - ONES * ('Z' + 1))) & HIGHS;
            x |= upper >> 2;
            memcpy(l->low + l->n, &x, 8);
            l->n += 8;
        }
    }
    for (; l->ascii && i < len; i++) {
        if ((unsigned char)text[i] >= 0x80)
            l->ascii = 0;
        else
            lower_byte(l, (unsigned char)text[i]);
    }
    l->low[l->ascii ? l->n : 0] = '\0';
}

/* The offset in the text of byte p of low. */
static size_t text_offset(const lowered *l, size_t p) {
    size_t lo = 0, hi = l->n_gaps; /* gaps at or before p */
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (l->gap[mid] <= p)
            lo = mid + 1;
        else
            hi = mid;
    }
    return p + lo;
}

/* Snowball English's exceptional forms whose stem does not start the word
 * ("lying" -> "lie"): their word's start is probed as well. */
static const char *const exceptions[][2] = {{"die", "dy"}, {"lie", "ly"}, {"tie", "ty"}};

/* What low must contain for a word of the stem or prefix entry s: probe
 * k = 0, and k = 1 for the exceptions.  Returns its length, 0 for none. */
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

static probe_text *probes_new(const ps_stemset *set) {
    probe_text *p = malloc((set->n ? set->n : 1) * PROBES * sizeof *p);
    for (size_t i = 0; p && i < set->n; i++)
        for (int k = 0; k < PROBES; k++)
            if (!probe_of(set->stems[i], k, p[i * PROBES + (size_t)k], sizeof *p))
                p[i * PROBES + (size_t)k][0] = '\0';
    return p;
}

/* An estimate that spares most sections the analyzer: the number of
 * distinct stems with a probe in low bounds what analysis could find. */
static int probe_count(const probe_text *probes, size_t n_stems, const lowered *l) {
    if (!l->ascii)
        return PROBE_ALWAYS;
    int found = 0;
    for (size_t i = 0; i < n_stems; i++)
        for (int k = 0; k < PROBES; k++) {
            const char *probe = probes[i * PROBES + (size_t)k];
            if (*probe && strstr(l->low, probe)) {
                found++;
                break;
            }
        }
    return found;
}

static int analyze_at(scan *sc, const char *text, size_t from, size_t to, ps_err *err) {
    sc->base = from;
    int rc = ps_analyze(sc->an, text + from, to - from, 0, on_token, sc, NULL, err);
    sc->base = 0;
    return rc < 0 ? -1 : 0;
}

static int cmp_size(const void *a, const void *b) {
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return (x > y) - (x < y);
}

static int is_alnum(unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* The words of an ASCII section that may match are those where a probe
 * starts a word (or a compound's part) of the text.  Only the
 * whitespace-delimited chunks holding them are analyzed: the analyzer
 * never joins words across whitespace, so a chunk gives the same tokens
 * alone as in its section.  Most of a section is never looked at.  Returns
 * 1 when there are too many candidates to bother (analyze it all). */
#define MAX_STARTS 512

static int scan_probed(scan *sc, const char *text, const lowered *l, ps_err *err) {
    size_t starts[MAX_STARTS], n = 0;
    for (size_t i = 0; i < sc->matched->n * PROBES; i++) {
        const char *probe = sc->probes[i];
        for (const char *p = *probe ? strstr(l->low, probe) : NULL; p; p = strstr(p + 1, probe)) {
            size_t o = text_offset(l, (size_t)(p - l->low));
            if (o > 0 && is_alnum((unsigned char)text[o - 1]))
                continue;
            if (n == MAX_STARTS)
                return 1;
            starts[n++] = o;
        }
    }
    if (n == 0)
        return 0;
    qsort(starts, n, sizeof *starts, cmp_size);
    size_t done = 0, len = strlen(text);
    for (size_t i = 0; i < n; i++) {
        if (starts[i] < done)
            continue;
        size_t from = starts[i], to = starts[i];
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

static int scan_text(scan *sc, const char *text, const lowered *l, unsigned flags,
                     ps_err *err) {
    sc->n = 0;
    if (!text || !*text)
        return 0;
    if (l && l->ascii && !(flags & PS_SNIPPET_FULL_SCAN)) {
        int rc = scan_probed(sc, text, l, err);
        if (rc <= 0)
            return rc;
        sc->n = 0;
    }
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
    /* Each section lowered once, for its estimate and for its scan. */
    size_t total = 0;
    for (size_t i = 0; i < n_sec; i++)
        total += (page->sections[i].text ? strlen(page->sections[i].text) : 0) + 1;
    char *low = malloc(total);
    uint32_t *gap = malloc(total * sizeof *gap);
    lowered *lows = calloc(n_sec, sizeof *lows);
    ranked *order = malloc(n_sec * sizeof *order);
    probe_text *probes = probes_new(matched);
    if (!sc || !low || !gap || !lows || !order || !probes) {
        free(sc);
        free(low);
        free(gap);
        free(lows);
        free(order);
        free(probes);
        return ps_err_set(err, "out of memory");
    }
    scan *cur = &sc[0], *best_scan = &sc[1];
    cur->an = best_scan->an = an;
    cur->matched = best_scan->matched = matched;
    cur->base = best_scan->base = 0;
    unsigned char first[256] = {0};
    for (size_t i = 0; i < matched->n; i++)
        first[(unsigned char)matched->stems[i][0]] = 1;
    first['\''] = 1; /* the one first letter it drops */
    cur->first = best_scan->first = first;
    cur->probes = best_scan->probes = probes;
    best_scan->n = 0;
    for (size_t i = 0, at = 0; i < n_sec; i++) {
        const char *t = page->sections[i].text ? page->sections[i].text : "";
        size_t len = strlen(t);
        lows[i].low = low + at;
        lows[i].gap = gap + at;
        lower(&lows[i], t, len);
        at += len + 1;
        int est = probe_count(probes, matched->n, &lows[i]);
        if (ps_field_of_section(page->sections[i].key) == field && est > 0)
            est = PROBE_ALWAYS + 1;
        order[i] = (ranked){est, i};
    }
    qsort(order, n_sec, sizeof *order, cmp_ranked);
    /* Analyze the likeliest sections first, and stop at the first that
     * cannot beat the best so far: its score is below its estimate + 1. */
    size_t best = 0;
    double best_score = 0;
    int rc = 0;
    for (size_t k = 0; k < n_sec && rc == 0; k++) {
        const ps_section *sec = &page->sections[order[k].i];
        if (order[k].est == 0 || (order[k].est < PROBE_ALWAYS && order[k].est + 1 <= best_score))
            break;
        if ((rc = scan_text(cur, sec->text, &lows[order[k].i], flags, err)) < 0)
            break;
        double sco = score(cur);
        /* The section the person asked about wins whenever it matches. */
        if (sco > 0 && ps_field_of_section(sec->key) == field)
            sco += 1000;
        if (sco > best_score) {
            best_score = sco;
            best = order[k].i;
            scan *t = best_scan;
            best_scan = cur, cur = t;
        }
    }
    free(order);
    free(probes);
    free(lows);
    free(low);
    free(gap);
    if (rc == 0 && best_score == 0) {
        best_scan->n = 0;
        for (size_t i = 0; i < n_sec; i++)
            if (page->sections[i].key == PS_SEC_SUMMARY) {
                best = i;
                break;
            }
    }
    const ps_section *sec = &page->sections[best];
    if (rc == 0) {
        out->section = strdup(sec->title ? sec->title : ps_section_key_title(sec->key));
        out->section_key = strdup(ps_field_name(ps_field_of_section(sec->key)));
        if (!out->section || !out->section_key ||
            build(sec->text ? sec->text : "", best_scan, out) < 0)
            rc = ps_err_set(err, "out of memory");
    }
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
