#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "indexer/fields.h"
#include "query/qparse.h"

#define ANY (-1)
#define RISKS (PS_F_SECTION0 + PS_SEC_RISKS)
#define TITLE PS_F_DESCRIPTOR

typedef struct exp_clause {
    ps_qkind kind;
    ps_qmode mode;
    const char *text;
    int field;
    int or_group;
} exp_clause;

#define MAX_EXP 8

typedef struct row {
    const char *in;
    size_t len; /* 0: strlen(in); set for inputs with NUL bytes */
    size_t n;
    exp_clause e[MAX_EXP];
} row;

#define C(k, m, t, f, g) {PS_QK_##k, PS_QM_##m, t, f, g}
#define W(t) C(WORD, SHOULD, t, ANY, 0)
#define PH(t) C(PHRASE, SHOULD, t, ANY, 0)

/* clang-format off */
static row rows[] = {
    /* words */
    {"lumbar puncture", 0, 2, {W("lumbar"), W("puncture")}},
    {"  lumbar \t\n puncture  ", 0, 2, {W("lumbar"), W("puncture")}},
    {"", 0, 0, {{0}}},
    {"   ", 0, 0, {{0}}},
    {"\t\n\r\v\f\x1b", 0, 0, {{0}}},
    {"café Épidural", 0, 2, {W("café"), W("Épidural")}},

    /* phrases */
    {"\"lumbar puncture\"", 0, 1, {PH("lumbar puncture")}},
    {"\"  lumbar  puncture \"", 0, 1, {PH("lumbar  puncture")}},
    {"\"lumbar\"", 0, 1, {PH("lumbar")}},
    {"\"", 0, 0, {{0}}},
    {"\"\"", 0, 0, {{0}}},
    {"\"   \"", 0, 0, {{0}}},
    {"\"?!\"", 0, 0, {{0}}},
    {"\"lumbar puncture", 0, 2, {W("lumbar"), W("puncture")}},
    {"lumbar puncture\"", 0, 2, {W("lumbar"), W("puncture")}},
    {"\xe2\x80\x9clumbar puncture\xe2\x80\x9d", 0, 1, {PH("lumbar puncture")}},
    {"\xe2\x80\x9clumbar puncture\"", 0, 1, {PH("lumbar puncture")}},
    {"\xe2\x80\x9elumbar puncture\xe2\x80\x9c", 0, 1, {PH("lumbar puncture")}},
    {"\xe2\x80\x9c\xe2\x80\x9d", 0, 0, {{0}}},
    {"what is a \"spinal tap\"?", 0, 4, {W("what"), W("is"), W("a"), PH("spinal tap")}},
    {"a 5\" needle \"spinal tap\"", 0, 4, {W("a"), W("5"), W("needle"), PH("spinal tap")}},
    {"\"a\"\"b c\"", 0, 2, {PH("a"), PH("b c")}},
    {"foo\"bar\"", 0, 2, {W("foo"), W("bar")}},
    {"(\"spinal tap\")", 0, 1, {PH("spinal tap")}},
    {"[\"spinal tap\"]?", 0, 1, {PH("spinal tap")}},
    {"--\"spinal tap\"", 0, 1, {PH("spinal tap")}},
    {"\"(spinal) tap\"", 0, 1, {PH("(spinal) tap")}},
    {"\"a AND b\"", 0, 1, {PH("a AND b")}},
    {"\"a\x01" "b\"", 0, 1, {PH("a b")}},
    {"\"a\xc2\x9b" "b\"", 0, 1, {PH("a  b")}},

    /* fields */
    {"risks:bleeding", 0, 1, {C(WORD, SHOULD, "bleeding", RISKS, 0)}},
    {"Risks:bleeding", 0, 1, {C(WORD, SHOULD, "bleeding", RISKS, 0)}},
    {"COMPLICATIONS:bleeding", 0, 1, {C(WORD, SHOULD, "bleeding", RISKS, 0)}},
    {"title:\"lumbar puncture\"", 0, 1, {C(PHRASE, SHOULD, "lumbar puncture", TITLE, 0)}},
    {"title:10:30", 0, 1, {C(WORD, SHOULD, "10:30", TITLE, 0)}},
    {"risks:bleed*", 0, 1, {C(PREFIX, SHOULD, "bleed", RISKS, 0)}},
    {"risks:", 0, 0, {{0}}},
    {"risks:\"", 0, 0, {{0}}},
    {"risks:\"\"", 0, 0, {{0}}},
    {"risks:*", 0, 0, {{0}}},
    {"risks:\"bleeding", 0, 1, {C(WORD, SHOULD, "bleeding", RISKS, 0)}},
    {"risks:\" bleeding", 0, 2, {W("risks:"), W("bleeding")}},
    {"risks: bleeding", 0, 2, {W("risks:"), W("bleeding")}},
    {"Complications: lumbar puncture", 0, 3, {W("Complications:"), W("lumbar"), W("puncture")}},
    {"-risks: bleeding", 0, 2, {C(WORD, MUST_NOT, "risks:", ANY, 0), W("bleeding")}},
    {"risks:(bleeding)", 0, 2, {W("risks:"), W("bleeding")}},
    {"lumbar risks:  \t", 0, 1, {W("lumbar")}},
    {"lumbar risks: OR", 0, 2, {W("lumbar"), W("risks:")}},
    {"Nd:YAG laser", 0, 2, {W("Nd:YAG"), W("laser")}},
    {"10:30", 0, 1, {W("10:30")}},
    {":foo", 0, 1, {W(":foo")}},
    {"why:", 0, 1, {W("why:")}},
    {"Nd:\"YAG\"", 0, 2, {W("Nd:"), W("YAG")}},

    /* signs */
    {"-lumbar", 0, 1, {C(WORD, MUST_NOT, "lumbar", ANY, 0)}},
    {"+lumbar puncture", 0, 2, {C(WORD, MUST, "lumbar", ANY, 0), W("puncture")}},
    {"-\"spinal tap\"", 0, 1, {C(PHRASE, MUST_NOT, "spinal tap", ANY, 0)}},
    {"+\"spinal tap\"", 0, 1, {C(PHRASE, MUST, "spinal tap", ANY, 0)}},
    {"-risks:bleeding", 0, 1, {C(WORD, MUST_NOT, "bleeding", RISKS, 0)}},
    {"-risks:\"bleeding\"", 0, 1, {C(PHRASE, MUST_NOT, "bleeding", RISKS, 0)}},
    {"+risks:bleeding", 0, 1, {C(WORD, MUST, "bleeding", RISKS, 0)}},
    {"-risks:", 0, 0, {{0}}},
    {"-\"x", 0, 1, {C(WORD, MUST_NOT, "x", ANY, 0)}},
    {"-\" x", 0, 1, {W("x")}},
    {"-", 0, 0, {{0}}},
    {"+", 0, 0, {{0}}},
    {"- +", 0, 0, {{0}}},
    {"--", 0, 0, {{0}}},
    {"--x", 0, 1, {W("--x")}},
    {"+-x", 0, 1, {W("+-x")}},
    {"a - b", 0, 2, {W("a"), W("b")}},
    {"a -(b)", 0, 2, {W("a"), W("b")}},
    {"x-ray -contrast", 0, 2, {W("x-ray"), C(WORD, MUST_NOT, "contrast", ANY, 0)}},
    {"L4-L5 C5-C6", 0, 2, {W("L4-L5"), W("C5-C6")}},
    {"C++", 0, 1, {W("C++")}},
    {"-Nd:YAG", 0, 1, {C(WORD, MUST_NOT, "Nd:YAG", ANY, 0)}},
    {"a\xc2\xa0-b", 0, 2, {W("a"), C(WORD, MUST_NOT, "b", ANY, 0)}},

    /* AND / OR / NOT */
    {"a AND b", 0, 2, {C(WORD, MUST, "a", ANY, 0), C(WORD, MUST, "b", ANY, 0)}},
    {"a && b", 0, 2, {C(WORD, MUST, "a", ANY, 0), C(WORD, MUST, "b", ANY, 0)}},
    {"a AND AND b", 0, 2, {C(WORD, MUST, "a", ANY, 0), C(WORD, MUST, "b", ANY, 0)}},
    {"a OR b", 0, 2, {C(WORD, SHOULD, "a", ANY, 1), C(WORD, SHOULD, "b", ANY, 1)}},
    {"a || b", 0, 2, {C(WORD, SHOULD, "a", ANY, 1), C(WORD, SHOULD, "b", ANY, 1)}},
    {"a OR OR b", 0, 2, {C(WORD, SHOULD, "a", ANY, 1), C(WORD, SHOULD, "b", ANY, 1)}},
    {"a OR b OR c", 0, 3,
     {C(WORD, SHOULD, "a", ANY, 1), C(WORD, SHOULD, "b", ANY, 1), C(WORD, SHOULD, "c", ANY, 1)}},
    {"a OR b c OR d", 0, 4,
     {C(WORD, SHOULD, "a", ANY, 1), C(WORD, SHOULD, "b", ANY, 1), C(WORD, SHOULD, "c", ANY, 2),
      C(WORD, SHOULD, "d", ANY, 2)}},
    {"\"spinal tap\" OR title:LP", 0, 2,
     {C(PHRASE, SHOULD, "spinal tap", ANY, 1), C(WORD, SHOULD, "LP", TITLE, 1)}},
    {"a AND b OR c", 0, 3,
     {C(WORD, MUST, "a", ANY, 0), C(WORD, MUST, "b", ANY, 1), C(WORD, MUST, "c", ANY, 1)}},
    {"a OR b AND c", 0, 3,
     {C(WORD, MUST, "a", ANY, 1), C(WORD, MUST, "b", ANY, 1), C(WORD, MUST, "c", ANY, 0)}},
    {"a OR +b", 0, 2, {C(WORD, MUST, "a", ANY, 1), C(WORD, MUST, "b", ANY, 1)}},
    {"a OR -b", 0, 2, {W("a"), C(WORD, MUST_NOT, "b", ANY, 0)}},
    {"-a OR b", 0, 2, {C(WORD, MUST_NOT, "a", ANY, 0), W("b")}},
    {"a AND -b", 0, 2, {C(WORD, MUST, "a", ANY, 0), C(WORD, MUST_NOT, "b", ANY, 0)}},
    {"a AND OR b", 0, 2, {C(WORD, SHOULD, "a", ANY, 1), C(WORD, SHOULD, "b", ANY, 1)}},
    {"(a OR b) c", 0, 3,
     {C(WORD, SHOULD, "a", ANY, 1), C(WORD, SHOULD, "b", ANY, 1), W("c")}},
    {"a OR", 0, 1, {W("a")}},
    {"OR OR b", 0, 1, {W("b")}},
    {"AND a", 0, 1, {W("a")}},
    {"OR a AND", 0, 1, {W("a")}},
    {"AND", 0, 0, {{0}}},
    {"a AND ? b", 0, 2, {C(WORD, MUST, "a", ANY, 0), C(WORD, MUST, "b", ANY, 0)}},
    {"a and b or c", 0, 5, {W("a"), W("and"), W("b"), W("or"), W("c")}},
    {"a NOT b", 0, 2, {W("a"), C(WORD, MUST_NOT, "b", ANY, 0)}},
    {"NOT b", 0, 1, {C(WORD, MUST_NOT, "b", ANY, 0)}},
    {"NOT NOT b", 0, 1, {C(WORD, MUST_NOT, "b", ANY, 0)}},
    {"a NOT", 0, 1, {W("a")}},
    {"a NOT +b", 0, 2, {W("a"), C(WORD, MUST_NOT, "b", ANY, 0)}},
    {"a AND NOT b", 0, 2, {C(WORD, MUST, "a", ANY, 0), C(WORD, MUST_NOT, "b", ANY, 0)}},
    {"a OR NOT b", 0, 2, {W("a"), C(WORD, MUST_NOT, "b", ANY, 0)}},
    {"a NOT \"spinal tap\"", 0, 2, {W("a"), C(PHRASE, MUST_NOT, "spinal tap", ANY, 0)}},
    {"+AND", 0, 1, {C(WORD, MUST, "AND", ANY, 0)}},
    {"\"OR\"", 0, 1, {PH("OR")}},
    {"title:OR", 0, 1, {C(WORD, SHOULD, "OR", TITLE, 0)}},
    {"a&&b a||b", 0, 2, {W("a&&b"), W("a||b")}},
    {"ANDROID ORAL", 0, 2, {W("ANDROID"), W("ORAL")}},

    /* prefixes */
    {"cardio*", 0, 1, {C(PREFIX, SHOULD, "cardio", ANY, 0)}},
    {"cardio**", 0, 1, {C(PREFIX, SHOULD, "cardio", ANY, 0)}},
    {"-cardio*", 0, 1, {C(PREFIX, MUST_NOT, "cardio", ANY, 0)}},
    {"*", 0, 0, {{0}}},
    {"***", 0, 0, {{0}}},
    {"a * b", 0, 2, {W("a"), W("b")}},
    {"car*dio", 0, 1, {W("car*dio")}},
    {"*cardio", 0, 1, {W("*cardio")}},
    {"\"cardio*\"", 0, 1, {PH("cardio*")}},

    /* text passed through */
    {"I&D abscess", 0, 2, {W("I&D"), W("abscess")}},
    {"I & D", 0, 2, {W("I"), W("D")}},
    {"w/ contrast", 0, 2, {W("w/"), W("contrast")}},
    {"2.5 mm 24-48 hrs", 0, 4, {W("2.5"), W("mm"), W("24-48"), W("hrs")}},
    {"e.g. O'Brien O\xe2\x80\x99" "Brien", 0, 3, {W("e.g."), W("O'Brien"), W("O\xe2\x80\x99" "Brien")}},
    {"what's a lumbar puncture?", 0, 4, {W("what's"), W("a"), W("lumbar"), W("puncture?")}},

    /* whitespace and bytes */
    {"a\0b", 3, 2, {W("a"), W("b")}},
    {"\0\0\0", 3, 0, {{0}}},
    {"lumbar\xe3\x80\x80puncture", 0, 2, {W("lumbar"), W("puncture")}},
    {"lumbar\xe2\x80\x89puncture", 0, 2, {W("lumbar"), W("puncture")}},
    {"\xef\xbb\xbflumbar", 0, 1, {W("lumbar")}},
    {"a\xc2\x85" "b", 0, 2, {W("a"), W("b")}},
    {"\xff\xfe abc", 0, 2, {W("\xff\xfe"), W("abc")}},
    {"\xe2\x80", 0, 1, {W("\xe2\x80")}},
    {"\xe2\x80" "A", 0, 1, {W("\xe2\x80" "A")}},
    {"\xc2", 0, 1, {W("\xc2")}},
    {"\xe2\x80\x9c", 0, 0, {{0}}},
};
/* clang-format on */

/* Printable form of an input for failure messages. */
static const char *show(const char *s, size_t len) {
    static char buf[512];
    size_t o = 0;
    for (size_t i = 0; i < len && o + 5 < sizeof buf; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c < 0x7F && c != '\\')
            buf[o++] = (char)c;
        else
            o += (size_t)snprintf(buf + o, sizeof buf - o, "\\x%02x", c);
    }
    buf[o] = '\0';
    return buf;
}

#define N_ROWS (sizeof rows / sizeof rows[0])

/* Criterion runs each parameter in a fresh process and copies the parameter
 * bytes over, so a row's string pointers would not survive (ASLR): pass the
 * row's index and look it up in this process's table. */
ParameterizedTestParameters(qparse_table, parses) {
    static size_t idx[N_ROWS];
    for (size_t i = 0; i < N_ROWS; i++)
        idx[i] = i;
    return cr_make_param_array(size_t, idx, N_ROWS);
}

ParameterizedTest(size_t *ip, qparse_table, parses) {
    const row *r = &rows[*ip];
    size_t len = r->len ? r->len : strlen(r->in);
    const char *in = show(r->in, len);
    ps_qparsed p;
    ps_err err;
    cr_assert_eq(ps_qparse(r->in, len, &p, &err), 0, "[%s] failed: %s", in, err.msg);
    cr_expect_eq(p.truncated, 0u, "[%s] truncated", in);
    cr_expect_eq(p.used, len, "[%s] used %zu of %zu bytes", in, p.used, len);
    cr_assert_eq(p.n, r->n, "[%s] %zu clauses, want %zu", in, p.n, r->n);
    for (size_t i = 0; i < p.n; i++) {
        const ps_qclause *c = &p.clauses[i];
        const exp_clause *e = &r->e[i];
        cr_expect_str_eq(c->text, e->text, "[%s] clause %zu text", in, i);
        cr_expect_eq(c->len, strlen(c->text), "[%s] clause %zu len", in, i);
        cr_expect_eq(c->kind, e->kind, "[%s] clause %zu kind %s, want %s", in, i,
                     ps_qkind_name(c->kind), ps_qkind_name(e->kind));
        cr_expect_eq(c->mode, e->mode, "[%s] clause %zu mode %s, want %s", in, i,
                     ps_qmode_name(c->mode), ps_qmode_name(e->mode));
        cr_expect_eq(c->field, e->field, "[%s] clause %zu field %d, want %d", in, i, c->field,
                     e->field);
        cr_expect_eq(c->or_group, e->or_group, "[%s] clause %zu or_group %d, want %d", in, i,
                     c->or_group, e->or_group);
    }
    ps_qparsed_free(&p);
}

Test(qparse_table, field_ids_are_the_lookup) {
    /* The table names fields by enum; make sure that is what the lookup gives. */
    cr_assert_eq(ps_field_lookup("risks", 5), RISKS);
    cr_assert_eq(ps_field_lookup("title", 5), TITLE);
    cr_assert_eq(ps_field_lookup("Nd", 2), -1);
    cr_assert_eq(ps_field_lookup("why", 3), -1);
}

static void parse(const char *q, size_t len, ps_qparsed *p) {
    ps_err err;
    cr_assert_eq(ps_qparse(q, len, p, &err), 0, "%s", err.msg);
}

Test(qparse_spans, ranges_point_into_the_input) {
    const char *q = "-risks:\"lumbar puncture\" x-ray cardio* “ spinal tap ”";
    ps_qparsed p;
    parse(q, strlen(q), &p);
    cr_assert_eq(p.n, 4);
    /* whole clause with sign, field and quotes */
    cr_expect_eq(p.clauses[0].start, 0);
    cr_expect_eq(p.clauses[0].end, strlen("-risks:\"lumbar puncture\""));
    cr_expect_eq(p.clauses[0].text_start, strlen("-risks:\""));
    cr_expect_eq(p.clauses[0].text_end, strlen("-risks:\"lumbar puncture"));
    size_t x = (size_t)(strstr(q, "x-ray") - q);
    cr_expect_eq(p.clauses[1].start, x);
    cr_expect_eq(p.clauses[1].end, x + 5);
    cr_expect_eq(p.clauses[1].text_start, x);
    cr_expect_eq(p.clauses[1].text_end, x + 5);
    size_t c = (size_t)(strstr(q, "cardio") - q);
    cr_expect_eq(p.clauses[2].start, c);
    cr_expect_eq(p.clauses[2].end, c + 7, "the '*' belongs to the clause");
    cr_expect_eq(p.clauses[2].text_end, c + 6, "but not to its text");
    size_t s = (size_t)(strstr(q, "spinal") - q);
    cr_expect_eq(p.clauses[3].start, s - 4, "opening curly quote (3 bytes) and a space");
    cr_expect_eq(p.clauses[3].text_start, s, "text trimmed");
    cr_expect_eq(p.clauses[3].text_end, s + strlen("spinal tap"));
    cr_expect_eq(p.clauses[3].end, strlen(q));
    for (size_t i = 0; i < p.n; i++)
        cr_expect(memcmp(q + p.clauses[i].text_start, p.clauses[i].text, p.clauses[i].len) == 0,
                  "clause %zu text is its range", i);
    ps_qparsed_free(&p);
}

Test(qparse_api, empty_and_null) {
    ps_qparsed p;
    parse(NULL, 0, &p);
    cr_expect_eq(p.n, 0);
    cr_expect_eq(p.truncated, 0u);
    ps_qparsed_free(&p);
    ps_qparsed_free(&p); /* freeing twice is harmless: free empties it */
    ps_qparsed_free(NULL);

    cr_expect_eq(ps_qparse("a", 1, &p, NULL), 0, "err may be NULL");
    cr_expect_eq(p.n, 1);
    ps_qparsed_free(&p);
    cr_expect_eq(p.n, 0);
    cr_expect_null(p.clauses);

    ps_err err;
    cr_expect_eq(ps_qparse("a", 1, NULL, &err), -1);
}

Test(qparse_api, input_need_not_be_terminated) {
    const char buf[] = {'l', 'u', 'm', 'b', 'a', 'r', '*', 'x'};
    ps_qparsed p;
    parse(buf, 7, &p);
    cr_assert_eq(p.n, 1);
    cr_expect_eq(p.clauses[0].kind, PS_QK_PREFIX);
    cr_expect_str_eq(p.clauses[0].text, "lumbar");
    ps_qparsed_free(&p);
}

Test(qparse_api, names) {
    cr_expect_str_eq(ps_qkind_name(PS_QK_PHRASE), "phrase");
    cr_expect_str_eq(ps_qmode_name(PS_QM_MUST_NOT), "must_not");
}

/* Whether s[0..n) is valid UTF-8 (enough for the inputs built here). */
static int utf8_ok(const char *s, size_t n) {
    size_t i = 0;
    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        size_t k = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 0;
        if (!k || i + k > n)
            return 0;
        for (size_t j = 1; j < k; j++)
            if (((unsigned char)s[i + j] & 0xC0) != 0x80)
                return 0;
        i += k;
    }
    return 1;
}

/* One long word of `unit` repeated after `lead` ASCII bytes, 2000+ bytes. */
static void check_cut(size_t lead, const char *unit) {
    char q[2100];
    size_t n = 0;
    for (size_t i = 0; i < lead; i++)
        q[n++] = 'a';
    while (n + strlen(unit) <= 2000) {
        memcpy(q + n, unit, strlen(unit));
        n += strlen(unit);
    }
    ps_qparsed p;
    parse(q, n, &p);
    cr_expect_eq(p.truncated, PS_QTRUNC_BYTES, "lead %zu unit %s", lead, unit);
    cr_expect_leq(p.used, (size_t)PS_QUERY_MAX_BYTES);
    cr_expect_gt(p.used, (size_t)PS_QUERY_MAX_BYTES - strlen(unit), "lead %zu", lead);
    cr_expect(utf8_ok(q, p.used), "cut at %zu splits a character (lead %zu)", p.used, lead);
    cr_assert_eq(p.n, 1);
    cr_expect_eq(p.clauses[0].len, p.used);
    cr_expect(utf8_ok(p.clauses[0].text, p.clauses[0].len));
    ps_qparsed_free(&p);
}

Test(qparse_limits, long_input_is_cut_on_a_character_boundary) {
    for (size_t lead = 0; lead < 4; lead++) {
        check_cut(lead, "x");
        check_cut(lead, "\xc3\xa9");         /* é */
        check_cut(lead, "\xe2\x80\x94");     /* em dash */
        check_cut(lead, "\xf0\x9f\x98\x80"); /* 4-byte emoji */
    }
}

Test(qparse_limits, exactly_max_bytes_is_not_truncated) {
    char q[PS_QUERY_MAX_BYTES];
    memset(q, 'x', sizeof q);
    ps_qparsed p;
    parse(q, sizeof q, &p);
    cr_expect_eq(p.truncated, 0u);
    cr_expect_eq(p.used, sizeof q);
    cr_expect_eq(p.n, 1);
    ps_qparsed_free(&p);
}

Test(qparse_limits, unbalanced_quote_cut_by_truncation_is_just_text) {
    char q[2000];
    memset(q, ' ', sizeof q);
    q[0] = '"';
    q[1] = 'a';
    q[1500] = '"';
    ps_qparsed p;
    parse(q, sizeof q, &p);
    cr_expect_eq(p.truncated, PS_QTRUNC_BYTES);
    cr_assert_eq(p.n, 1);
    cr_expect_eq(p.clauses[0].kind, PS_QK_WORD);
    cr_expect_str_eq(p.clauses[0].text, "a");
    ps_qparsed_free(&p);
}

Test(qparse_limits, clause_cap) {
    char q[1024];
    size_t n = 0;
    for (int i = 0; i < 200; i++)
        n += (size_t)snprintf(q + n, sizeof q - n, "w%d ", i);
    cr_assert_lt(n, (size_t)PS_QUERY_MAX_BYTES, "test wants only the clause cap");
    ps_qparsed p;
    parse(q, n, &p);
    cr_expect_eq(p.n, (size_t)PS_QUERY_MAX_CLAUSES);
    cr_expect_eq(p.truncated, PS_QTRUNC_CLAUSES);
    cr_expect_str_eq(p.clauses[0].text, "w0");
    cr_expect_str_eq(p.clauses[PS_QUERY_MAX_CLAUSES - 1].text, "w63");
    ps_qparsed_free(&p);
}

Test(qparse_limits, exactly_max_clauses_is_not_truncated) {
    char q[1024];
    size_t n = 0;
    for (int i = 0; i < PS_QUERY_MAX_CLAUSES; i++)
        n += (size_t)snprintf(q + n, sizeof q - n, "w%d AND ? ", i);
    ps_qparsed p;
    parse(q, n, &p);
    cr_expect_eq(p.n, (size_t)PS_QUERY_MAX_CLAUSES);
    cr_expect_eq(p.truncated, 0u, "operators and dropped tokens are not clauses");
    ps_qparsed_free(&p);
}

Test(qparse_limits, both_limits) {
    char q[2000];
    for (size_t i = 0; i < sizeof q; i += 2) {
        q[i] = 'a';
        q[i + 1] = ' ';
    }
    ps_qparsed p;
    parse(q, sizeof q, &p);
    cr_expect_eq(p.truncated, PS_QTRUNC_BYTES | PS_QTRUNC_CLAUSES);
    cr_expect_eq(p.n, (size_t)PS_QUERY_MAX_CLAUSES);
    ps_qparsed_free(&p);
}

Test(qparse_limits, densest_input_fits) {
    /* Clause storage is sized from the input length: the densest inputs
     * (one byte per clause and one separator) must still all be kept. */
    const char *dense[] = {"a", "a b", "a b c", "a\"b\"c", "a\"b\"c\"d", "\"a\"b", "a*b* c*",
                           "\"a\"\"b\"\"c\""};
    const size_t want[] = {1, 2, 3, 3, 4, 2, 2, 3};
    for (size_t i = 0; i < sizeof dense / sizeof dense[0]; i++) {
        ps_qparsed p;
        parse(dense[i], strlen(dense[i]), &p);
        cr_expect_eq(p.n, want[i], "[%s] %zu clauses", dense[i], p.n);
        cr_expect_eq(p.truncated, 0u, "[%s]", dense[i]);
        ps_qparsed_free(&p);
    }
}

static uint64_t rng_state;
static uint64_t rng(void) {
    /* xorshift64*: fixed seed so a failure reproduces */
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545F4914F6CDD1DULL;
}

/* Pieces the syntax reacts to, so that random inputs reach every branch
 * rather than being mostly one long invalid word. */
static const char *const pieces[] = {
    " ", " ", "\"", "\xe2\x80\x9c", "\xe2\x80\x9d", "-", "+", "*", ":", "(", ")", "AND", "OR",
    "NOT", "&&", "||", "risks:", "title:", "Nd:", "lumbar", "x", "é", "\xc2\xa0", "\xe3\x80\x80",
    "\xc2\x9b", "\t", "\0", "\xe2\x80", "\xff", "?", "'",
};

static void check_result(const unsigned char *q, size_t len, const ps_qparsed *p, uint64_t seed) {
    cr_assert_leq(p->used, len);
    cr_assert_leq(p->used, (size_t)PS_QUERY_MAX_BYTES);
    cr_assert_eq(!!(p->truncated & PS_QTRUNC_BYTES), len > PS_QUERY_MAX_BYTES, "seed %llu",
                 (unsigned long long)seed);
    cr_assert_leq(p->n, (size_t)PS_QUERY_MAX_CLAUSES);
    cr_assert(p->n == 0 || p->clauses != NULL);
    size_t prev_end = 0;
    for (size_t i = 0; i < p->n; i++) {
        const ps_qclause *c = &p->clauses[i];
        cr_assert_not_null(c->text, "seed %llu clause %zu", (unsigned long long)seed, i);
        cr_assert_gt(c->len, 0, "seed %llu clause %zu empty", (unsigned long long)seed, i);
        cr_assert_eq(strlen(c->text), c->len, "seed %llu clause %zu", (unsigned long long)seed,
                     i);
        cr_assert(c->kind == PS_QK_WORD || c->kind == PS_QK_PHRASE || c->kind == PS_QK_PREFIX);
        cr_assert(c->mode == PS_QM_SHOULD || c->mode == PS_QM_MUST || c->mode == PS_QM_MUST_NOT);
        cr_assert(c->field >= -1 && c->field < PS_F_COUNT);
        cr_assert_geq(c->or_group, 0);
        cr_assert(prev_end <= c->start && c->start <= c->text_start &&
                      c->text_start < c->text_end && c->text_end <= c->end && c->end <= p->used,
                  "seed %llu clause %zu ranges", (unsigned long long)seed, i);
        cr_assert_eq(c->text_end - c->text_start, c->len);
        prev_end = c->end;
        for (size_t j = 0; j < c->len; j++) {
            unsigned char t = (unsigned char)c->text[j];
            unsigned char s = q[c->text_start + j];
            cr_assert(t >= 0x20 && t != 0x7F, "seed %llu: control byte in a text",
                      (unsigned long long)seed);
            cr_assert(t == s || t == ' ', "seed %llu: text is not as typed",
                      (unsigned long long)seed);
        }
        if (c->or_group) {
            cr_assert_neq(c->mode, PS_QM_MUST_NOT);
            /* a group is a run of neighbours with one mode */
            if (i > 0 && p->clauses[i - 1].or_group == c->or_group)
                cr_assert_eq(p->clauses[i - 1].mode, c->mode, "seed %llu",
                             (unsigned long long)seed);
            for (size_t k = i + 2; k < p->n; k++)
                if (p->clauses[k].or_group == c->or_group)
                    cr_assert_eq(p->clauses[k - 1].or_group, c->or_group,
                                 "seed %llu: group not adjacent", (unsigned long long)seed);
        }
    }
}

Test(qparse_fuzz, random_buffers) {
    static unsigned char q[2200];
    for (uint64_t seed = 1; seed <= 10000; seed++) {
        rng_state = seed * 0x9E3779B97F4A7C15ULL;
        size_t len = rng() % (seed % 10 == 0 ? sizeof q : 64);
        size_t n = 0;
        int mode = (int)(rng() % 3);
        while (n < len) {
            if (mode == 0 || (mode == 2 && rng() % 2)) {
                q[n++] = (unsigned char)rng();
            } else {
                const char *piece = pieces[rng() % (sizeof pieces / sizeof pieces[0])];
                size_t k = piece[0] ? strlen(piece) : 1;
                for (size_t i = 0; i < k && n < len; i++)
                    q[n++] = (unsigned char)piece[i];
            }
        }
        ps_qparsed p;
        ps_err err;
        /* Give the parser an exact-size heap copy so ASan sees any read past len. */
        unsigned char *copy = malloc(len ? len : 1);
        cr_assert_not_null(copy);
        memcpy(copy, q, len);
        cr_assert_eq(ps_qparse((const char *)copy, len, &p, &err), 0, "seed %llu",
                     (unsigned long long)seed);
        check_result(copy, len, &p, seed);
        ps_qparsed_free(&p);
        free(copy);
    }
}
