#include "indexer/synonyms.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct key_ctx {
    ps_analyzer *an;
    char *out;
    size_t cap, len;
    int overflow;
    int keep_stopwords;
    size_t words, kept; /* the expression's words, and those in the key */
} key_ctx;

static int add_key_word(const ps_token *t, void *vctx) {
    key_ctx *k = vctx;
    if (t->flags & PS_TOK_JOINED)
        return 0;
    k->words++;
    if (!k->keep_stopwords && ps_is_stopword(t->term, t->len))
        return 0;
    k->kept++;
    char stem[PS_TERM_MAX * 2];
    size_t n = ps_stem(k->an, t->term, t->len, stem, sizeof stem);
    if (n == 0)
        return 0;
    if (k->len + n + 2 > k->cap) {
        k->overflow = 1;
        return 1;
    }
    if (k->len)
        k->out[k->len++] = ' ';
    memcpy(k->out + k->len, stem, n + 1);
    k->len += n;
    return 0;
}

size_t ps_synonym_key(ps_analyzer *an, const char *expr, size_t len, char *out, size_t cap) {
    /* One typed word keeps all its parts: "i&d" must not shrink to "d". */
    while (len && (*expr == ' ' || *expr == '\t'))
        expr++, len--;
    while (len && (expr[len - 1] == ' ' || expr[len - 1] == '\t' || expr[len - 1] == '\r'))
        len--;
    int one_word = memchr(expr, ' ', len) == NULL && memchr(expr, '\t', len) == NULL;
    key_ctx k = {.an = an, .out = out, .cap = cap, .keep_stopwords = one_word};
    if (cap)
        out[0] = '\0';
    if (ps_analyze(an, expr, len, 0, add_key_word, &k, NULL, NULL) < 0 || k.overflow)
        return 0;
    /* "going under" without its stopword is "go": a key that every page
     * and query with "go" would match.  Such a member is no key at all. */
    if (k.words > 1 && k.kept == 1)
        return 0;
    return k.len;
}

/* The member as the words a phrase query will match: folded, unstemmed. */
static int add_raw_word(const ps_token *t, void *vctx) {
    key_ctx *k = vctx;
    if (t->flags & PS_TOK_JOINED)
        return 0;
    if (k->len + t->len + 2 > k->cap) {
        k->overflow = 1;
        return 1;
    }
    if (k->len)
        k->out[k->len++] = ' ';
    memcpy(k->out + k->len, t->term, t->len + 1);
    k->len += t->len;
    return 0;
}

static size_t raw_words(ps_analyzer *an, const char *expr, size_t len, char *out, size_t cap) {
    key_ctx k = {.an = an, .out = out, .cap = cap};
    out[0] = '\0';
    if (ps_analyze(an, expr, len, 0, add_raw_word, &k, NULL, NULL) < 0 || k.overflow)
        return 0;
    return k.len;
}

static uint64_t fnv64(const char *s, size_t n) {
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
    return h;
}

static int parse_group(ps_analyzer *an, const char *line, size_t len, const char *origin,
                       size_t line_no, ps_syn_group *g, ps_err *err) {
    g->n = 0;
    size_t with_words = 0;
    const char *p = line, *end = line + len;
    while (p < end) {
        const char *bar = memchr(p, '|', (size_t)(end - p));
        const char *stop = bar ? bar : end;
        if (g->n == PS_SYN_MEMBERS_MAX)
            return ps_err_set(err, "%s:%zu: more than %d members", origin, line_no,
                              PS_SYN_MEMBERS_MAX);
        ps_syn_member *m = &g->m[g->n];
        if (raw_words(an, p, (size_t)(stop - p), m->raw, sizeof m->raw)) {
            with_words++;
            if (ps_synonym_key(an, p, (size_t)(stop - p), m->key, sizeof m->key))
                g->n++;
        }
        p = bar ? bar + 1 : end;
    }
    if (with_words < 2)
        return ps_err_set(err, "%s:%zu: a group needs at least two members with words", origin,
                          line_no);
    if (g->n < 2) /* "hepatitis a | hep a | hav": only one member is a key */
        return 0;
    /* The group's term: its first (canonical) member's key, spaces as '_'. */
    size_t k = strlen(g->m[0].key);
    g->term[0] = PS_SYN_TERM_PREFIX;
    for (size_t i = 0; i <= k; i++)
        g->term[i + 1] = g->m[0].key[i] == ' ' ? '_' : g->m[0].key[i];
    return 0;
}

int ps_synonyms_each_group(ps_analyzer *an, const char *text, size_t len, const char *origin,
                           ps_syn_group_fn fn, void *ctx, ps_err *err) {
    ps_syn_group *g = malloc(sizeof *g);
    if (!g)
        return ps_err_set(err, "out of memory");
    size_t line_no = 0;
    int rc = 0;
    for (const char *p = text, *end = text + len; p < end && rc == 0;) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *eol = nl ? nl : end;
        line_no++;
        const char *q = p;
        while (q < eol && (*q == ' ' || *q == '\t'))
            q++;
        if (q < eol && *q != '#' && *q != '\r') {
            rc = parse_group(an, q, (size_t)(eol - q), origin, line_no, g, err);
            if (rc == 0 && g->n >= 2)
                rc = fn(g, ctx, err);
        }
        p = nl ? nl + 1 : end;
    }
    free(g);
    return rc;
}

/* Each key gets the other members (their words, for highlighting) and the
 * group's term (what pages are indexed with and queries search). */
typedef struct store_ctx {
    xs_db *db;
    size_t stored;
} store_ctx;

static int store_group(const ps_syn_group *g, void *ctx, ps_err *err) {
    store_ctx *c = ctx;
    xs_db *db = c->db;
    c->stored++;
    for (size_t i = 0; i < g->n; i++) {
        if (xs_db_add_synonym(db, g->m[i].key, g->term) != XS_OK)
            return ps_err_set(err, "storing synonyms: %s", xs_last_error());
        for (size_t j = 0; j < g->n; j++) {
            if (i == j || strcmp(g->m[i].key, g->m[j].key) == 0)
                continue;
            if (xs_db_add_synonym(db, g->m[i].key, g->m[j].raw) != XS_OK)
                return ps_err_set(err, "storing synonyms: %s", xs_last_error());
        }
    }
    return 0;
}

typedef struct keylist {
    char **keys;
    size_t n, cap;
    int oom; /* stopping the listing early is not an error to the shim */
} keylist;

static int collect_key(const char *term, size_t len, uint32_t freq, void *vctx) {
    (void)freq;
    keylist *l = vctx;
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 256;
        char **grown = realloc(l->keys, cap * sizeof *grown);
        if (!grown)
            return l->oom = 1;
        l->keys = grown;
        l->cap = cap;
    }
    if (!(l->keys[l->n] = strndup(term, len)))
        return l->oom = 1;
    l->n++;
    return 0;
}

/* Xapian has no "clear the whole synonym table": clear key by key. */
static int clear_table(xs_db *db, ps_err *err) {
    keylist l = {0};
    int rc = 0;
    if (xs_db_synonym_keys(db, "", collect_key, &l) != XS_OK)
        rc = ps_err_set(err, "reading synonyms: %s", xs_last_error());
    else if (l.oom)
        rc = ps_err_set(err, "reading synonyms: out of memory");
    for (size_t i = 0; i < l.n; i++) {
        if (rc == 0 && xs_db_clear_synonyms(db, l.keys[i]) != XS_OK)
            rc = ps_err_set(err, "clearing synonyms: %s", xs_last_error());
        free(l.keys[i]);
    }
    free(l.keys);
    return rc;
}

int ps_synonyms_store(xs_db *db, ps_analyzer *an, const char *text, size_t len,
                      const char *origin, size_t *groups, ps_err *err) {
    /* The fingerprint covers how keys are made too: a change to analysis
     * (stemming, word families) must rebuild the table. */
    static const char key_scheme[] = "keys:stems-conflated-v2+groups";
    uint64_t h = fnv64(text, len) ^ fnv64(key_scheme, sizeof key_scheme - 1);
    char want[32];
    snprintf(want, sizeof want, "%016llx", (unsigned long long)h);
    char *have = NULL;
    if (xs_db_get_metadata(db, PS_META_SYNONYMS, &have, NULL) != XS_OK)
        return ps_err_set(err, "reading metadata: %s", xs_last_error());
    int same = strcmp(have, want) == 0;
    free(have);
    size_t stored = 0;
    if (groups)
        *groups = 0;
    if (same)
        return 0;
    store_ctx c = {db, 0};
    if (clear_table(db, err) < 0 ||
        ps_synonyms_each_group(an, text, len, origin, store_group, &c, err) < 0)
        return -1;
    stored = c.stored;
    if (xs_db_set_metadata(db, PS_META_SYNONYMS, want, strlen(want)) != XS_OK)
        return ps_err_set(err, "writing metadata: %s", xs_last_error());
    if (groups)
        *groups = stored;
    return 0;
}
