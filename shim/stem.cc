/*
 * stem.cc - Snowball stemmers.
 */
#include "shim/guard.h"
#include "shim/internal.h"

#include <cstring>
#include <memory>

extern "C" xs_status xs_stem_new(const char *language, xs_stem **out)
{
    XS_REQUIRE(language);
    XS_REQUIRE(out);
    return xs_shim::guard([&] {
        /* Xapian::Stem throws InvalidArgumentError for an unknown language. */
        *out = std::make_unique<xs_stem>(language).release();
        return XS_OK;
    });
}

extern "C" void xs_stem_free(xs_stem *stem)
{
    delete stem;
}

extern "C" xs_status xs_stem_word(xs_stem *stem, const char *word, size_t len,
                                  char *buf, size_t cap, size_t *outlen)
{
    XS_REQUIRE(stem);
    XS_REQUIRE(word);
    XS_REQUIRE(outlen);
    if (cap != 0)
        XS_REQUIRE(buf);
    return xs_shim::guard([&] {
        /* Xapian only takes a std::string; the handle's buffer keeps its
         * capacity between calls, so this copy rarely allocates. */
        stem->word.assign(word, len);
        const std::string stemmed = stem->stem(stem->word);
        *outlen = stemmed.size();
        if (cap != 0) {
            const size_t n = stemmed.size() < cap ? stemmed.size() : cap - 1;
            std::memcpy(buf, stemmed.data(), n);
            buf[n] = '\0';
        }
        if (stemmed.size() >= cap)
            return xs_shim::fail(XS_ERR_INVALID_ARGUMENT, "xs_stem_word",
                                 "buffer too small for the stem");
        return XS_OK;
    });
}
