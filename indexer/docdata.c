#include "indexer/docdata.h"

#include "indexer/docbuild.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zstd.h>

#define MAGIC_PLAIN "PSD1"
#define MAGIC_ZSTD_BODY "PSD2" /* index format 4 */
#define MAGIC_ZSTD "PSD3"
/* A frame (of a body, or of a whole PSD3 record) claiming more than this
 * is damaged, not a page. */
#define BODY_MAX (64u << 20)

struct ps_docdata_codec {
    ZSTD_CCtx *cctx; /* made on first use: the indexer's side */
    ZSTD_DCtx *dctx; /* the searcher's side */
};

ps_docdata_codec *ps_docdata_codec_new(void) { return calloc(1, sizeof(ps_docdata_codec)); }

void ps_docdata_codec_free(ps_docdata_codec *c) {
    if (!c)
        return;
    ZSTD_freeCCtx(c->cctx);
    ZSTD_freeDCtx(c->dctx);
    free(c);
}

/* ------------------------------------------------------------- encoding */

typedef struct outbuf {
    char *buf;
    size_t len, cap;
    int failed;
} outbuf;

/* Room for n more bytes; 0, or -1 with o->failed set. */
static int reserve(outbuf *o, size_t n) {
    if (o->failed)
        return -1;
    if (o->len + n > o->cap) {
        size_t cap = o->cap ? o->cap : 1024;
        while (cap < o->len + n)
            cap *= 2;
        char *grown = realloc(o->buf, cap);
        if (!grown) {
            o->failed = 1;
            return -1;
        }
        o->buf = grown;
        o->cap = cap;
    }
    return 0;
}

static void put(outbuf *o, const void *p, size_t n) {
    if (n == 0 || reserve(o, n) < 0)
        return;
    memcpy(o->buf + o->len, p, n);
    o->len += n;
}

static void put_varint(outbuf *o, uint64_t v) {
    unsigned char b[10];
    size_t n = 0;
    do {
        b[n] = (unsigned char)(v & 0x7f);
        v >>= 7;
        if (v)
            b[n] |= 0x80;
        n++;
    } while (v);
    put(o, b, n);
}

static void put_str(outbuf *o, const char *s) {
    size_t n = s ? strlen(s) : 0;
    put_varint(o, n);
    put(o, s, n);
}

static void put_body(outbuf *o, const ps_page *page) {
    put_varint(o, page->n_common_names);
    for (size_t i = 0; i < page->n_common_names; i++)
        put_str(o, page->common_names[i]);
    put_varint(o, page->n_sections);
    for (size_t i = 0; i < page->n_sections; i++) {
        unsigned char key = (unsigned char)page->sections[i].key;
        put(o, &key, 1);
        put_str(o, page->sections[i].title);
        put_str(o, page->sections[i].text);
    }
}

/* Append plain compressed as one zstd frame (which records its size). */
static void put_frame(outbuf *o, ps_docdata_codec *c, const outbuf *plain) {
    size_t bound = ZSTD_compressBound(plain->len);
    if (!c->cctx) {
        /* With a checksum, a damaged page is refused rather than shown
         * with other words in it: Xapian checks no document's data.  The
         * fastest level keeps the text nearly as it is (docdata.h). */
        if (!(c->cctx = ZSTD_createCCtx()) ||
            ZSTD_isError(ZSTD_CCtx_setParameter(c->cctx, ZSTD_c_checksumFlag, 1)) ||
            ZSTD_isError(
                ZSTD_CCtx_setParameter(c->cctx, ZSTD_c_compressionLevel, ZSTD_minCLevel()))) {
            o->failed = 1;
            return;
        }
    }
    if (reserve(o, bound) < 0)
        return;
    size_t n = ZSTD_compress2(c->cctx, o->buf + o->len, bound, plain->buf, plain->len);
    if (ZSTD_isError(n))
        o->failed = 1;
    else
        o->len += n;
}

static void put_heading(outbuf *o, const ps_page *page) {
    put_str(o, page->id);
    put_str(o, page->descriptor);
    put_str(o, page->code_system);
    put_str(o, page->name);
}

char *ps_docdata_encode(ps_docdata_codec *c, const ps_page *page, size_t *len) {
    outbuf o = {0}, plain = {0};
    put(&o, c ? MAGIC_ZSTD : MAGIC_PLAIN, 4);
    put_heading(c ? &plain : &o, page);
    put_body(c ? &plain : &o, page);
    if (c && !plain.failed)
        put_frame(&o, c, &plain);
    free(plain.buf);
    if (o.failed || plain.failed) {
        free(o.buf);
        return NULL;
    }
    *len = o.len;
    return o.buf;
}

char *ps_docdata_encode_heading(const ps_page *page, size_t *len) {
    outbuf o = {0};
    put(&o, MAGIC_PLAIN, 4);
    put_heading(&o, page);
    if (o.failed) {
        free(o.buf);
        return NULL;
    }
    *len = o.len;
    return o.buf;
}

/* ------------------------------------------------------------- decoding */

typedef struct in {
    const unsigned char *p, *end;
    int bad;
    /* When not NULL, strings are moved down to here, in the very buffer
     * being read (which the page then owns), instead of being copied. */
    char *w;
} in;

static uint64_t get_varint(in *r) {
    uint64_t v = 0;
    for (unsigned shift = 0; shift < 64; shift += 7) {
        if (r->p >= r->end) {
            r->bad = 1;
            return 0;
        }
        unsigned char b = *r->p++;
        v |= (uint64_t)(b & 0x7f) << shift;
        if (!(b & 0x80))
            return v;
    }
    r->bad = 1;
    return 0;
}

/* The next string, NUL-terminated: in place (r->w) or a new copy.  An
 * empty one is NULL unless keep_empty.  NULL too when r went bad or
 * memory ran out: *oom tells which. */
static char *get_str_ex(in *r, int keep_empty, int *oom) {
    uint64_t n = get_varint(r);
    if (r->bad || n > (uint64_t)(r->end - r->p)) {
        r->bad = 1;
        return NULL;
    }
    const char *s = (const char *)r->p;
    r->p += n;
    if (n == 0 && !keep_empty)
        return NULL;
    if (r->w) {
        /* Every string read gave up at least a byte of length prefix, so
         * what is written (its bytes and a NUL) stays behind what is read. */
        char *at = r->w;
        memmove(at, s, (size_t)n);
        at[n] = '\0';
        r->w += n + 1;
        return at;
    }
    char *copy = n ? strndup(s, (size_t)n) : strdup("");
    if (!copy)
        *oom = 1;
    return copy;
}

static char *get_str(in *r, int *oom) { return get_str_ex(r, 0, oom); }

static int decode_body(in *r, ps_page *page, int *oom) {
    uint64_t nc = get_varint(r);
    if (r->bad || nc > (uint64_t)(r->end - r->p))
        return r->bad = 1, -1;
    if (nc && !(page->common_names = calloc((size_t)nc, sizeof *page->common_names)))
        return *oom = 1, -1;
    for (; page->n_common_names < nc; page->n_common_names++) {
        char *name = get_str_ex(r, 1, oom);
        if (!name)
            return -1;
        page->common_names[page->n_common_names] = name;
    }
    uint64_t ns = get_varint(r);
    if (r->bad || ns > (uint64_t)(r->end - r->p))
        return r->bad = 1, -1;
    if (ns && !(page->sections = calloc((size_t)ns, sizeof *page->sections)))
        return *oom = 1, -1;
    while (page->n_sections < ns) {
        ps_section *s = &page->sections[page->n_sections];
        if (r->p >= r->end || *r->p >= PS_SEC_COUNT)
            return r->bad = 1, -1;
        s->key = (ps_section_key)*r->p++;
        page->n_sections++; /* counted now, so ps_page_free frees what follows */
        if (!(s->title = get_str_ex(r, 1, oom)) || !(s->text = get_str_ex(r, 1, oom)))
            return -1;
    }
    return 0;
}

/* The bytes of the zstd frame that is the rest of r: a new buffer in
 * *out (*size bytes), or -1 with r->bad or *oom set. */
static int unframe(ps_docdata_codec *c, in *r, unsigned char **out, size_t *size, int *oom) {
    size_t n = (size_t)(r->end - r->p);
    unsigned long long want = ZSTD_getFrameContentSize(r->p, n);
    if (want == ZSTD_CONTENTSIZE_UNKNOWN || want == ZSTD_CONTENTSIZE_ERROR || want == 0 ||
        want > BODY_MAX)
        return r->bad = 1, -1;
    unsigned char *buf = malloc((size_t)want);
    if (!buf || (c && !c->dctx && !(c->dctx = ZSTD_createDCtx()))) {
        free(buf);
        return *oom = 1, -1;
    }
    size_t got = c ? ZSTD_decompressDCtx(c->dctx, buf, (size_t)want, r->p, n)
                   : ZSTD_decompress(buf, (size_t)want, r->p, n);
    if (ZSTD_isError(got) || got != want) {
        free(buf);
        return r->bad = 1, -1;
    }
    r->p = r->end;
    *out = buf;
    *size = got;
    return 0;
}

/* The common names and sections of a PSD2 record: one zstd frame that
 * must hold exactly one body.  -1 with r->bad or *oom set on failure. */
static int decode_framed_body(ps_docdata_codec *c, in *r, ps_page *page, int *oom) {
    unsigned char *body = NULL;
    size_t size = 0;
    if (unframe(c, r, &body, &size, oom) < 0)
        return -1;
    in br = {body, body + size, 0, NULL}; /* copied: body is freed */
    int rc = decode_body(&br, page, oom);
    if (rc == 0 && br.p != br.end)
        rc = -1, br.bad = 1;
    r->bad = br.bad;
    free(body);
    return rc;
}

/* The heading strings, then (but for heading_only) the body, framed when
 * framed_body, up to the exact end of r.  Failure sets r->bad or *oom. */
static void decode_plain(ps_docdata_codec *c, in *r, int framed_body, int heading_only,
                        ps_page *page, int *oom) {
    page->id = get_str(r, oom);
    page->descriptor = get_str(r, oom);
    page->code_system = get_str(r, oom);
    page->name = get_str(r, oom);
    if (!r->bad && !*oom && (!page->id || !page->descriptor))
        r->bad = 1;
    if (r->bad || *oom || heading_only)
        return;
    int rc = framed_body ? decode_framed_body(c, r, page, oom) : decode_body(r, page, oom);
    if ((rc == 0 && r->p != r->end) || (rc < 0 && !*oom))
        r->bad = 1;
}

/* What to decode: a whole record, or a heading-only record, which must
 * end where its heading does (a value slot's has no checksum: a damaged
 * length would otherwise cut a name short unseen). */
enum { WHOLE, HEADING_RECORD };

static int decode(ps_docdata_codec *c, const char *data, size_t len, int what,
                  const char *origin, ps_page **out_page, ps_err *err) {
    in r = {(const unsigned char *)data, (const unsigned char *)data + len, 0, NULL};
    int framed = len >= 4 && memcmp(data, MAGIC_ZSTD, 4) == 0;
    int framed_body = len >= 4 && memcmp(data, MAGIC_ZSTD_BODY, 4) == 0;
    if (len < 4 || (!framed && !framed_body && memcmp(data, MAGIC_PLAIN, 4) != 0))
        return ps_err_set(err, "%s: stored page in an unknown format", origin);
    r.p += 4;
    ps_page *page = calloc(1, sizeof *page);
    int oom = !page;
    unsigned char *plain = NULL;
    size_t size = 0;
    /* The frame decoded is the page's: its strings stay where they are. */
    if (page && framed && unframe(c, &r, &plain, &size, &oom) == 0) {
        r = (in){plain, plain + size, 0, (char *)plain};
        page->strings = (char *)plain;
    }
    if (page && !r.bad && !oom)
        decode_plain(c, &r, framed_body, what != WHOLE, page, &oom);
    if (what == HEADING_RECORD && (framed || r.p != r.end))
        r.bad = 1;
    if (r.bad || oom) {
        ps_page_free(page);
        return ps_err_set(err, "%s: %s", origin, oom ? "out of memory" : "stored page is damaged");
    }
    *out_page = page;
    return 0;
}

int ps_docdata_decode(ps_docdata_codec *c, const char *data, size_t len, const char *origin,
                      ps_page **out_page, ps_err *err) {
    return decode(c, data, len, WHOLE, origin, out_page, err);
}

int ps_doc_page(ps_docdata_codec *c, xs_doc *doc, const char *origin, ps_page **out,
                ps_err *err) {
    const char *data = NULL;
    size_t len = 0;
    /* Index formats 3 to 5 kept it in the document data. */
    if (xs_doc_get_value(doc, PS_VALUE_PAGE, &data, &len) != XS_OK ||
        (len == 0 && xs_doc_get_data(doc, &data, &len) != XS_OK))
        return ps_err_set(err, "%s: %s", origin, xs_last_error());
    return ps_docdata_decode(c, data, len, origin, out, err);
}

static int value_dup(xs_doc *doc, unsigned slot, char **out, ps_err *err) {
    const char *v = NULL;
    size_t len = 0;
    *out = NULL;
    if (xs_doc_get_value(doc, slot, &v, &len) != XS_OK)
        return ps_err_set(err, "%s", xs_last_error());
    if (len && !(*out = strndup(v, len)))
        return ps_err_set(err, "out of memory");
    return 0;
}

/* The heading slot's fields; descriptor and name as for ps_doc_display. */
static int from_heading(const char *v, size_t len, char **id, char **descriptor, char **name,
                        ps_err *err) {
    ps_page *p = NULL;
    if (decode(NULL, v, len, HEADING_RECORD, "heading value", &p, err) < 0 || !p)
        return -1;
    int rc = ps_page_take_display(p, id, descriptor, name);
    ps_page_free(p);
    return rc < 0 ? ps_err_set(err, "out of memory") : 0;
}

/* *to = *from, moved or (from a block of strings) copied. */
static int take(const ps_page *page, char **from, char **to) {
    char *s = *from;
    if (page->strings && s && !(s = strdup(s)))
        return -1;
    *to = s, *from = NULL;
    return 0;
}

int ps_page_take_display(ps_page *page, char **id, char **descriptor, char **name) {
    char *got[3] = {NULL, NULL, NULL};
    if (take(page, &page->id, &got[0]) < 0 ||
        (descriptor && take(page, &page->descriptor, &got[1]) < 0) ||
        (name && take(page, &page->name, &got[2]) < 0)) {
        if (page->strings) /* what was taken is a copy */
            free(got[0]), free(got[1]), free(got[2]);
        return -1;
    }
    *id = got[0];
    if (descriptor)
        *descriptor = got[1];
    if (name)
        *name = got[2];
    return 0;
}

int ps_doc_display(xs_doc *doc, char **id, char **descriptor, char **name, ps_err *err) {
    const char *v = NULL;
    size_t len = 0;
    *id = NULL;
    if (xs_doc_get_value(doc, PS_VALUE_HEADING, &v, &len) != XS_OK)
        return ps_err_set(err, "%s", xs_last_error());
    if (len)
        return from_heading(v, len, id, descriptor, name, err);
    /* Index format 3: a slot per field. */
    if (value_dup(doc, PS_VALUE_ID, id, err) < 0 ||
        (descriptor && value_dup(doc, PS_VALUE_DESCRIPTOR, descriptor, err) < 0) ||
        (name && value_dup(doc, PS_VALUE_NAME, name, err) < 0))
        return -1;
    return !*id || (descriptor && !*descriptor);
}
