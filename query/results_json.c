#include "query/results_json.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "common/bytes8.h"
#include "common/utf8.h"

/* Code points in s[0..n): what JavaScript's Array.from counts. */
static size_t codepoints(const char *s, size_t n) {
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80)
            c++;
    return c;
}

/* Whether any byte of x is below 0x20, '"', '\\' or (with escape_slash)
 * '/': zero bytes of x ^ c are found without a borrow reaching a byte
 * that matters, and a byte over 0x7f never counts as below 0x20. */
static int needs_escape(uint64_t x, int escape_slash) {
    uint64_t q = x ^ (PS_ONES8 * '"'), b = x ^ (PS_ONES8 * '\\'), sl = x ^ (PS_ONES8 * '/');
    uint64_t hit = ((x - PS_ONES8 * 0x20) | (q - PS_ONES8) | (b - PS_ONES8) |
                    (escape_slash ? sl - PS_ONES8 : 0)) &
                   ~x & PS_HIGHS8;
    return hit != 0;
}

/* What json_dumps writes for a string: ", \\ and control characters
 * escaped (\b \f \n \r \t, else \u00XX), '/' too with escape_slash, the
 * rest as it is.  -1 for bytes that are not UTF-8, which jansson refuses,
 * and for NULL. */
static int put_string(ps_strbuf *o, const char *s, int escape_slash) {
    size_t n = s ? strlen(s) : 0;
    if (!s || !ps_utf8_valid(s, n) || ps_strbuf_reserve(o, n + 2) < 0)
        return -1;
    int rc = ps_strbuf_putc(o, '"');
    size_t run = 0; /* start of the bytes not yet copied */
    for (size_t i = 0; i < n && rc == 0; i++) {
        /* Eight bytes at a time while none needs escaping. */
        while (i + 8 <= n && !needs_escape(ps_load8(s + i), escape_slash))
            i += 8;
        if (i == n)
            break;
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c != '"' && c != '\\' && (c != '/' || !escape_slash))
            continue;
        char esc[8];
        switch (c) {
        case '"': memcpy(esc, "\\\"", 3); break;
        case '\\': memcpy(esc, "\\\\", 3); break;
        case '/': memcpy(esc, "\\/", 3); break;
        case '\b': memcpy(esc, "\\b", 3); break;
        case '\f': memcpy(esc, "\\f", 3); break;
        case '\n': memcpy(esc, "\\n", 3); break;
        case '\r': memcpy(esc, "\\r", 3); break;
        case '\t': memcpy(esc, "\\t", 3); break;
        default: snprintf(esc, sizeof esc, "\\u%04X", c); break;
        }
        rc = ps_strbuf_append(o, s + run, i - run);
        if (rc == 0)
            rc = ps_strbuf_append(o, esc, strlen(esc));
        run = i + 1;
    }
    if (rc == 0)
        rc = ps_strbuf_append(o, s + run, n - run);
    return rc == 0 ? ps_strbuf_putc(o, '"') : -1;
}

static int put_raw(ps_strbuf *o, const char *s) { return ps_strbuf_append(o, s, strlen(s)); }

/* The counts and offsets written are never negative. */
static int put_int(ps_strbuf *o, unsigned long long v) {
    char buf[24];
    size_t at = sizeof buf;
    do
        buf[--at] = (char)('0' + v % 10);
    while ((v /= 10) != 0);
    return ps_strbuf_append(o, buf + at, sizeof buf - at);
}

/* A number as jansson writes a real: %.17g, with ".0" when that would
 * read back as an integer, and the exponent without '+' or leading
 * zeros. */
static int put_real(ps_strbuf *o, double v) {
    char buf[64];
    int len = snprintf(buf, sizeof buf - 3, "%.17g", v);
    if (len < 0 || (size_t)len >= sizeof buf - 3)
        return -1;
    if (!strchr(buf, '.') && !strchr(buf, 'e'))
        memcpy(buf + len, ".0", 3);
    char *e = strchr(buf, 'e');
    if (e) {
        char *digits = e + 1 + (e[1] == '-'), *from = e + 1;
        while (*from == '+' || *from == '-')
            from++;
        while (*from == '0' && from[1])
            from++;
        memmove(digits, from, strlen(from) + 1);
    }
    return put_raw(o, buf);
}

static int put_str_or_null(ps_strbuf *o, const char *s, int escape_slash) {
    return s ? put_string(o, s, escape_slash) : put_raw(o, "null");
}

static int put_snippet(ps_strbuf *o, const ps_snippet *s, int escape_slash) {
    if (!s->section)
        return put_raw(o, "null");
    if (put_raw(o, "{\"section\":") < 0 || put_string(o, s->section, escape_slash) < 0 ||
        put_raw(o, ",\"key\":") < 0 ||
        put_string(o, s->section_key ? s->section_key : "", escape_slash) < 0 ||
        put_raw(o, ",\"text\":") < 0 || put_string(o, s->text ? s->text : "", escape_slash) < 0 ||
        put_raw(o, ",\"highlights\":[") < 0)
        return -1;
    for (size_t i = 0; s->text && i < s->n_highlights; i++) {
        size_t a = codepoints(s->text, s->highlights[i].start);
        size_t b = a + codepoints(s->text + s->highlights[i].start,
                                  s->highlights[i].end - s->highlights[i].start);
        if ((i && ps_strbuf_putc(o, ',') < 0) || ps_strbuf_putc(o, '[') < 0 ||
            put_int(o, (unsigned long long)a) < 0 || ps_strbuf_putc(o, ',') < 0 ||
            put_int(o, (unsigned long long)b) < 0 || ps_strbuf_putc(o, ']') < 0)
            return -1;
    }
    return put_raw(o, "]}");
}

int ps_results_json_write(const ps_results *r, int escape_slash, ps_strbuf *o) {
    int e = escape_slash;
    if (put_raw(o, "{\"query\":") < 0 || put_string(o, r->query ? r->query : "", e) < 0 ||
        put_raw(o, ",\"total\":") < 0 || put_int(o, (unsigned long long)r->total) < 0 ||
        put_raw(o, ",\"offset\":") < 0 || put_int(o, (unsigned long long)r->offset) < 0 ||
        put_raw(o, ",\"did_you_mean\":") < 0 || put_str_or_null(o, r->did_you_mean, e) < 0 ||
        put_raw(o, ",\"took_ms\":") < 0 || put_real(o, r->took_ms) < 0 ||
        put_raw(o, ",\"results\":[") < 0)
        return -1;
    for (size_t i = 0; i < r->n_hits; i++) {
        const ps_hit *h = &r->hits[i];
        if ((i && ps_strbuf_putc(o, ',') < 0) || put_raw(o, "{\"rank\":") < 0 ||
            put_int(o, (unsigned long long)r->offset + i + 1) < 0 ||
            put_raw(o, ",\"id\":") < 0 || put_string(o, h->id, e) < 0 ||
            put_raw(o, ",\"descriptor\":") < 0 || put_string(o, h->descriptor, e) < 0 ||
            put_raw(o, ",\"name\":") < 0 || put_str_or_null(o, h->name, e) < 0 ||
            put_raw(o, ",\"score\":") < 0 || put_real(o, h->score) < 0 ||
            put_raw(o, ",\"snippet\":") < 0 || put_snippet(o, &h->snippet, e) < 0 ||
            ps_strbuf_putc(o, '}') < 0)
            return -1;
    }
    return put_raw(o, "]}");
}

int ps_json_print(json_t *j, FILE *f, int pretty) {
    if (!j)
        return -1;
    size_t flags = JSON_PRESERVE_ORDER | (pretty ? JSON_INDENT(2) : JSON_COMPACT);
    if (json_dumpf(j, f, flags) < 0 || fputc('\n', f) == EOF)
        return -1;
    return 0;
}
