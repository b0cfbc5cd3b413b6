/*
 * fields.h - the searchable fields of a page and the term prefixes that
 * restrict a search to one of them.
 *
 * A field is one of the three heading fields (descriptor, name, common
 * names) or one body section.  Each has a canonical name (what `section:`
 * accepts, along with a few aliases) and a term prefix under which its
 * stemmed words are indexed for section-restricted search.  Weights for
 * ranking live in weights.h; this file only says what exists.
 */
#ifndef PS_FIELDS_H
#define PS_FIELDS_H

#include <stddef.h>

#include "corpus/page.h"

typedef enum ps_field {
    PS_F_DESCRIPTOR = 0,
    PS_F_NAME,
    PS_F_COMMON,
    PS_F_SECTION0, /* PS_F_SECTION0 + ps_section_key for each body section */
    PS_F_COUNT = PS_F_SECTION0 + PS_SEC_COUNT
} ps_field;

/* Canonical name, e.g. "descriptor", "name", "common", "summary", "risks". */
const char *ps_field_name(int field);

/* Term prefix for the field's section-restricted terms, e.g. "XRI". */
const char *ps_field_prefix(int field);

/* Field for a name as a person would type it before ':' ("title", "risks",
 * "Complications", "prep" ...), case-insensitive; -1 when it names none. */
int ps_field_lookup(const char *name, size_t len);

static inline int ps_field_of_section(ps_section_key key) { return PS_F_SECTION0 + (int)key; }

#endif
