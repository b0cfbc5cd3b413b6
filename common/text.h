/*
 * text.h - line-level helpers for UTF-8 text written by people: trimming
 * (ASCII and the common Unicode spaces), splitting lines whatever the line
 * ending, list marks, and loose phrase comparison.
 *
 * All functions take (pointer, length) and never read outside that range,
 * so they are safe on arbitrary bytes; the Unicode cases only match valid
 * UTF-8 sequences.
 */
#ifndef PS_TEXT_H
#define PS_TEXT_H

#include <stddef.h>

/* Byte length of the whitespace character starting at s: ASCII space, tab,
 * CR, LF, VT, FF, or U+00A0, U+2000..U+200B, U+202F, U+3000, U+FEFF (a BOM
 * in the middle of text is invisible too).  0 when s does not start with
 * one. */
size_t ps_text_space_len(const char *s, size_t len);

/* Same for the whitespace character that ends at s + len. */
size_t ps_text_space_len_back(const char *s, size_t len);

/* Move *s and shrink *len past leading and trailing whitespace. */
void ps_text_trim(const char **s, size_t *len);

/* Length of the line at s, up to (not including) "\n", "\r\n" or a lone
 * "\r".  *next receives the offset just past the line break (len when the
 * line runs to the end). */
size_t ps_text_line(const char *s, size_t len, size_t *next);

/* Line number (1-based) of byte offset off, counting breaks as
 * ps_text_line does. */
size_t ps_text_line_of(const char *s, size_t len, size_t off);

/* Length of the list mark that starts s, with the spaces after it: a bullet
 * ("-", "*", "+", "–" followed by a space; "•", "·", "▪", "◦", "‣", "●",
 * "■", "○", "□", "►", "⁃" followed by anything) or a step number of one to
 * three digits ("1.", "12)", "(3)") followed by a space or the end.  0 when
 * there is none. */
size_t ps_text_list_mark_len(const char *s, size_t len);

/* Remove every leading list mark ("- 1. Foo" gives "Foo") and trim.  Doing
 * it again changes nothing. */
void ps_text_strip_list_marks(const char **s, size_t *len);

/* Whether s[0..len) reads as phrase: ASCII case ignored, any run of
 * whitespace in s matching one space in phrase.  s should be trimmed;
 * phrase is lower case with single spaces. */
int ps_text_is_phrase(const char *s, size_t len, const char *phrase);

/* Whether s starts with prefix, ASCII case ignored. */
int ps_text_starts_with_ci(const char *s, size_t len, const char *prefix);

/* Whether every byte of s[0..len) is a lower-case ASCII letter a-z (true
 * for len 0): the words an edit alphabet or a prefix table can cover. */
int ps_text_is_az(const char *s, size_t len);

#endif
