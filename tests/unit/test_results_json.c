/*
 * test_results_json.c - search results written directly as JSON are byte
 * for byte what jansson writes for them (tests/support/results_ref.h):
 * escapes, nulls, numbers, highlights counted in code points.
 */
#include <criterion/criterion.h>

#include <stdlib.h>
#include <string.h>

#include "query/results_json.h"
#include "tests/support/results_ref.h"

/* Both ways, with and without escaped slashes; returns whether jansson
 * accepted the results (the writer must fail exactly when it does not). */
static int same_as_jansson(const ps_results *r, const char *what) {
    int accepted = 0;
    for (int slash = 0; slash < 2; slash++) {
        char *want = t_results_jansson(r, slash);
        ps_strbuf got = PS_STRBUF_INIT;
        int rc = ps_results_json_write(r, slash, &got);
        cr_expect_eq(rc == 0, want != NULL, "%s: writer %d, jansson %s", what, rc,
                     want ? want : "refused");
        if (want && rc == 0)
            cr_expect_str_eq(got.data, want, "%s (slash %d)", what, slash);
        accepted = want != NULL;
        free(want);
        ps_strbuf_free(&got);
    }
    return accepted;
}

static ps_highlight marks[] = {{0, 3}, {4, 9}};

Test(results_json, odd_strings_and_numbers_are_written_as_jansson_writes_them) {
    char every_control[64];
    for (int c = 1; c < 0x20; c++)
        every_control[c - 1] = (char)c;
    memcpy(every_control + 0x1f, "\x7f\"\\/</script>", 14);
    const char *texts[] = {"", "plain", every_control, "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80",
                           "a \xc2\xb7 b", "tab\there \"quoted\" back\\slash",
                           /* each alone in its eight bytes, as the writer reads them */
                           "plain words, one back\\slash alone, and more", "either/or in words",
                           "text then a \"quote\" alone", "a line\nbreak, apart"};
    const double numbers[] = {0,      1,       -2.5,    0.1,     1e-7,  123456789012345678.0,
                              3e300, 1.0 / 3, 12.5e-5, -1e-300, 42.0, 0.30000000000000004};
    size_t nt = sizeof texts / sizeof *texts, nn = sizeof numbers / sizeof *numbers;
    for (size_t i = 0; i < nt * 2; i++) {
        ps_hit hits[2] = {
            {.id = (char *)texts[i % nt], .descriptor = (char *)texts[(i + 1) % nt],
             .name = i % 2 ? NULL : (char *)texts[(i + 2) % nt], .score = numbers[i % nn],
             .snippet = {.section = (char *)texts[(i + 3) % nt],
                         .section_key = i % 3 ? (char *)"risks" : NULL,
                         .text = (char *)"\xc3\xa9t\xc3\xa9 and more",
                         .highlights = marks,
                         .n_highlights = i % 3}},
            {.id = (char *)"p-2", .descriptor = (char *)"Second", .score = numbers[(i + 5) % nn]}};
        ps_results r = {.query = (char *)texts[(i + 4) % nt],
                        .did_you_mean = i % 2 ? (char *)texts[(i + 5) % nt] : NULL,
                        .total = i * 1000003,
                        .offset = i,
                        .hits = hits,
                        .n_hits = i % 3,
                        .took_ms = numbers[(i + 7) % nn]};
        char what[32];
        snprintf(what, sizeof what, "case %zu", i);
        cr_expect(same_as_jansson(&r, what), "%s: jansson refused it", what);
    }
}

Test(results_json, strings_jansson_refuses_fail) {
    ps_hit hit = {.id = (char *)"p-1", .descriptor = (char *)"bad \xff byte", .score = 1};
    ps_results r = {.query = (char *)"q", .hits = &hit, .n_hits = 1};
    cr_expect_not(same_as_jansson(&r, "invalid UTF-8"));
    hit.descriptor = (char *)"cut \xc3";
    cr_expect_not(same_as_jansson(&r, "a cut sequence"));
    hit.descriptor = NULL;
    cr_expect_not(same_as_jansson(&r, "no descriptor"));
    r.query = (char *)"\xed\xa0\x80"; /* a surrogate */
    hit.descriptor = (char *)"fine";
    cr_expect_not(same_as_jansson(&r, "a surrogate"));
}
