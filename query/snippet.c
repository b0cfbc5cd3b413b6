#include "query/snippet.h"

#include <stdlib.h>
#include <string.h>

#include "indexer/fields.h"

#define MAX_MATCHES 256

typedef struct match {
    size_t start, end;
    int distinct; /* index of the stem in the matched set */
} match;

typedef struct scan {
    ps_analyzer *an;
    const ps_stemset *matched;
    /* First bytes of the matched stems and prefixes.  English stemming
     * rewrites a word's end, never its first letter, so a word starting
     * with any other byte cannot match and is not stemmed: most words of a
     * section, and their stems were most of a snippet's time. */
    const unsigned char *first;
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
        while (sc->n && sc->m[sc->n - 1].start >= t->start)
            sc->n--;
    }
    sc->m[sc->n++] = (match){t->start, t->end, w};
    return 0;
}

/* A cheap estimate that spares most sections the analyzer: a Snowball
 * stem is the start of its words but for its last letter ("biopsi" in
 * "biopsy"), so the number of distinct stems whose start appears in the
 * section's lower-cased text bounds what analysis could find.  Text with
 * non-ASCII bytes is folded in ways this cannot follow ("é" -> "e"): it
 * gets the highest estimate, so it is always analyzed. */
#define PROBE_ALWAYS 1000

static int probe_count(const ps_stemset *set, const char *text, char *low, size_t cap) {
    size_t n = 0;
    for (const char *t = text; *t; t++) {
        unsigned char c = (unsigned char)*t;
        if (c >= 0x80 || n + 1 >= cap)
            return PROBE_ALWAYS;
        /* Joiners go, so that a compound's solid form ("xray") is found
         * in "X-ray" as the analyzer would find it. */
        if (c == '-' || c == '/' || c == ':')
            continue;
        low[n++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
    }
    low[n] = '\0';
    int found = 0;
    for (size_t i = 0; i < set->n; i++) {
        char probe[PS_TERM_MAX * 2];
        size_t len = strlen(set->stems[i]);
        if (len && set->stems[i][len - 1] == '*')
            len--;
        else if (len > 3)
            len--;
        if (len == 0 || len >= sizeof probe)
            continue;
        memcpy(probe, set->stems[i], len);
        probe[len] = '\0';
        found += strstr(low, probe) != NULL;
    }
    return found;
}

static int scan_text(scan *sc, const char *text, ps_err *err) {
    sc->n = 0;
    if (!text || !*text)
        return 0;
    return ps_analyze(sc->an, text, strlen(text), 0, on_token, sc, NULL, err) < 0 ? -1 : 0;
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
    memset(out, 0, sizeof *out);
    if (page->n_sections == 0)
        return 0;
    /* Two scans: the one being made and the best so far, so that the
     * winner is not analyzed twice. */
    scan *sc = malloc(2 * sizeof *sc);
    size_t cap = 1;
    for (size_t i = 0; i < page->n_sections; i++) {
        size_t n = page->sections[i].text ? strlen(page->sections[i].text) + 1 : 1;
        cap = n > cap ? n : cap;
    }
    char *low = malloc(cap);
    ranked *order = malloc(page->n_sections * sizeof *order);
    if (!sc || !low || !order) {
        free(sc);
        free(low);
        free(order);
        return ps_err_set(err, "out of memory");
    }
    scan *cur = &sc[0], *best_scan = &sc[1];
    cur->an = best_scan->an = an;
    cur->matched = best_scan->matched = matched;
    unsigned char first[256] = {0};
    for (size_t i = 0; i < matched->n; i++)
        first[(unsigned char)matched->stems[i][0]] = 1;
    first['\''] = 1; /* the one first letter it drops */
    cur->first = best_scan->first = first;
    best_scan->n = 0;
    for (size_t i = 0; i < page->n_sections; i++) {
        const char *t = page->sections[i].text ? page->sections[i].text : "";
        int est = probe_count(matched, t, low, cap);
        if (ps_field_of_section(page->sections[i].key) == field && est > 0)
            est = PROBE_ALWAYS + 1;
        order[i] = (ranked){est, i};
    }
    free(low);
    qsort(order, page->n_sections, sizeof *order, cmp_ranked);
    /* Analyze the likeliest sections first, and stop at the first that
     * cannot beat the best so far: its score is below its estimate + 1. */
    size_t best = 0;
    double best_score = 0;
    int rc = 0;
    for (size_t k = 0; k < page->n_sections && rc == 0; k++) {
        const ps_section *sec = &page->sections[order[k].i];
        if (order[k].est == 0 || (order[k].est < PROBE_ALWAYS && order[k].est + 1 <= best_score))
            break;
        if ((rc = scan_text(cur, sec->text, err)) < 0)
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
    if (rc == 0 && best_score == 0) {
        best_scan->n = 0;
        for (size_t i = 0; i < page->n_sections; i++)
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
