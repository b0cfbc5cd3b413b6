#include "indexer/format.h"

#include <stdlib.h>
#include <string.h>

int ps_format_check(xs_db *db, const char *path, ps_err *err) {
    char *have = NULL;
    if (xs_db_get_metadata(db, PS_META_FORMAT, &have, NULL) != XS_OK)
        return ps_err_set(err, "%s: %s", path, xs_last_error());
    static const char *const readable[] = {PS_INDEX_FORMAT, "5", "4", "3"};
    int ok = !*have && xs_db_doccount(db) == 0;
    for (size_t i = 0; i < sizeof readable / sizeof *readable; i++)
        ok |= strcmp(have, readable[i]) == 0;
    int rc = 0;
    if (!ok)
        rc = ps_err_set(err,
                        "%s: built by %s procsearch (index format %s, this one reads 3 to %s); "
                        "rebuild it with 'procsearch index --overwrite'",
                        path, *have ? "another" : "an older", *have ? have : "1", PS_INDEX_FORMAT);
    free(have);
    return rc;
}

int ps_format_stamp(xs_db *db, const char *path, ps_err *err) {
    if (xs_db_set_metadata(db, PS_META_FORMAT, PS_INDEX_FORMAT, strlen(PS_INDEX_FORMAT)) != XS_OK)
        return ps_err_set(err, "%s: %s", path, xs_last_error());
    return 0;
}
