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
} key_ctx;

static int add_key_word(const ps_token *t, void *vctx) {
    key_ctx *k = vctx;
    if ((t->flags & PS_TOK_JOINED) || (!k->keep_stopwords && ps_is_stopword(t->term, t->len)))
        return 0;
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

#define MAX_MEMBERS 16

typedef struct member {
    char key[PS_SYNONYM_KEY_MAX];
    char raw[PS_SYNONYM_KEY_MAX];
} member;

static int store_group(xs_db *db, ps_analyzer *an, const char *line, size_t len,
                       const char *origin, size_t line_no, ps_err *err) {
    member m[MAX_MEMBERS];
    size_t n = 0;
    const char *p = line, *end = line + len;
    while (p < end) {
        const char *bar = memchr(p, '|', (size_t)(end - p));
        const char *stop = bar ? bar : end;
        if (n == MAX_MEMBERS)
            return ps_err_set(err, "%s:%zu: more than %d members", origin, line_no, MAX_MEMBERS);
        if (ps_synonym_key(an, p, (size_t)(stop - p), m[n].key, sizeof m[n].key) &&
            raw_words(an, p, (size_t)(stop - p), m[n].raw, sizeof m[n].raw))
            n++;
        p = bar ? bar + 1 : end;
    }
    if (n < 2)
        return ps_err_set(err, "%s:%zu: a group needs at least two members with words", origin,
                          line_no);
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < n; j++) {
            if (i == j || strcmp(m[i].key, m[j].key) == 0)
                continue;
            if (xs_db_add_synonym(db, m[i].key, m[j].raw) != XS_OK)
                return ps_err_set(err, "storing synonyms: %s", xs_last_error());
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
    static const char key_scheme[] = "keys:stems-conflated-v1";
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
    if (clear_table(db, err) < 0)
        return -1;
    size_t line_no = 0;
    for (const char *p = text, *end = text + len; p < end;) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *eol = nl ? nl : end;
        line_no++;
        const char *q = p;
        while (q < eol && (*q == ' ' || *q == '\t'))
            q++;
        if (q < eol && *q != '#' && *q != '\r') {
            if (store_group(db, an, q, (size_t)(eol - q), origin, line_no, err) < 0)
                return -1;
            stored++;
        }
        p = nl ? nl + 1 : end;
    }
    if (xs_db_set_metadata(db, PS_META_SYNONYMS, want, strlen(want)) != XS_OK)
        return ps_err_set(err, "writing metadata: %s", xs_last_error());
    if (groups)
        *groups = stored;
    return 0;
}
