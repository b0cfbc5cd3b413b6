/*
 * test_bytes16.c - sixteen bytes classified at once (common/bytes16.h):
 * the byte loop says what the classes are, and the SSE2 version, which
 * the snippets use on this machine, must agree with it on any bytes.
 */
#include <criterion/criterion.h>

#include <string.h>

#include "common/bytes16.h"

static unsigned next(unsigned *seed) {
    *seed = *seed * 1103515245u + 12345u;
    return (*seed >> 16) & 0x7fff;
}

Test(bytes16, classes_of_known_text) {
    const unsigned char firsts[] = {'b', '9'};
    ps_firsts16 f, none;
    ps_firsts16_set(&f, firsts, 2);
    ps_firsts16_set(&none, firsts, 0);
    /* byte:            0123456789 */
    const char *text = "Ab-9 \xc3\xa9 B!";
    ps_classes16 c = ps_classify16_bytes(text, strlen(text), &f);
    cr_expect_eq(c.alnum, 0x10bu, "%#x", c.alnum); /* A b 9 B */
    cr_expect_eq(c.high, 0x60u, "%#x", c.high);
    cr_expect_eq(c.first, 0x10au, "%#x", c.first); /* b 9 B */
    /* Nothing past n, even when the bytes are there. */
    c = ps_classify16_bytes(text, 2, &f);
    cr_expect_eq(c.alnum, 0x3u);
    cr_expect_eq(c.first, 0x2u);
    c = ps_classify16_bytes(text, strlen(text), &none);
    cr_expect_eq(c.first, 0u);
}

/* Bytes drawn from where the classes' edges are. */
static char edge_byte(unsigned *seed) {
    static const unsigned char edges[] = {0,    ' ',  '/',  '0',  '9',  ':',  '@',  'A',
                                          'Z',  '[',  '`',  'a',  'z',  '{',  0x7f, 0x80,
                                          0xa9, 0xc3, 0xe2, 0xff, 0x10, 0x19, 0x41, 0x61};
    if (next(seed) % 2)
        return (char)edges[next(seed) % sizeof edges];
    return (char)(next(seed) & 0xff);
}

Test(bytes16, the_fast_classes_are_the_byte_loops) {
    unsigned seed = 11;
    const char pool[] = "abcdefghijklmnopqrstuvwxyz0123456789";
    for (int round = 0; round < 20000; round++) {
        char text[24];
        for (size_t k = 0; k < sizeof text; k++)
            text[k] = edge_byte(&seed);
        unsigned char firsts[PS_FIRSTS_MAX];
        int n_firsts = (int)(next(&seed) % (PS_FIRSTS_MAX + 1));
        for (int j = 0; j < n_firsts; j++)
            firsts[j] = (unsigned char)pool[next(&seed) % (sizeof pool - 1)];
        ps_firsts16 f;
        ps_firsts16_set(&f, firsts, n_firsts);
        size_t n = next(&seed) % 21; /* past 16 as well: only 16 count */
        ps_classes16 slow = ps_classify16_bytes(text, n, &f);
        ps_classes16 fast = ps_classify16(text, n, &f);
        cr_assert_eq(fast.alnum, slow.alnum, "round %d, n %zu", round, n);
        cr_assert_eq(fast.high, slow.high, "round %d, n %zu", round, n);
        cr_assert_eq(fast.first, slow.first, "round %d, n %zu", round, n);
    }
}
