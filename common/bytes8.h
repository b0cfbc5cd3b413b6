/*
 * bytes8.h - eight bytes of text at once, in one 64-bit word: what the
 * scans over plain text share (common/utf8.c, query/results_json.c;
 * the snippets take sixteen at once, common/bytes16.h).
 */
#ifndef PS_BYTES8_H
#define PS_BYTES8_H

#include <stdint.h>
#include <string.h>

#define PS_ONES8 0x0101010101010101ull  /* 1 in every byte */
#define PS_HIGHS8 0x8080808080808080ull /* the high bit of every byte */

/* s[0..8) as one word, in the machine's byte order. */
static inline uint64_t ps_load8(const char *s) {
    uint64_t x;
    memcpy(&x, s, 8);
    return x;
}

#endif
