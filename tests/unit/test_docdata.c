/*
 * The stored form of a page: every dev page survives the round trip, plain
 * and compressed (and in index format 4's layout), heading-only decoding
 * stops early, and damaged records are refused.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zstd.h>

#include "indexer/docbuild.h"
#include "indexer/docdata.h"
#include "tests/support/testenv.h"

static void expect_same(const ps_page *a, const ps_page *b) {
    cr_expect_str_eq(a->id, b->id);
    cr_expect_str_eq(a->descriptor, b->descriptor);
    cr_expect_eq(!a->name, !b->name);
    if (a->name && b->name)
        cr_expect_str_eq(a->name, b->name);
    cr_expect_eq(!a->code_system, !b->code_system);
    cr_assert_eq(a->n_common_names, b->n_common_names, "%s", a->id);
    for (size_t i = 0; i < a->n_common_names; i++)
        cr_expect_str_eq(a->common_names[i], b->common_names[i]);
    cr_assert_eq(a->n_sections, b->n_sections, "%s", a->id);
    for (size_t i = 0; i < a->n_sections; i++) {
        cr_expect_eq(a->sections[i].key, b->sections[i].key);
        cr_expect_str_eq(a->sections[i].title, b->sections[i].title);
        cr_expect_str_eq(a->sections[i].text, b->sections[i].text);
    }
}

/* Every truncation of the record is refused, and (compressed) a flipped
 * byte of its body is refused or, where the bit was one zstd never reads,
 * changes nothing: never misread. */
static void expect_damage_refused(ps_docdata_codec *c, const ps_page *page, char *data, size_t n,
                                  size_t body, const char *path) {
    ps_err err = {{0}};
    for (size_t cut = 0; cut < n; cut += 97) {
        ps_page *p = NULL;
        int rc = ps_docdata_decode(c, data, cut, path, &p, &err);
        cr_expect_eq(rc, -1, "%s cut at %zu of %zu decoded", path, cut, n);
        if (rc == 0)
            ps_page_free(p);
    }
    if (!c)
        return;
    for (size_t at = body; at < n; at += 61) {
        ps_page *p = NULL;
        data[at] ^= 0x20;
        int rc = ps_docdata_decode(c, data, n, path, &p, &err);
        data[at] ^= 0x20;
        if (rc == 0) {
            expect_same(page, p);
            ps_page_free(p);
        }
    }
}

/* Bytes of page's heading strings (as in a PSD1 record after its magic). */
static size_t heading_bytes(const ps_page *page) {
    size_t n = 0;
    for (const char *s[] = {page->id, page->descriptor, page->code_system, page->name},
         **p = s; p < s + 4; p++) {
        size_t len = *p ? strlen(*p) : 0;
        n += len + (len < 128 ? 1 : 2);
    }
    return n;
}

/* One page both ways: plain, and compressed by c (read back by c and by
 * no codec at all). */
static void round_trip(ps_docdata_codec *c, const ps_page *page, const char *path) {
    ps_err err = {{0}};
    ps_page *back = NULL, *again = NULL;
    size_t n = 0;
    char *data = ps_docdata_encode(c, page, &n);
    cr_assert_not_null(data);
    cr_assert_eq(memcmp(data, c ? "PSD3" : "PSD1", 4), 0);
    /* Compressed, nothing but the magic stands outside the frame: Xapian
     * would deflate plain text beside it, and inflate it on every read. */
    if (c)
        cr_expect_eq(ZSTD_findFrameCompressedSize(data + 4, n - 4), n - 4, "%s", path);
    cr_assert_eq(ps_docdata_decode(c, data, n, path, &back, &err), 0, "%s", err.msg);
    expect_same(page, back);
    cr_assert_eq(ps_docdata_decode(NULL, data, n, path, &again, &err), 0, "%s", err.msg);
    expect_same(page, again);
    /* A decoded frame keeps the page's strings: what a hit takes of them
     * is a copy that outlives the page. */
    cr_expect_eq(back->strings != NULL, c != NULL, "%s", path);
    char *id = NULL, *descriptor = NULL, *name = NULL;
    cr_assert_eq(ps_page_take_display(back, &id, &descriptor, &name), 0);
    cr_expect(!back->id && !back->descriptor && !back->name);
    ps_page_free(back);
    back = NULL;
    cr_expect_str_eq(id, page->id);
    cr_expect_str_eq(descriptor, page->descriptor);
    cr_expect_eq(name == NULL, page->name == NULL);
    if (name && page->name)
        cr_expect_str_eq(name, page->name);
    free(id);
    free(descriptor);
    free(name);
    /* Compressed, the frame starts after the magic; plain, no byte is
     * flipped. */
    expect_damage_refused(c, page, data, n, 4, path);
    ps_page_free(back);
    ps_page_free(again);
    free(data);
}

/* A record of index format 4 ("PSD2": the heading plain, the body one zstd
 * frame), made from the plain record, still reads. */
static void format_4_reads(const ps_page *page, const char *path) {
    size_t n = 0;
    char *plain = ps_docdata_encode(NULL, page, &n);
    cr_assert_not_null(plain);
    size_t at = 4 + heading_bytes(page), bound = ZSTD_compressBound(n - at);
    char *old = malloc(at + bound);
    cr_assert_not_null(old);
    memcpy(old, "PSD2", 4);
    memcpy(old + 4, plain + 4, at - 4);
    size_t framed = ZSTD_compress(old + at, bound, plain + at, n - at, 3);
    cr_assert(!ZSTD_isError(framed));
    ps_page *back = NULL;
    ps_err err = {{0}};
    cr_assert_eq(ps_docdata_decode(NULL, old, at + framed, path, &back, &err), 0, "%s",
                 err.msg);
    expect_same(page, back);
    ps_page_free(back);
    /* Cut inside the frame: refused. */
    back = NULL;
    cr_expect_eq(ps_docdata_decode(NULL, old, at + framed / 2, path, &back, &err), -1);
    ps_page_free(back);
    free(old);
    free(plain);
}

static void round_trip_page(const char *path, const ps_page *page, void *ctx) {
    round_trip(NULL, page, path);
    round_trip(ctx, page, path);
    format_4_reads(page, path);
}

Test(docdata, every_dev_page_round_trips_plain_and_compressed) {
    ps_docdata_codec *c = ps_docdata_codec_new();
    cr_assert_not_null(c);
    cr_expect_eq(t_dev_pages(round_trip_page, c), 149);
    ps_docdata_codec_free(c);
}

/* A document's page reads from its page slot (index format 6) and from
 * its data (formats 3 to 5), the slot first. */
static void read_from_slot_or_data(const char *path, const ps_page *page, void *ctx) {
    ps_docdata_codec *c = ctx;
    size_t n = 0, plain_n = 0;
    char *data = ps_docdata_encode(c, page, &n), *plain = ps_docdata_encode(NULL, page, &plain_n);
    cr_assert(data && plain);
    /* The frame keeps the text nearly as it is: decoding it is a copy and
     * a checksum (docdata.h). */
    cr_expect_gt(n, plain_n * 9 / 10, "%s: %zu of %zu bytes", path, n, plain_n);
    xs_doc *slot = NULL, *old = NULL, *both = NULL;
    cr_assert_eq(xs_doc_new(&slot), XS_OK);
    cr_assert_eq(xs_doc_set_value(slot, PS_VALUE_PAGE, data, n), XS_OK);
    cr_assert_eq(xs_doc_new(&old), XS_OK);
    cr_assert_eq(xs_doc_set_data(old, data, n), XS_OK);
    cr_assert_eq(xs_doc_new(&both), XS_OK);
    cr_assert_eq(xs_doc_set_value(both, PS_VALUE_PAGE, data, n), XS_OK);
    cr_assert_eq(xs_doc_set_data(both, "not a page", 10), XS_OK);
    xs_doc *docs[] = {slot, old, both};
    for (size_t i = 0; i < 3; i++) {
        ps_page *back = NULL;
        ps_err err = {{0}};
        cr_assert_eq(ps_doc_page(c, docs[i], path, &back, &err), 0, "%s: %s", path, err.msg);
        expect_same(page, back);
        ps_page_free(back);
        xs_doc_free(docs[i]);
    }
    free(data);
    free(plain);
}

Test(docdata, a_page_reads_from_its_slot_or_its_data) {
    ps_docdata_codec *c = ps_docdata_codec_new();
    cr_assert_not_null(c);
    cr_expect_eq(t_dev_pages(read_from_slot_or_data, c), 149);
    ps_docdata_codec_free(c);
    xs_doc *none = NULL;
    cr_assert_eq(xs_doc_new(&none), XS_OK);
    ps_page *p = NULL;
    ps_err err = {{0}};
    cr_expect_eq(ps_doc_page(c = NULL, none, "doc 9", &p, &err), -1);
    cr_expect_not_null(strstr(err.msg, "doc 9"), "%s", err.msg);
    xs_doc_free(none);
}

Test(docdata, damaged_records_are_refused_with_the_origin) {
    ps_page *p = NULL;
    ps_err err = {{0}};
    cr_expect_eq(ps_docdata_decode(NULL, "{\"id\":1}", 8, "doc 7", &p, &err), -1);
    cr_expect_not_null(strstr(err.msg, "doc 7"), "%s", err.msg);
    /* A length running past the end, and a section key out of range. */
    const char longer[] = "PSD1\x7f" "abc";
    cr_expect_eq(ps_docdata_decode(NULL, longer, sizeof longer - 1, "x", &p, &err), -1);
    const char badkey[] = "PSD1\x01i\x01" "d\x00\x00\x00\x01\x63\x00\x00";
    cr_expect_eq(ps_docdata_decode(NULL, badkey, sizeof badkey - 1, "x", &p, &err), -1);
}

/* A hit's heading: one value slot (index format 5, and 4's with its
 * "PSD2" magic), or a slot per field in a database of format 3. */
Test(docdata, display_fields_from_the_heading_slot_or_format_3_slots) {
    ps_page page = {.id = "p-1", .descriptor = "Knee arthroscopy", .name = "Knee Scope"};
    size_t len = 0;
    char *head = ps_docdata_encode_heading(&page, &len);
    cr_assert_not_null(head);
    cr_assert_eq(memcmp(head, "PSD1", 4), 0);
    xs_doc *now = NULL, *four = NULL, *old = NULL;
    cr_assert_eq(xs_doc_new(&now), XS_OK);
    cr_assert_eq(xs_doc_set_value(now, PS_VALUE_HEADING, head, len), XS_OK);
    memcpy(head, "PSD2", 4);
    cr_assert_eq(xs_doc_new(&four), XS_OK);
    cr_assert_eq(xs_doc_set_value(four, PS_VALUE_HEADING, head, len), XS_OK);
    cr_assert_eq(xs_doc_new(&old), XS_OK);
    cr_assert_eq(xs_doc_set_value(old, PS_VALUE_ID, "p-1", 3), XS_OK);
    cr_assert_eq(xs_doc_set_value(old, PS_VALUE_DESCRIPTOR, "Knee arthroscopy", 16), XS_OK);
    cr_assert_eq(xs_doc_set_value(old, PS_VALUE_NAME, "Knee Scope", 10), XS_OK);
    xs_doc *docs[] = {now, four, old};
    for (size_t i = 0; i < 3; i++) {
        char *id = NULL, *descriptor = NULL, *name = NULL;
        ps_err err = {{0}};
        cr_assert_eq(ps_doc_display(docs[i], &id, &descriptor, &name, &err), 0, "%s", err.msg);
        cr_expect_str_eq(id, "p-1");
        cr_expect_str_eq(descriptor, "Knee arthroscopy");
        cr_expect_str_eq(name, "Knee Scope");
        free(id), free(descriptor), free(name);
        /* An id alone: the other fields are neither read nor returned. */
        cr_assert_eq(ps_doc_display(docs[i], &id, NULL, NULL, &err), 0, "%s", err.msg);
        cr_expect_str_eq(id, "p-1");
        free(id);
    }
    /* A heading slot is refused when damaged, though it has no checksum:
     * a name's length cut short leaves bytes after the heading. */
    size_t name_len_at = len - strlen("Knee Scope") - 1;
    cr_assert_eq(head[name_len_at], (char)strlen("Knee Scope"));
    head[name_len_at] = 4;
    xs_doc *cut = NULL;
    cr_assert_eq(xs_doc_new(&cut), XS_OK);
    cr_assert_eq(xs_doc_set_value(cut, PS_VALUE_HEADING, head, len), XS_OK);
    {
        char *id = NULL, *descriptor = NULL, *name = NULL;
        ps_err err = {{0}};
        cr_expect_eq(ps_doc_display(cut, &id, &descriptor, &name, &err), -1, "read %s", name);
        cr_expect_not_null(strstr(err.msg, "heading value"), "%s", err.msg);
        free(id), free(descriptor), free(name);
    }
    xs_doc_free(cut);
    head[name_len_at] = (char)strlen("Knee Scope");
    /* A heading-only record is no page. */
    memcpy(head, "PSD1", 4);
    {
        ps_page *p = NULL;
        ps_err err = {{0}};
        cr_expect_eq(ps_docdata_decode(NULL, head, len, "slot", &p, &err), -1);
        ps_page_free(p);
    }
    /* No slots at all: a database from before them. */
    xs_doc *none = NULL;
    cr_assert_eq(xs_doc_new(&none), XS_OK);
    char *id = NULL, *descriptor = NULL;
    ps_err err = {{0}};
    cr_expect_eq(ps_doc_display(none, &id, &descriptor, NULL, &err), 1);
    free(id), free(descriptor);
    xs_doc_free(now), xs_doc_free(four), xs_doc_free(old), xs_doc_free(none);
    free(head);
}
