/*
 * strbuf.h - a growable byte string.
 *
 * The buffer is always NUL-terminated once anything has been appended, so
 * data can be handed to functions that want a C string.  Every function that
 * can allocate returns 0 or -1 (out of memory, or a size that would
 * overflow); on -1 the contents are left as they were.
 */
#ifndef PS_STRBUF_H
#define PS_STRBUF_H

#include <stddef.h>

typedef struct ps_strbuf {
    char *data; /* NULL until the first append */
    size_t len;
    size_t cap; /* bytes allocated, the NUL included */
} ps_strbuf;

#define PS_STRBUF_INIT {NULL, 0, 0}

/* Make room for extra more bytes (plus the NUL) without reallocating. */
int ps_strbuf_reserve(ps_strbuf *sb, size_t extra);

int ps_strbuf_append(ps_strbuf *sb, const char *s, size_t n);
int ps_strbuf_putc(ps_strbuf *sb, char c);

/* Forget the contents but keep the memory for reuse. */
void ps_strbuf_clear(ps_strbuf *sb);

/* Hand the string over to the caller (free() it) and reset sb.  An empty
 * buffer yields a freshly allocated "".  NULL when that allocation fails,
 * in which case sb is unchanged. */
char *ps_strbuf_detach(ps_strbuf *sb, size_t *len);

void ps_strbuf_free(ps_strbuf *sb);

#endif
