/*
 * JSON Lines records: the structured form, the "text" form, and every
 * error, whose message names "origin:line" and the field at fault.
 */
#include "tests/unit/test_page_helpers.h"

static ps_page *jl_ok(const char *line) {
    ps_page *p = NULL;
    ps_err err = {{0}};
    int rc = ps_page_parse_jsonl("feed.jsonl", 7, line, strlen(line), &p, &err);
    cr_assert_eq(rc, 0, "refused: %s", err.msg);
    cr_assert_not_null(p);
    tp_check_page(p);
    return p;
}

static const char *jl_fail_len(const char *line, size_t len) {
    static ps_err err;
    static ps_page sentinel;
    ps_page *p = &sentinel;
    memset(&err, 0, sizeof err);
    int rc = ps_page_parse_jsonl("feed.jsonl", 7, line, len, &p, &err);
    cr_assert_eq(rc, -1, "accepted: %s", line ? line : "(null)");
    cr_assert_null(p);
    cr_assert(strncmp(err.msg, "feed.jsonl:7: ", 14) == 0, "no origin:line in: %s", err.msg);
    return err.msg;
}

static const char *jl_fail(const char *line) {
    return jl_fail_len(line, strlen(line));
}

Test(page_jsonl, structured) {
    ps_page *p = jl_ok("{\"id\":\" p1 \",\"descriptor\":\" Injection procedure; lumbar \","
                       "\"code_system\":\"CPT4\",\"name\":\"Lumbar\\r\\nDiscography\","
                       "\"common_names\":[\" Discogram \",\"\",\"Disc study\"],"
                       "\"sections\":[{\"title\":\"Summary\",\"text\":\"Line one.\\r\\n\\n  - Line two.\"},"
                       "{\"title\":\"risks and complications:\",\"text\":\"\\u2022 Infection\"},"
                       "{\"title\":\"Coding Notes\",\"text\":\"Report once.\"},"
                       "{\"title\":\"Duration\"}],"
                       "\"extra\":{\"ignored\":true}}");
    cr_expect_str_eq(p->id, "p1");
    cr_expect_str_eq(p->descriptor, "Injection procedure; lumbar");
    cr_expect_str_eq(p->code_system, "CPT4");
    cr_expect_str_eq(p->name, "Lumbar Discography");
    cr_assert_eq(p->n_common_names, 2);
    cr_expect_str_eq(p->common_names[0], "Discogram");
    cr_expect_str_eq(p->common_names[1], "Disc study");
    cr_assert_eq(p->n_sections, 4);
    cr_expect_eq(p->sections[0].key, PS_SEC_SUMMARY);
    cr_expect_str_eq(p->sections[0].text, "Line one.\nLine two.");
    cr_expect_eq(p->sections[0].line, 0);
    cr_expect_eq(p->sections[1].key, PS_SEC_RISKS);
    cr_expect_str_eq(p->sections[1].title, "risks and complications:");
    cr_expect_str_eq(p->sections[1].text, "Infection");
    cr_expect_eq(p->sections[2].key, PS_SEC_OTHER);
    cr_expect_str_eq(p->sections[2].title, "Coding Notes");
    cr_expect_eq(p->sections[3].key, PS_SEC_DURATION);
    cr_expect_str_eq(p->sections[3].text, "");
    ps_page_free(p);
}

Test(page_jsonl, minimal_and_nulls) {
    ps_page *p = jl_ok("{\"id\":\"m\",\"descriptor\":\"D\"}");
    cr_expect_null(p->name);
    cr_expect_null(p->code_system);
    cr_expect_eq(p->n_common_names, 0);
    cr_expect_eq(p->n_sections, 0);
    ps_page_free(p);
    p = jl_ok("{\"id\":\"m\",\"descriptor\":\"D\",\"code_system\":null,\"name\":null,"
              "\"common_names\":null,\"sections\":null,\"text\":null}");
    cr_expect_null(p->name);
    ps_page_free(p);
    /* An empty name is no name. */
    p = jl_ok("{\"id\":\"m\",\"descriptor\":\"D\",\"name\":\"  \"}");
    cr_expect_null(p->name);
    ps_page_free(p);
}

/* The form ps_page_to_jsonl writes, with "key" on each section. */
Test(page_jsonl, exported_form_with_keys) {
    ps_page *p = jl_ok("{\"id\":\"x\",\"descriptor\":\"D\",\"code_system\":\"CPT4\",\"name\":\"N\","
                       "\"common_names\":[\"A\"],\"sections\":["
                       "{\"key\":\"summary\",\"title\":\"Summary\",\"text\":\"S.\"},"
                       "{\"key\":\"other\",\"title\":\"Coding Notes\",\"text\":\"C.\"},"
                       "{\"key\":\"risks\",\"title\":\"Anesthesia Risks\",\"text\":\"R.\"}]}");
    cr_assert_eq(p->n_sections, 3);
    cr_expect_eq(p->sections[0].key, PS_SEC_SUMMARY);
    cr_expect_eq(p->sections[1].key, PS_SEC_OTHER);
    cr_expect_eq(p->sections[2].key, PS_SEC_RISKS);
    ps_page_free(p);
}

Test(page_jsonl, text_form) {
    ps_page *p = jl_ok("{\"id\":\"t1\",\"text\":\"Search all medical codes\\r\\nInjection procedure; lumbar\\n"
                       "CPT4 code\\nName of the Procedure:\\nLumbar Discography\\n"
                       "Common Name(s): Discogram, Disc study\\nSummary\\nS.\\n"
                       "Coding Notes\\n\\u2022 Once.\\nSimilar Codes\",\"source\":\"ignored\"}");
    cr_expect_str_eq(p->id, "t1");
    cr_expect_str_eq(p->descriptor, "Injection procedure; lumbar");
    cr_expect_str_eq(p->code_system, "CPT4");
    cr_expect_str_eq(p->name, "Lumbar Discography");
    cr_expect_eq(p->n_common_names, 2);
    cr_assert_eq(p->n_sections, 2);
    cr_expect_str_eq(p->sections[1].title, "Coding Notes");
    cr_expect_str_eq(p->sections[1].text, "Once.");
    ps_page_free(p);
    p = jl_ok("{\"id\":\"t2\",\"text\":\"D\\nSummary\\nS.\\nMore.\\nCoding Notes\\n- Once.\\n\"}");
    cr_assert_eq(p->n_sections, 2);
    cr_expect_eq(p->sections[1].key, PS_SEC_OTHER);
    cr_expect_eq(p->sections[1].line, 5);
    ps_page_free(p);
}

Test(page_jsonl, text_form_errors_name_the_field) {
    cr_expect_str_eq(jl_fail("{\"id\":\"t\",\"text\":\"  \\n \"}"), "feed.jsonl:7: \"text\": empty page");
    cr_expect_str_eq(jl_fail("{\"id\":\"t\",\"text\":\"Summary\\nS.\"}"),
                     "feed.jsonl:7: \"text\": no descriptor line (line 1 starts with \"Summary\")");
    cr_expect_str_eq(jl_fail("{\"id\":\"t\",\"text\":\"just prose\"}"),
                     "feed.jsonl:7: \"text\": not a procedure page: no name and no sections");
    cr_expect_str_eq(jl_fail("{\"id\":\"t\",\"text\":\"D\\u0000x\"}"),
                     "feed.jsonl:7: \"text\" contains a NUL character");
    cr_expect_str_eq(jl_fail("{\"id\":\"t\",\"text\":42}"), "feed.jsonl:7: \"text\" is not a string");
    cr_expect_str_eq(jl_fail("{\"id\":\"t\",\"text\":\"D\\nSummary\\nS.\",\"descriptor\":\"D\"}"),
                     "feed.jsonl:7: both \"text\" and \"descriptor\" given: a record is either a text "
                     "page or structured fields");
    cr_expect_str_eq(jl_fail("{\"id\":\"t\",\"text\":\"D\\nSummary\\nS.\",\"sections\":[]}"),
                     "feed.jsonl:7: both \"text\" and \"sections\" given: a record is either a text "
                     "page or structured fields");
}

Test(page_jsonl, record_errors) {
    cr_expect_str_eq(jl_fail(""), "feed.jsonl:7: empty record");
    cr_expect_str_eq(jl_fail(" \t\r"), "feed.jsonl:7: empty record");
    cr_expect_str_eq(jl_fail_len(NULL, 0), "feed.jsonl:7: empty record");
    cr_expect(strncmp(jl_fail("{\"id\":"), "feed.jsonl:7: invalid JSON at column ", 37) == 0);
    cr_expect(strncmp(jl_fail("{\"id\":\"a\"} x"), "feed.jsonl:7: invalid JSON at column ", 37) == 0);
    cr_expect(strncmp(jl_fail("{\"id\":\"a\",\"id\":\"b\",\"descriptor\":\"D\"}"),
                      "feed.jsonl:7: invalid JSON", 26) == 0);
    cr_expect(strncmp(jl_fail("{\"id\":\"\xFF\"}"), "feed.jsonl:7: invalid JSON", 26) == 0);
    cr_expect(strncmp(jl_fail("\"just a string\""), "feed.jsonl:7: invalid JSON", 26) == 0);
    cr_expect_str_eq(jl_fail("[1,2]"), "feed.jsonl:7: the record is not a JSON object");
    size_t n = PS_PAGE_MAX_BYTES + 1;
    char *big = malloc(n);
    cr_assert_not_null(big);
    memset(big, ' ', n);
    cr_expect_str_eq(jl_fail_len(big, n), "feed.jsonl:7: 1048577 bytes, larger than the 1048576-byte limit");
    free(big);
}

Test(page_jsonl, id_errors) {
    cr_expect_str_eq(jl_fail("{\"descriptor\":\"D\"}"), "feed.jsonl:7: missing \"id\"");
    cr_expect_str_eq(jl_fail("{\"id\":3,\"descriptor\":\"D\"}"), "feed.jsonl:7: \"id\" is not a string");
    cr_expect_str_eq(jl_fail("{\"id\":null,\"descriptor\":\"D\"}"), "feed.jsonl:7: \"id\" is not a string");
    cr_expect_str_eq(jl_fail("{\"id\":\" \",\"descriptor\":\"D\"}"), "feed.jsonl:7: \"id\" is empty");
    cr_expect_str_eq(jl_fail("{\"id\":\"a\\u0000b\",\"descriptor\":\"D\"}"),
                     "feed.jsonl:7: \"id\" contains a NUL character");
}

Test(page_jsonl, field_errors) {
    cr_expect_str_eq(jl_fail("{\"id\":\"a\"}"), "feed.jsonl:7: missing \"descriptor\"");
    cr_expect_str_eq(jl_fail("{\"id\":\"a\",\"descriptor\":null}"),
                     "feed.jsonl:7: \"descriptor\" is not a string");
    cr_expect_str_eq(jl_fail("{\"id\":\"a\",\"descriptor\":[\"D\"]}"),
                     "feed.jsonl:7: \"descriptor\" is not a string");
    cr_expect_str_eq(jl_fail("{\"id\":\"a\",\"descriptor\":\"\\n \"}"), "feed.jsonl:7: \"descriptor\" is empty");
    cr_expect_str_eq(jl_fail("{\"id\":\"a\",\"descriptor\":\"D\",\"name\":1}"),
                     "feed.jsonl:7: \"name\" is not a string");
    cr_expect_str_eq(jl_fail("{\"id\":\"a\",\"descriptor\":\"D\",\"name\":\"x\\u0000\"}"),
                     "feed.jsonl:7: \"name\" contains a NUL character");
    cr_expect_str_eq(jl_fail("{\"id\":\"a\",\"descriptor\":\"D\",\"code_system\":{}}"),
                     "feed.jsonl:7: \"code_system\" is not a string");
    cr_expect_str_eq(jl_fail("{\"id\":\"a\",\"descriptor\":\"D\",\"common_names\":\"A, B\"}"),
                     "feed.jsonl:7: \"common_names\" is not an array");
    cr_expect_str_eq(jl_fail("{\"id\":\"a\",\"descriptor\":\"D\",\"common_names\":[\"A\",2]}"),
                     "feed.jsonl:7: \"common_names\"[1] is not a string");
    cr_expect_str_eq(jl_fail("{\"id\":\"a\",\"descriptor\":\"D\",\"common_names\":[null]}"),
                     "feed.jsonl:7: \"common_names\"[0] is not a string");
    cr_expect_str_eq(jl_fail("{\"id\":\"a\",\"descriptor\":\"D\",\"common_names\":[\"\\u0000\"]}"),
                     "feed.jsonl:7: \"common_names\"[0] contains a NUL character");
}

Test(page_jsonl, section_errors) {
    cr_expect_str_eq(jl_fail("{\"id\":\"a\",\"descriptor\":\"D\",\"sections\":{}}"),
                     "feed.jsonl:7: \"sections\" is not an array");
    cr_expect_str_eq(jl_fail("{\"id\":\"a\",\"descriptor\":\"D\",\"sections\":[{\"title\":\"S\"},\"x\"]}"),
                     "feed.jsonl:7: \"sections\"[1] is not an object");
    cr_expect_str_eq(jl_fail("{\"id\":\"a\",\"descriptor\":\"D\",\"sections\":[{\"text\":\"t\"}]}"),
                     "feed.jsonl:7: missing \"sections\"[0].title");
    cr_expect_str_eq(jl_fail("{\"id\":\"a\",\"descriptor\":\"D\",\"sections\":[{\"title\":5}]}"),
                     "feed.jsonl:7: \"sections\"[0].title is not a string");
    cr_expect_str_eq(jl_fail("{\"id\":\"a\",\"descriptor\":\"D\",\"sections\":[{\"title\":\" \"}]}"),
                     "feed.jsonl:7: \"sections\"[0].title is empty");
    cr_expect_str_eq(jl_fail("{\"id\":\"a\",\"descriptor\":\"D\",\"sections\":[{\"title\":\"S\",\"text\":[]}]}"),
                     "feed.jsonl:7: \"sections\"[0].text is not a string");
    cr_expect_str_eq(jl_fail("{\"id\":\"a\",\"descriptor\":\"D\",\"sections\":[{\"title\":\"S\",\"text\":\"\\u0000\"}]}"),
                     "feed.jsonl:7: \"sections\"[0].text contains a NUL character");
    cr_expect_str_eq(jl_fail("{\"id\":\"a\",\"descriptor\":\"D\",\"sections\":[{\"title\":\"S\",\"key\":\"nope\"}]}"),
                     "feed.jsonl:7: \"sections\"[0].key \"nope\" is not a section key");
    cr_expect_str_eq(jl_fail("{\"id\":\"a\",\"descriptor\":\"D\",\"sections\":[{\"title\":\"S\",\"key\":1}]}"),
                     "feed.jsonl:7: \"sections\"[0].key is not a string");
}

Test(page_jsonl, null_origin_and_no_out) {
    ps_err err;
    ps_page *p = NULL;
    cr_expect_eq(ps_page_parse_jsonl(NULL, 3, "", 0, &p, &err), -1);
    cr_expect_str_eq(err.msg, "(jsonl):3: empty record");
    cr_expect_eq(ps_page_parse_jsonl("f", 1, "{}", 2, NULL, &err), -1);
    cr_expect_eq(ps_page_parse_jsonl("f", 1, "{}", 2, &p, NULL), -1);
    cr_expect_null(p);
}
