#include "indexer/docbuild.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/strmap.h"
#include "indexer/docdata.h"

/* Where a ranked word of the page occurs: its stem's id and position. */
typedef struct occurrence {
    uint32_t stem;
    uint32_t pos;
} occurrence;

struct ps_docbuilder {
    ps_weights w;
    ps_analyzer *an;
    /* The page being built: its distinct words (stemmed once each), their
     * Z terms, and per Z term the BM25F sum and the fields it occurs in. */
    ps_strmap words, zterms;
    uint32_t *word_stem; /* per word id: zterm id, or UINT32_MAX for none */
    double *weighted;    /* per word id: sum of field weights over occurrences */
    size_t word_stem_cap, weighted_cap;
    uint32_t *fields;    /* per zterm id: bit per ps_field */
    unsigned *wdf;       /* per zterm id: the words' rounded weights, summed */
    size_t fields_cap, wdf_cap;
    occurrence *occ;
    size_t n_occ, occ_cap;
    /* Words for the spelling table since the last flush, with counts. */
    ps_strmap spell;
    uint32_t *spell_count;
    size_t spell_cap;
};

/* State of one ps_docbuild call, seen by the token callback. */
typedef struct build_ctx {
    ps_docbuilder *b;
    int field;
    int failed;
    ps_err *err;
} build_ctx;

_Static_assert(PS_F_COUNT <= 32, "field mask is 32 bits");

ps_docbuilder *ps_docbuilder_new(const ps_weights *w, ps_err *err) {
    ps_docbuilder *b = calloc(1, sizeof *b);
    if (!b) {
        ps_err_set(err, "out of memory");
        return NULL;
    }
    b->w = *w;
    if (!(b->an = ps_analyzer_new(err))) {
        free(b);
        return NULL;
    }
    return b;
}

void ps_docbuilder_free(ps_docbuilder *b) {
    if (!b)
        return;
    ps_analyzer_free(b->an);
    ps_strmap_free(&b->words);
    ps_strmap_free(&b->zterms);
    ps_strmap_free(&b->spell);
    free(b->word_stem);
    free(b->weighted);
    free(b->fields);
    free(b->wdf);
    free(b->occ);
    free(b->spell_count);
    free(b);
}

int ps_id_term(const char *id, char *buf, size_t cap) {
    size_t n = id ? strlen(id) : 0;
    if (n == 0 || n > PS_ID_MAX || n + 2 > cap)
        return -1;
    buf[0] = 'Q';
    memcpy(buf + 1, id, n + 1);
    return 0;
}

/* Make room for index i in an array of elem-sized items with *cap slots. */
static int ensure(void **arr, size_t *cap, size_t i, size_t elem) {
    if (i < *cap)
        return 0;
    size_t ncap = *cap ? *cap : 256;
    while (ncap <= i)
        ncap *= 2;
    void *na = realloc(*arr, ncap * elem);
    if (!na)
        return -1;
    *arr = na;
    *cap = ncap;
    return 0;
}

static int has_digit(const char *s, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (s[i] >= '0' && s[i] <= '9')
            return 1;
    return 0;
}

/* Words of three letters or more without digits feed "did you mean"; a
 * word counts once per page, as Xapian's own indexers count it. */
static int note_spelling(ps_docbuilder *b, const char *term, size_t len) {
    if (len < 3 || has_digit(term, len))
        return 0;
    int added = 0;
    int64_t id = ps_strmap_intern(&b->spell, term, len, &added);
    if (id < 0 || ensure((void **)&b->spell_count, &b->spell_cap, (size_t)id,
                         sizeof *b->spell_count) < 0)
        return -1;
    if (added)
        b->spell_count[id] = 0;
    b->spell_count[id]++;
    return 0;
}

/* The Z term id of a word new to this page, stemmed once. */
static int64_t stem_word(ps_docbuilder *b, const char *term, size_t len) {
    char zt[PS_TERM_MAX * 2 + 2];
    zt[0] = 'Z';
    size_t slen = ps_stem(b->an, term, len, zt + 1, sizeof zt - 1);
    if (slen == 0)
        return UINT32_MAX;
    int added = 0;
    int64_t z = ps_strmap_intern(&b->zterms, zt, slen + 1, &added);
    if (z < 0 || ensure((void **)&b->fields, &b->fields_cap, (size_t)z, sizeof *b->fields) < 0 ||
        ensure((void **)&b->wdf, &b->wdf_cap, (size_t)z, sizeof *b->wdf) < 0)
        return -1;
    if (added)
        b->fields[z] = 0;
    return z;
}

static int on_token(const ps_token *tok, void *vctx) {
    build_ctx *c = vctx;
    ps_docbuilder *b = c->b;
    /* A stopword only keeps its position, and only inside a compound
     * ("over-the-counter"), where a phrase over the parts needs it. */
    int stop = ps_is_stopword(tok->term, tok->len);
    if (stop && !(tok->flags & PS_TOK_PART))
        return 0;
    int added = 0;
    int64_t w = ps_strmap_intern(&b->words, tok->term, tok->len, &added);
    if (w >= 0 && added) {
        int64_t z = -1;
        if (ensure((void **)&b->word_stem, &b->word_stem_cap, (size_t)w, sizeof *b->word_stem) <
                0 ||
            ensure((void **)&b->weighted, &b->weighted_cap, (size_t)w, sizeof *b->weighted) < 0 ||
            (z = stem_word(b, tok->term, tok->len)) < 0 ||
            (!stop && note_spelling(b, tok->term, tok->len) < 0))
            w = -1;
        else
            b->word_stem[w] = (uint32_t)z, b->weighted[w] = 0;
    }
    if (w < 0) {
        c->failed = ps_err_set(c->err, "out of memory");
        return 1;
    }
    uint32_t z = b->word_stem[w];
    if (z == UINT32_MAX)
        return 0;
    if (!stop) {
        b->weighted[w] += b->w.field[c->field];
        b->fields[z] |= 1u << c->field;
    }
    /* The solid form of a compound ("xray") is a ranking term only: giving
     * it a position would break phrases over the parts. */
    if (tok->flags & PS_TOK_JOINED)
        return 0;
    if (ensure((void **)&b->occ, &b->occ_cap, b->n_occ, sizeof *b->occ) < 0) {
        c->failed = ps_err_set(c->err, "out of memory");
        return 1;
    }
    b->occ[b->n_occ++] = (occurrence){z, tok->pos};
    return 0;
}

static int index_text(build_ctx *c, int field, const char *text, uint32_t *pos) {
    if (!text || !*text)
        return 0;
    c->field = field;
    uint32_t next = *pos;
    if (ps_analyze(c->b->an, text, strlen(text), *pos, on_token, c, &next, c->err) < 0)
        return -1;
    if (c->failed)
        return -1;
    *pos = next + PS_FIELD_GAP;
    return 0;
}

static int add_field_term(xs_doc *doc, int field, const char *stem, size_t stem_len,
                          ps_err *err) {
    char term[PS_TERM_MAX * 2 + 8];
    const char *prefix = ps_field_prefix(field);
    size_t plen = strlen(prefix);
    if (plen + stem_len + 1 > sizeof term)
        return ps_err_set(err, "term '%s%s' too long", prefix, stem);
    memcpy(term, prefix, plen);
    memcpy(term + plen, stem, stem_len);
    term[plen + stem_len] = '\0';
    if (xs_doc_add_boolean_term(doc, term) != XS_OK)
        return ps_err_set(err, "adding term '%s': %s", term, xs_last_error());
    return 0;
}

/* Write the page's Z terms (weight, then positions) and field filters.
 * Each word's weight is rounded on its own before its stem sums them: the
 * shipped field weights were tuned with a word-form variety ("inject",
 * "injection") counting that way. */
static int emit_terms(ps_docbuilder *b, xs_doc *doc, ps_err *err) {
    size_t n = ps_strmap_count(&b->zterms);
    memset(b->wdf, 0, n * sizeof *b->wdf);
    for (size_t w = 0; w < ps_strmap_count(&b->words); w++)
        if (b->word_stem[w] != UINT32_MAX)
            b->wdf[b->word_stem[w]] += ps_weights_wdf(b->weighted[w]);
    for (uint32_t z = 0; z < n; z++) {
        const char *zt = ps_strmap_str(&b->zterms, z);
        size_t zlen = ps_strmap_len(&b->zterms, z);
        unsigned wdf = b->wdf[z];
        if (!wdf) /* only in fields weighted 0: not a match at all */
            continue;
        if (xs_doc_add_term(doc, zt, wdf) != XS_OK)
            return ps_err_set(err, "adding term '%s': %s", zt, xs_last_error());
        for (int f = 0; f < PS_F_COUNT; f++)
            if ((b->fields[z] & (1u << f)) && add_field_term(doc, f, zt + 1, zlen - 1, err) < 0)
                return -1;
    }
    for (size_t i = 0; i < b->n_occ; i++) {
        const occurrence *o = &b->occ[i];
        /* fields == 0: a stopword in a compound, positions only */
        if (b->fields[o->stem] && !b->wdf[o->stem])
            continue;
        const char *zt = ps_strmap_str(&b->zterms, o->stem);
        if (xs_doc_add_posting(doc, zt, o->pos, 0) != XS_OK)
            return ps_err_set(err, "adding term '%s': %s", zt, xs_last_error());
    }
    return 0;
}

int ps_docbuilder_flush_spelling(ps_docbuilder *b, xs_db *db, ps_err *err) {
    size_t n = ps_strmap_count(&b->spell);
    for (uint32_t i = 0; i < n; i++)
        if (xs_db_add_spelling(db, ps_strmap_str(&b->spell, i), b->spell_count[i]) != XS_OK)
            return ps_err_set(err, "spelling table: %s", xs_last_error());
    ps_strmap_clear(&b->spell);
    return 0;
}

static int build_terms(ps_docbuilder *b, const ps_page *page, xs_doc *doc, ps_err *err) {
    build_ctx c = {.b = b, .err = err};
    uint32_t pos = 1;
    ps_strmap_clear(&b->words);
    ps_strmap_clear(&b->zterms);
    b->n_occ = 0;
    if (index_text(&c, PS_F_DESCRIPTOR, page->descriptor, &pos) < 0 ||
        index_text(&c, PS_F_NAME, page->name, &pos) < 0)
        return -1;
    for (size_t i = 0; i < page->n_common_names; i++)
        if (index_text(&c, PS_F_COMMON, page->common_names[i], &pos) < 0)
            return -1;
    for (size_t i = 0; i < page->n_sections; i++) {
        const ps_section *s = &page->sections[i];
        if (index_text(&c, ps_field_of_section(s->key), s->text, &pos) < 0)
            return -1;
    }
    return emit_terms(b, doc, err);
}

int ps_docbuild(ps_docbuilder *b, const ps_page *page, xs_doc **out, ps_err *err) {
    char idterm[PS_ID_MAX + 2];
    if (ps_id_term(page->id, idterm, sizeof idterm) < 0)
        return ps_err_set(err, "page id '%.40s' must be 1 to %d bytes", page->id ? page->id : "",
                          PS_ID_MAX),
               1;
    xs_doc *doc = NULL;
    if (xs_doc_new(&doc) != XS_OK)
        return ps_err_set(err, "new document: %s", xs_last_error());
    size_t data_len = 0;
    char *data = ps_docdata_encode(page, &data_len);
    if (!data) {
        ps_err_set(err, "out of memory encoding page %s", page->id);
        goto fail;
    }
    xs_status st = xs_doc_set_data(doc, data, data_len);
    free(data);
    if (st != XS_OK) {
        ps_err_set(err, "document data: %s", xs_last_error());
        goto fail;
    }
    if (xs_doc_add_boolean_term(doc, idterm) != XS_OK ||
        xs_doc_set_value(doc, PS_VALUE_ID, page->id, strlen(page->id)) != XS_OK ||
        xs_doc_set_value(doc, PS_VALUE_DESCRIPTOR, page->descriptor, strlen(page->descriptor)) !=
            XS_OK ||
        (page->name && xs_doc_set_value(doc, PS_VALUE_NAME, page->name, strlen(page->name)) !=
                           XS_OK)) {
        ps_err_set(err, "id term: %s", xs_last_error());
        goto fail;
    }
    if (build_terms(b, page, doc, err) < 0)
        goto fail;
    *out = doc;
    return 0;
fail:
    xs_doc_free(doc);
    return -1;
}
