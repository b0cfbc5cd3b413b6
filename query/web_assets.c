#include "query/web_assets.h"

#include <string.h>

/* Defined in the generated $(BUILD)/gen/web.c (see the Makefile). */
#define EMBEDDED(ident)                                                                          \
    extern const unsigned char ps_embed_##ident[];                                               \
    extern const size_t ps_embed_##ident##_len;
EMBEDDED(query_web_index_html)
EMBEDDED(query_web_app_js)
EMBEDDED(query_web_style_css)
EMBEDDED(query_web_favicon_svg)

/* The lengths are variables in another object, not constant expressions,
 * so the table holds their addresses. */
#define ASSET(path, type, ident) {path, type, ps_embed_##ident, &ps_embed_##ident##_len}

static const struct {
    const char *path;
    const char *type;
    const unsigned char *data;
    const size_t *len;
} assets[] = {
    ASSET("/", "text/html; charset=utf-8", query_web_index_html),
    ASSET("/app.js", "text/javascript; charset=utf-8", query_web_app_js),
    ASSET("/style.css", "text/css; charset=utf-8", query_web_style_css),
    ASSET("/favicon.svg", "image/svg+xml", query_web_favicon_svg),
};

int ps_web_asset_find(const char *path, ps_web_asset *out) {
    for (size_t i = 0; i < sizeof assets / sizeof assets[0]; i++)
        if (!strcmp(assets[i].path, path)) {
            *out = (ps_web_asset){assets[i].path, assets[i].type, assets[i].data, *assets[i].len};
            return 0;
        }
    return -1;
}
