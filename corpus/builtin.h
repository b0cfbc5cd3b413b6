/*
 * builtin.h - curated data compiled into the binary, so that a database
 * built anywhere gets the same synonyms and default weights as the
 * repository's corpus/ files (the build embeds them: scripts/embed_files.sh).
 */
#ifndef PS_BUILTIN_H
#define PS_BUILTIN_H

#include <stddef.h>

/* corpus/synonyms.txt (format documented at its top). */
const char *ps_builtin_synonyms(size_t *len);

/* corpus/weights.conf (format in indexer/weights.h). */
const char *ps_builtin_weights(size_t *len);

#endif
