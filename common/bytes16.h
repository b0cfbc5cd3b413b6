/*
 * bytes16.h - sixteen bytes of text classified at once, a bit per byte:
 * the snippets' pass over every section of every hit (query/snippet.c)
 * looks for word starts, non-ASCII bytes and the first letters of the
 * words it wants.  With SSE2 (every x86-64) that is a dozen instructions
 * for sixteen bytes; elsewhere a byte loop gives the same bits, and the
 * tests hold the two to each other.
 */
#ifndef PS_BYTES16_H
#define PS_BYTES16_H

#include <stddef.h>
#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* Bit k of each mask stands for byte k. */
typedef struct ps_classes16 {
    unsigned alnum; /* ASCII letters and digits */
    unsigned high;  /* bytes 0x80 and above */
    unsigned first; /* bytes b with (b | 0x20) one of the firsts asked for */
} ps_classes16;

#define PS_FIRSTS_MAX 8 /* firsts a classification compares at most */

/* The bytes words are wanted to start with: n <= PS_FIRSTS_MAX lowercase
 * letters and digits (so that "b | 0x20" is ASCII's lowering of a letter),
 * made ready once for many chunks. */
typedef struct ps_firsts16 {
    int n;
    unsigned char b[PS_FIRSTS_MAX];
#if defined(__SSE2__)
    __m128i v[PS_FIRSTS_MAX]; /* each byte b[j], sixteen times */
#endif
} ps_firsts16;

static inline void ps_firsts16_set(ps_firsts16 *f, const unsigned char *b, int n) {
    f->n = n < 0 ? 0 : n > PS_FIRSTS_MAX ? PS_FIRSTS_MAX : n;
    for (int j = 0; j < f->n; j++) {
        f->b[j] = b[j];
#if defined(__SSE2__)
        f->v[j] = _mm_set1_epi8((char)b[j]);
#endif
    }
}

/* The classes of s[0..n) (only the first 16 count), one byte at a time;
 * bytes past n are in none. */
static inline ps_classes16 ps_classify16_bytes(const char *s, size_t n, const ps_firsts16 *f) {
    ps_classes16 c = {0, 0, 0};
    for (size_t k = 0; k < n && k < 16; k++) {
        unsigned char b = (unsigned char)s[k], lo = b | 0x20;
        if ((lo >= 'a' && lo <= 'z') || (b >= '0' && b <= '9'))
            c.alnum |= 1u << k;
        if (b >= 0x80)
            c.high |= 1u << k;
        for (int j = 0; j < f->n; j++)
            if (lo == f->b[j])
                c.first |= 1u << k;
    }
    return c;
}

#if defined(__SSE2__)
/* The same with SSE2.  Bytes compare as signed, so those of 0x80 and up
 * are below every ASCII bound and fall out of the ranges by themselves. */
static inline ps_classes16 ps_classify16(const char *s, size_t n, const ps_firsts16 *f) {
    __m128i x;
    if (n >= 16) {
        x = _mm_loadu_si128((const __m128i *)(const void *)s);
    } else {
        char buf[16] = {0};
        memcpy(buf, s, n);
        x = _mm_loadu_si128((const __m128i *)(const void *)buf);
    }
    __m128i lo = _mm_or_si128(x, _mm_set1_epi8(0x20));
    __m128i letter = _mm_and_si128(_mm_cmpgt_epi8(lo, _mm_set1_epi8('a' - 1)),
                                   _mm_cmplt_epi8(lo, _mm_set1_epi8('z' + 1)));
    __m128i digit = _mm_and_si128(_mm_cmpgt_epi8(x, _mm_set1_epi8('0' - 1)),
                                  _mm_cmplt_epi8(x, _mm_set1_epi8('9' + 1)));
    __m128i first = _mm_setzero_si128();
    for (int j = 0; j < f->n; j++)
        first = _mm_or_si128(first, _mm_cmpeq_epi8(lo, f->v[j]));
    ps_classes16 c;
    c.alnum = (unsigned)_mm_movemask_epi8(_mm_or_si128(letter, digit));
    c.high = (unsigned)_mm_movemask_epi8(x);
    c.first = (unsigned)_mm_movemask_epi8(first); /* zeros past n: in none */
    return c;
}
#else
static inline ps_classes16 ps_classify16(const char *s, size_t n, const ps_firsts16 *f) {
    return ps_classify16_bytes(s, n, f);
}
#endif

#endif
