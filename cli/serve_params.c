#include "cli/serve.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/utf8.h"
#include "query/qparse.h"

int ps_params_add(ps_params *ps, const char *key, size_t klen, const char *val, size_t vlen) {
    if (ps->n == PS_PARAMS_MAX) {
        ps->overflow = 1;
        return 0;
    }
    ps_param *p = &ps->p[ps->n];
    if (!val)
        vlen = 0;
    p->key = malloc(klen + 1);
    p->value = malloc(vlen + 1);
    if (!p->key || !p->value) {
        free(p->key);
        free(p->value);
        return -1;
    }
    memcpy(p->key, key, klen);
    p->key[klen] = '\0';
    /* A NUL (%00) would cut the value short for every C string function
     * after this; as a space it separates words, as the query parser reads
     * it, and makes any number invalid. */
    for (size_t i = 0; i < vlen; i++)
        p->value[i] = val[i] ? val[i] : ' ';
    p->value[vlen] = '\0';
    p->value_len = vlen;
    ps->n++;
    return 0;
}

void ps_params_free(ps_params *ps) {
    for (size_t i = 0; i < ps->n; i++) {
        free(ps->p[i].key);
        free(ps->p[i].value);
    }
    memset(ps, 0, sizeof *ps);
}

/* A parameter name safe to echo in JSON and logs: printable ASCII only,
 * cut short. */
static void printable(char *dst, size_t cap, const char *s) {
    size_t n = 0;
    for (; *s && n + 1 < cap; s++)
        dst[n++] = (*s >= 0x20 && *s < 0x7f) ? *s : '?';
    dst[n] = '\0';
}

static int bad_request(ps_bad_request *bad, const char *param, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int bad_request(ps_bad_request *bad, const char *param, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(bad->message, sizeof bad->message, fmt, ap);
    va_end(ap);
    printable(bad->parameter, sizeof bad->parameter, param ? param : "");
    return -1;
}

int ps_params_check(const ps_params *ps, const char *const *names, ps_bad_request *bad) {
    char allowed[128] = "", shown[64];
    for (size_t i = 0; names[i]; i++) {
        size_t at = strlen(allowed);
        snprintf(allowed + at, sizeof allowed - at, "%s%s", i ? ", " : "", names[i]);
    }
    if (ps->overflow)
        return bad_request(bad, NULL, "more than %d parameters", PS_PARAMS_MAX);
    for (size_t i = 0; i < ps->n; i++) {
        const char *key = ps->p[i].key;
        printable(shown, sizeof shown, key);
        size_t k = 0;
        while (names[k] && strcmp(names[k], key) != 0)
            k++;
        if (!names[k])
            return bad_request(bad, key, "unknown parameter '%s' (%s %s)", shown,
                               *allowed ? "this endpoint takes" : "this endpoint takes none",
                               allowed);
        for (size_t j = 0; j < i; j++)
            if (!strcmp(ps->p[j].key, key))
                return bad_request(bad, key, "parameter '%s' is given more than once", shown);
    }
    return 0;
}

const ps_param *ps_params_get(const ps_params *ps, const char *name) {
    for (size_t i = 0; i < ps->n; i++)
        if (!strcmp(ps->p[i].key, name))
            return &ps->p[i];
    return NULL;
}

int ps_params_size(const ps_params *ps, const char *name, size_t lo, size_t hi, size_t def,
                   size_t *out, ps_bad_request *bad) {
    const ps_param *p = ps_params_get(ps, name);
    if (!p) {
        *out = def;
        return 0;
    }
    /* Digits only: no sign, space, hex or exponent, and no overflow. */
    size_t v = 0, n = 0;
    const char *s = p->value;
    for (; n < p->value_len && s[n] >= '0' && s[n] <= '9' && v <= hi; n++)
        v = v * 10 + (size_t)(s[n] - '0');
    if (n == 0 || n != p->value_len || v < lo || v > hi) {
        char shown[24];
        printable(shown, sizeof shown, p->value);
        return bad_request(bad, name, "%s must be a whole number from %zu to %zu, not '%s%s'",
                           name, lo, hi, shown, p->value_len >= sizeof shown ? "..." : "");
    }
    *out = v;
    return 0;
}

int ps_params_query(const ps_params *ps, const char *name, const char **out,
                    ps_bad_request *bad) {
    const ps_param *p = ps_params_get(ps, name);
    if (!p) {
        *out = "";
        return 0;
    }
    if (p->value_len > PS_QUERY_MAX_BYTES)
        return bad_request(bad, name, "%s is %zu bytes long; the most is %d", name,
                           p->value_len, PS_QUERY_MAX_BYTES);
    size_t at = ps_utf8_invalid_at(p->value, p->value_len);
    if (at != p->value_len)
        return bad_request(bad, name, "%s is not valid UTF-8 (byte %zu)", name, at);
    *out = p->value;
    return 0;
}
