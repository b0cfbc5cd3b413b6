#include "common/utf8.h"

#include "common/bytes8.h"

/* The second byte is where overlong forms, surrogates and code points above
 * U+10FFFF show, so its allowed range depends on the lead byte. */
static size_t lead_info(unsigned char c, unsigned char *lo, unsigned char *hi) {
    *lo = 0x80;
    *hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF)
        return 2;
    if (c == 0xE0) {
        *lo = 0xA0;
        return 3;
    }
    if (c == 0xED) {
        *hi = 0x9F;
        return 3;
    }
    if (c >= 0xE1 && c <= 0xEF)
        return 3;
    if (c == 0xF0) {
        *lo = 0x90;
        return 4;
    }
    if (c == 0xF4) {
        *hi = 0x8F;
        return 4;
    }
    if (c >= 0xF1 && c <= 0xF3)
        return 4;
    return 0;
}

size_t ps_utf8_char_len(const char *s, size_t len) {
    const unsigned char *u = (const unsigned char *)s;
    if (len == 0)
        return 0;
    if (u[0] < 0x80)
        return 1;
    unsigned char lo, hi;
    size_t n = lead_info(u[0], &lo, &hi);
    if (n == 0 || len < n || u[1] < lo || u[1] > hi)
        return 0;
    for (size_t i = 2; i < n; i++)
        if ((u[i] & 0xC0) != 0x80)
            return 0;
    return n;
}

size_t ps_utf8_invalid_at(const char *s, size_t len) {
    size_t i = 0;
    while (i < len) {
        /* Text is mostly ASCII: eight bytes at a time while it is. */
        if (i + 8 <= len && !(ps_load8(s + i) & PS_HIGHS8)) {
            i += 8;
            continue;
        }
        if ((unsigned char)s[i] < 0x80) {
            i++;
            continue;
        }
        size_t n = ps_utf8_char_len(s + i, len - i);
        if (n == 0)
            return i;
        i += n;
    }
    return len;
}

size_t ps_utf8_prefix(const char *s, size_t len, size_t max) {
    if (max >= len)
        return len;
    size_t n = max;
    /* Back off over continuation bytes to the start of the cut sequence. */
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--;
    return n;
}
