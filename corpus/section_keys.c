#include <stddef.h>
#include <strings.h>

#include "common/text.h"
#include "corpus/page.h"

/* Names match the field names in indexer/fields.c, which is what a user
 * types after "section:". */
static const struct {
    const char *name;
    const char *title;
} keys[PS_SEC_COUNT] = {
    [PS_SEC_SUMMARY] = {"summary", "Summary"},
    [PS_SEC_PURPOSE] = {"purpose", "Purpose"},
    [PS_SEC_INDICATIONS] = {"indications", "Indications"},
    [PS_SEC_PREPARATION] = {"preparation", "Preparation"},
    [PS_SEC_PROCEDURE] = {"procedure", "Procedure Description"},
    [PS_SEC_DURATION] = {"duration", "Duration"},
    [PS_SEC_SETTING] = {"setting", "Setting"},
    [PS_SEC_PERSONNEL] = {"personnel", "Personnel"},
    [PS_SEC_RISKS] = {"risks", "Risks and Complications"},
    [PS_SEC_BENEFITS] = {"benefits", "Benefits"},
    [PS_SEC_RECOVERY] = {"recovery", "Recovery"},
    [PS_SEC_ALTERNATIVES] = {"alternatives", "Alternatives"},
    [PS_SEC_EXPERIENCE] = {"experience", "Patient Experience"},
    [PS_SEC_OTHER] = {"other", "Other"},
};

/* Header spellings, lower case with single spaces: the standard titles and
 * the one variant seen in hand-edited pages. */
static const struct {
    const char *phrase;
    ps_section_key key;
} headers[] = {
    {"summary", PS_SEC_SUMMARY},
    {"purpose", PS_SEC_PURPOSE},
    {"indications", PS_SEC_INDICATIONS},
    {"preparation", PS_SEC_PREPARATION},
    {"procedure description", PS_SEC_PROCEDURE},
    {"duration", PS_SEC_DURATION},
    {"setting", PS_SEC_SETTING},
    {"personnel", PS_SEC_PERSONNEL},
    {"risks and complications", PS_SEC_RISKS},
    {"risks & complications", PS_SEC_RISKS},
    {"benefits", PS_SEC_BENEFITS},
    {"recovery", PS_SEC_RECOVERY},
    {"alternatives", PS_SEC_ALTERNATIVES},
    {"patient experience", PS_SEC_EXPERIENCE},
};

/* Longer than any header with generous spacing: lets body lines, which are
 * mostly long, skip the table. */
#define HEADER_MAX_BYTES 64

static int key_valid(ps_section_key key) {
    return (int)key >= 0 && key < PS_SEC_COUNT;
}

const char *ps_section_key_name(ps_section_key key) {
    return key_valid(key) ? keys[key].name : "";
}

const char *ps_section_key_title(ps_section_key key) {
    return key_valid(key) ? keys[key].title : "";
}

/* Trailing colons and spaces, in any mix ("Summary :"), are not part of
 * the header's name. */
static void drop_trailing_colons(const char *s, size_t *len) {
    for (;;) {
        size_t n = ps_text_space_len_back(s, *len);
        if (n == 0 && *len > 0 && s[*len - 1] == ':')
            n = 1;
        if (n == 0)
            return;
        *len -= n;
    }
}

int ps_section_key_from_header(const char *line, size_t len) {
    if (!line)
        return -1;
    ps_text_trim(&line, &len);
    drop_trailing_colons(line, &len);
    if (len == 0 || len > HEADER_MAX_BYTES)
        return -1;
    for (size_t i = 0; i < sizeof headers / sizeof headers[0]; i++)
        if (ps_text_is_phrase(line, len, headers[i].phrase))
            return (int)headers[i].key;
    return -1;
}

int ps_section_key_from_name(const char *name) {
    if (!name)
        return -1;
    for (int k = 0; k < PS_SEC_COUNT; k++)
        if (strcasecmp(name, keys[k].name) == 0)
            return k;
    return -1;
}
