#include "common/strbuf.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int ps_strbuf_reserve(ps_strbuf *sb, size_t extra) {
    if (extra > SIZE_MAX - 1 - sb->len)
        return -1;
    size_t need = sb->len + extra + 1;
    if (need <= sb->cap)
        return 0;
    /* Doubling keeps a long run of appends linear overall. */
    size_t cap = sb->cap ? sb->cap : 64;
    while (cap < need)
        cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    char *p = realloc(sb->data, cap);
    if (!p)
        return -1;
    sb->data = p;
    sb->cap = cap;
    return 0;
}

int ps_strbuf_append(ps_strbuf *sb, const char *s, size_t n) {
    if (ps_strbuf_reserve(sb, n) != 0)
        return -1;
    if (n)
        memcpy(sb->data + sb->len, s, n);
    sb->len += n;
    sb->data[sb->len] = '\0';
    return 0;
}

int ps_strbuf_putc(ps_strbuf *sb, char c) {
    return ps_strbuf_append(sb, &c, 1);
}

void ps_strbuf_clear(ps_strbuf *sb) {
    sb->len = 0;
    if (sb->data)
        sb->data[0] = '\0';
}

char *ps_strbuf_detach(ps_strbuf *sb, size_t *len) {
    char *s = sb->data;
    if (!s) {
        s = malloc(1);
        if (!s)
            return NULL;
        s[0] = '\0';
    }
    if (len)
        *len = sb->len;
    sb->data = NULL;
    sb->len = sb->cap = 0;
    return s;
}

void ps_strbuf_free(ps_strbuf *sb) {
    free(sb->data);
    sb->data = NULL;
    sb->len = sb->cap = 0;
}
