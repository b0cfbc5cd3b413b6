#include "common/text.h"

#include <string.h>

/* UTF-8 encodings of the non-ASCII characters treated as whitespace. */
static const char *const unicode_spaces[] = {
    "\xC2\xA0",                                     /* no-break space */
    "\xE2\x80\x80", "\xE2\x80\x81", "\xE2\x80\x82", /* en quad .. */
    "\xE2\x80\x83", "\xE2\x80\x84", "\xE2\x80\x85",
    "\xE2\x80\x86", "\xE2\x80\x87", "\xE2\x80\x88",
    "\xE2\x80\x89", "\xE2\x80\x8A", "\xE2\x80\x8B", /* .. zero width space */
    "\xE2\x80\xAF",                                 /* narrow no-break space */
    "\xE3\x80\x80",                                 /* ideographic space */
    "\xEF\xBB\xBF",                                 /* BOM / ZWNBSP */
};

#define N_UNICODE_SPACES (sizeof unicode_spaces / sizeof unicode_spaces[0])

static int is_ascii_space(unsigned char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

size_t ps_text_space_len(const char *s, size_t len) {
    if (len == 0)
        return 0;
    if (is_ascii_space((unsigned char)s[0]))
        return 1;
    if ((unsigned char)s[0] < 0xC2)
        return 0;
    for (size_t i = 0; i < N_UNICODE_SPACES; i++) {
        size_t n = strlen(unicode_spaces[i]);
        if (n <= len && memcmp(s, unicode_spaces[i], n) == 0)
            return n;
    }
    return 0;
}

size_t ps_text_space_len_back(const char *s, size_t len) {
    if (len == 0)
        return 0;
    if (is_ascii_space((unsigned char)s[len - 1]))
        return 1;
    if ((unsigned char)s[len - 1] < 0x80)
        return 0;
    for (size_t i = 0; i < N_UNICODE_SPACES; i++) {
        size_t n = strlen(unicode_spaces[i]);
        if (n <= len && memcmp(s + len - n, unicode_spaces[i], n) == 0)
            return n;
    }
    return 0;
}

void ps_text_trim(const char **s, size_t *len) {
    size_t n;
    while ((n = ps_text_space_len(*s, *len)) > 0) {
        *s += n;
        *len -= n;
    }
    while ((n = ps_text_space_len_back(*s, *len)) > 0)
        *len -= n;
}

size_t ps_text_line(const char *s, size_t len, size_t *next) {
    size_t i = 0;
    while (i < len && s[i] != '\n' && s[i] != '\r')
        i++;
    size_t after = i;
    if (i < len)
        after = (s[i] == '\r' && i + 1 < len && s[i + 1] == '\n') ? i + 2 : i + 1;
    *next = after;
    return i;
}

size_t ps_text_line_of(const char *s, size_t len, size_t off) {
    size_t line = 1, pos = 0;
    for (;;) {
        size_t next;
        size_t n = ps_text_line(s + pos, len - pos, &next);
        /* The last line (no break after it) holds everything to the end;
         * otherwise a line holds its own break. */
        if (n == next || pos + next > off)
            return line;
        pos += next;
        line++;
    }
}

/* Bullets that only count as marks when a space follows, because a bare
 * "-5" or "*" can be content. */
static const char *const spaced_bullets[] = {"-", "*", "+", "\xE2\x80\x93" /* – */};

/* Characters that are never anything but a list mark at the start of a
 * line. */
static const char *const bare_bullets[] = {
    "\xE2\x80\xA2", /* • */ "\xC2\xB7", /* · */ "\xE2\x96\xAA", /* ▪ */
    "\xE2\x97\xA6", /* ◦ */ "\xE2\x80\xA3", /* ‣ */ "\xE2\x97\x8F", /* ● */
    "\xE2\x96\xA0", /* ■ */ "\xE2\x97\x8B", /* ○ */ "\xE2\x96\xA1", /* □ */
    "\xE2\x96\xBA", /* ► */ "\xE2\x81\x83", /* ⁃ */
};

static size_t spaces_at(const char *s, size_t len) {
    size_t i = 0, n;
    while ((n = ps_text_space_len(s + i, len - i)) > 0)
        i += n;
    return i;
}

static size_t match_any(const char *s, size_t len, const char *const *set, size_t n_set) {
    for (size_t i = 0; i < n_set; i++) {
        size_t n = strlen(set[i]);
        if (n <= len && memcmp(s, set[i], n) == 0)
            return n;
    }
    return 0;
}

static size_t bullet_len(const char *s, size_t len) {
    size_t n = match_any(s, len, bare_bullets, sizeof bare_bullets / sizeof bare_bullets[0]);
    if (n)
        return n;
    n = match_any(s, len, spaced_bullets, sizeof spaced_bullets / sizeof spaced_bullets[0]);
    if (n && n < len && ps_text_space_len(s + n, len - n) > 0)
        return n;
    return 0;
}

static int is_digit(char c) {
    return c >= '0' && c <= '9';
}

/* "1.", "12)" or "(3)" followed by a space or the end of the text; "1.5 mg"
 * and "2024." are not step numbers. */
static size_t number_len(const char *s, size_t len) {
    size_t i = (len > 0 && s[0] == '(') ? 1 : 0;
    size_t first = i;
    while (i < len && i - first < 4 && is_digit(s[i]))
        i++;
    size_t digits = i - first;
    if (digits == 0 || digits > 3 || i >= len)
        return 0;
    if (first == 1 ? s[i] != ')' : (s[i] != '.' && s[i] != ')'))
        return 0;
    i++;
    if (i < len && ps_text_space_len(s + i, len - i) == 0)
        return 0;
    return i;
}

size_t ps_text_list_mark_len(const char *s, size_t len) {
    size_t n = bullet_len(s, len);
    if (n == 0)
        n = number_len(s, len);
    if (n == 0)
        return 0;
    return n + spaces_at(s + n, len - n);
}

void ps_text_strip_list_marks(const char **s, size_t *len) {
    ps_text_trim(s, len);
    size_t n;
    while ((n = ps_text_list_mark_len(*s, *len)) > 0) {
        *s += n;
        *len -= n;
    }
    ps_text_trim(s, len);
}

static char lower(char c) {
    return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

int ps_text_is_phrase(const char *s, size_t len, const char *phrase) {
    size_t i = 0;
    for (const char *p = phrase; *p; p++) {
        if (*p == ' ') {
            size_t sp = spaces_at(s + i, len - i);
            if (sp == 0)
                return 0;
            i += sp;
            continue;
        }
        if (i >= len || lower(s[i]) != *p)
            return 0;
        i++;
    }
    return i == len;
}

int ps_text_starts_with_ci(const char *s, size_t len, const char *prefix) {
    size_t n = strlen(prefix);
    if (n > len)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (lower(s[i]) != lower(prefix[i]))
            return 0;
    return 1;
}

int ps_text_is_az(const char *s, size_t len) {
    for (size_t i = 0; i < len; i++)
        if (s[i] < 'a' || s[i] > 'z')
            return 0;
    return 1;
}
