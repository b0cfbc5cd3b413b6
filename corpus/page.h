/*
 * page.h - a procedure page as the rest of procsearch sees it.
 *
 * A page is what the parsers (page_parse.c for the text format, page_jsonl.c
 * for JSON Lines) produce and what the indexer consumes: the coder's
 * descriptor, the procedure's name, its common names, and the body sections
 * in page order.  Every string is owned by the page (one by one, or all in
 * one block for a page decoded from the index: see strings) and is valid
 * UTF-8 with no NUL bytes, trimmed, with CRLF already folded to '\n'.
 */
#ifndef PS_PAGE_H
#define PS_PAGE_H

#include <stddef.h>

#include "common/err.h"

/* The standard body sections, plus PS_SEC_OTHER for any header the page
 * format does not define (e.g. "Coding Notes"), which is kept as its own
 * section under its original title. */
typedef enum ps_section_key {
    PS_SEC_SUMMARY = 0,
    PS_SEC_PURPOSE,
    PS_SEC_INDICATIONS,
    PS_SEC_PREPARATION,
    PS_SEC_PROCEDURE,   /* "Procedure Description" */
    PS_SEC_DURATION,
    PS_SEC_SETTING,
    PS_SEC_PERSONNEL,
    PS_SEC_RISKS,       /* "Risks and Complications" */
    PS_SEC_BENEFITS,
    PS_SEC_RECOVERY,
    PS_SEC_ALTERNATIVES,
    PS_SEC_EXPERIENCE,  /* "Patient Experience" */
    PS_SEC_OTHER,
    PS_SEC_COUNT
} ps_section_key;

typedef struct ps_section {
    ps_section_key key;
    char *title;     /* the header as written, e.g. "Risks and Complications" */
    char *text;      /* body; one line per paragraph or list item, joined by
                        '\n', bullet and numbering marks removed */
    size_t line;     /* 1-based line of the header in the source (0 if none) */
} ps_section;

typedef struct ps_page {
    char *id;             /* stable id: file name stem, or the JSONL "id" */
    char *descriptor;     /* the coder's descriptor (first content line) */
    char *code_system;    /* e.g. "CPT4", or NULL when the page names none */
    char *name;           /* "Name of the Procedure:", or NULL */
    char **common_names;  /* split on ',' / ';' from "Common Name(s):" */
    size_t n_common_names;
    ps_section *sections; /* body sections in page order */
    size_t n_sections;
    /* NULL, or one block that holds every string above (a page decoded
     * from the index keeps them where it decoded them): ps_page_free then
     * frees the block instead of each string, and none may be freed or
     * replaced on its own. */
    char *strings;
} ps_page;

/* Canonical key of a section ("summary", "risks", ... "other") and the
 * standard title it is written with ("Risks and Complications"). */
const char *ps_section_key_name(ps_section_key key);
const char *ps_section_key_title(ps_section_key key);

/* The key for a header line (case-insensitive, trailing ':' and spaces
 * ignored), or -1 when the line is not one of the standard headers. */
int ps_section_key_from_header(const char *line, size_t len);

/* The key for a canonical name such as "risks" (as ps_section_key_name
 * gives), or -1. */
int ps_section_key_from_name(const char *name);

void ps_page_free(ps_page *page); /* NULL is fine */

/* Building a page: the parsers use these, and so can tests and tools.  Each
 * copies its input (which must be valid UTF-8 without NUL bytes) normalised
 * as described at the top: trimmed, line breaks inside a one-line field
 * turned into spaces, and section text reduced to one trimmed line per
 * paragraph or item with list marks removed and blank lines dropped (doing
 * that twice changes nothing, so exported text comes back as it was).  They
 * return 0, or -1 when memory runs out, leaving a page that ps_page_free
 * still frees.  Grow pages only through these calls: the arrays' capacity
 * is implied by their length; and only pages made by them, not decoded
 * ones, whose strings are one block. */
ps_page *ps_page_new(const char *id, size_t len); /* NULL when out of memory */
int ps_page_set_field(char **field, const char *s, size_t len); /* empty leaves NULL */
int ps_page_add_common_name(ps_page *page, const char *s, size_t len); /* empty is skipped */
int ps_page_add_section(ps_page *page, ps_section_key key, const char *title, size_t title_len,
                        const char *text, size_t text_len, size_t line);

/* The largest page the parsers accept; anything bigger is "absurd". */
#define PS_PAGE_MAX_BYTES ((size_t)1 << 20)

/* Parse one page in the text format.  id is the page id (the caller derives
 * it from the file name); origin names the input in messages (a path).
 * On success returns 0 and *out owns a new page.  On rejection returns -1
 * and err says why, naming origin and the line (1-based) or byte offset
 * (0-based, from the start of buf) where there is one:
 * "pages/x.txt: invalid UTF-8 at byte 1234 (line 40)", "...: empty page",
 * "...: binary data (NUL byte at byte 17)",
 * "...: no descriptor line (line 3 starts with \"Summary\")",
 * "...: not a procedure page: no name and no sections",
 * "...: 2000000 bytes, larger than the 1048576-byte limit".
 *
 * Reading rules, in short (page_parse.c has the details):
 *  - lines end in "\n", "\r\n" or "\r"; a leading UTF-8 BOM is skipped;
 *  - page chrome ("Search all medical codes", "Similar Codes", "Related
 *    policies from health plans", "Medical Policies and Guidelines for ...",
 *    alone or glued together) is dropped wherever it appears;
 *  - the first other line is the descriptor; until the first section header
 *    come "<system> code", "Name of the Procedure:" (value on the same or
 *    the next line) and "Common Name(s):" (split on ',' and ';' outside
 *    parentheses); other lines there are ignored;
 *  - a standard header is recognised in any case, with or without a colon,
 *    and text after its colon starts its body;
 *  - after the first section, a short title-cased line at the left margin
 *    (no bullet, no final period, no inner colon), following body text and
 *    followed by more, starts a PS_SEC_OTHER section under its own title.
 * Time and memory are linear in len. */
int ps_page_parse(const char *id, const char *origin, const char *buf, size_t len,
                  ps_page **out, ps_err *err);

/* Parse one JSON Lines record (one line, without the newline).  Fields:
 * "id" (required), and either "text" (a whole page in the text format, read
 * by ps_page_parse with the record's id) or the structured fields
 * "descriptor" (required), "code_system", "name", "common_names" (array of
 * strings), "sections" (array of {"title","text"}; the key is derived from
 * the title, unless the object also has a "key" naming one, as
 * ps_page_to_jsonl writes it).  Optional fields may be null.  Other fields
 * are ignored; "text" together with structured fields is an error.  Strings
 * must not contain NUL.  A record is at most PS_PAGE_MAX_BYTES long.
 * origin and line_no name the record in messages, with the field at fault:
 * "feed.jsonl:12: missing \"id\"", "feed.jsonl:3: \"sections\"[2].title is
 * not a string", "feed.jsonl:5: \"text\": empty page". */
int ps_page_parse_jsonl(const char *origin, size_t line_no, const char *line, size_t len,
                        ps_page **out, ps_err *err);

#endif
