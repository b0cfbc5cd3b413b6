/*
 * eval_lines.h - internal to the eval loaders: walking a text file line by
 * line in place, with the checks all three formats share.
 */
#ifndef PS_EVAL_LINES_H
#define PS_EVAL_LINES_H

#include <stddef.h>

#include "common/err.h"

typedef struct ps_lines {
    char *buf; /* owned by the caller; lines are NUL-terminated in place */
    size_t len, pos, line_no;
    const char *origin;
} ps_lines;

/* Copy text[0..len) into a fresh NUL-terminated buffer (it->buf) and start
 * at its first line, past a UTF-8 BOM. */
int ps_lines_open(ps_lines *it, const char *text, size_t len, const char *origin, ps_err *err);

/* The next line that is not blank, NUL-terminated in place: 1 with *line,
 * 0 at the end, -1 when the line holds a NUL byte or invalid UTF-8 (err
 * names origin:line). */
int ps_lines_next(ps_lines *it, char **line, ps_err *err);

/* Split line in place at runs of spaces and tabs into at most max fields;
 * returns how many fields the line has (more than max when it has too many). */
size_t ps_lines_split(char *line, char **fields, size_t max);

/* Parse one line into *item (item_size bytes); 0 or -1 with err set. */
typedef int (*ps_line_parser)(char *line, const ps_lines *it, void *item, ps_err *err);

/* Parse every remaining line of it with parse into a growing array of
 * item_size-byte items (*items, malloc()ed, *n of them), first sized for
 * hint items.  An empty file fails with "ORIGIN: no WHAT in it".  On
 * failure *items still holds what was parsed, for the caller to free. */
int ps_lines_parse_all(ps_lines *it, size_t item_size, size_t hint, ps_line_parser parse,
                       const char *what, void **items, size_t *n, ps_err *err);

/* Parse a whole decimal number in [lo, hi]; 0 or -1. */
int ps_lines_long(const char *s, long lo, long hi, long *out);

#endif
