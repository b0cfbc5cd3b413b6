#include "indexer/conflate.h"

#include <string.h>

/* Each rule needs this much root before the suffix, so that plain words
 * ("graph", "telegraph" is fine either way) keep their stems. */
#define MIN_ROOT 3

static const struct {
    const char *suffix; /* stem ending as Snowball leaves it */
    const char *as;     /* the family's one form */
} rules[] = {
    {"graphi", "gram"}, /* -graphy:  discography, angiography */
    {"graph", "gram"},  /* -graphic, -graph: angiographic, radiograph */
    {"scopi", "scop"},  /* -scopy: endoscopy (endoscope/-scopic are "scop") */
};

size_t ps_conflate_stem(char *stem, size_t len) {
    for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++) {
        size_t n = strlen(rules[i].suffix), m = strlen(rules[i].as);
        if (len >= n + MIN_ROOT && memcmp(stem + len - n, rules[i].suffix, n) == 0) {
            memcpy(stem + len - n, rules[i].as, m);
            stem[len - n + m] = '\0';
            return len - n + m;
        }
    }
    return len;
}
