#include "indexer/docbuild.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/strmap.h"
#include "common/text.h"
#include "corpus/builtin.h"
#include "indexer/docdata.h"
#include "indexer/syngroups.h"

/* Runs of words looked up as synonym keys, at most (longer keys are never
 * matched on pages). */
#define SYN_RUN_MAX 8
#define STEM_CAP (PS_TERM_MAX * 2 + 2)

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
    /* Synonym groups: the page's weighted occurrences of each group. */
    ps_syngroups *syn;
    size_t syn_run;      /* words of the longest key (<= SYN_RUN_MAX) */
    double *group_sum;   /* per group id */
    unsigned char *group_seen; /* per group id: in touched */
    uint32_t *touched;   /* group ids with a sum, in the order found */
    size_t n_touched;
    ps_docdata_codec *codec; /* the stored page's compression */
};

/* The last words of the field being read, for synonym keys: stems of words
 * that are not stopwords, and of stopwords glued to a neighbour ("t&a").
 * A ring: entry i (0 = oldest) is at (head + i) % syn_run. */
typedef struct syn_stream {
    char stem[SYN_RUN_MAX][STEM_CAP];
    size_t len[SYN_RUN_MAX];
    size_t head, n;      /* n entries held (<= syn_run) */
    size_t prev_end;     /* byte after the previous token, or SIZE_MAX */
    char pending[PS_TERM_MAX + 1]; /* a stopword not glued to what came before, unstemmed */
    size_t pending_len;
    size_t pending_end;  /* its end, or SIZE_MAX when none */
} syn_stream;

/* State of one ps_docbuild call, seen by the token callback. */
typedef struct build_ctx {
    ps_docbuilder *b;
    int field;
    int failed;
    ps_err *err;
    const char *text; /* of the field being read */
    syn_stream syn;
} build_ctx;

_Static_assert(PS_F_COUNT < 32, "field mask is 32 bits, one of them FIELDS_NONE");
/* fields[z] of a stem found only in fields weighted 0: no term, no
 * positions (0 is a stopword in a compound: positions only). */
#define FIELDS_NONE (1u << 31)

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
    /* The table the database gets (ps_index_prepare_db), so the groups a
     * query finds through it are the ones pages were indexed with. */
    size_t len = 0;
    const char *text = ps_builtin_synonyms(&len);
    if (!(b->syn = ps_syngroups_new(b->an, text, len, "corpus/synonyms.txt", err))) {
        ps_docbuilder_free(b);
        return NULL;
    }
    size_t groups = ps_syngroups_count(b->syn);
    b->syn_run = ps_syngroups_max_words(b->syn);
    if (b->syn_run > SYN_RUN_MAX)
        b->syn_run = SYN_RUN_MAX;
    b->group_sum = calloc(groups ? groups : 1, sizeof *b->group_sum);
    b->group_seen = calloc(groups ? groups : 1, 1);
    b->touched = malloc((groups ? groups : 1) * sizeof *b->touched);
    b->codec = ps_docdata_codec_new();
    if (!b->group_sum || !b->group_seen || !b->touched || !b->codec) {
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
    ps_strmap_free(&b->words);
    ps_strmap_free(&b->zterms);
    ps_strmap_free(&b->spell);
    free(b->word_stem);
    free(b->weighted);
    free(b->fields);
    free(b->wdf);
    free(b->occ);
    free(b->spell_count);
    ps_syngroups_free(b->syn);
    free(b->group_sum);
    free(b->group_seen);
    free(b->touched);
    ps_docdata_codec_free(b->codec);
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

/* ------------------------------------------------------ synonym groups */

static void count_one(build_ctx *c, uint32_t g) {
    ps_docbuilder *b = c->b;
    if (!b->group_seen[g]) {
        b->group_seen[g] = 1;
        b->touched[b->n_touched++] = g;
    }
    b->group_sum[g] += b->w.field[c->field];
}

/* Count the groups of key; 0 when no key ends with it. */
static int count_group(build_ctx *c, const char *key, size_t len) {
    size_t n = 0;
    int ends = 0;
    const uint32_t *groups = ps_syngroups_find(c->b->syn, key, len, &n, &ends);
    for (size_t i = 0; i < n; i++)
        count_one(c, groups[i]);
    return ends;
}

/* Keys are built backwards, at the end of a KEY_CAP buffer: the key of the
 * last n + 1 words is the key of the last n with one word put in front. */
#define KEY_CAP (SYN_RUN_MAX * STEM_CAP)

/* Put the stream's i-th newest word (1 = newest) in front of the key that
 * starts at k (end: the buffer's end); the new start. */
static char *prepend_word(const build_ctx *c, size_t i, char *k, const char *end) {
    const syn_stream *st = &c->syn;
    size_t slot = (st->head + st->n - i) % c->b->syn_run;
    if (k != end)
        *--k = ' ';
    k -= st->len[slot];
    memcpy(k, st->stem[slot], st->len[slot]);
    return k;
}

/* Every key the stream ends with: its last 1, 2, ... words, for as long
 * as some key ends that way (most words end none). */
static void match_keys(build_ctx *c) {
    char buf[KEY_CAP];
    char *end = buf + sizeof buf, *k = end;
    for (size_t n = 1; n <= c->syn.n; n++) {
        k = prepend_word(c, n, k, end);
        if (!count_group(c, k, (size_t)(end - k)))
            break;
    }
}

/* The solid form of a compound counts the groups its parts did not
 * already count: "X-ray" is one radiograph, not two ("x ray" and "xray"
 * are both members). */
static void joined_groups(build_ctx *c, const ps_token *tok, const char *stem, size_t len) {
    const syn_stream *st = &c->syn;
    size_t n_joined = 0, n_parts = 0;
    const uint32_t *joined = ps_syngroups_find(c->b->syn, stem, len, &n_joined, NULL);
    const uint32_t *parts = NULL;
    if (!joined)
        return;
    if (tok->n_parts >= 2 && tok->n_parts <= st->n) {
        char buf[KEY_CAP];
        char *end = buf + sizeof buf, *k = end;
        for (size_t i = 1; i <= tok->n_parts; i++)
            k = prepend_word(c, i, k, end);
        parts = ps_syngroups_find(c->b->syn, k, (size_t)(end - k), &n_parts, NULL);
    }
    for (size_t i = 0; i < n_joined; i++) {
        int counted = 0;
        for (size_t j = 0; j < n_parts; j++)
            counted |= parts[j] == joined[i];
        if (!counted)
            count_one(c, joined[i]);
    }
}

static void stream_push(build_ctx *c, const char *stem, size_t len) {
    syn_stream *st = &c->syn;
    size_t run = c->b->syn_run;
    if (run == 0 || len >= STEM_CAP)
        return;
    if (st->n == run) { /* the oldest goes */
        st->head = (st->head + 1) % run;
        st->n--;
    }
    size_t slot = (st->head + st->n++) % run;
    memcpy(st->stem[slot], stem, len);
    st->len[slot] = len;
}

/* A stopword's stem, when it turns out to be part of a key; 0 when it has
 * none. */
static int push_stopword(build_ctx *c, const char *term, size_t len) {
    char stem[STEM_CAP];
    size_t n = ps_stem(c->b->an, term, len, stem, sizeof stem);
    if (n)
        stream_push(c, stem, n);
    return n > 0;
}

/* No space between the byte ranges [.., end) and [start, ..). */
static int glued(const build_ctx *c, size_t end, size_t start) {
    if (end == SIZE_MAX || end > start)
        return 0;
    for (size_t i = end; i < start; i++)
        if (ps_text_space_len(c->text + i, start - i))
            return 0;
    return 1;
}

/* A word of the page (stem given) enters the stream; a stopword waiting
 * before it enters first when the two are glued ("i&d"). */
static void syn_word(build_ctx *c, const ps_token *tok, const char *stem, size_t len) {
    syn_stream *st = &c->syn;
    if (tok->flags & PS_TOK_JOINED) { /* "xray": a key of its own only */
        joined_groups(c, tok, stem, len);
        return;
    }
    if (glued(c, st->pending_end, tok->start))
        (void)push_stopword(c, st->pending, st->pending_len);
    st->pending_end = SIZE_MAX;
    stream_push(c, stem, len);
    match_keys(c);
    st->prev_end = tok->end;
}

/* A stopword outside a compound: part of a key only when glued to the
 * word before ("t&a") or after ("i&d"); otherwise invisible to keys, as in
 * ps_synonym_key ("removal of the uterus" is "remov uterus"). */
static void syn_stopword(build_ctx *c, const ps_token *tok) {
    syn_stream *st = &c->syn;
    if (st->n && glued(c, st->prev_end, tok->start)) {
        if (push_stopword(c, tok->term, tok->len))
            match_keys(c);
        st->pending_end = SIZE_MAX;
    } else { /* stemmed only if the next word is glued to it */
        memcpy(st->pending, tok->term, tok->len);
        st->pending_len = tok->len;
        st->pending_end = tok->end;
    }
    st->prev_end = tok->end;
}

/* ------------------------------------------------------------ the words */

static int on_token(const ps_token *tok, void *vctx) {
    build_ctx *c = vctx;
    ps_docbuilder *b = c->b;
    /* A stopword only keeps its position, and only inside a compound
     * ("over-the-counter"), where a phrase over the parts needs it. */
    int stop = ps_is_stopword(tok->term, tok->len);
    if (stop && !(tok->flags & PS_TOK_PART)) {
        syn_stopword(c, tok);
        return 0;
    }
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
    syn_word(c, tok, ps_strmap_str(&b->zterms, z) + 1, ps_strmap_len(&b->zterms, z) - 1);
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
    c->text = text;
    c->syn.n = c->syn.head = 0;
    c->syn.prev_end = c->syn.pending_end = SIZE_MAX;
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

/* Write the page's Z terms (weight and positions) and field filters.
 * Each word's weight is rounded on its own before its stem sums them: the
 * shipped field weights were tuned with a word-form variety ("inject",
 * "injection") counting that way.  A Z term's weight rides on its first
 * position, so Xapian looks the term up once for both (a term is an
 * ordered map entry there); b->wdf is what is still to be given. */
static int emit_terms(ps_docbuilder *b, xs_doc *doc, ps_err *err) {
    size_t n = ps_strmap_count(&b->zterms);
    memset(b->wdf, 0, n * sizeof *b->wdf);
    for (size_t w = 0; w < ps_strmap_count(&b->words); w++)
        if (b->word_stem[w] != UINT32_MAX)
            b->wdf[b->word_stem[w]] += ps_weights_wdf(b->weighted[w]);
    for (uint32_t z = 0; z < n; z++) {
        const char *zt = ps_strmap_str(&b->zterms, z);
        size_t zlen = ps_strmap_len(&b->zterms, z);
        if (!b->wdf[z]) { /* only in fields weighted 0: not a match at all */
            if (b->fields[z])
                b->fields[z] = FIELDS_NONE;
            continue;
        }
        for (int f = 0; f < PS_F_COUNT; f++)
            if ((b->fields[z] & (1u << f)) && add_field_term(doc, f, zt + 1, zlen - 1, err) < 0)
                return -1;
    }
    for (size_t i = 0; i < b->n_occ; i++) {
        const occurrence *o = &b->occ[i];
        /* fields == 0: a stopword in a compound, positions only */
        if (b->fields[o->stem] == FIELDS_NONE)
            continue;
        const char *zt = ps_strmap_str(&b->zterms, o->stem);
        if (xs_doc_add_posting(doc, zt, o->pos, b->wdf[o->stem]) != XS_OK)
            return ps_err_set(err, "adding term '%s': %s", zt, xs_last_error());
        b->wdf[o->stem] = 0;
    }
    for (uint32_t z = 0; z < n; z++) { /* words with no position ("xray") */
        const char *zt = ps_strmap_str(&b->zterms, z);
        if (b->wdf[z] && xs_doc_add_term(doc, zt, b->wdf[z]) != XS_OK)
            return ps_err_set(err, "adding term '%s': %s", zt, xs_last_error());
    }
    for (size_t i = 0; i < b->n_touched; i++) {
        uint32_t g = b->touched[i];
        unsigned gwdf = ps_weights_wdf(b->group_sum[g]);
        b->group_sum[g] = 0;
        b->group_seen[g] = 0;
        if (gwdf && xs_doc_add_term(doc, ps_syngroups_term(b->syn, g), gwdf) != XS_OK)
            return ps_err_set(err, "adding term '%s': %s", ps_syngroups_term(b->syn, g),
                              xs_last_error());
    }
    b->n_touched = 0;
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
    for (size_t i = 0; i < b->n_touched; i++) /* left by a page that failed */
        b->group_sum[b->touched[i]] = 0, b->group_seen[b->touched[i]] = 0;
    b->n_touched = 0;
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
    size_t data_len = 0, head_len = 0;
    char *data = ps_docdata_encode(b->codec, page, &data_len);
    char *head = data ? ps_docdata_encode_heading(page, &head_len) : NULL;
    if (!data || !head) {
        free(data);
        ps_err_set(err, "out of memory encoding page %s", page->id);
        goto fail;
    }
    xs_status st = xs_doc_set_value(doc, PS_VALUE_PAGE, data, data_len);
    free(data);
    if (st == XS_OK)
        st = xs_doc_add_boolean_term(doc, idterm);
    if (st == XS_OK)
        st = xs_doc_set_value(doc, PS_VALUE_ID, page->id, strlen(page->id));
    if (st == XS_OK)
        st = xs_doc_set_value(doc, PS_VALUE_HEADING, head, head_len);
    free(head);
    if (st != XS_OK) {
        ps_err_set(err, "page, id term and values: %s", xs_last_error());
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
