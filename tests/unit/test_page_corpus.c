/*
 * The real pages: every sample and dev page parses, keeps its invariants and
 * leaks no page chrome, and a few pages come out exactly as read by a
 * person.
 */
#include "tests/unit/test_page_helpers.h"

static const char *const chrome[] = {
    "Similar Codes",
    "Search all medical codes",
    "Medical Policies",
    "Related policies",
};

static int contains_ci(const char *hay, const char *needle) {
    size_t len = strlen(hay);
    for (size_t i = 0; i < len; i++)
        if (ps_text_starts_with_ci(hay + i, len - i, needle))
            return 1;
    return 0;
}

static void check_no_chrome(const ps_page *page, const char *file) {
    for (size_t i = 0; i < page->n_sections; i++)
        for (size_t c = 0; c < sizeof chrome / sizeof chrome[0]; c++)
            cr_expect(!contains_ci(page->sections[i].text, chrome[c]), "%s: section %s holds \"%s\"",
                      file, page->sections[i].title, chrome[c]);
    for (size_t c = 0; c < sizeof chrome / sizeof chrome[0]; c++) {
        cr_expect(!contains_ci(page->descriptor, chrome[c]), "%s: descriptor holds chrome", file);
        cr_expect(!page->name || !contains_ci(page->name, chrome[c]), "%s: name holds chrome", file);
    }
}

/* Parses every page of a folder and runs fn on each; returns the count. */
static size_t each_page(const char *dir, void (*fn)(const ps_page *, const char *)) {
    size_t n;
    char **names = tp_list_txt(dir, &n);
    for (size_t i = 0; i < n; i++) {
        char rel[512];
        snprintf(rel, sizeof rel, "%s/%s", dir, names[i]);
        ps_page *page = tp_parse_file(rel);
        tp_check_page(page);
        fn(page, rel);
        ps_page_free(page);
    }
    tp_free_list(names, n);
    return n;
}

static void expect_complete(const ps_page *page, const char *file) {
    check_no_chrome(page, file);
    cr_expect_str_eq(page->code_system ? page->code_system : "(null)", "CPT4", "%s", file);
    cr_expect_not_null(page->name, "%s: no name", file);
    /* Every real page has 12 to 13 standard sections (+ "Coding Notes" or
     * "Anesthesia" on a few). */
    cr_expect(page->n_sections >= 12 && page->n_sections <= 14, "%s: %zu sections", file,
              page->n_sections);
    cr_expect_not_null(tp_section(page, PS_SEC_SUMMARY), "%s: no summary", file);
    cr_expect_not_null(tp_section(page, PS_SEC_PROCEDURE), "%s: no procedure", file);
}

Test(page_corpus, every_sample_parses) {
    cr_expect_eq(each_page("corpus/samples", expect_complete), 5);
}

Test(page_corpus, every_dev_page_parses) {
    cr_expect_eq(each_page("corpus/dev/docs", expect_complete), 149);
}

static size_t n_other;
static void count_other(const ps_page *page, const char *file) {
    (void)file;
    for (size_t i = 0; i < page->n_sections; i++)
        if (page->sections[i].key == PS_SEC_OTHER) {
            n_other++;
            cr_expect(strcmp(page->sections[i].title, "Coding Notes") == 0 ||
                          strcmp(page->sections[i].title, "Anesthesia") == 0,
                      "%s: unexpected extra section \"%s\"", file, page->sections[i].title);
        }
}

/* The only extra headers in the dev pages: 6 x "Coding Notes", 1 x
 * "Anesthesia" (general-02).  Anything more is a body line taken for one. */
Test(page_corpus, unknown_headers_in_dev_pages) {
    n_other = 0;
    each_page("corpus/dev/docs", count_other);
    cr_expect_eq(n_other, 7);
}

Test(page_corpus, sample_000_exactly) {
    ps_page *p = tp_parse_file("corpus/samples/000_b14b9e5059026b7a.txt");
    cr_expect_str_eq(p->id, "test");
    cr_expect_str_eq(p->descriptor, "Injection procedure for discography, each level; lumbar");
    cr_expect_str_eq(p->code_system, "CPT4");
    cr_expect_str_eq(p->name, "Injection Procedure for Discography, Each Level; Lumbar");
    cr_assert_eq(p->n_common_names, 2);
    cr_expect_str_eq(p->common_names[0], "Lumbar Discography");
    cr_expect_str_eq(p->common_names[1], "Discogram");
    cr_assert_eq(p->n_sections, 13);
    for (int k = 0; k < 13; k++) {
        cr_expect_eq(p->sections[k].key, (ps_section_key)k, "section %d out of order", k);
        cr_expect_str_eq(p->sections[k].title, ps_section_key_title((ps_section_key)k));
    }
    const ps_section *ind = tp_section(p, PS_SEC_INDICATIONS);
    cr_expect_eq(tp_count_lines(ind->text), 4);
    cr_expect_str_eq(ind->text,
                     "Persistent lower back pain unresponsive to conservative treatments (e.g., "
                     "physical therapy, medication).\n"
                     "Suspected discogenic pain.\n"
                     "Pre-surgical planning for procedures such as spinal fusion.\n"
                     "Clarification of MRI or CT scan findings.");
    cr_expect_eq(ind->line, 11);
    cr_expect_str_eq(tp_section(p, PS_SEC_DURATION)->text, "Approximately 30 to 60 minutes.");
    cr_expect_eq(tp_count_lines(tp_section(p, PS_SEC_PROCEDURE)->text), 7);
    /* The file ends without a newline: the last item is still whole. */
    const ps_section *last = &p->sections[12];
    cr_expect(strstr(last->text, "\nCold packs to reduce soreness at the injection site.") != NULL);
    ps_page_free(p);
}

/* Blank lines everywhere, "•" bullets indented by two spaces, numbered
 * steps, trailing "Similar Codes", no common names. */
Test(page_corpus, sample_001_bullets_and_steps) {
    ps_page *p = tp_parse_file("corpus/samples/001_acb1197ff8353c6c.txt");
    cr_expect_str_eq(p->descriptor, "Myelography via lumbar injection, including radiological "
                                    "supervision and interpretation; lumbosacral");
    cr_expect_str_eq(p->name, "Myelography via lumbar injection, including radiological "
                              "supervision and interpretation; lumbosacral");
    cr_expect_eq(p->n_common_names, 0);
    cr_expect_eq(p->n_sections, 13);
    cr_expect_str_eq(tp_section(p, PS_SEC_PURPOSE)->text,
                     "The procedure is performed to diagnose or evaluate:\n"
                     "Spinal cord abnormalities\n"
                     "Nerve root issues\n"
                     "Spinal stenosis\n"
                     "Herniated discs\n"
                     "Tumors or infections in the spinal canal\n"
                     "The goal is to obtain detailed images that help in diagnosing spinal "
                     "conditions and guiding treatment plans.");
    const char *steps = tp_section(p, PS_SEC_PROCEDURE)->text;
    cr_expect(strncmp(steps, "The patient lies face down on an X-ray table.\n", 46) == 0, "%s", steps);
    cr_expect_eq(tp_count_lines(steps), 6);
    const char *exp = tp_section(p, PS_SEC_EXPERIENCE)->text;
    cr_expect(strstr(exp, "Similar") == NULL);
    cr_expect_eq(tp_count_lines(exp), 4);
    ps_page_free(p);
}

/* Ends with "Medical Policies and Guidelines for ...", "Related policies
 * from health plans" and "Similar Codes" after the last section. */
Test(page_corpus, sample_002_trailing_chrome) {
    ps_page *p = tp_parse_file("corpus/samples/002_4347b46140aa9454.txt");
    const ps_section *last = &p->sections[p->n_sections - 1];
    cr_expect_eq(last->key, PS_SEC_EXPERIENCE);
    cr_expect_eq(tp_count_lines(last->text), 3);
    cr_expect_str_eq(p->name, "Epidurography, Radiological Supervision, and Interpretation");
    ps_page_free(p);
}

/* No leading chrome, no blank lines, no trailing newline. */
Test(page_corpus, sample_004_without_chrome) {
    ps_page *p = tp_parse_file("corpus/samples/004_31cf683fb6795644.txt");
    cr_expect(strncmp(p->descriptor, "Fluoroscopic guidance and localization", 38) == 0);
    cr_expect_eq(p->n_sections, 13);
    cr_expect_eq(tp_count_lines(tp_section(p, PS_SEC_BENEFITS)->text), 5);
    ps_page_free(p);
}

Test(page_corpus, cardiology_03_coding_notes) {
    ps_page *p = tp_parse_file("corpus/dev/docs/cardiology-03.txt");
    cr_expect_str_eq(p->name, "Percutaneous Coronary Intervention with Intracoronary Stent "
                              "Placement, Single Major Coronary Artery or Branch");
    cr_assert_eq(p->n_common_names, 3);
    cr_expect_str_eq(p->common_names[0], "Coronary Stenting");
    cr_expect_str_eq(p->common_names[1], "PCI");
    cr_expect_str_eq(p->common_names[2], "Balloon Angioplasty with Stent");
    cr_assert_eq(p->n_sections, 14);
    const ps_section *notes = tp_section(p, PS_SEC_OTHER);
    cr_assert_not_null(notes);
    cr_expect_str_eq(notes->title, "Coding Notes");
    cr_expect_eq(notes->line, 87);
    cr_expect_eq(tp_count_lines(notes->text), 3);
    cr_expect(strncmp(notes->text, "Report once for the first major coronary artery", 47) == 0);
    /* It sits between Alternatives and Patient Experience, which keep their
     * own text. */
    cr_expect_eq(p->sections[11].key, PS_SEC_ALTERNATIVES);
    cr_expect_eq(p->sections[12].key, PS_SEC_OTHER);
    cr_expect_eq(p->sections[13].key, PS_SEC_EXPERIENCE);
    cr_expect(strstr(tp_section(p, PS_SEC_ALTERNATIVES)->text, "Report once") == NULL);
    ps_page_free(p);
}

Test(page_corpus, general_02_unknown_header_without_blank_lines) {
    ps_page *p = tp_parse_file("corpus/dev/docs/general-02.txt");
    const ps_section *other = tp_section(p, PS_SEC_OTHER);
    cr_assert_not_null(other);
    cr_expect_str_eq(other->title, "Anesthesia");
    cr_expect_eq(tp_count_lines(other->text), 4);
    cr_expect_eq(tp_count_lines(tp_section(p, PS_SEC_PREPARATION)->text), 3);
    ps_page_free(p);
}

/* Name on the label's line; CRLF line ends. */
Test(page_corpus, lab_12_name_on_label_line) {
    ps_page *p = tp_parse_file("corpus/dev/docs/lab-12.txt");
    cr_expect_str_eq(p->name, "Influenza Vaccine Administration");
    cr_expect_eq(p->n_common_names, 3);
    ps_page_free(p);
}

Test(page_corpus, crlf_page) {
    ps_page *p = tp_parse_file("corpus/dev/docs/breast-skin-06.txt");
    cr_expect_str_eq(p->descriptor, "Augmentation mammaplasty; with insertion of breast "
                                    "prosthesis (saline or silicone implant)");
    cr_expect_str_eq(p->name, "Breast Augmentation with Implant");
    cr_expect_eq(p->sections[0].line, 6);
    ps_page_free(p);
}
