#include "query/eval_lines.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/text.h"
#include "common/utf8.h"

int ps_lines_open(ps_lines *it, const char *text, size_t len, const char *origin, ps_err *err) {
    *it = (ps_lines){.origin = origin};
    if (len == (size_t)-1 || !(it->buf = malloc(len + 1)))
        return ps_err_set(err, "%s: out of memory", origin);
    if (len)
        memcpy(it->buf, text, len);
    it->buf[len] = '\0';
    it->len = len;
    /* Editors on some systems start UTF-8 files with a BOM: not part of the first id. */
    if (len >= 3 && !memcmp(it->buf, "\xEF\xBB\xBF", 3))
        it->pos = 3;
    return 0;
}

static int blank(const char *s, size_t len) {
    ps_text_trim(&s, &len);
    return len == 0;
}

int ps_lines_next(ps_lines *it, char **line, ps_err *err) {
    while (it->pos < it->len) {
        char *s = it->buf + it->pos;
        size_t next = 0;
        size_t n = ps_text_line(s, it->len - it->pos, &next);
        it->pos += next;
        it->line_no++;
        if (memchr(s, '\0', n))
            return ps_err_set(err, "%s:%zu: NUL byte in the line (not a text file?)", it->origin,
                              it->line_no);
        size_t bad = ps_utf8_invalid_at(s, n);
        if (bad != n)
            return ps_err_set(err, "%s:%zu: invalid UTF-8 at byte %zu of the line", it->origin,
                              it->line_no, bad + 1);
        s[n] = '\0'; /* overwrites the line break, or the buffer's own NUL */
        if (blank(s, n))
            continue;
        *line = s;
        return 1;
    }
    return 0;
}

size_t ps_lines_split(char *line, char **fields, size_t max) {
    size_t n = 0;
    char *p = line;
    for (;;) {
        while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\v' || *p == '\f')
            p++;
        if (!*p)
            return n;
        if (n < max)
            fields[n] = p;
        n++;
        while (*p && *p != ' ' && *p != '\t' && *p != '\r' && *p != '\v' && *p != '\f')
            p++;
        if (!*p)
            return n;
        *p++ = '\0';
    }
}

int ps_lines_long(const char *s, long lo, long hi, long *out) {
    char *end = NULL;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (!*s || end == s || *end || errno || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

int ps_lines_parse_all(ps_lines *it, size_t item_size, size_t hint, ps_line_parser parse,
                       const char *what, void **items, size_t *n, ps_err *err) {
    size_t cap = 0;
    char *line = NULL;
    int got;
    while ((got = ps_lines_next(it, &line, err)) == 1) {
        if (*n == cap) {
            size_t ncap = cap ? cap * 2 : hint;
            void *grown = realloc(*items, ncap * item_size);
            if (!grown)
                return ps_err_set(err, "%s: out of memory", it->origin);
            *items = grown;
            cap = ncap;
        }
        if (parse(line, it, (char *)*items + *n * item_size, err) < 0)
            return -1;
        (*n)++;
    }
    if (got == 0 && *n == 0)
        return ps_err_set(err, "%s: no %s in it", it->origin, what);
    return got < 0 ? -1 : 0;
}
