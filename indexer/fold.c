/*
 * fold.c - NFKC case folding and accent folding of one word.
 *
 * Nearly every word of an English page is ASCII, so the ICU normalizers are
 * only reached for words with other characters; the two paths must agree on
 * ASCII (NFKC_Casefold of ASCII is plain lower-casing, so they do).
 */
#include "indexer/fold.h"

#include <string.h>

#include <unicode/uchar.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>

/* Not a result callers see: the word needs the ICU path. */
#define FOLD_NOT_ASCII (-3)

int ps_folder_init(ps_folder *f, ps_err *err) {
    UErrorCode st = U_ZERO_ERROR;
    f->nfkc_cf = unorm2_getNFKCCasefoldInstance(&st);
    if (U_SUCCESS(st))
        f->nfd = unorm2_getNFDInstance(&st);
    if (U_SUCCESS(st))
        f->nfc = unorm2_getNFCInstance(&st);
    if (U_FAILURE(st))
        return ps_err_set(err, "analyzer: cannot load ICU normalization data: %s",
                          u_errorName(st));
    return 0;
}

size_t ps_utf8_seq_len(const unsigned char *s, size_t n) {
    unsigned char c = s[0];
    unsigned char lo = 0x80, hi = 0xBF; /* range of the second byte */
    size_t k;
    if (c >= 0xC2 && c <= 0xDF)
        k = 2;
    else if (c >= 0xE0 && c <= 0xEF) {
        k = 3;
        if (c == 0xE0)
            lo = 0xA0; /* overlong */
        else if (c == 0xED)
            hi = 0x9F; /* UTF-16 surrogates */
    } else if (c >= 0xF0 && c <= 0xF4) {
        k = 4;
        if (c == 0xF0)
            lo = 0x90; /* overlong */
        else if (c == 0xF4)
            hi = 0x8F; /* past U+10FFFF */
    } else
        return 0; /* continuation byte, C0/C1 overlong lead, F5..FF */
    if (n < k || s[1] < lo || s[1] > hi)
        return 0;
    for (size_t i = 2; i < k; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    return k;
}

/* Bits for scanning a folded ASCII term. */
#define AF_DIGIT 1u
#define AF_ALNUM 2u

static unsigned ascii_bits(unsigned char c) {
    if (c >= '0' && c <= '9')
        return AF_DIGIT | AF_ALNUM;
    if (c >= 'a' && c <= 'z')
        return AF_ALNUM;
    return 0;
}

/* Trim apostrophes at both ends of out[0..len), NUL-terminate, and turn the
 * AF_* bits of what is left into flags or a skip. */
static int finish(char *out, size_t len, unsigned bits, unsigned *flags) {
    if (len > 0 && (out[0] == '\'' || out[len - 1] == '\'')) {
        size_t b = 0;
        while (b < len && out[b] == '\'')
            b++;
        while (len > b && out[len - 1] == '\'')
            len--;
        memmove(out, out + b, len - b);
        len -= b;
    }
    out[len] = '\0';
    if (!(bits & AF_ALNUM))
        return PS_FOLD_SKIP; /* "@", "__", "'" */
    *flags = bits & AF_DIGIT ? PS_TOK_DIGIT : 0;
    return (int)len;
}

/* ASCII words, plus the curly apostrophes U+2018/U+2019, which UAX #29 keeps
 * inside words ("patient’s") and which would otherwise send most possessives
 * down the slow path. */
static int fold_ascii(const unsigned char *w, size_t len, char *out, unsigned *flags) {
    size_t o = 0;
    unsigned bits = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = w[i];
        if (c >= 0x80) {
            if (c == 0xE2 && len - i >= 3 && w[i + 1] == 0x80 &&
                (w[i + 2] == 0x98 || w[i + 2] == 0x99)) {
                c = '\'';
                i += 2;
            } else
                return FOLD_NOT_ASCII;
        }
        if (o == PS_TERM_MAX)
            return PS_FOLD_TOO_LONG;
        c = (unsigned char)(c >= 'A' && c <= 'Z' ? c | 0x20 : c);
        bits |= ascii_bits(c);
        out[o++] = (char)c;
    }
    /* Apostrophes carry no bits, so trimming them cannot change these. */
    return finish(out, o, bits, flags);
}

/* Whether c is an accent to drop: a non-spacing mark that combines with its
 * base.  Marks of combining class 0 (Indic and Thai vowel signs), 7 (nukta),
 * 8 (kana voicing) and 9 (virama) are kept because they make different
 * letters rather than decorate one; dropping them would merge unrelated
 * words in those scripts. */
static int is_accent(UChar32 c) {
    if (u_charType(c) != U_NON_SPACING_MARK)
        return 0;
    uint8_t ccc = u_getCombiningClass(c);
    return ccc != 0 && ccc != 7 && ccc != 8 && ccc != 9;
}

/* Any size trouble means the word is far past PS_TERM_MAX. */
static int icu_result(UErrorCode st, const char *step, ps_err *err) {
    if (st == U_BUFFER_OVERFLOW_ERROR || st == U_STRING_NOT_TERMINATED_WARNING)
        return PS_FOLD_TOO_LONG;
    if (U_FAILURE(st)) {
        ps_err_set(err, "analyzer: %s of a word failed: %s", step, u_errorName(st));
        return PS_FOLD_ERROR;
    }
    return 0;
}

static int fold_icu(ps_folder *f, const char *w, size_t len, char *out, unsigned *flags,
                    ps_err *err) {
    UErrorCode st = U_ZERO_ERROR;
    int32_t n = 0;
    int r;
    /* UTF-16 never has fewer code units than a third of the UTF-8 bytes. */
    if (len > (size_t)PS_FOLD_U16_MAX * 3)
        return PS_FOLD_TOO_LONG;
    u_strFromUTF8(f->u1, PS_FOLD_U16_MAX, &n, w, (int32_t)len, &st);
    if ((r = icu_result(st, "UTF-8 to UTF-16", err)) != 0)
        return r;
    /* NFKC_Casefold leaves typographic apostrophes alone; UAX #29 keeps them
     * inside words, so make them the ASCII one every query types. */
    for (int32_t i = 0; i < n; i++)
        if (f->u1[i] == 0x2018 || f->u1[i] == 0x2019 || f->u1[i] == 0x02BC)
            f->u1[i] = 0x27;

    int32_t m = unorm2_normalize(f->nfkc_cf, f->u1, n, f->u2, PS_FOLD_U16_MAX, &st);
    if ((r = icu_result(st, "NFKC_Casefold", err)) != 0)
        return r;
    const UChar *u = f->u2;

    /* Below U+00C0 nothing decomposes and nothing is a mark, so the
     * decompose-filter-recompose round trip is only for words that can
     * change.  NFKC can turn a few symbols into spaces; drop those too. */
    int need = 0;
    for (int32_t i = 0; i < m && !need; i++)
        need = f->u2[i] >= 0xC0 || f->u2[i] == 0x20;
    if (need) {
        int32_t d = unorm2_normalize(f->nfd, f->u2, m, f->u1, PS_FOLD_U16_MAX, &st);
        if ((r = icu_result(st, "NFD", err)) != 0)
            return r;
        int32_t o = 0;
        for (int32_t i = 0; i < d;) {
            int32_t at = i;
            UChar32 c;
            U16_NEXT(f->u1, i, d, c);
            if (c == 0x20 || is_accent(c))
                continue;
            while (at < i)
                f->u1[o++] = f->u1[at++];
        }
        if (o != d) {
            m = unorm2_normalize(f->nfc, f->u1, o, f->u2, PS_FOLD_U16_MAX, &st);
            if ((r = icu_result(st, "NFC", err)) != 0)
                return r;
        }
    }

    int32_t b = 0;
    while (b < m && u[b] == 0x27)
        b++;
    while (m > b && u[m - 1] == 0x27)
        m--;
    int32_t olen = 0;
    u_strToUTF8(out, PS_TERM_MAX + 1, &olen, u + b, m - b, &st);
    if ((r = icu_result(st, "UTF-16 to UTF-8", err)) != 0)
        return r;
    if (olen > PS_TERM_MAX)
        return PS_FOLD_TOO_LONG;
    unsigned bits = 0;
    for (int32_t i = 0; i < olen; i++) {
        unsigned char c = (unsigned char)out[i];
        /* A non-ASCII character in a UAX #29 word is a letter, number or
         * ideograph (or a mark on one), so it counts as indexable. */
        bits |= c >= 0x80 ? AF_ALNUM : ascii_bits(c);
    }
    return finish(out, (size_t)olen, bits, flags);
}

int ps_fold_word(ps_folder *f, const char *w, size_t len, char *out, unsigned *flags,
                 ps_err *err) {
    int r = fold_ascii((const unsigned char *)w, len, out, flags);
    if (r != FOLD_NOT_ASCII)
        return r;
    return fold_icu(f, w, len, out, flags, err);
}
