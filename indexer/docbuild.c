#include "indexer/docbuild.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "indexer/docdata.h"

/* A distinct word of the page being built.  Stemming and the Z/section
 * terms are done once per distinct word, not per occurrence. */
typedef struct word_entry {
    uint32_t hash;
    uint32_t len;        /* 0 marks a free slot */
    uint32_t off;        /* term bytes in the arena */
    uint32_t fields;     /* bit per ps_field the word occurs in */
    double weighted;     /* sum of field weights over occurrences */
} word_entry;

struct ps_docbuilder {
    ps_weights w;
    ps_analyzer *an;
    word_entry *slots;
    size_t cap, used;
    char *arena;
    size_t arena_len, arena_cap;
};

/* State of one ps_docbuild call, seen by the token callback. */
typedef struct build_ctx {
    ps_docbuilder *b;
    xs_doc *doc;
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
    b->an = ps_analyzer_new(err);
    b->cap = 1024;
    b->slots = calloc(b->cap, sizeof *b->slots);
    b->arena_cap = 16384;
    b->arena = malloc(b->arena_cap);
    if (!b->an || !b->slots || !b->arena) {
        if (b->an)
            ps_err_set(err, "out of memory");
        ps_docbuilder_free(b);
        return NULL;
    }
    return b;
}

void ps_docbuilder_free(ps_docbuilder *b) {
    if (!b)
        return;
    ps_analyzer_free(b->an);
    free(b->slots);
    free(b->arena);
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

static uint32_t fnv1a(const char *s, size_t n) {
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

static void reset_words(ps_docbuilder *b) {
    memset(b->slots, 0, b->cap * sizeof *b->slots);
    b->used = 0;
    b->arena_len = 0;
}

static int grow_words(ps_docbuilder *b) {
    size_t ncap = b->cap * 2;
    word_entry *ns = calloc(ncap, sizeof *ns);
    if (!ns)
        return -1;
    for (size_t i = 0; i < b->cap; i++) {
        if (!b->slots[i].len)
            continue;
        size_t j = b->slots[i].hash & (ncap - 1);
        while (ns[j].len)
            j = (j + 1) & (ncap - 1);
        ns[j] = b->slots[i];
    }
    free(b->slots);
    b->slots = ns;
    b->cap = ncap;
    return 0;
}

static word_entry *find_or_add(ps_docbuilder *b, const char *term, size_t len) {
    if ((b->used + 1) * 4 > b->cap * 3 && grow_words(b) < 0)
        return NULL;
    uint32_t h = fnv1a(term, len);
    size_t j = h & (b->cap - 1);
    for (; b->slots[j].len; j = (j + 1) & (b->cap - 1)) {
        word_entry *e = &b->slots[j];
        if (e->hash == h && e->len == len && !memcmp(b->arena + e->off, term, len))
            return e;
    }
    if (b->arena_len + len + 1 > b->arena_cap) {
        size_t ncap = b->arena_cap * 2 + len;
        char *na = realloc(b->arena, ncap);
        if (!na)
            return NULL;
        b->arena = na;
        b->arena_cap = ncap;
    }
    memcpy(b->arena + b->arena_len, term, len);
    b->arena[b->arena_len + len] = '\0';
    word_entry *e = &b->slots[j];
    *e = (word_entry){.hash = h, .len = (uint32_t)len, .off = (uint32_t)b->arena_len};
    b->arena_len += len + 1;
    b->used++;
    return e;
}

static int on_token(const ps_token *tok, void *vctx) {
    build_ctx *c = vctx;
    /* The solid form of a compound ("xray") is a ranking term only: giving
     * it a position would break phrases over the parts. */
    if (!(tok->flags & PS_TOK_JOINED)) {
        xs_status st = xs_doc_add_posting(c->doc, tok->term, tok->pos, 0);
        if (st != XS_OK) {
            c->failed = ps_err_set(c->err, "adding term '%s': %s", tok->term, xs_last_error());
            return 1;
        }
        if (ps_is_stopword(tok->term, tok->len))
            return 0;
    }
    word_entry *e = find_or_add(c->b, tok->term, tok->len);
    if (!e) {
        c->failed = ps_err_set(c->err, "out of memory");
        return 1;
    }
    e->weighted += c->b->w.field[c->field];
    e->fields |= 1u << c->field;
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

static int add_prefixed(xs_doc *doc, const char *prefix, const char *stem, size_t stem_len,
                        unsigned wdf, ps_err *err) {
    char term[PS_TERM_MAX * 2 + 8];
    size_t plen = strlen(prefix);
    if (plen + stem_len + 1 > sizeof term)
        return ps_err_set(err, "term '%s%s' too long", prefix, stem);
    memcpy(term, prefix, plen);
    memcpy(term + plen, stem, stem_len);
    term[plen + stem_len] = '\0';
    xs_status st = wdf ? xs_doc_add_term(doc, term, wdf) : xs_doc_add_boolean_term(doc, term);
    if (st != XS_OK)
        return ps_err_set(err, "adding term '%s': %s", term, xs_last_error());
    return 0;
}

static int has_digit(const char *s, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (s[i] >= '0' && s[i] <= '9')
            return 1;
    return 0;
}

/* Turn the page's distinct words into Z (ranking) and field-filter terms. */
static int emit_words(ps_docbuilder *b, xs_doc *doc, xs_db *spell_db, ps_err *err) {
    char stem[PS_TERM_MAX * 2];
    for (size_t i = 0; i < b->cap; i++) {
        const word_entry *e = &b->slots[i];
        if (!e->len)
            continue;
        const char *term = b->arena + e->off;
        size_t slen = ps_stem(b->an, term, e->len, stem, sizeof stem);
        if (slen == 0)
            continue;
        unsigned wdf = ps_weights_wdf(e->weighted);
        if (wdf && add_prefixed(doc, "Z", stem, slen, wdf, err) < 0)
            return -1;
        for (int f = 0; f < PS_F_COUNT; f++)
            if ((e->fields & (1u << f)) &&
                add_prefixed(doc, ps_field_prefix(f), stem, slen, 0, err) < 0)
                return -1;
        if (spell_db && e->len >= 3 && !has_digit(term, e->len) &&
            xs_db_add_spelling(spell_db, term, 1) != XS_OK)
            return ps_err_set(err, "spelling table: %s", xs_last_error());
    }
    return 0;
}

static int build_terms(ps_docbuilder *b, const ps_page *page, xs_doc *doc, xs_db *spell_db,
                       ps_err *err) {
    build_ctx c = {.b = b, .doc = doc, .err = err};
    uint32_t pos = 1;
    reset_words(b);
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
    return emit_words(b, doc, spell_db, err);
}

int ps_docbuild(ps_docbuilder *b, const ps_page *page, xs_db *spell_db, xs_doc **out,
                ps_err *err) {
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
    if (build_terms(b, page, doc, spell_db, err) < 0)
        goto fail;
    *out = doc;
    return 0;
fail:
    xs_doc_free(doc);
    return -1;
}
