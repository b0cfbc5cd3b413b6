/*
 * web_assets.h - the search page's files (query/web/), compiled into the
 * binary so that `procsearch serve` needs nothing beside it.
 *
 * The Makefile turns each file into bytes in $(BUILD)/gen/web.c with
 * scripts/embed_files.sh; web_assets.c names them and gives each its URL
 * path and Content-Type.  A new file needs a line in both.
 */
#ifndef PS_WEB_ASSETS_H
#define PS_WEB_ASSETS_H

#include <stddef.h>

typedef struct ps_web_asset {
    const char *path; /* URL path, e.g. "/app.js" */
    const char *type; /* Content-Type */
    const unsigned char *data;
    size_t len;
} ps_web_asset;

/* The asset served at path ("/" is the page itself) into *out; 0, or -1
 * when there is none. */
int ps_web_asset_find(const char *path, ps_web_asset *out);

#endif
