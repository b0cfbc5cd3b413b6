#include "corpus/builtin.h"

/* Defined in the generated $(BUILD)/gen/embedded.c. */
extern const unsigned char ps_embed_corpus_synonyms_txt[];
extern const size_t ps_embed_corpus_synonyms_txt_len;
extern const unsigned char ps_embed_corpus_weights_conf[];
extern const size_t ps_embed_corpus_weights_conf_len;

const char *ps_builtin_synonyms(size_t *len) {
    if (len)
        *len = ps_embed_corpus_synonyms_txt_len;
    return (const char *)ps_embed_corpus_synonyms_txt;
}

const char *ps_builtin_weights(size_t *len) {
    if (len)
        *len = ps_embed_corpus_weights_conf_len;
    return (const char *)ps_embed_corpus_weights_conf;
}
