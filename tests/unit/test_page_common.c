/*
 * The shared helpers the page parsers are built on: common/utf8,
 * common/strbuf, common/text, and the page builders.
 */
#include <stdint.h>

#include "common/strbuf.h"
#include "tests/unit/test_page_helpers.h"

#define LEN(s) (sizeof(s) - 1)

Test(page_common, utf8_valid_and_invalid) {
    cr_expect(ps_utf8_valid("", 0));
    cr_expect(ps_utf8_valid("plain ascii", 11));
    cr_expect(ps_utf8_valid("\xC3\xA9\xE2\x80\xA2\xF0\x9F\x98\x80\xF4\x8F\xBF\xBF\xEF\xBF\xBF", 16));
    cr_expect(ps_utf8_valid("a\0b", 3), "NUL is valid UTF-8; callers forbid it");
    cr_expect_eq(ps_utf8_invalid_at("ab\x80", 3), 2);           /* stray continuation */
    cr_expect_eq(ps_utf8_invalid_at("\xC1\xBF", 2), 0);         /* overlong 2-byte */
    cr_expect_eq(ps_utf8_invalid_at("\xE0\x9F\xBF", 3), 0);     /* overlong 3-byte */
    cr_expect_eq(ps_utf8_invalid_at("\xF0\x8F\xBF\xBF", 4), 0); /* overlong 4-byte */
    cr_expect_eq(ps_utf8_invalid_at("x\xED\xBF\xBF", 4), 1);    /* surrogate */
    cr_expect_eq(ps_utf8_invalid_at("\xF4\x90\x80\x80", 4), 0); /* > U+10FFFF */
    cr_expect_eq(ps_utf8_invalid_at("\xF5\x80\x80\x80", 4), 0);
    cr_expect_eq(ps_utf8_invalid_at("ok\xE2\x82", 4), 2);       /* cut short */
    cr_expect_eq(ps_utf8_invalid_at("\xE2\x28\xA1", 3), 0);     /* bad continuation */
    cr_expect_eq(ps_utf8_char_len("\xE2\x80\xA2", 2), 0, "must not read past len");
    cr_expect_eq(ps_utf8_char_len("\xE2\x80\xA2", 3), 3);
    cr_expect_eq(ps_utf8_char_len("", 0), 0);
}

/* ASCII is skipped eight bytes at a time: a bad byte, or a good or cut
 * sequence, is seen wherever it sits. */
Test(page_common, utf8_checked_at_every_offset) {
    char buf[40];
    for (size_t at = 0; at + 2 <= sizeof buf; at++) {
        memset(buf, 'a', sizeof buf);
        buf[at] = (char)0x80;
        cr_expect_eq(ps_utf8_invalid_at(buf, sizeof buf), at, "stray at %zu", at);
        memcpy(buf + at, "\xC3\xA9", 2);
        cr_expect_eq(ps_utf8_invalid_at(buf, sizeof buf), sizeof buf, "good at %zu", at);
        buf[at + 1] = 'x';
        cr_expect_eq(ps_utf8_invalid_at(buf, sizeof buf), at, "cut at %zu", at);
    }
}

Test(page_common, utf8_prefix) {
    const char *s = "a\xC3\xA9\xE2\x80\xA2";
    cr_expect_eq(ps_utf8_prefix(s, 6, 10), 6);
    cr_expect_eq(ps_utf8_prefix(s, 6, 3), 3);
    cr_expect_eq(ps_utf8_prefix(s, 6, 2), 1);
    cr_expect_eq(ps_utf8_prefix(s, 6, 5), 3);
    cr_expect_eq(ps_utf8_prefix(s, 6, 0), 0);
}

Test(page_common, strbuf) {
    ps_strbuf sb = PS_STRBUF_INIT;
    size_t len = 99;
    char *s = ps_strbuf_detach(&sb, &len);
    cr_assert_not_null(s);
    cr_expect_str_eq(s, "");
    cr_expect_eq(len, 0);
    free(s);
    for (int i = 0; i < 10000; i++)
        cr_assert_eq(ps_strbuf_putc(&sb, (char)('a' + i % 26)), 0);
    cr_expect_eq(sb.len, 10000);
    cr_expect_eq(sb.data[sb.len], '\0');
    ps_strbuf_clear(&sb);
    cr_expect_eq(sb.len, 0);
    cr_expect_str_eq(sb.data, "");
    cr_assert_eq(ps_strbuf_append(&sb, "hello", 5), 0);
    cr_assert_eq(ps_strbuf_append(&sb, NULL, 0), 0);
    cr_expect_eq(ps_strbuf_reserve(&sb, SIZE_MAX), -1, "overflow must be refused");
    cr_expect_str_eq(sb.data, "hello");
    s = ps_strbuf_detach(&sb, &len);
    cr_expect_str_eq(s, "hello");
    cr_expect_eq(len, 5);
    cr_expect_null(sb.data);
    free(s);
    ps_strbuf_free(&sb);
}

Test(page_common, text_trim) {
    const char *s = " \t\xC2\xA0\xEF\xBB\xBFword  word\xE3\x80\x80\r\n";
    size_t n = strlen(s);
    ps_text_trim(&s, &n);
    cr_expect_eq(n, 10);
    cr_expect(strncmp(s, "word  word", 10) == 0);
    const char *e = "   ";
    n = 3;
    ps_text_trim(&e, &n);
    cr_expect_eq(n, 0);
    /* A lone lead byte is not mistaken for a space. */
    cr_expect_eq(ps_text_space_len("\xC2", 1), 0);
    cr_expect_eq(ps_text_space_len_back("\xA0", 1), 0);
}

Test(page_common, text_lines) {
    const char *s = "a\nbb\r\nccc\rd";
    size_t len = strlen(s), pos = 0, next, n;
    const char *want[] = {"a", "bb", "ccc", "d"};
    for (int i = 0; i < 4; i++) {
        n = ps_text_line(s + pos, len - pos, &next);
        cr_expect_eq(n, strlen(want[i]));
        cr_expect(strncmp(s + pos, want[i], n) == 0);
        pos += next;
    }
    cr_expect_eq(pos, len);
    cr_expect_eq(ps_text_line_of(s, len, 0), 1);
    cr_expect_eq(ps_text_line_of(s, len, 1), 1);
    cr_expect_eq(ps_text_line_of(s, len, 2), 2);
    cr_expect_eq(ps_text_line_of(s, len, 5), 2); /* the LF of CRLF */
    cr_expect_eq(ps_text_line_of(s, len, 6), 3);
    cr_expect_eq(ps_text_line_of(s, len, 10), 4);
    cr_expect_eq(ps_text_line_of(s, len, 99), 4);
    cr_expect_eq(ps_text_line_of("a\n", 2, 2), 2);
}

static const char *stripped(const char *in) {
    static char out[256];
    const char *s = in;
    size_t n = strlen(in);
    ps_text_strip_list_marks(&s, &n);
    snprintf(out, sizeof out, "%.*s", (int)n, s);
    return out;
}

Test(page_common, text_list_marks) {
    cr_expect_str_eq(stripped("- a"), "a");
    cr_expect_str_eq(stripped("  \xE2\x80\xA2\tb "), "b");
    cr_expect_str_eq(stripped("\xE2\x80\xA2" "c"), "c");
    cr_expect_str_eq(stripped("12. d"), "d");
    cr_expect_str_eq(stripped("3) e"), "e");
    cr_expect_str_eq(stripped("(4) f"), "f");
    cr_expect_str_eq(stripped("- 1. \xE2\x96\xAA g"), "g");
    cr_expect_str_eq(stripped("1."), "");
    cr_expect_str_eq(stripped("-"), "-");
    cr_expect_str_eq(stripped("-x"), "-x");
    cr_expect_str_eq(stripped("1.5 mg"), "1.5 mg");
    cr_expect_str_eq(stripped("1234. x"), "1234. x");
    cr_expect_str_eq(stripped("(4 f"), "(4 f");
    cr_expect_str_eq(stripped("4) "), "");
    cr_expect_eq(ps_text_list_mark_len("", 0), 0);
    cr_expect_eq(ps_text_list_mark_len("1", 1), 0);
    cr_expect_eq(ps_text_list_mark_len("(", 1), 0);
}

Test(page_common, text_phrase) {
    cr_expect(ps_text_is_phrase("Risks \t and  COMPLICATIONS", 26, "risks and complications"));
    cr_expect(!ps_text_is_phrase("Risksand Complications", 22, "risks and complications"));
    cr_expect(!ps_text_is_phrase("Risks and", 9, "risks and complications"));
    cr_expect(!ps_text_is_phrase("Summary x", 9, "summary"));
    cr_expect(ps_text_starts_with_ci("SIMILAR codes", 13, "Similar Codes"));
    cr_expect(!ps_text_starts_with_ci("Sim", 3, "Similar"));
}

Test(page_common, builders) {
    ps_page *p = ps_page_new(" id\n1 ", 6);
    cr_assert_not_null(p);
    cr_expect_str_eq(p->id, "id 1");
    cr_assert_eq(ps_page_set_field(&p->name, " a\r\nb ", 6), 0);
    cr_expect_str_eq(p->name, "a b");
    cr_assert_eq(ps_page_set_field(&p->name, "  ", 2), 0);
    cr_expect_null(p->name);
    for (int i = 0; i < 100; i++)
        cr_assert_eq(ps_page_add_common_name(p, i % 2 ? "n" : " ", 1), 0);
    cr_expect_eq(p->n_common_names, 50);
    for (int i = 0; i < 1000; i++)
        cr_assert_eq(ps_page_add_section(p, (ps_section_key)(i % (PS_SEC_COUNT + 3)), "T", 1,
                                         "\n - a \r\n\r\n 1. b\n", 16, (size_t)i), 0);
    cr_expect_eq(p->n_sections, 1000);
    cr_expect_str_eq(p->sections[999].text, "a\nb");
    cr_expect_eq(p->sections[999].line, 999);
    for (size_t i = 0; i < p->n_sections; i++)
        cr_expect((int)p->sections[i].key >= 0 && p->sections[i].key < PS_SEC_COUNT);
    /* Normalising twice changes nothing. */
    const char *t = p->sections[0].text;
    cr_assert_eq(ps_page_add_section(p, PS_SEC_SUMMARY, NULL, 0, t, strlen(t), 0), 0);
    cr_expect_str_eq(p->sections[1000].text, t);
    cr_expect_str_eq(p->sections[1000].title, "");
    ps_page_free(p);
    ps_page_free(NULL);
}
