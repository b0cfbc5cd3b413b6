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

static unsigned char lower(unsigned char c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }

/* Whether text holds probe[0..n) in any ASCII case. */
static int contains_folded(const char *text, const char *probe, size_t n) {
    for (const char *t = text; *t; t++) {
        size_t k = 0;
        while (k < n && t[k] && lower((unsigned char)t[k]) == (unsigned char)probe[k])
            k++;
        if (k == n)
            return 1;
    }
    return 0;
}

/* A cheap test that lets most sections skip analysis: a Snowball stem is
 * the start of its words but for its last letter ("biopsi" in "biopsy"),
 * so a section whose text lacks that start cannot match.  Text with
 * non-ASCII bytes is folded by the analyzer in ways this cannot follow
 * ("é" -> "e"), so it is always analyzed. */
static int may_match(const ps_stemset *set, const char *text) {
    for (const unsigned char *p = (const unsigned char *)text; *p; p++)
        if (*p >= 0x80)
            return 1;
    for (size_t i = 0; i < set->n; i++) {
        const char *s = set->stems[i];
        size_t n = strlen(s);
        if (n && s[n - 1] == '*')
            n--;
        else if (n > 3)
            n--;
        if (n == 0 || contains_folded(text, s, n))
            return 1;
    }
    return 0;
}

static int scan_text(scan *sc, const char *text, ps_err *err) {
    sc->n = 0;
    if (!text || !*text || !may_match(sc->matched, text))
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
    size_t best = 0;
    double best_score = 0;
    for (size_t i = 0; i < page->n_sections; i++) {
        if (scan_text(sc, page->sections[i].text, err) < 0) {
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
