#include "query/qbuild.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "indexer/fields.h"
#include "indexer/synonyms.h"
#include "query/speller.h"

#define MAX_TOKENS 64
#define PREFIX_MAX 100     /* terms a prefix* may expand to */
#define MAX_EDIT 2         /* spelling suggestions within this many edits */
#define MIN_CORRECT 5      /* shorter unknown words are left as typed */

typedef struct tok {
    char term[PS_TERM_MAX + 1];
    size_t len;
    size_t start, end;
    uint32_t pos;
    unsigned flags;
    uint32_t n_parts;
} tok;

typedef struct toks {
    tok t[MAX_TOKENS];
    size_t n;
} toks;

typedef struct correction {
    size_t start, end; /* byte range in the raw query */
    char *with;
} correction;

#define MAX_STREAM 64

/* The stems of the words typed, in order, that synonyms may replace; a
 * clause they must not span (a phrase, a field, a negation) breaks it. */
typedef struct stream {
    char stem[MAX_STREAM][PS_TERM_MAX * 2];
    unsigned char positional[MAX_STREAM]; /* not a stopword: the index has its positions */
    unsigned char starts_run[MAX_STREAM];
    size_t n;
    int broken;
} stream;

typedef struct builder {
    const ps_qbuild_in *in;
    stream words;
    ps_qbuilt *out;
    ps_err *err;
    correction *fixes;
    size_t n_fixes;
    int failed;
    int common; /* the clause just built is a common word (common_pages) */
} builder;

/* ------------------------------------------------------------ stem sets */

int ps_stemset_add(ps_stemset *s, const char *stem, size_t len) {
    if (ps_stemset_has(s, stem, len))
        return 0;
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 16;
        char **grown = realloc(s->stems, cap * sizeof *grown);
        if (!grown)
            return -1;
        s->stems = grown;
        s->cap = cap;
    }
    char *copy = malloc(len + 1);
    if (!copy)
        return -1;
    memcpy(copy, stem, len);
    copy[len] = '\0';
    s->stems[s->n++] = copy;
    return 0;
}

int ps_stemset_has(const ps_stemset *s, const char *stem, size_t len) {
    for (size_t i = 0; i < s->n; i++)
        if (strlen(s->stems[i]) == len && !memcmp(s->stems[i], stem, len))
            return 1;
    return 0;
}

void ps_stemset_free(ps_stemset *s) {
    for (size_t i = 0; i < s->n; i++)
        free(s->stems[i]);
    free(s->stems);
    memset(s, 0, sizeof *s);
}

/* --------------------------------------------------------- query pieces */

static xs_query *fail(builder *b, const char *what) {
    if (!b->failed)
        b->failed = ps_err_set(b->err, "building query (%s): %s", what, xs_last_error());
    return NULL;
}

static xs_query *term_q(builder *b, const char *term, uint32_t pos) {
    xs_query *q = NULL;
    if (xs_query_term(term, 1, pos, &q) != XS_OK)
        return fail(b, term);
    return q;
}

/* Combine subs with op and free them (NULL entries are skipped). */
static xs_query *combine(builder *b, xs_query_op op, xs_query **subs, size_t n, uint32_t window) {
    xs_query *q = NULL;
    if (!b->failed && xs_query_combine(op, subs, n, window, &q) != XS_OK)
        fail(b, "combine");
    for (size_t i = 0; i < n; i++)
        xs_query_free(subs[i]);
    return q;
}

static xs_query *combine2(builder *b, xs_query_op op, xs_query *x, xs_query *y) {
    xs_query *subs[2] = {x, y};
    return combine(b, op, subs, 2, 0);
}

static xs_query *scale(builder *b, xs_query *q, double factor) {
    if (!q || factor == 1.0)
        return q;
    xs_query *s = NULL;
    if (xs_query_scale(q, factor, &s) != XS_OK)
        fail(b, "scale");
    xs_query_free(q);
    return s;
}

static size_t stem_of(builder *b, const char *term, size_t len, char *out, size_t cap) {
    return ps_stem(b->in->an, term, len, out, cap);
}

static void join(char *dst, size_t cap, const char *prefix, const char *s) {
    size_t p = strlen(prefix), n = strlen(s);
    if (p + n + 1 > cap)
        n = cap - p - 1;
    memcpy(dst, prefix, p);
    memcpy(dst + p, s, n);
    dst[p + n] = '\0';
}

/* The filter term: stem occurs in field. */
static xs_query *field_q(builder *b, const char *stem, int field) {
    char ft[PS_TERM_MAX * 2 + 8];
    join(ft, sizeof ft, ps_field_prefix(field), stem);
    return term_q(b, ft, 0);
}

/* Z<stem>, restricted to field when field >= 0. */
static xs_query *stem_q(builder *b, const char *stem, int field) {
    char zt[PS_TERM_MAX * 2 + 8];
    join(zt, sizeof zt, "Z", stem);
    xs_query *q = term_q(b, zt, 0);
    if (!q || field < 0)
        return q;
    return combine2(b, XS_OP_FILTER, q, field_q(b, stem, field));
}

static int known_stem(builder *b, const char *stem) {
    char zt[PS_TERM_MAX * 2 + 8];
    join(zt, sizeof zt, "Z", stem);
    return xs_db_term_exists(b->in->db, zt);
}

/* Pages that have the stem. */
static uint32_t stem_pages(builder *b, const char *stem) {
    char zt[PS_TERM_MAX * 2 + 8];
    join(zt, sizeof zt, "Z", stem);
    return xs_db_termfreq(b->in->db, zt);
}

/* Whether a word may be left out (ps_qbuild_in.common_pages). */
static int left_out(builder *b, const char *stem) {
    return b->in->common_pages && stem_pages(b, stem) > b->in->common_pages;
}

static void remember(builder *b, const char *stem) {
    if (!b->failed && ps_stemset_add(&b->out->matched, stem, strlen(stem)) < 0)
        b->failed = ps_err_set(b->err, "out of memory");
}

static void stream_break(builder *b) { b->words.broken = 1; }

static void stream_add(builder *b, const char *stem, int positional) {
    stream *w = &b->words;
    if (!*stem || w->n == MAX_STREAM)
        return;
    snprintf(w->stem[w->n], sizeof w->stem[w->n], "%s", stem);
    w->positional[w->n] = (unsigned char)positional;
    w->starts_run[w->n] = (unsigned char)(w->broken || w->n == 0);
    w->broken = 0;
    w->n++;
}

static void add_fix(builder *b, size_t start, size_t end, const char *with) {
    correction *grown = realloc(b->fixes, (b->n_fixes + 1) * sizeof *grown);
    if (!grown) {
        b->failed = ps_err_set(b->err, "out of memory");
        return;
    }
    b->fixes = grown;
    correction *c = &b->fixes[b->n_fixes];
    *c = (correction){start, end, strdup(with)};
    if (!c->with) {
        b->failed = ps_err_set(b->err, "out of memory");
        return;
    }
    b->n_fixes++;
}

static int has_digit(const char *s) {
    for (; *s; s++)
        if (*s >= '0' && *s <= '9')
            return 1;
    return 0;
}

/* Whether a word the index lacks should be corrected at all: short words
 * are mostly abbreviations (TVH, EGD), and a key of the synonym table is a
 * real word the pages happen to phrase differently. */
static int worth_correcting(builder *b, const tok *t, const char *stem) {
    if (!b->in->spelling || !b->in->speller || t->len < MIN_CORRECT || has_digit(t->term) ||
        known_stem(b, stem))
        return 0;
    size_t n = 0;
    return ps_synmap_get(b->in->syn, stem, strlen(stem), &n) == NULL;
}

/* One word, corrected through the spelling table when the index has never
 * seen it.  raw_off is where the clause text starts in the raw query; the
 * stem searched for is left in used (empty for none). */
static xs_query *word_q(builder *b, const tok *t, int field, size_t raw_off, char *used) {
    used[0] = '\0';
    if (ps_is_stopword(t->term, t->len))
        return NULL;
    char stem[PS_TERM_MAX * 2];
    if (!stem_of(b, t->term, t->len, stem, sizeof stem))
        return NULL;
    char *suggestion = NULL;
    if (worth_correcting(b, t, stem) &&
        ps_spell_correct(b->in->speller, t->term, t->len,
                         b->in->spell_edits ? b->in->spell_edits : MAX_EDIT, &suggestion,
                         b->err) < 0) {
        b->failed = -1;
        return NULL;
    }
    xs_query *q = NULL;
    if (!suggestion) {
        q = stem_q(b, stem, field);
        b->common = q && field < 0 && left_out(b, stem);
    } else if (stem_of(b, suggestion, strlen(suggestion), stem, sizeof stem)) {
        add_fix(b, raw_off + t->start, raw_off + t->end, suggestion);
        q = scale(b, stem_q(b, stem, field), b->in->w->typo);
    }
    free(suggestion);
    if (q) {
        remember(b, stem);
        memcpy(used, stem, strlen(stem) + 1);
    }
    return q;
}

/* Words that must stand together, in order: a phrase over the stems'
 * positions.  Stopwords have no positions in the index (unless part of a
 * compound: "over-the-counter"); elsewhere they only widen the window ("removal of the
 * gallbladder": the two stems at most 4 apart).  The phrase's weight is
 * its stems' weights. */
static xs_query *phrase_q(builder *b, const tok *t, size_t n, int field) {
    xs_query *positions[MAX_TOKENS] = {0}, *filters[MAX_TOKENS] = {0};
    size_t np = 0;
    uint32_t first = 0, last = 0;
    for (size_t i = 0; i < n; i++) {
        char stem[PS_TERM_MAX * 2];
        int stop = ps_is_stopword(t[i].term, t[i].len);
        if ((t[i].flags & PS_TOK_JOINED) || (stop && !(t[i].flags & PS_TOK_PART)) ||
            !stem_of(b, t[i].term, t[i].len, stem, sizeof stem))
            continue;
        if (np == 0)
            first = t[i].pos;
        last = t[i].pos > last ? t[i].pos : last;
        if (!stop)
            remember(b, stem);
        if (field >= 0 && !stop)
            filters[np] = field_q(b, stem, field);
        positions[np++] = stem_q(b, stem, -1);
    }
    if (np == 0)
        return NULL;
    xs_query *q = np == 1 ? positions[0] : combine(b, XS_OP_PHRASE, positions, np, last - first + 1);
    size_t nf = 0;
    for (size_t i = 0; i < np; i++)
        nf += filters[i] != NULL;
    if (nf == 0)
        return q;
    return combine2(b, XS_OP_FILTER, q, combine(b, XS_OP_AND, filters, np, 0));
}

static int collect(const ps_token *pt, void *ctx) {
    toks *ts = ctx;
    if (ts->n == MAX_TOKENS)
        return 1;
    tok *t = &ts->t[ts->n++];
    memcpy(t->term, pt->term, pt->len + 1);
    t->len = pt->len;
    t->start = pt->start;
    t->end = pt->end;
    t->pos = pt->pos;
    t->flags = pt->flags;
    t->n_parts = pt->n_parts;
    return 0;
}

static int analyze_clause(builder *b, const ps_qclause *c, toks *ts) {
    ts->n = 0;
    if (ps_analyze(b->in->an, c->text, c->len, 1, collect, ts, NULL, b->err) < 0)
        return b->failed = -1;
    return 0;
}

/* A word as typed may hold several words for the analyzer: "x-ray" is a
 * compound (its parts as a phrase, or the solid "xray"), "I&D" a phrase. */
static xs_query *word_clause(builder *b, const ps_qclause *c, int field) {
    toks ts;
    int synonyms_may_replace = c->mode != PS_QM_MUST_NOT && field < 0;
    if (!synonyms_may_replace)
        stream_break(b);
    if (analyze_clause(b, c, &ts) < 0 || ts.n == 0)
        return NULL;
    if (ts.n == 1) {
        char used[PS_TERM_MAX * 2];
        xs_query *q = word_q(b, &ts.t[0], field, c->text_start, used);
        if (synonyms_may_replace)
            stream_add(b, used, 1);
        return q;
    }
    /* One typed word of several parts ("i&d", "x-ray") keeps them all for
     * synonym keys, stopwords included, as the table's keys do. */
    for (size_t i = 0; synonyms_may_replace && i < ts.n; i++) {
        char stem[PS_TERM_MAX * 2];
        if (!(ts.t[i].flags & PS_TOK_JOINED) &&
            stem_of(b, ts.t[i].term, ts.t[i].len, stem, sizeof stem))
            stream_add(b, stem, !ps_is_stopword(ts.t[i].term, ts.t[i].len));
    }
    const tok *last = &ts.t[ts.n - 1];
    xs_query *parts = phrase_q(b, ts.t, ts.n, field);
    if ((last->flags & PS_TOK_JOINED) && last->n_parts + 1 == ts.n) {
        char stem[PS_TERM_MAX * 2];
        if (stem_of(b, last->term, last->len, stem, sizeof stem)) {
            remember(b, stem);
            return combine2(b, XS_OP_OR, stem_q(b, stem, field), parts);
        }
    }
    return parts;
}

static xs_query *phrase_clause(builder *b, const ps_qclause *c, int field) {
    toks ts;
    if (analyze_clause(b, c, &ts) < 0 || ts.n == 0)
        return NULL;
    return phrase_q(b, ts.t, ts.n, field);
}

/* The stems of the words that start with a prefix but whose stems do
 * not: "examinati*" types "examination", whose stem is "examin", and
 * "plann*" "planning" ("plan").  The index's terms with the prefix miss
 * them.  The words come from the spelling table, in byte order: a short
 * prefix has too many to stem on every search, and the stems of its words
 * start with it anyway unless they are shorter than it. */
#define SHORTER_MIN 4 /* bytes of a prefix whose words are looked at */
#define SHORTER_SCAN 100 /* words looked at */
#define SHORTER_MAX 16 /* stems kept */

typedef struct shorter {
    builder *b;
    const char *prefix;
    size_t len, scanned, n;
    char stem[SHORTER_MAX][PS_TERM_MAX * 2];
} shorter;

static int on_prefixed_word(const char *w, size_t len, uint32_t freq, void *ctx) {
    (void)freq;
    shorter *sh = ctx;
    if (++sh->scanned > SHORTER_SCAN || sh->n == SHORTER_MAX)
        return 1;
    char stem[PS_TERM_MAX * 2];
    size_t sl = len <= PS_TERM_MAX ? stem_of(sh->b, w, len, stem, sizeof stem) : 0;
    if (sl == 0 || (sl >= sh->len && !memcmp(stem, sh->prefix, sh->len)))
        return 0;
    stem[sl] = '\0';
    for (size_t i = 0; i < sh->n; i++)
        if (!strcmp(sh->stem[i], stem))
            return 0;
    memcpy(sh->stem[sh->n++], stem, sl + 1);
    return 0;
}

/* q (the index's terms with the prefix, taken) with the shorter stems of
 * the prefix's words, as one synonym. */
static xs_query *with_shorter_stems(builder *b, const char *prefix, int field, xs_query *q) {
    shorter sh = {.b = b, .prefix = prefix, .len = strlen(prefix)};
    if (b->failed || sh.len < SHORTER_MIN)
        return q;
    int rc = b->in->speller
                 ? ps_speller_words(b->in->speller, prefix, on_prefixed_word, &sh, b->err)
                 : (xs_db_spelling_words(b->in->db, prefix, on_prefixed_word, &sh) == XS_OK
                        ? 0
                        : ps_err_set(b->err, "spelling: %s", xs_last_error()));
    if (rc < 0) {
        b->failed = -1;
        xs_query_free(q);
        return NULL;
    }
    if (sh.n == 0)
        return q;
    xs_query *subs[SHORTER_MAX + 1];
    size_t n = 0;
    if (q && !xs_query_is_empty(q))
        subs[n++] = q;
    else
        xs_query_free(q);
    for (size_t i = 0; i < sh.n; i++) {
        remember(b, sh.stem[i]);
        subs[n++] = stem_q(b, sh.stem[i], field);
    }
    return combine(b, XS_OP_SYNONYM, subs, n, 0);
}

static xs_query *prefix_clause(builder *b, const ps_qclause *c, int field) {
    toks ts;
    if (analyze_clause(b, c, &ts) < 0 || ts.n == 0)
        return NULL;
    const tok *t = &ts.t[0];
    /* Highlighting matches a prefix by the '*' it keeps. */
    char mark[PS_TERM_MAX + 2];
    join(mark, sizeof mark, t->term, "*");
    xs_query *q = NULL;
    if (b->in->expand_prefix) {
        /* It sets err: only the first failure is reported. */
        if (b->failed)
            return NULL;
        if (b->in->expand_prefix(b->in->expand_ctx, t->term, field, &q, b->err) < 0)
            b->failed = -1;
        if (q)
            remember(b, mark);
        return q;
    }
    remember(b, mark);
    char pat[PS_TERM_MAX * 2 + 8];
    join(pat, sizeof pat, "Z", t->term);
    if (xs_query_prefix(b->in->db, pat, PREFIX_MAX, 1, &q) != XS_OK)
        return fail(b, "prefix");
    if (field >= 0 && !xs_query_is_empty(q)) {
        join(pat, sizeof pat, ps_field_prefix(field), t->term);
        xs_query *f = NULL;
        if (xs_query_prefix(b->in->db, pat, PREFIX_MAX, 1, &f) != XS_OK) {
            xs_query_free(q);
            return fail(b, "prefix");
        }
        q = combine2(b, XS_OP_FILTER, q, f);
    }
    return with_shorter_stems(b, t->term, field, q);
}

static xs_query *clause_q(builder *b, const ps_qclause *c) {
    int field = c->field >= 0 ? c->field : b->in->field;
    switch (c->kind) {
    case PS_QK_PHRASE:
        stream_break(b);
        return phrase_clause(b, c, field);
    case PS_QK_PREFIX:
        stream_break(b);
        return prefix_clause(b, c, field);
    case PS_QK_WORD:
    default:
        return word_clause(b, c, field);
    }
}

/* ------------------------------------------------------------- synonyms */

/* One value of a key: the group's term is what is searched (pages carry
 * it wherever a member occurs, see indexer/synonyms.h); the other members'
 * words are only remembered, so that snippets highlight them. */
static xs_query *synonym_q(builder *b, const char *value) {
    if (value[0] == PS_SYN_TERM_PREFIX)
        return term_q(b, value, 0);
    toks ts;
    ts.n = 0;
    if (ps_analyze(b->in->an, value, strlen(value), 1, collect, &ts, NULL, b->err) < 0) {
        b->failed = -1;
        return NULL;
    }
    for (size_t i = 0; i < ts.n; i++) {
        char stem[PS_TERM_MAX * 2];
        if (!(ts.t[i].flags & PS_TOK_JOINED) && !ps_is_stopword(ts.t[i].term, ts.t[i].len) &&
            stem_of(b, ts.t[i].term, ts.t[i].len, stem, sizeof stem))
            remember(b, stem);
    }
    return NULL;
}

/* The longest key starting at word i, if any: its synonyms OR'ed, as one
 * optional clause weighted below the words typed.  *used: words covered. */
static xs_query *expand_at(builder *b, size_t i, size_t *used) {
    const stream *w = &b->words;
    size_t longest = ps_synmap_max_words(b->in->syn);
    size_t run = 1;
    while (i + run < w->n && !w->starts_run[i + run] && run < longest)
        run++;
    *used = 1;
    for (size_t n = run; n >= 1; n--) {
        char key[PS_TERM_MAX * 8];
        size_t len = 0;
        for (size_t k = i; k < i + n; k++)
            len += (size_t)snprintf(key + len, sizeof key > len ? sizeof key - len : 0, "%s%s",
                                    k > i ? " " : "", w->stem[k]);
        if (len >= sizeof key)
            continue;
        size_t nv = 0;
        char *const *vals = ps_synmap_get(b->in->syn, key, len, &nv);
        if (!vals)
            continue;
        xs_query *alts[16] = {0};
        size_t na = 0;
        for (size_t v = 0; v < nv && na < 16; v++)
            if ((alts[na] = synonym_q(b, vals[v])) != NULL)
                na++;
        *used = n;
        return na ? scale(b, combine(b, XS_OP_OR, alts, na, 0), b->in->w->synonym) : NULL;
    }
    return NULL;
}

/* Words typed next to each other that the page also has close together,
 * in order (a stopword or two may stand between: "removal of the
 * gallbladder"), count again, weighted by the "phrase" factor. */
#define PROXIMITY_WINDOW 4

/* The bonus costs a position check on every page that has both words, so
 * a pair of words that many pages have ("go back", "can work") is skipped:
 * that bounds the work per query whatever the size of the collection, and
 * such pairs say little about which page is wanted. */
#define PROXIMITY_MAX_PAGES 2000

static int common_word(builder *b, const char *stem) {
    return stem_pages(b, stem) > PROXIMITY_MAX_PAGES;
}

static xs_query *proximity_at(builder *b, size_t i) {
    const stream *w = &b->words;
    if (i + 1 >= w->n || w->starts_run[i + 1] || !w->positional[i] || !w->positional[i + 1] ||
        b->in->w->phrase <= 0 || (common_word(b, w->stem[i]) && common_word(b, w->stem[i + 1])))
        return NULL;
    xs_query *pos[2] = {stem_q(b, w->stem[i], -1), stem_q(b, w->stem[i + 1], -1)};
    return scale(b, combine(b, XS_OP_PHRASE, pos, 2, PROXIMITY_WINDOW), b->in->w->phrase);
}

/* ------------------------------------------------------------- assembly */

typedef struct qlist {
    xs_query *q[PS_QUERY_MAX_CLAUSES];
    size_t n;
} qlist;

/* Into l, or freed when l is NULL or full. */
static void push(qlist *l, xs_query *q) {
    if (q && l && l->n < PS_QUERY_MAX_CLAUSES)
        l->q[l->n++] = q;
    else
        xs_query_free(q);
}

static char *apply_fixes(builder *b, const char *raw) {
    size_t len = strlen(raw), extra = 0;
    for (size_t i = 0; i < b->n_fixes; i++)
        extra += strlen(b->fixes[i].with);
    char *out = malloc(len + extra + 1);
    if (!out)
        return NULL;
    size_t o = 0, at = 0;
    for (size_t i = 0; i < b->n_fixes; i++) {
        const correction *f = &b->fixes[i];
        if (f->start < at || f->end > len)
            continue;
        memcpy(out + o, raw + at, f->start - at);
        o += f->start - at;
        size_t wl = strlen(f->with);
        memcpy(out + o, f->with, wl);
        o += wl;
        at = f->end;
    }
    memcpy(out + o, raw + at, len - at);
    out[o + len - at] = '\0';
    return out;
}

int ps_qbuild(const ps_qbuild_in *in, const char *raw, const ps_qparsed *parsed, ps_qbuilt *out,
              ps_err *err) {
    memset(out, 0, sizeof *out);
    builder b = {.in = in, .out = out, .err = err};
    qlist should = {0}, must = {0}, must_not = {0};
    qlist common_should = {0}, common_must = {0};
    out->field = -2; /* none seen yet */
    for (size_t i = 0; i < parsed->n && !b.failed;) {
        /* An or_group's members are adjacent and share one mode. */
        const ps_qclause *c = &parsed->clauses[i];
        size_t j = i + 1;
        while (c->or_group > 0 && j < parsed->n && parsed->clauses[j].or_group == c->or_group)
            j++;
        qlist group = {0};
        b.common = 0;
        for (size_t k = i; k < j; k++) {
            const ps_qclause *ck = &parsed->clauses[k];
            push(&group, clause_q(&b, ck));
            if (ck->mode != PS_QM_MUST_NOT) {
                int f = ck->field >= 0 ? ck->field : in->field;
                out->field = out->field == -2 || out->field == f ? f : -1;
            }
        }
        xs_query *q = group.n == 0   ? NULL
                      : group.n == 1 ? group.q[0]
                                     : combine(&b, XS_OP_OR, group.q, group.n, 0);
        int common = b.common && j == i + 1 && c->mode != PS_QM_MUST_NOT;
        push(c->mode == PS_QM_MUST_NOT ? &must_not
             : c->mode == PS_QM_MUST   ? (common ? &common_must : &must)
                                       : (common ? &common_should : &should),
             q);
        i = j;
    }
    /* Common words go only where something rarer is required, so that
     * leaving them out can only widen the match. */
    int keep_common = must.n == 0 && !in->rarer_part;
    for (size_t i = 0; i < common_must.n; i++)
        push(keep_common ? &must : NULL, common_must.q[i]);
    for (size_t i = 0; i < common_should.n; i++)
        push(keep_common ? &should : NULL, common_should.q[i]);
    for (size_t i = 0; i < b.words.n && !b.failed && b.in->syn;) {
        size_t used = 1;
        push(&should, expand_at(&b, i, &used));
        i += used;
    }
    for (size_t i = 0; i + 1 < b.words.n && !b.failed; i++)
        push(&should, proximity_at(&b, i));
    xs_query *top = NULL;
    if (must.n) {
        top = combine(&b, XS_OP_AND, must.q, must.n, 0);
        if (should.n)
            top = combine2(&b, XS_OP_AND_MAYBE, top, combine(&b, XS_OP_OR, should.q, should.n, 0));
    } else if (should.n) {
        top = combine(&b, XS_OP_OR, should.q, should.n, 0);
    } else if (must_not.n && xs_query_match_all(&top) != XS_OK) {
        fail(&b, "match all");
    }
    if (must_not.n)
        top = combine2(&b, XS_OP_AND_NOT, top, combine(&b, XS_OP_OR, must_not.q, must_not.n, 0));
    out->query = top;
    if (out->field < 0)
        out->field = -1;
    if (!b.failed && b.n_fixes && !(out->corrected = apply_fixes(&b, raw)))
        b.failed = ps_err_set(err, "out of memory");
    for (size_t i = 0; i < b.n_fixes; i++)
        free(b.fixes[i].with);
    free(b.fixes);
    if (b.failed) {
        ps_qbuilt_free(out);
        return -1;
    }
    return 0;
}

void ps_qbuilt_free(ps_qbuilt *b) {
    xs_query_free(b->query);
    ps_stemset_free(&b->matched);
    free(b->corrected);
    memset(b, 0, sizeof *b);
}
