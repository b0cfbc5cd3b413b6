#include "indexer/fields.h"

#include <string.h>
#include <strings.h>

/* Prefixes follow Xapian's convention: multi-letter user prefixes start
 * with 'X'.  Terms are lower case, so no ':' separator is needed. */
static const struct {
    const char *name;
    const char *prefix;
    const char *aliases[4];
} fields[PS_F_COUNT] = {
    [PS_F_DESCRIPTOR] = {"descriptor", "XD", {"title", "desc", "code"}},
    [PS_F_NAME] = {"name", "XN", {"procedure_name"}},
    [PS_F_COMMON] = {"common", "XC", {"aka", "common_names", "alias"}},
    [PS_F_SECTION0 + PS_SEC_SUMMARY] = {"summary", "XSU", {"overview"}},
    [PS_F_SECTION0 + PS_SEC_PURPOSE] = {"purpose", "XPU", {"goal"}},
    [PS_F_SECTION0 + PS_SEC_INDICATIONS] = {"indications", "XIN", {"indication"}},
    [PS_F_SECTION0 + PS_SEC_PREPARATION] = {"preparation", "XPR", {"prep", "prepare"}},
    [PS_F_SECTION0 + PS_SEC_PROCEDURE] = {"procedure", "XPD", {"description", "steps"}},
    [PS_F_SECTION0 + PS_SEC_DURATION] = {"duration", "XDU", {"length"}},
    [PS_F_SECTION0 + PS_SEC_SETTING] = {"setting", "XSE", {"place"}},
    [PS_F_SECTION0 + PS_SEC_PERSONNEL] = {"personnel", "XPE", {"staff", "team"}},
    [PS_F_SECTION0 + PS_SEC_RISKS] = {"risks", "XRI", {"risk", "complications", "complication"}},
    [PS_F_SECTION0 + PS_SEC_BENEFITS] = {"benefits", "XBE", {"benefit"}},
    [PS_F_SECTION0 + PS_SEC_RECOVERY] = {"recovery", "XRE", {"aftercare"}},
    [PS_F_SECTION0 + PS_SEC_ALTERNATIVES] = {"alternatives", "XAL", {"alternative", "options"}},
    [PS_F_SECTION0 + PS_SEC_EXPERIENCE] = {"experience", "XEX", {"patient_experience"}},
    [PS_F_SECTION0 + PS_SEC_OTHER] = {"other", "XOT", {"notes", "coding"}},
};

const char *ps_field_name(int field) {
    return field >= 0 && field < PS_F_COUNT ? fields[field].name : "";
}

const char *ps_field_prefix(int field) {
    return field >= 0 && field < PS_F_COUNT ? fields[field].prefix : "";
}

static int name_is(const char *want, const char *name, size_t len) {
    return want && strlen(want) == len && strncasecmp(want, name, len) == 0;
}

int ps_field_lookup(const char *name, size_t len) {
    for (int f = 0; f < PS_F_COUNT; f++) {
        if (name_is(fields[f].name, name, len))
            return f;
        for (size_t a = 0; a < sizeof fields[f].aliases / sizeof fields[f].aliases[0]; a++)
            if (name_is(fields[f].aliases[a], name, len))
                return f;
    }
    return -1;
}
