#include "indexer/completions.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/text.h"

/* The top words of the prefix of each length being read: the table is in
 * byte order, so all words of a prefix come together. */
typedef struct level {
    char prefix[PS_COMPLETE_PREFIX_MAX + 1]; /* "" before the first */
    ps_completion top[PS_COMPLETE_TOP];
    size_t n;
} level;

typedef struct store_ctx {
    xs_db *db;
    level lv[PS_COMPLETE_PREFIX_MAX + 1]; /* by prefix length; 0 unused */
    int failed;
} store_ctx;

/* "word\tfreq\n" per completion. */
static int flush_level(store_ctx *c, level *l) {
    if (!l->prefix[0] || l->n == 0)
        return 0;
    char key[64], val[PS_COMPLETE_TOP * (PS_TERM_MAX + 16)];
    size_t len = 0;
    for (size_t i = 0; i < l->n; i++)
        len += (size_t)snprintf(val + len, sizeof val - len, "%s\t%u\n", l->top[i].word,
                                l->top[i].freq);
    snprintf(key, sizeof key, "%s%s", PS_META_COMPLETE, l->prefix);
    if (xs_db_set_metadata(c->db, key, val, len) != XS_OK)
        return -1;
    l->n = 0;
    return 0;
}

void ps_completions_keep(ps_completion *top, size_t *n, size_t cap, const char *word,
                         size_t len, uint32_t freq) {
    if (*n == cap && freq <= top[*n - 1].freq)
        return;
    size_t at = *n < cap ? (*n)++ : *n - 1;
    while (at > 0 && top[at - 1].freq < freq) {
        top[at] = top[at - 1];
        at--;
    }
    memcpy(top[at].word, word, len);
    top[at].word[len] = '\0';
    top[at].freq = freq;
}

static int on_word(const char *word, size_t len, uint32_t freq, void *vctx) {
    store_ctx *c = vctx;
    if (len > PS_TERM_MAX)
        return 0;
    int stop = ps_is_stopword(word, len);
    for (size_t k = 1; k <= PS_COMPLETE_PREFIX_MAX && k <= len; k++) {
        if (!ps_text_is_az(word, k))
            break;
        level *l = &c->lv[k];
        if (strncmp(l->prefix, word, k) != 0 || strlen(l->prefix) != k) {
            if (flush_level(c, l) < 0)
                return c->failed = 1;
            memcpy(l->prefix, word, k);
            l->prefix[k] = '\0';
        }
        if (!stop)
            ps_completions_keep(l->top, &l->n, PS_COMPLETE_TOP, word, len, freq);
    }
    return 0;
}

int ps_completions_store(xs_db *db, const char *path, ps_err *err) {
    store_ctx *c = calloc(1, sizeof *c);
    if (!c)
        return ps_err_set(err, "out of memory");
    c->db = db;
    int rc = 0;
    if (xs_db_spelling_words(db, "", on_word, c) != XS_OK || c->failed)
        rc = -1;
    for (size_t k = 1; rc == 0 && k <= PS_COMPLETE_PREFIX_MAX; k++)
        if (flush_level(c, &c->lv[k]) < 0)
            rc = -1;
    free(c);
    if (rc < 0)
        return ps_err_set(err, "%s: storing completions: %s", path, xs_last_error());
    return 0;
}

int ps_completions_load(const xs_db *db, const char *prefix, ps_completion *out, size_t *n,
                        ps_err *err) {
    *n = 0;
    size_t plen = strlen(prefix);
    if (plen == 0 || plen > PS_COMPLETE_PREFIX_MAX || !ps_text_is_az(prefix, plen))
        return 0;
    char key[64];
    snprintf(key, sizeof key, "%s%s", PS_META_COMPLETE, prefix);
    char *val = NULL;
    if (xs_db_get_metadata(db, key, &val, NULL) != XS_OK)
        return ps_err_set(err, "reading completions: %s", xs_last_error());
    int found = *val != '\0';
    for (char *line = val, *nl; found && *line && *n < PS_COMPLETE_TOP; line = nl + 1) {
        nl = strchr(line, '\n');
        char *tab = strchr(line, '\t');
        if (!nl || !tab || tab > nl || (size_t)(tab - line) > PS_TERM_MAX)
            break;
        memcpy(out[*n].word, line, (size_t)(tab - line));
        out[*n].word[tab - line] = '\0';
        out[*n].freq = (uint32_t)strtoul(tab + 1, NULL, 10);
        (*n)++;
    }
    free(val);
    return found;
}
