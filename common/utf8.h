/*
 * utf8.h - strict UTF-8 checks (RFC 3629).
 *
 * "Valid" means what RFC 3629 allows: shortest forms only, no UTF-16
 * surrogates (U+D800..U+DFFF), nothing above U+10FFFF.  A NUL byte is valid
 * UTF-8; callers that forbid it check for it themselves.
 */
#ifndef PS_UTF8_H
#define PS_UTF8_H

#include <stddef.h>

/* Length (1-4) of the valid sequence starting at s, or 0 when the bytes
 * there are not one (bad lead byte, bad continuation, overlong form,
 * surrogate, beyond U+10FFFF, or cut short by len). */
size_t ps_utf8_char_len(const char *s, size_t len);

/* Offset of the first byte of the first invalid sequence, or len when the
 * whole of s[0..len) is valid. */
size_t ps_utf8_invalid_at(const char *s, size_t len);

static inline int ps_utf8_valid(const char *s, size_t len) {
    return ps_utf8_invalid_at(s, len) == len;
}

/* The largest n <= max (and <= len) such that s[0..n) does not end in the
 * middle of a sequence: for cutting valid text to a byte budget. */
size_t ps_utf8_prefix(const char *s, size_t len, size_t max);

#endif
