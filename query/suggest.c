#include "query/suggest.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/progress.h"
#include "common/utf8.h"
#include "indexer/analyze.h"
#include "indexer/completions.h"
#include "indexer/docdata.h"
#include "indexer/format.h"
#include "indexer/fields.h"
#include "indexer/index_run.h"
#include "indexer/weights.h"
#include "query/qbuild.h"
#include "query/qparse.h"
#include "query/speller.h"

/* Completions of the last word, or of a prefix* typed out, the ranking
 * query expands to: the most frequent ones, like a search's prefix* with
 * a small limit.  Each one more costs its postings on every keystroke;
 * more than are shown buy little. */
#define EXPAND_MAX PS_SUGGEST_COMPLETIONS
_Static_assert(PS_COMPLETE_TOP >= EXPAND_MAX, "stored completions cover what is shown");
/* Vocabulary words looked at per keystroke at most.  Only a one- or
 * two-letter prefix of a huge index reaches this; its completions then come
 * from the alphabetically first words, the price of a bounded keystroke.
 * The vocabulary is the spelling table, not the index's terms: the index
 * holds stems only (docbuild.h), and a completion must be a word. */
#define SCAN_MAX 30000

/* The query for the words before the one being typed, kept for the next
 * keystrokes: they change only the last word, and building the rest again
 * means correcting its misspellings again, which on a large index costs
 * more than the whole of the rest of a suggestion. */
#define HEAD_CACHE 8

/* Which query of the earlier words. */
typedef struct head_shape {
    size_t n;  /* clauses */
    int all;   /* each one required */
    int rarer; /* the completions, ANDed to it, are ranked by */
} head_shape;

typedef struct head_entry {
    char *raw; /* the text of the earlier words; NULL for a free entry */
    head_shape shape;
    ps_qbuilt built;
    unsigned long used;
} head_entry;

struct ps_suggester {
    char *path;
    xs_db *db;
    xs_enquire *enq;
    ps_analyzer *an;
    ps_weights w;
    ps_speller *spell;
    head_entry heads[HEAD_CACHE];
    unsigned long tick;
};

/* Terms, spelling and weights may all change with a new revision. */
static void forget_heads(ps_suggester *sg) {
    for (size_t i = 0; i < HEAD_CACHE; i++) {
        free(sg->heads[i].raw);
        ps_qbuilt_free(&sg->heads[i].built);
        memset(&sg->heads[i], 0, sizeof sg->heads[i]);
    }
}

static int load_weights(ps_suggester *sg, ps_err *err) {
    ps_weights_default(&sg->w);
    char *stored = NULL;
    if (xs_db_get_metadata(sg->db, PS_META_WEIGHTS, &stored, NULL) != XS_OK)
        return ps_err_set(err, "%s: %s", sg->path, xs_last_error());
    int rc = *stored ? ps_weights_parse(stored, sg->path, &sg->w, err) : 0;
    free(stored);
    return rc;
}

ps_suggester *ps_suggester_open(const char *path, ps_err *err) {
    ps_suggester *sg = calloc(1, sizeof *sg);
    if (!sg || !(sg->path = strdup(path))) {
        free(sg);
        ps_err_set(err, "out of memory");
        return NULL;
    }
    xs_status st = xs_db_open(path, XS_DB_READ, &sg->db);
    if (st != XS_OK) {
        ps_err_set(err, "%s: %s", path,
                   st == XS_ERR_NOT_FOUND ? "no database here (create one with 'procsearch index')"
                                          : xs_last_error());
        ps_suggester_close(sg);
        return NULL;
    }
    if (ps_format_check(sg->db, path, err) < 0 || load_weights(sg, err) < 0 ||
        !(sg->an = ps_analyzer_new(err))) {
        ps_suggester_close(sg);
        return NULL;
    }
    if (xs_enquire_new(sg->db, &sg->enq) != XS_OK) {
        ps_err_set(err, "%s: %s", path, xs_last_error());
        ps_suggester_close(sg);
        return NULL;
    }
    if (!(sg->spell = ps_speller_new(sg->db, 1))) {
        ps_err_set(err, "out of memory");
        ps_suggester_close(sg);
        return NULL;
    }
    return sg;
}

void ps_suggester_close(ps_suggester *sg) {
    if (!sg)
        return;
    forget_heads(sg);
    xs_enquire_free(sg->enq);
    ps_analyzer_free(sg->an);
    ps_speller_free(sg->spell);
    xs_db_close(sg->db);
    free(sg->path);
    free(sg);
}

int ps_suggester_refresh(ps_suggester *sg, int *changed, ps_err *err) {
    int moved = 0;
    if (xs_db_reopen(sg->db, &moved) != XS_OK) {
        forget_heads(sg); /* Xapian may have moved part way */
        ps_speller_forget(sg->spell);
        return ps_err_set(err, "%s: %s", sg->path, xs_last_error());
    }
    if (changed)
        *changed = moved;
    if (moved) {
        forget_heads(sg);
        ps_speller_forget(sg->spell);
    }
    return moved ? load_weights(sg, err) : 0;
}

xs_db *ps_suggester_db(ps_suggester *sg) { return sg->db; }

void ps_suggester_one_query(ps_suggester *sg) { ps_speller_remember(sg->spell, 0); }

/* ------------------------------------------------------- the vocabulary */

typedef struct completion {
    char word[PS_TERM_MAX + 1];
    char stem[PS_TERM_MAX * 2];
    uint32_t freq;
    unsigned hits;  /* for words of procedure names: top pages naming it */
    size_t first;   /* for words of procedure names: rank of the first page */
} completion;

typedef struct vocab {
    const char *prefix;
    completion c[EXPAND_MAX];  /* from the whole vocabulary */
    size_t n;
    completion named[EXPAND_MAX]; /* from the names of the top pages */
    size_t n_named;
    size_t rank; /* of the page whose name is being read */
} vocab;

/* A scan of the vocabulary for the completions of a prefix. */
typedef struct vocab_scan {
    ps_completion top[EXPAND_MAX];
    size_t n, scanned;
} vocab_scan;

/* Keep the EXPAND_MAX most frequent non-stopwords, most frequent first. */
static int on_vocab_term(const char *term, size_t len, uint32_t freq, void *ctx) {
    vocab_scan *sc = ctx;
    if (++sc->scanned > SCAN_MAX)
        return 1;
    if (len > PS_TERM_MAX || ps_is_stopword(term, len))
        return 0;
    ps_completions_keep(sc->top, &sc->n, EXPAND_MAX, term, len, freq);
    return 0;
}

/* The completions of prefix: stored ones for a short prefix (one to three
 * letters have thousands of words to choose from), else a scan. */
static int read_vocab(ps_suggester *sg, const char *prefix, vocab *v, ps_err *err) {
    ps_completion stored[PS_COMPLETE_TOP];
    size_t n = 0;
    int got = ps_completions_load(sg->db, prefix, stored, &n, err);
    if (got < 0)
        return ps_err_prefix(err, "%s", sg->path);
    vocab_scan sc = {.n = 0};
    if (!got && ps_speller_words(sg->spell, prefix, on_vocab_term, &sc, err) < 0)
        return ps_err_prefix(err, "%s", sg->path);
    const ps_completion *found = got ? stored : sc.top;
    size_t n_found = got ? n : sc.n;
    for (size_t i = 0; i < n_found && v->n < EXPAND_MAX; i++) {
        memset(&v->c[v->n], 0, sizeof v->c[v->n]);
        memcpy(v->c[v->n].word, found[i].word, strlen(found[i].word) + 1);
        v->c[v->n++].freq = found[i].freq;
    }
    return 0;
}

/* Ranking by the completions reads their posting lists on every
 * keystroke; past this many pages (summed over the completions) they are
 * offered but not ranked by, which bounds a keystroke's work whatever the
 * size of the index, as the proximity bonus is bounded in qbuild.c. */
#define RANK_MAX_PAGES 20000

static uint64_t pages_covered(const vocab *v) {
    uint64_t n = 0;
    for (size_t i = 0; i < v->n; i++)
        n += v->c[i].freq;
    return n;
}

/* --------------------------------------------------------- the last word */

typedef struct one_token {
    char term[PS_TERM_MAX + 1];
    size_t n;
} one_token;

static int on_token(const ps_token *t, void *ctx) {
    one_token *o = ctx;
    if (o->n++ == 0)
        memcpy(o->term, t->term, t->len + 1);
    return o->n > 1;
}

/* The clause still being typed: a plain word touching the end of the
 * query.  A quoted phrase, an excluded word or a word already followed by a
 * space is complete. */
static const ps_qclause *typing_clause(const ps_qparsed *p, size_t qlen) {
    if (p->n == 0 || p->truncated)
        return NULL;
    const ps_qclause *c = &p->clauses[p->n - 1];
    if (c->kind != PS_QK_WORD || c->mode == PS_QM_MUST_NOT || c->end != qlen)
        return NULL;
    return c;
}

/* The query the completions stand for: one synonym over their stems, so
 * a short prefix with many forms does not outweigh the earlier words. */
static int prefix_query(ps_suggester *sg, vocab *v, int field, xs_query **out, ps_err *err) {
    xs_query *subs[EXPAND_MAX] = {0};
    size_t n = 0;
    int rc = 0;
    for (size_t i = 0; i < v->n && rc == 0; i++) {
        size_t len = ps_stem(sg->an, v->c[i].word, strlen(v->c[i].word), v->c[i].stem + 1,
                             sizeof v->c[i].stem - 1);
        if (!len)
            continue;
        v->c[i].stem[0] = 'Z';
        int seen = 0;
        for (size_t j = 0; j < i; j++)
            seen |= !strcmp(v->c[j].stem, v->c[i].stem);
        if (seen)
            continue;
        xs_query *q = NULL;
        if (xs_query_term(v->c[i].stem, 1, 0, &q) != XS_OK)
            rc = -1;
        else if (field >= 0) {
            char ft[PS_TERM_MAX * 2 + 8];
            snprintf(ft, sizeof ft, "%s%s", ps_field_prefix(field), v->c[i].stem + 1);
            xs_query *f = NULL, *pair[2] = {q, NULL};
            if (xs_query_term(ft, 1, 0, &f) != XS_OK)
                rc = -1;
            pair[1] = f;
            xs_query *filtered = NULL;
            if (rc == 0 && xs_query_combine(XS_OP_FILTER, pair, 2, 0, &filtered) != XS_OK)
                rc = -1;
            xs_query_free(q);
            xs_query_free(f);
            q = filtered;
        }
        if (q)
            subs[n++] = q;
    }
    if (rc == 0 && n && xs_query_combine(XS_OP_SYNONYM, subs, n, 0, out) != XS_OK)
        rc = -1;
    for (size_t i = 0; i < n; i++)
        xs_query_free(subs[i]);
    return rc < 0 ? ps_err_set(err, "%s: building suggestion query: %s", sg->path, xs_last_error())
                  : 0;
}

/* A prefix* typed out (ps_qbuild_in.expand_prefix) expands to the
 * vocabulary's completions, as the word being typed does: a search's
 * expansion reads every index term with the prefix, 21,000 for "endo" on
 * 1M pages (16 ms).  Unlike those of the word being typed, they are ranked
 * by however many pages hold them, which the budget bounds (but for a
 * keystroke that finds nothing, ranked again without it): the '*' asks
 * for them.  They are the most frequent words of the whole
 * vocabulary, each then restricted to the clause's field if it has one.  A
 * prefix nothing completes matches nothing, as in a search. */
static int expand_prefix(void *ctx, const char *prefix, int field, xs_query **q, ps_err *err) {
    ps_suggester *sg = ctx;
    vocab *v = calloc(1, sizeof *v);
    if (!v)
        return ps_err_set(err, "out of memory");
    int rc = read_vocab(sg, prefix, v, err);
    if (rc == 0)
        rc = prefix_query(sg, v, field, q, err);
    if (rc == 0 && !*q && xs_query_match_none(q) != XS_OK)
        rc = ps_err_set(err, "%s: %s", sg->path, xs_last_error());
    free(v);
    return rc;
}

/* ------------------------------------------------------------- results */

static int fill_hit(ps_suggester *sg, const xs_mset *m, size_t i, ps_suggest_hit *hit,
                    ps_err *err) {
    hit->score = xs_mset_weight(m, i);
    xs_doc *doc = NULL;
    if (xs_mset_doc(m, i, &doc) != XS_OK)
        return ps_err_set(err, "%s: document %u: %s", sg->path, xs_mset_docid(m, i),
                          xs_last_error());
    /* The value slots hold what a suggestion shows: no page is read. */
    int rc = ps_doc_display(doc, &hit->id, &hit->descriptor, &hit->name, err);
    xs_doc_free(doc);
    if (rc != 0)
        return rc < 0 ? ps_err_prefix(err, "%s: document %u", sg->path, xs_mset_docid(m, i))
                      : ps_err_set(err, "%s: document %u has no id (index it again)", sg->path,
                                   xs_mset_docid(m, i));
    return 0;
}

/* A word of a top page's name or descriptor that completes the prefix:
 * the procedures a person is looking at name the likeliest completions. */
static int on_name_token(const ps_token *t, void *ctx) {
    vocab *v = ctx;
    size_t plen = strlen(v->prefix);
    /* The solid form of "Arthroscopy-Assisted" is no word a person types. */
    if ((t->flags & PS_TOK_JOINED) || t->len < plen || memcmp(t->term, v->prefix, plen) != 0 ||
        ps_is_stopword(t->term, t->len))
        return 0;
    for (size_t i = 0; i < v->n_named; i++)
        if (!strcmp(v->named[i].word, t->term)) {
            if (v->named[i].first != v->rank) {
                v->named[i].first = v->rank;
                v->named[i].hits++;
            }
            return 0;
        }
    if (v->n_named < EXPAND_MAX) {
        completion *c = &v->named[v->n_named++];
        memset(c, 0, sizeof *c);
        memcpy(c->word, t->term, t->len + 1);
        c->first = v->rank;
        c->hits = 1;
    }
    return 0;
}

static int name_words(ps_suggester *sg, vocab *v, const ps_suggest_hit *hit, ps_err *err) {
    const char *texts[2] = {hit->name, hit->descriptor};
    for (size_t i = 0; i < 2; i++)
        if (texts[i] &&
            ps_analyze(sg->an, texts[i], strlen(texts[i]), 1, on_name_token, v, NULL, err) < 0)
            return -1;
    return 0;
}

/* Candidates ranked per keystroke at most (xs_query_first_candidates).
 * The words of a broad query ("can i drive home after") are each on a
 * large share of the pages, and ranking all their pages grows with the
 * index; past this many candidates (in index order) the best of those met
 * are shown, and Enter runs the full search.  A query with a word on fewer
 * pages, as most are once a word or two is typed, is ranked in full. */
#define CANDIDATES_MAX 40000

/* Rank q, within the budget when bounded. */
static int run(ps_suggester *sg, const xs_query *q, int bounded, size_t limit, vocab *v,
               ps_suggestions *out, ps_err *err) {
    xs_query *bounded_q = NULL;
    if (bounded && xs_query_first_candidates(q, CANDIDATES_MAX, &bounded_q) != XS_OK)
        return ps_err_set(err, "%s: %s", sg->path, xs_last_error());
    xs_status st = xs_enquire_set_query(sg->enq, bounded ? bounded_q : q);
    xs_query_free(bounded_q);
    /* No length normalisation (b = 0): with it Xapian reads the length of
     * every candidate page, a skip along the list of all pages' lengths,
     * which took most of a keystroke on a large index ("bipolar", 5,500 of
     * 1M pages: 2.9 ms, 0.25 without).  The dev collection's suggestions
     * rank their wanted pages as well without it (README, Performance). */
    if (st != XS_OK || xs_enquire_set_bm25(sg->enq, sg->w.k1, 0, 1, 0, 0.5) != XS_OK)
        return ps_err_set(err, "%s: %s", sg->path, xs_last_error());
    xs_mset *m = NULL;
    if (xs_enquire_mset(sg->enq, 0, (uint32_t)limit, (uint32_t)limit, &m) != XS_OK)
        return ps_err_set(err, "%s: suggestion failed: %s", sg->path, xs_last_error());
    size_t n = xs_mset_size(m);
    if (n && !(out->hits = calloc(n, sizeof *out->hits))) {
        xs_mset_free(m);
        return ps_err_set(err, "out of memory");
    }
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        out->n_hits = i + 1;
        rc = fill_hit(sg, m, i, &out->hits[i], err);
        v->rank = i;
        if (rc == 0 && v->prefix)
            rc = name_words(sg, v, &out->hits[i], err);
    }
    xs_mset_free(m);
    return rc;
}

/* ---------------------------------------------------------- the answer */

static char *concat3(const char *a, size_t an, const char *b, size_t bn, const char *c) {
    size_t cn = strlen(c);
    char *s = malloc(an + bn + cn + 1);
    if (!s)
        return NULL;
    memcpy(s, a, an);
    memcpy(s + an, b, bn);
    memcpy(s + an + bn, c, cn + 1);
    return s;
}


/* Words of procedure names by the best-ranked page naming them. */
static int by_rank(const void *pa, const void *pb) {
    const completion *a = pa, *b = pb;
    if (a->first != b->first)
        return a->first < b->first ? -1 : 1;
    return a->hits > b->hits ? -1 : a->hits < b->hits;
}

/* "head + completion" for each completion: head is the earlier words
 * (corrected when they were misspelt) and the last clause's sign or field. */
static int make_completions(const char *head, size_t head_len, const char *lead, size_t lead_len,
                            vocab *v, ps_suggestions *out, ps_err *err) {
    qsort(v->named, v->n_named, sizeof v->named[0], by_rank);
    /* v->c is already by frequency.  (Ranking it by the top pages' terms
     * instead read each page's whole term list: a third of the time.) */
    /* Names first, then the vocabulary's words not already there. */
    const char *words[PS_SUGGEST_COMPLETIONS];
    size_t n = 0;
    for (size_t i = 0; i < v->n_named + v->n && n < PS_SUGGEST_COMPLETIONS; i++) {
        const char *w = i < v->n_named ? v->named[i].word : v->c[i - v->n_named].word;
        size_t j = 0;
        while (j < n && strcmp(words[j], w) != 0)
            j++;
        if (j == n)
            words[n++] = w;
    }
    if (!n)
        return 0;
    if (!(out->completions = calloc(n, sizeof *out->completions)))
        return ps_err_set(err, "out of memory");
    char *start = NULL;
    if (!(start = concat3(head, head_len, lead, lead_len, "")))
        return ps_err_set(err, "out of memory");
    for (size_t i = 0; i < n; i++) {
        if (!(out->completions[i] = concat3(start, strlen(start), "", 0, words[i]))) {
            free(start);
            return ps_err_set(err, "out of memory");
        }
        out->n_completions = i + 1;
    }
    free(start);
    return 0;
}

/* Whether any of the first n clauses is optional (so requiring it changes
 * the answer). */
static int has_optional(const ps_qparsed *p, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (p->clauses[i].mode == PS_QM_SHOULD)
            return 1;
    return 0;
}

/* The query for the first n clauses, each required when all is set.  No
 * synonym expansion: a keystroke should cost little, and the completions
 * already widen the last word. */
static int build_head(ps_suggester *sg, const ps_qparsed *parsed, head_shape shape,
                      const char *raw, ps_qbuilt *out, ps_err *err) {
    ps_qclause clauses[PS_QUERY_MAX_CLAUSES];
    ps_qparsed earlier = *parsed;
    earlier.n = shape.n < PS_QUERY_MAX_CLAUSES ? shape.n : PS_QUERY_MAX_CLAUSES;
    if (shape.all) {
        memcpy(clauses, parsed->clauses, earlier.n * sizeof clauses[0]);
        for (size_t i = 0; i < earlier.n; i++)
            if (clauses[i].mode == PS_QM_SHOULD)
                clauses[i].mode = PS_QM_MUST;
        earlier.clauses = clauses;
    }
    /* Nor the bonus for words typed next to each other (weight "phrase"):
     * it reads positions, which on common words cost more than all the
     * rest of a suggestion. */
    ps_weights w = sg->w;
    w.phrase = 0;
    /* When every word is required, words on more than half the pages are
     * left out beside a rarer one ("can", "after" beside "prostatectomy"):
     * each would be checked on every page of the rarer word for a weight
     * that barely reorders them.  Not in "any word", whose common words
     * give the pages when the rarer one (misspelt, say) has none, and
     * which the budget bounds; nor on an index of at most twice the
     * budget, where a word on half the pages is within it. */
    uint32_t half = xs_db_doccount(sg->db) / 2;
    /* A word nothing completes is corrected on every keystroke, and so is
     * each earlier word whenever one more is added: within one edit, a
     * lookup bounded by the word's length (the search itself corrects
     * within two).  A prefix* typed out expands as a prefix being typed,
     * through the same vocabulary. */
    ps_qbuild_in in = {.db = sg->db, .an = sg->an, .w = &w, .field = -1, .spelling = 1,
                       .speller = sg->spell,
                       .spell_edits = 1, .expand_prefix = expand_prefix, .expand_ctx = sg,
                       .syn = NULL,
                       .common_pages = shape.all && half > CANDIDATES_MAX ? half : 0,
                       .rarer_part = shape.rarer};
    return ps_qbuild(&in, raw, &earlier, out, err);
}

/* build_head through the cache; *out is borrowed from sg until the next
 * call or refresh. */
static int cached_head(ps_suggester *sg, const ps_qparsed *parsed, head_shape shape,
                       const char *raw, const ps_qbuilt **out, ps_err *err) {
    head_entry *victim = &sg->heads[0];
    for (size_t i = 0; i < HEAD_CACHE; i++) {
        head_entry *e = &sg->heads[i];
        if (e->raw && e->shape.n == shape.n && e->shape.all == shape.all &&
            e->shape.rarer == shape.rarer && !strcmp(e->raw, raw)) {
            e->used = ++sg->tick;
            *out = &e->built;
            return 0;
        }
        if (!e->raw || (victim->raw && e->used < victim->used))
            victim = e;
    }
    free(victim->raw);
    ps_qbuilt_free(&victim->built);
    memset(victim, 0, sizeof *victim);
    if (!(victim->raw = strdup(raw)))
        return ps_err_set(err, "out of memory");
    if (build_head(sg, parsed, shape, raw, &victim->built, err) < 0) {
        free(victim->raw);
        victim->raw = NULL;
        return -1;
    }
    victim->shape = shape;
    victim->used = ++sg->tick;
    *out = &victim->built;
    return 0;
}

/* head AND last, either of which may be absent; *out is new (or NULL). */
static int combine_last(ps_suggester *sg, xs_query *head, xs_query *last, xs_query **out,
                        ps_err *err) {
    xs_query *both[2] = {NULL, NULL};
    size_t n = 0;
    if (head)
        both[n++] = head;
    if (last)
        both[n++] = last;
    if (n && xs_query_combine(XS_OP_AND, both, n, 0, out) != XS_OK)
        return ps_err_set(err, "%s: %s", sg->path, xs_last_error());
    return 0;
}

int ps_suggest(ps_suggester *sg, const char *query, size_t limit, ps_suggestions *out,
               ps_err *err) {
    double t0 = ps_now();
    memset(out, 0, sizeof *out);
    if (limit == 0)
        limit = PS_SUGGEST_LIMIT_DEFAULT;
    if (limit > PS_SUGGEST_LIMIT_MAX)
        limit = PS_SUGGEST_LIMIT_MAX;
    if (!(out->query = strdup(query ? query : "")))
        return ps_err_set(err, "out of memory");
    const char *q = out->query;
    size_t qlen = strlen(q);
    ps_qparsed parsed = {0};
    const ps_qbuilt *head = NULL;
    xs_query *last = NULL, *top = NULL;
    vocab *v = calloc(1, sizeof *v);
    if (!v) {
        ps_suggestions_free(out);
        return ps_err_set(err, "out of memory");
    }
    char *head_raw = NULL;
    int rc = ps_qparse(q, qlen, &parsed, err);
    const ps_qclause *typing = rc == 0 ? typing_clause(&parsed, qlen) : NULL;
    if (typing) {
        one_token tok = {{0}, 0};
        if (ps_analyze(sg->an, typing->text, typing->len, 1, on_token, &tok, NULL, err) < 0)
            rc = -1;
        else if (tok.n == 1)
            rc = read_vocab(sg, tok.term, v, err);
        if (rc == 0 && v->n && !(out->prefix = strdup(tok.term)))
            rc = ps_err_set(err, "out of memory");
        v->prefix = out->prefix;
        if (rc == 0 && v->n)
            rc = prefix_query(sg, v, typing->field, &last, err);
        if (rc == 0 && !last) /* nothing completes it: it is a whole (maybe misspelt) word */
            typing = NULL, v->n = 0, v->prefix = NULL;
        /* One letter completes to the commonest words, which nearly every
         * page has, and so do two or three ("th", "pro") on a large index:
         * ranking by them costs a pass over much of the index and tells
         * little.  The completions are still offered. */
        if (typing && (ps_utf8_char_len(tok.term, strlen(tok.term)) == strlen(tok.term) ||
                       pages_covered(v) > RANK_MAX_PAGES)) {
            xs_query_free(last);
            last = NULL;
        }
    }
    /* The earlier words, or all of them when none is being completed. */
    size_t head_end = typing ? typing->start : qlen;
    if (rc == 0 && !(head_raw = concat3(q, head_end, "", 0, "")))
        rc = ps_err_set(err, "out of memory");
    /* Every word first: an intersection costs about the postings of its
     * rarest word, while "any word" over a large index costs the postings
     * of all of them.  Only when no page has every word, any word. */
    size_t n_earlier = typing ? parsed.n - 1 : parsed.n;
    for (int all = 1; rc == 0 && all >= 0 && !out->n_hits; all--) {
        if (!all && !has_optional(&parsed, n_earlier))
            break;
        head_shape shape = {.n = n_earlier, .all = all, .rarer = all && last != NULL};
        rc = cached_head(sg, &parsed, shape, head_raw, &head, err);
        xs_query_free(top);
        top = NULL;
        if (rc == 0)
            rc = combine_last(sg, head->query, last, &top, err);
        if (rc == 0 && top)
            rc = run(sg, top, 1, limit, v, out, err);
    }
    /* The budget may have ended before a match that sparse words ("a
     * quoted phrase") do have further on: the last query, in full, rather
     * than no suggestion.  A database within the budget was ranked in full
     * already. */
    if (rc == 0 && top && !out->n_hits && xs_db_doccount(sg->db) > CANDIDATES_MAX)
        rc = run(sg, top, 0, limit, v, out, err);
    const char *fixed = rc == 0 && head ? head->corrected : NULL;
    if (fixed && !(out->did_you_mean = concat3(fixed, strlen(fixed), q + head_end,
                                      qlen - head_end, "")))
        rc = ps_err_set(err, "out of memory");
    if (rc == 0 && typing) {
        const char *h = fixed ? fixed : q;
        size_t hn = fixed ? strlen(fixed) : head_end;
        rc = make_completions(h, hn, q + typing->start, typing->text_start - typing->start, v,
                              out, err);
    }
    xs_query_free(top);
    xs_query_free(last);
    ps_qparsed_free(&parsed);
    free(head_raw);
    free(v);
    if (rc < 0) {
        ps_suggestions_free(out);
        return -1;
    }
    out->took_ms = (ps_now() - t0) * 1000.0;
    return 0;
}

void ps_suggestions_free(ps_suggestions *s) {
    for (size_t i = 0; i < s->n_hits; i++) {
        free(s->hits[i].id);
        free(s->hits[i].descriptor);
        free(s->hits[i].name);
    }
    free(s->hits);
    for (size_t i = 0; i < s->n_completions; i++)
        free(s->completions[i]);
    free(s->completions);
    free(s->query);
    free(s->prefix);
    free(s->did_you_mean);
    memset(s, 0, sizeof *s);
}
