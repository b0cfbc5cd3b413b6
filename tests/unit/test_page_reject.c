/*
 * Every reason the text parser refuses a page, with the message it gives:
 * origin first, then the byte offset (0-based) or line (1-based).
 */
#include "tests/unit/test_page_helpers.h"

#define FAIL_STR(s) tp_parse_fail((s), sizeof(s) - 1)

Test(page_reject, empty_page) {
    cr_expect_str_eq(tp_parse_fail("", 0), "bad.txt: empty page");
    cr_expect_str_eq(tp_parse_fail(NULL, 0), "bad.txt: empty page");
    cr_expect_str_eq(FAIL_STR(" \n\t\r\n  \r"), "bad.txt: empty page");
    cr_expect_str_eq(FAIL_STR("\xEF\xBB\xBF"), "bad.txt: empty page");
    cr_expect_str_eq(FAIL_STR("\xEF\xBB\xBF\n\xC2\xA0\n\xE2\x80\x83\n"), "bad.txt: empty page");
}

Test(page_reject, nul_byte) {
    cr_expect_str_eq(FAIL_STR("Desc\0more"), "bad.txt: binary data (NUL byte at byte 4)");
    cr_expect_str_eq(FAIL_STR("\0"), "bad.txt: binary data (NUL byte at byte 0)");
    /* The NUL is reported even with bad UTF-8 before it: it says "binary". */
    cr_expect_str_eq(FAIL_STR("\xFF\xFE" "D\0e\0"), "bad.txt: binary data (NUL byte at byte 3)");
}

Test(page_reject, invalid_utf8) {
    cr_expect_str_eq(FAIL_STR("Desc\nCPT4 code\nab\xC3\x28"), "bad.txt: invalid UTF-8 at byte 17 (line 3)");
    cr_expect_str_eq(FAIL_STR("\xFF"), "bad.txt: invalid UTF-8 at byte 0 (line 1)");
    /* Overlong "/", a UTF-16 surrogate, past U+10FFFF, cut short at the end. */
    cr_expect_str_eq(FAIL_STR("D\n\xC0\xAF"), "bad.txt: invalid UTF-8 at byte 2 (line 2)");
    cr_expect_str_eq(FAIL_STR("D\r\n\r\n\xED\xA0\x80"), "bad.txt: invalid UTF-8 at byte 5 (line 3)");
    cr_expect_str_eq(FAIL_STR("D\rx\r\xF4\x90\x80\x80"), "bad.txt: invalid UTF-8 at byte 4 (line 3)");
    cr_expect_str_eq(FAIL_STR("Desc \xE2\x80"), "bad.txt: invalid UTF-8 at byte 5 (line 1)");
    /* Latin-1 text, the usual culprit. */
    cr_expect_str_eq(FAIL_STR("Caf\xE9 au lait\n"), "bad.txt: invalid UTF-8 at byte 3 (line 1)");
}

Test(page_reject, too_large) {
    size_t n = PS_PAGE_MAX_BYTES + 1;
    char *buf = malloc(n);
    cr_assert_not_null(buf);
    memset(buf, 'a', n);
    cr_expect_str_eq(tp_parse_fail(buf, n), "bad.txt: 1048577 bytes, larger than the 1048576-byte limit");
    /* Exactly the limit is fine. */
    static const char head[] = "Desc\nSummary\n";
    memcpy(buf, head, sizeof head - 1);
    ps_page *p = NULL;
    ps_err err;
    cr_expect_eq(ps_page_parse("x", "big", buf, PS_PAGE_MAX_BYTES, &p, &err), 0, "%s", err.msg);
    ps_page_free(p);
    free(buf);
}

Test(page_reject, no_descriptor) {
    cr_expect_str_eq(FAIL_STR("Summary\nText.\n"),
                     "bad.txt: no descriptor line (line 1 starts with \"Summary\")");
    cr_expect_str_eq(FAIL_STR("Search all medical codes\n\nCPT4 code\nName of the Procedure: N\nSummary\nS.\n"),
                     "bad.txt: no descriptor line (line 3 starts with \"CPT4 code\")");
    cr_expect_str_eq(FAIL_STR("\n\nName of the Procedure: Lumbar Discography\nSummary\nS.\n"),
                     "bad.txt: no descriptor line (line 3 starts with \"Name of the Procedure: Lumbar Discograph\")");
    cr_expect_str_eq(FAIL_STR("Common Name(s): A, B\nSummary\nS.\n"),
                     "bad.txt: no descriptor line (line 1 starts with \"Common Name(s): A, B\")");
    cr_expect_str_eq(FAIL_STR("duration: about an hour\n"),
                     "bad.txt: no descriptor line (line 1 starts with \"duration: about an hour\")");
    cr_expect_str_eq(FAIL_STR("Search all medical codes\nSimilar Codes\r\nRelated policies from health plans\n"),
                     "bad.txt: no descriptor line (nothing but page chrome)");
}

/* The preview in the message never cuts a UTF-8 sequence in half. */
Test(page_reject, no_descriptor_preview_is_utf8) {
    const char *msg = FAIL_STR("Summary: \xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9"
                               "\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\n");
    cr_expect(ps_utf8_valid(msg, strlen(msg)), "%s", msg);
}

Test(page_reject, not_a_procedure_page) {
    cr_expect_str_eq(FAIL_STR("Just a line of prose\nand another one\n"),
                     "bad.txt: not a procedure page: no name and no sections");
    cr_expect_str_eq(FAIL_STR("Search all medical codes\nDescriptor\nCPT4 code\nSimilar Codes\n"),
                     "bad.txt: not a procedure page: no name and no sections");
    /* A name label with no value does not count as a name. */
    cr_expect_str_eq(FAIL_STR("Descriptor\nCPT4 code\nName of the Procedure:\n"),
                     "bad.txt: not a procedure page: no name and no sections");
}

Test(page_reject, no_out_pointer) {
    ps_err err;
    cr_expect_eq(ps_page_parse("x", "o", "D\nSummary\n", 10, NULL, &err), -1);
    cr_expect(strncmp(err.msg, "o: ", 3) == 0, "%s", err.msg);
}
