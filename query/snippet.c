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

/* Distinct words matched count most; repeats break ties. */
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
    return distinct + 0.1 * (double)sc->n;
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

int ps_snippet_make(ps_analyzer *an, const ps_page *page, const ps_stemset *matched, int field,
                    ps_snippet *out, ps_err *err) {
    memset(out, 0, sizeof *out);
    if (page->n_sections == 0)
        return 0;
    scan *sc = malloc(sizeof *sc);
    if (!sc)
        return ps_err_set(err, "out of memory");
    sc->an = an;
    sc->matched = matched;
    /* Estimate every section cheaply; analyze only those that could beat
     * the rest: within one word of the best estimate. */
    size_t cap = 1;
    for (size_t i = 0; i < page->n_sections; i++) {
        size_t n = page->sections[i].text ? strlen(page->sections[i].text) + 1 : 1;
        cap = n > cap ? n : cap;
    }
    char *low = malloc(cap);
    int *est = malloc(page->n_sections * sizeof *est);
    if (!low || !est) {
        free(low);
        free(est);
        free(sc);
        return ps_err_set(err, "out of memory");
    }
    int top = 0;
    for (size_t i = 0; i < page->n_sections; i++) {
        const char *t = page->sections[i].text ? page->sections[i].text : "";
        est[i] = probe_count(matched, t, low, cap);
        if (ps_field_of_section(page->sections[i].key) == field && est[i] > 0)
            est[i] = PROBE_ALWAYS;
        if (est[i] > top && est[i] != PROBE_ALWAYS)
            top = est[i];
    }
    free(low);
    size_t best = 0;
    double best_score = 0;
    for (size_t i = 0; i < page->n_sections; i++) {
        if (est[i] == 0 || (est[i] < top - 1 && est[i] != PROBE_ALWAYS))
            continue;
        if (scan_text(sc, page->sections[i].text, err) < 0) {
            free(est);
            free(sc);
            return -1;
        }
        double sco = score(sc);
        /* The section the person asked about wins whenever it matches. */
        if (sco > 0 && ps_field_of_section(page->sections[i].key) == field)
            sco += 1000;
        if (sco > best_score) {
            best_score = sco;
            best = i;
        }
    }
    free(est);
    if (best_score == 0)
        for (size_t i = 0; i < page->n_sections; i++)
            if (page->sections[i].key == PS_SEC_SUMMARY) {
                best = i;
                break;
            }
    const ps_section *sec = &page->sections[best];
    int rc = 0;
    if (best_score > 0)
        rc = scan_text(sc, sec->text, err);
    else
        sc->n = 0;
    if (rc == 0) {
        out->section = strdup(sec->title ? sec->title : ps_section_key_title(sec->key));
        out->section_key = strdup(ps_field_name(ps_field_of_section(sec->key)));
        if (!out->section || !out->section_key || build(sec->text ? sec->text : "", sc, out) < 0)
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
