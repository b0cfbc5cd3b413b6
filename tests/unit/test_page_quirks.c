/*
 * The text format's tolerated irregularities, each on a small inline page.
 */
#include "tests/unit/test_page_helpers.h"

#define HEAD "Search all medical codes\nInjection of something; lumbar\nCPT4 code\nName of the Procedure:\nLumbar Something\n"

Test(page_quirks, crlf_line_ends) {
    ps_page *p = tp_parse_ok("Search all medical codes\r\nDesc line\r\nCPT4 code\r\n"
                             "Name of the Procedure:\r\nThe Name\r\n\r\nSummary\r\nOne.\r\nTwo.\r\n"
                             "Risks and Complications\r\n- A\r\n- B\r\nSimilar Codes\r\n");
    tp_check_page(p);
    cr_expect_str_eq(p->descriptor, "Desc line");
    cr_expect_str_eq(p->name, "The Name");
    cr_assert_eq(p->n_sections, 2);
    cr_expect_str_eq(p->sections[0].text, "One.\nTwo.");
    cr_expect_eq(p->sections[0].line, 7);
    cr_expect_str_eq(p->sections[1].text, "A\nB");
    ps_page_free(p);
}

Test(page_quirks, lone_cr_line_ends) {
    ps_page *p = tp_parse_ok("Desc\rCPT4 code\rName of the Procedure: N\rSummary\rText.\r");
    cr_expect_str_eq(p->name, "N");
    cr_assert_eq(p->n_sections, 1);
    cr_expect_str_eq(p->sections[0].text, "Text.");
    cr_expect_eq(p->sections[0].line, 4);
    ps_page_free(p);
}

Test(page_quirks, utf8_bom) {
    ps_page *p = tp_parse_ok("\xEF\xBB\xBF" "Desc with BOM\nCPT4 code\nName of the Procedure: N\nSummary\nS.\n");
    cr_expect_str_eq(p->descriptor, "Desc with BOM");
    cr_expect_eq(p->sections[0].line, 4);
    ps_page_free(p);
    /* A BOM before the chrome line too. */
    p = tp_parse_ok("\xEF\xBB\xBFSearch all medical codes\nDesc\nSummary\nS.\n");
    cr_expect_str_eq(p->descriptor, "Desc");
    ps_page_free(p);
}

Test(page_quirks, lowercase_headers_with_colons) {
    ps_page *p = tp_parse_ok("Desc\nCPT4 code\nname of the procedure:\nN\nsummary:\nS.\n"
                             "RISKS AND COMPLICATIONS :  \n- r\nprocedure   description:\n1. step\n"
                             "Patient experience\nfine\n");
    cr_expect_str_eq(p->name, "N");
    cr_assert_eq(p->n_sections, 4);
    cr_expect_eq(p->sections[0].key, PS_SEC_SUMMARY);
    cr_expect_str_eq(p->sections[0].title, "summary");
    cr_expect_eq(p->sections[1].key, PS_SEC_RISKS);
    cr_expect_str_eq(p->sections[1].title, "RISKS AND COMPLICATIONS");
    cr_expect_eq(p->sections[2].key, PS_SEC_PROCEDURE);
    cr_expect_str_eq(p->sections[2].text, "step");
    cr_expect_eq(p->sections[3].key, PS_SEC_EXPERIENCE);
    ps_page_free(p);
}

Test(page_quirks, header_with_text_after_colon) {
    ps_page *p = tp_parse_ok(HEAD "Duration: About 30 minutes\nplus recovery time.\n"
                                  "Setting:Outpatient clinic\nSummary:\nS.\n");
    cr_assert_eq(p->n_sections, 3);
    cr_expect_eq(p->sections[0].key, PS_SEC_DURATION);
    cr_expect_str_eq(p->sections[0].title, "Duration");
    cr_expect_str_eq(p->sections[0].text, "About 30 minutes\nplus recovery time.");
    cr_expect_str_eq(p->sections[1].title, "Setting");
    cr_expect_str_eq(p->sections[1].text, "Outpatient clinic");
    cr_expect_str_eq(p->sections[2].text, "S.");
    ps_page_free(p);
}

Test(page_quirks, numbered_steps) {
    ps_page *p = tp_parse_ok(HEAD "Procedure Description\n1. First step.\n2) Second step.\n"
                                  "  10. Tenth step.\n(4) Fourth.\n1.5 mg is given.\n"
                                  "2024. was a year\n- 3. Nested marks.\n");
    cr_expect_str_eq(p->sections[0].text, "First step.\nSecond step.\nTenth step.\nFourth.\n"
                                          "1.5 mg is given.\n2024. was a year\nNested marks.");
    ps_page_free(p);
}

Test(page_quirks, bullet_kinds) {
    ps_page *p = tp_parse_ok(HEAD "Indications\n- dash\n* star\n\xE2\x80\xA2 bullet\n"
                                  "\xC2\xB7 middle dot\n\xE2\x96\xAA square\n\t\xE2\x80\xA2" "glued\n"
                                  "-5 degrees stays\n*emphasis* stays\n\xE2\x80\x93 en dash\n");
    cr_expect_str_eq(p->sections[0].text, "dash\nstar\nbullet\nmiddle dot\nsquare\nglued\n"
                                          "-5 degrees stays\n*emphasis* stays\nen dash");
    ps_page_free(p);
}

Test(page_quirks, no_blank_lines_and_many_blank_lines) {
    ps_page *a = tp_parse_ok("D\nCPT4 code\nName of the Procedure:\nN\nSummary\nS.\nPurpose\nP.\n");
    ps_page *b = tp_parse_ok("\n\n\nD\n\n\n\nCPT4 code\n\n\nName of the Procedure:\n\n\n\nN\n\n"
                             "Summary\n\n\n\nS.\n\n\n\nPurpose\n\n\nP.\n\n\n\n");
    cr_expect_str_eq(a->descriptor, b->descriptor);
    cr_expect_str_eq(a->name, b->name);
    cr_assert_eq(a->n_sections, 2);
    cr_assert_eq(b->n_sections, 2);
    for (size_t i = 0; i < 2; i++)
        cr_expect_str_eq(a->sections[i].text, b->sections[i].text);
    ps_page_free(a);
    ps_page_free(b);
}

Test(page_quirks, name_on_same_line) {
    ps_page *p = tp_parse_ok("D\nCPT4 code\nName of the Procedure:   Same Line Name  \nSummary\nS.\n");
    cr_expect_str_eq(p->name, "Same Line Name");
    ps_page_free(p);
}

Test(page_quirks, name_label_without_value) {
    /* The label is there but the next line is a header: no name. */
    ps_page *p = tp_parse_ok("D\nCPT4 code\nName of the Procedure:\n\nSummary\nS.\n");
    cr_expect_null(p->name);
    cr_expect_eq(p->n_sections, 1);
    ps_page_free(p);
}

Test(page_quirks, missing_name) {
    ps_page *p = tp_parse_ok("Search all medical codes\nD\nCPT4 code\nCommon Name(s): A, B\nSummary\nS.\n");
    cr_expect_null(p->name);
    cr_expect_eq(p->n_common_names, 2);
    cr_expect_eq(p->n_sections, 1);
    ps_page_free(p);
    /* Without common names either, sections alone make it a page. */
    p = tp_parse_ok("D\nSummary\nS.\n");
    cr_expect_null(p->name);
    cr_expect_null(p->code_system);
    cr_expect_eq(p->n_common_names, 0);
    ps_page_free(p);
}

Test(page_quirks, missing_code_line) {
    ps_page *p = tp_parse_ok("D\nName of the Procedure: N\nSummary\nS.\n");
    cr_expect_null(p->code_system);
    cr_expect_str_eq(p->name, "N");
    ps_page_free(p);
}

Test(page_quirks, other_code_systems) {
    ps_page *p = tp_parse_ok("D\nHCPCS Level II code\nSummary\nS.\n");
    cr_expect_str_eq(p->code_system, "HCPCS Level II");
    ps_page_free(p);
    p = tp_parse_ok("D\ncpt4  CODE\nSummary\nS.\n");
    cr_expect_str_eq(p->code_system, "cpt4");
    ps_page_free(p);
    /* Prose ending in "code" is not a code system line. */
    p = tp_parse_ok("D\nthe code\nSummary\nS.\n");
    cr_expect_null(p->code_system);
    ps_page_free(p);
}

Test(page_quirks, common_names) {
    ps_page *p = tp_parse_ok("D\nCommon Name(s):  A ; B,, Foo (X, Y) , [p; q] ,\nSummary\nS.\n");
    cr_assert_eq(p->n_common_names, 4);
    cr_expect_str_eq(p->common_names[0], "A");
    cr_expect_str_eq(p->common_names[1], "B");
    cr_expect_str_eq(p->common_names[2], "Foo (X, Y)");
    cr_expect_str_eq(p->common_names[3], "[p; q]");
    ps_page_free(p);
    /* Unbalanced brackets do not swallow the rest of the list. */
    p = tp_parse_ok("D\nCommon Names: Foo (X, Y\nSummary\nS.\n");
    cr_assert_eq(p->n_common_names, 2);
    cr_expect_str_eq(p->common_names[0], "Foo (X");
    ps_page_free(p);
}

Test(page_quirks, common_names_on_following_lines) {
    ps_page *p = tp_parse_ok("D\nCommon Name(s):\n- Alpha\n- Beta, Gamma\nSummary\nS.\n");
    cr_assert_eq(p->n_common_names, 3);
    cr_expect_str_eq(p->common_names[0], "Alpha");
    cr_expect_str_eq(p->common_names[2], "Gamma");
    ps_page_free(p);
    p = tp_parse_ok("D\nCommon Name(s):\n\nAlpha, Beta\nSummary\nS.\n");
    cr_expect_eq(p->n_common_names, 2);
    ps_page_free(p);
}

Test(page_quirks, unknown_header) {
    ps_page *p = tp_parse_ok(HEAD "Alternatives\n- Physical therapy\n\nCoding Notes\n\n"
                                  "  \xE2\x80\xA2 Report once per session.\n\nPatient Experience\n- Fine.\n");
    cr_assert_eq(p->n_sections, 3);
    cr_expect_eq(p->sections[0].key, PS_SEC_ALTERNATIVES);
    cr_expect_str_eq(p->sections[0].text, "Physical therapy");
    cr_expect_eq(p->sections[1].key, PS_SEC_OTHER);
    cr_expect_str_eq(p->sections[1].title, "Coding Notes");
    cr_expect_str_eq(p->sections[1].text, "Report once per session.");
    cr_expect_eq(p->sections[1].line, 9);
    cr_expect_eq(p->sections[2].key, PS_SEC_EXPERIENCE);
    ps_page_free(p);
}

Test(page_quirks, unknown_header_variants) {
    ps_page *p = tp_parse_ok(HEAD "Summary\nS.\nFollow-Up Care:\nSee the doctor.\n"
                                  "Risks of the Anesthesia (General)\n- nausea\n");
    cr_assert_eq(p->n_sections, 3);
    cr_expect_str_eq(p->sections[1].title, "Follow-Up Care");
    cr_expect_eq(p->sections[1].key, PS_SEC_OTHER);
    cr_expect_str_eq(p->sections[2].title, "Risks of the Anesthesia (General)");
    ps_page_free(p);
}

/* What must stay body text. */
Test(page_quirks, not_unknown_headers) {
    ps_page *p = tp_parse_ok(HEAD "Summary\n"
                                  "Directly Under A Header\n"      /* first line of a section */
                                  "Sentence Ending In A Period.\n" /* a sentence */
                                  "The procedure is used to evaluate:\n"
                                  "Common: soreness\n"             /* inner colon */
                                  "  Indented Title Case\n"        /* indented */
                                  "- Bulleted Title\n"             /* list item */
                                  "lower case line\n"
                                  "A Title With Far Too Many Words In It\n"
                                  "Followed By A Header\n"
                                  "Purpose\nP.\nLast Line Title\n");
    cr_assert_eq(p->n_sections, 2, "%zu sections", p->n_sections);
    cr_expect_eq(tp_count_lines(p->sections[0].text), 9);
    cr_expect_str_eq(p->sections[1].text, "P.\nLast Line Title");
    ps_page_free(p);
}

Test(page_quirks, unknown_header_before_first_section_is_ignored) {
    ps_page *p = tp_parse_ok("D\nCPT4 code\nName of the Procedure: N\nOverview\nstray text\nSummary\nS.\n");
    cr_assert_eq(p->n_sections, 1);
    cr_expect_str_eq(p->sections[0].text, "S.");
    ps_page_free(p);
}

Test(page_quirks, trailing_chrome) {
    ps_page *p = tp_parse_ok(HEAD "Patient Experience\n- Mild pain.\n\n"
                                  "Medical Policies and Guidelines for Injection of something; lumbar\n\n"
                                  "Related policies from health plans\n\nSimilar Codes  \n"
                                  "Similar CodesSearch all medical codes\nSIMILAR CODES\n");
    cr_assert_eq(p->n_sections, 1);
    cr_expect_str_eq(p->sections[0].text, "Mild pain.");
    ps_page_free(p);
}

Test(page_quirks, chrome_glued_to_content) {
    ps_page *p = tp_parse_ok("Similar CodesSearch all medical codesThe Descriptor\nCPT4 code\n"
                             "Summary\nIn the middle.\nSimilar Codes Search all medical codes\n"
                             "More text.\nPatient Experience\n- Mild pain.Similar Codes\n"
                             "- Last.Medical Policies and Guidelines for X\n");
    cr_expect_str_eq(p->descriptor, "The Descriptor");
    cr_assert_eq(p->n_sections, 2);
    cr_expect_str_eq(p->sections[0].text, "In the middle.\nMore text.");
    cr_expect_str_eq(p->sections[1].text, "Mild pain.\nLast.");
    ps_page_free(p);
}

Test(page_quirks, prose_about_similar_codes_survives) {
    ps_page *p = tp_parse_ok(HEAD "Summary\nSimilar codes are reported for other levels.\n"
                                  "Medical policies and guidelines for this vary by plan.\n");
    cr_expect_eq(tp_count_lines(p->sections[0].text), 2);
    ps_page_free(p);
}

Test(page_quirks, sections_out_of_order_and_repeated) {
    ps_page *p = tp_parse_ok(HEAD "Recovery\nR1.\nSummary\nS.\nRecovery\nR2.\nSetting\n\nPurpose\nP.\n");
    cr_assert_eq(p->n_sections, 5);
    cr_expect_eq(p->sections[0].key, PS_SEC_RECOVERY);
    cr_expect_eq(p->sections[1].key, PS_SEC_SUMMARY);
    cr_expect_eq(p->sections[2].key, PS_SEC_RECOVERY);
    cr_expect_str_eq(p->sections[0].text, "R1.");
    cr_expect_str_eq(p->sections[2].text, "R2.");
    /* An empty section is kept: its header is information too. */
    cr_expect_eq(p->sections[3].key, PS_SEC_SETTING);
    cr_expect_str_eq(p->sections[3].text, "");
    ps_page_free(p);
}

Test(page_quirks, trailing_spaces_tabs_and_nbsp) {
    ps_page *p = tp_parse_ok("  Desc  \t\nCPT4 code   \nName of the Procedure:\t\n\xC2\xA0N\xC2\xA0\n"
                             "Summary   \n\tS.  \t\nRisks & Complications\n - r \n");
    cr_expect_str_eq(p->descriptor, "Desc");
    cr_expect_str_eq(p->code_system, "CPT4");
    cr_expect_str_eq(p->name, "N");
    cr_expect_str_eq(p->sections[0].text, "S.");
    cr_expect_eq(p->sections[1].key, PS_SEC_RISKS);
    cr_expect_str_eq(p->sections[1].text, "r");
    ps_page_free(p);
}

Test(page_quirks, bulleted_header_word_is_body) {
    ps_page *p = tp_parse_ok(HEAD "Benefits\n- Summary\n- Recovery: fast\n");
    cr_assert_eq(p->n_sections, 1);
    cr_expect_str_eq(p->sections[0].text, "Summary\nRecovery: fast");
    ps_page_free(p);
}

Test(page_quirks, stray_heading_text_is_ignored) {
    ps_page *p = tp_parse_ok("D\nsome stray line\nCPT4 code\nanother\nName of the Procedure: N\nSummary\nS.\n");
    cr_expect_str_eq(p->descriptor, "D");
    cr_expect_str_eq(p->name, "N");
    cr_expect_eq(p->n_sections, 1);
    ps_page_free(p);
}

Test(page_quirks, overlong_line) {
    size_t n = 300000;
    char *buf = malloc(n + 64);
    cr_assert_not_null(buf);
    strcpy(buf, "D\nSummary\n");
    size_t at = strlen(buf);
    memset(buf + at, 'x', n);
    strcpy(buf + at + n, ".\n");
    ps_page *p = tp_parse_ok(buf);
    cr_expect_eq(strlen(p->sections[0].text), n + 1);
    ps_page_free(p);
    free(buf);
}

Test(page_quirks, no_trailing_newline) {
    ps_page *p = tp_parse_ok("D\nSummary\nlast line");
    cr_expect_str_eq(p->sections[0].text, "last line");
    ps_page_free(p);
}

Test(page_quirks, null_id_and_origin) {
    ps_page *p = NULL;
    ps_err err = {{0}};
    cr_assert_eq(ps_page_parse(NULL, NULL, "D\nSummary\nS.", 12, &p, &err), 0, "%s", err.msg);
    cr_expect_str_eq(p->id, "");
    ps_page_free(p);
    cr_assert_eq(ps_page_parse("x", NULL, "", 0, &p, &err), -1);
    cr_expect_str_eq(err.msg, "(page): empty page");
    /* No err: still refused, nothing written. */
    cr_expect_eq(ps_page_parse("x", "o", "", 0, &p, NULL), -1);
    cr_expect_null(p);
}

Test(page_quirks, section_keys) {
    for (int k = 0; k < PS_SEC_COUNT; k++) {
        const char *name = ps_section_key_name((ps_section_key)k);
        cr_expect_eq(ps_section_key_from_name(name), k, "%s", name);
        const char *title = ps_section_key_title((ps_section_key)k);
        int want = k == PS_SEC_OTHER ? -1 : k;
        cr_expect_eq(ps_section_key_from_header(title, strlen(title)), want, "%s", title);
    }
    cr_expect_str_eq(ps_section_key_name(PS_SEC_RISKS), "risks");
    cr_expect_str_eq(ps_section_key_name(PS_SEC_PROCEDURE), "procedure");
    cr_expect_str_eq(ps_section_key_name(PS_SEC_EXPERIENCE), "experience");
    cr_expect_str_eq(ps_section_key_name(PS_SEC_OTHER), "other");
    cr_expect_str_eq(ps_section_key_title(PS_SEC_RISKS), "Risks and Complications");
    cr_expect_str_eq(ps_section_key_name(PS_SEC_COUNT), "");
    cr_expect_str_eq(ps_section_key_title((ps_section_key)-1), "");
    cr_expect_eq(ps_section_key_from_name("RISKS"), PS_SEC_RISKS);
    cr_expect_eq(ps_section_key_from_name("nope"), -1);
    cr_expect_eq(ps_section_key_from_name(NULL), -1);
    const char *h = "  patient   EXPERIENCE : : ";
    cr_expect_eq(ps_section_key_from_header(h, strlen(h)), PS_SEC_EXPERIENCE);
    cr_expect_eq(ps_section_key_from_header("Summary of it", 13), -1);
    cr_expect_eq(ps_section_key_from_header("Summary", 6), -1); /* "Summar" */
    cr_expect_eq(ps_section_key_from_header(NULL, 0), -1);
    cr_expect_eq(ps_section_key_from_header("", 0), -1);
}
