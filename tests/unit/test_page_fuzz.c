/*
 * Robustness: the parsers on garbage, truncated and mutated pages must never
 * crash, over-read or leak (run these under ASan), and must either refuse
 * with a message naming the origin or return a page that keeps every
 * promise of page.h.  Inputs are deterministic (fixed seeds) so that a
 * failure reproduces.
 */
#include <stdint.h>
#include <time.h>

#include "tests/unit/test_page_helpers.h"

static uint64_t rng = 0x9E3779B97F4A7C15u;

static uint64_t rnd(void) {
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static size_t rnd_below(size_t n) {
    return n ? (size_t)(rnd() % n) : 0;
}

/* Exactly len bytes on the heap, so that ASan sees any read past the end.
 * Returns whether the page was accepted. */
static int parse_any(const char *bytes, size_t len) {
    char *buf = malloc(len ? len : 1);
    cr_assert_not_null(buf);
    if (len)
        memcpy(buf, bytes, len);
    ps_page *p = NULL;
    ps_err err;
    memset(&err, 0, sizeof err);
    int rc = ps_page_parse("f", "fuzz", buf, len, &p, &err);
    free(buf);
    if (rc == 0) {
        tp_check_page(p);
        ps_page_free(p);
        return 1;
    }
    cr_assert_eq(rc, -1);
    cr_assert_null(p);
    cr_assert(strncmp(err.msg, "fuzz: ", 6) == 0, "bad message: %s", err.msg);
    return 0;
}

static int parse_jsonl_any(const char *bytes, size_t len) {
    char *buf = malloc(len ? len : 1);
    cr_assert_not_null(buf);
    if (len)
        memcpy(buf, bytes, len);
    ps_page *p = NULL;
    ps_err err;
    memset(&err, 0, sizeof err);
    int rc = ps_page_parse_jsonl("fz", 1, buf, len, &p, &err);
    free(buf);
    if (rc == 0) {
        tp_check_page(p);
        ps_page_free(p);
        return 1;
    }
    cr_assert_eq(rc, -1);
    cr_assert_null(p);
    cr_assert(strncmp(err.msg, "fz:1: ", 6) == 0, "bad message: %s", err.msg);
    return 0;
}

Test(page_fuzz, random_bytes) {
    char buf[1024];
    for (int i = 0; i < 3000; i++) {
        size_t len = rnd_below(sizeof buf);
        /* Half from all 256 values, half from the bytes that make structure. */
        static const char some[] = "\n\r \t-*:.,;()Sa1\xE2\x80\xA2\xC2\xA0\xEF\xBB\xBF";
        for (size_t j = 0; j < len; j++)
            buf[j] = (i & 1) ? (char)rnd() : some[rnd_below(sizeof some - 1)];
        parse_any(buf, len);
    }
}

static const char *const vocab[] = {
    "Search all medical codes", "Similar Codes", "Similar CodesSearch all medical codes",
    "Medical Policies and Guidelines for ", "Related policies from health plans", "CPT4 code",
    "HCPCS code", "Name of the Procedure:", "Name of the Procedure: ", "Common Name(s): ",
    "Summary", "summary:", "Risks and Complications", "Duration: ", "Procedure Description",
    "Patient Experience", "Coding Notes", "Anesthesia", "Follow-Up Care:", "- ", "* ", "\xE2\x80\xA2 ",
    "\xE2\x80\xA2", "\xC2\xB7", "1. ", "2) ", "(3) ", "10.", "\n", "\n", "\n", "\r\n",
    "\r", "\t", " ", "  ", "\xEF\xBB\xBF", "\xC2\xA0", "word", "Title Case", "Lumbar", ".", ",",
    ";", ":", "(", ")", "[", "]", "\xC3\xA9", "x", "The procedure is done.",
};
#define N_VOCAB (sizeof vocab / sizeof vocab[0])

Test(page_fuzz, token_soup) {
    static char buf[8192];
    int accepted = 0, tries = 4000;
    for (int i = 0; i < tries; i++) {
        size_t len = 0, tokens = 1 + rnd_below(200);
        for (size_t t = 0; t < tokens; t++) {
            const char *tok = vocab[rnd_below(N_VOCAB)];
            /* Rarely a NUL or invalid UTF-8; mostly valid text, so that the
             * structure is what gets exercised. */
            static const char *const bad[] = {"\0", "\xC0", "\xE2\x80", "\xFF"};
            if (rnd_below(1000) == 0)
                tok = bad[rnd_below(4)];
            size_t n = *tok ? strlen(tok) : 1;
            if (len + n > sizeof buf)
                break;
            memcpy(buf + len, tok, n);
            len += n;
        }
        accepted += parse_any(buf, len);
    }
    /* Both paths must be exercised for the test to mean anything. */
    cr_expect(accepted > tries / 20 && accepted < tries - tries / 20, "%d of %d accepted", accepted, tries);
}

static void truncations(const char *rel, size_t stride) {
    size_t len;
    char *page = tp_read(tp_path(rel), &len);
    for (size_t n = 0; n <= len; n += stride)
        parse_any(page, n);
    /* And the tails: the page with its beginning cut off. */
    for (size_t n = 0; n <= len; n += stride * 3)
        parse_any(page + n, len - n);
    free(page);
}

Test(page_fuzz, truncated_samples) {
    truncations("corpus/samples/001_acb1197ff8353c6c.txt", 1);
    truncations("corpus/samples/000_b14b9e5059026b7a.txt", 3);
    truncations("corpus/samples/002_4347b46140aa9454.txt", 5);
    truncations("corpus/samples/003_72c7eeed76642e82.txt", 7);
    truncations("corpus/samples/004_31cf683fb6795644.txt", 2);
    truncations("corpus/dev/docs/cardiology-03.txt", 5);
}

static size_t mutate(char *buf, size_t len, size_t cap) {
    size_t at = rnd_below(len + 1);
    switch (rnd_below(5)) {
    case 0: /* overwrite one byte */
        if (len)
            buf[rnd_below(len)] = (char)rnd();
        break;
    case 1: /* insert a vocabulary token */ {
        const char *tok = vocab[rnd_below(N_VOCAB)];
        size_t n = strlen(tok);
        if (len + n <= cap) {
            memmove(buf + at + n, buf + at, len - at);
            memcpy(buf + at, tok, n);
            len += n;
        }
        break;
    }
    case 2: /* delete a run */ {
        size_t n = rnd_below(len - at + 1);
        memmove(buf + at, buf + at + n, len - at - n);
        len -= n;
        break;
    }
    case 3: /* duplicate a run */ {
        size_t n = rnd_below(len - at + 1);
        if (n > 200)
            n = 200;
        if (len + n <= cap) {
            memmove(buf + at + n, buf + at, len - at);
            len += n;
        }
        break;
    }
    default: /* swap CR/LF style at a newline */
        for (size_t i = at; i < len; i++)
            if (buf[i] == '\n') {
                buf[i] = '\r';
                break;
            }
        break;
    }
    return len;
}

Test(page_fuzz, mutated_dev_pages) {
    int accepted = 0, tries = 0;
    size_t n;
    char **names = tp_list_txt("corpus/dev/docs", &n);
    for (size_t i = 0; i < n; i++) {
        char rel[512];
        snprintf(rel, sizeof rel, "corpus/dev/docs/%s", names[i]);
        size_t len;
        char *page = tp_read(tp_path(rel), &len);
        size_t cap = len + 4096;
        char *buf = malloc(cap);
        cr_assert_not_null(buf);
        for (int round = 0; round < 12; round++) {
            memcpy(buf, page, len);
            size_t m = len;
            for (int k = 0, edits = 1 + (int)rnd_below(6); k < edits; k++)
                m = mutate(buf, m, cap);
            accepted += parse_any(buf, m);
            tries++;
        }
        free(buf);
        free(page);
    }
    tp_free_list(names, n);
    cr_expect(accepted > tries / 2 && accepted < tries, "%d of %d accepted", accepted, tries);
}

Test(page_fuzz, jsonl_garbage) {
    static const char good[] =
        "{\"id\":\"a\",\"descriptor\":\"D\",\"name\":\"N\",\"common_names\":[\"A\",\"B\"],"
        "\"sections\":[{\"title\":\"Summary\",\"text\":\"- S\\u2022\"},{\"key\":\"other\",\"title\":\"X\"}]}";
    static const char text[] =
        "{\"id\":\"b\",\"text\":\"Search all medical codes\\nD\\nCPT4 code\\nName of the Procedure: N\\n"
        "Summary\\n1. S\\nCoding Notes\\n- c\\n\"}";
    char buf[512];
    cr_expect(parse_jsonl_any(good, sizeof good - 1));
    cr_expect(parse_jsonl_any(text, sizeof text - 1));
    for (size_t n = 0; n < sizeof good - 1; n++)
        cr_expect(!parse_jsonl_any(good, n), "a cut record was accepted");
    for (size_t n = 0; n < sizeof text - 1; n++)
        cr_expect(!parse_jsonl_any(text, n), "a cut record was accepted");
    int accepted = 0, tries = 4000;
    for (int i = 0; i < tries; i++) {
        const char *src = (i & 1) ? good : text;
        size_t len = (i & 1) ? sizeof good - 1 : sizeof text - 1;
        memcpy(buf, src, len);
        for (int k = 0, edits = 1 + (int)rnd_below(4); k < edits; k++)
            buf[rnd_below(len)] = (i & 2) ? (char)rnd() : "{}[]\",:\\0u "[rnd_below(12)];
        accepted += parse_jsonl_any(buf, len);
    }
    cr_expect(accepted > 0 && accepted < tries, "%d of %d accepted", accepted, tries);
}

/* ---- Linear time -------------------------------------------------------- */

/* A page of PS_PAGE_MAX_BYTES made by repeating unit after head. */
static char *repeat(const char *head, const char *unit, size_t *len) {
    size_t cap = PS_PAGE_MAX_BYTES;
    char *buf = malloc(cap);
    cr_assert_not_null(buf);
    size_t h = strlen(head), u = strlen(unit), n = 0;
    memcpy(buf, head, h);
    n = h;
    while (n + u <= cap) {
        memcpy(buf + n, unit, u);
        n += u;
    }
    *len = n;
    return buf;
}

/* Inputs that would take minutes with any per-line rescan of the page or
 * per-section array copy; each must parse in well under the timeout even
 * under sanitizers.  (The only test here with a timeout: Criterion 2.4's
 * runner leaks a block when timed tests overlap, which LSan reports.) */
Test(page_fuzz, worst_cases_are_linear, .timeout = 60) {
    static const char *const units[] = {
        "a\n",              /* many lines */
        "Summary\n",        /* many empty sections */
        "Summary\nx\n",     /* many sections */
        "x\nCoding Notes\n", /* many unknown-header candidates */
        "Aa Bb\n",          /* title-like lines in one section */
        "- 1. ",            /* one line of endless list marks */
        "Similar Codes",    /* one line of glued chrome */
        "x.Similar Codes",
        "MMMMedical Policies and Guidelines fo",
        "((((,",            /* deep brackets in common names */
        "\xC2\xA0",         /* one line of Unicode spaces */
        "::::",
        "\n\r",
    };
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
        size_t len;
        const char *head = i == 9 ? "D\nCommon Name(s): " : "D\nName of the Procedure: N\nSummary\nx\n";
        char *buf = repeat(head, units[i], &len);
        clock_t t0 = clock();
        parse_any(buf, len);
        double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
        cr_expect(secs < 10.0, "unit %zu took %.1f s", i, secs);
        free(buf);
    }
    /* 95,000 sections: the section array must grow geometrically. */
    size_t len;
    char *buf = repeat("D\n", "Recovery\nr\n", &len);
    ps_page *p = NULL;
    ps_err err;
    cr_assert_eq(ps_page_parse("x", "many", buf, len, &p, &err), 0, "%s", err.msg);
    cr_expect_eq(p->n_sections, (len - 2) / 11);
    ps_page_free(p);
    free(buf);
}
