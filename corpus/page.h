/*
 * page.h - a procedure page as the rest of procsearch sees it.
 *
 * A page is what the parsers (page_parse.c for the text format, page_jsonl.c
 * for JSON Lines) produce and what the indexer consumes: the coder's
 * descriptor, the procedure's name, its common names, and the body sections
 * in page order.  Every string is owned by the page and is valid UTF-8 with
 * no NUL bytes, trimmed, with CRLF already folded to '\n'.
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

void ps_page_free(ps_page *page);

/* The largest page the parsers accept; anything bigger is "absurd". */
#define PS_PAGE_MAX_BYTES (1024 * 1024)

/* Parse one page in the text format.  id is the page id (the caller derives
 * it from the file name); origin names the input in messages (a path).
 * On success returns 0 and *out owns a new page.  On rejection returns -1
 * and err says why, naming origin and the line or byte offset where there is
 * one: "pages/x.txt: invalid UTF-8 at byte 1234", "...: empty page",
 * "...: binary data (NUL byte at byte 17)", "...: no descriptor line",
 * "...: 2000000 bytes, larger than the 1048576-byte limit". */
int ps_page_parse(const char *id, const char *origin, const char *buf, size_t len,
                  ps_page **out, ps_err *err);

/* Parse one JSON Lines record (one line, without the newline).  Fields:
 * "id" (required), and either "text" (a whole page in the text format) or
 * the structured fields "descriptor" (required), "code_system", "name",
 * "common_names" (array of strings), "sections" (array of {"title","text"};
 * the key is derived from the title).  origin and line_no name the record
 * in messages ("feed.jsonl:12: missing \"id\""). */
int ps_page_parse_jsonl(const char *origin, size_t line_no, const char *line, size_t len,
                        ps_page **out, ps_err *err);

#endif
