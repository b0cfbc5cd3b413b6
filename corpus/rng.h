/*
 * rng.h - a small, fast, seedable PRNG for the synthetic corpus.
 *
 * The generator must give byte-identical output for a seed on every
 * platform and libc, so it cannot use rand(): this is xoshiro256** (Blackman
 * and Vigna), seeded through splitmix64.  Every page and every query gets its
 * own stream, derived from (seed, index), so page n is the same whatever N
 * is and can be regenerated on its own (the query writer relies on that).
 */
#ifndef PS_RNG_H
#define PS_RNG_H

#include <stdint.h>

typedef struct ps_rng {
    uint64_t s[4];
} ps_rng;

/* splitmix64's finaliser: a strong 64-bit mix, also used as a stateless
 * hash (synthetic words are a pure function of their rank). */
static inline uint64_t ps_mix64(uint64_t x) {
    x += 0x9E3779B97F4A7C15ULL;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
    return x ^ (x >> 31);
}

/* Stream `stream` of generator `seed`: distinct (seed, stream) pairs give
 * unrelated sequences. */
static inline void ps_rng_seed(ps_rng *r, uint64_t seed, uint64_t stream) {
    uint64_t x = ps_mix64(seed ^ ps_mix64(stream + 0x632BE59BD9B4E019ULL));
    for (int i = 0; i < 4; i++) {
        x += 0x9E3779B97F4A7C15ULL;
        r->s[i] = ps_mix64(x);
    }
}

static inline uint64_t ps_rng_rotl(uint64_t x, int k) {
    return (x << k) | (x >> (64 - k));
}

static inline uint64_t ps_rng_next(ps_rng *r) {
    uint64_t *s = r->s;
    uint64_t out = ps_rng_rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = ps_rng_rotl(s[3], 45);
    return out;
}

/* Uniform in [0, n) for n >= 1, by Lemire's multiply-shift on the top 32
 * bits; the bias (below n / 2^32) is far under anything the corpus
 * statistics could show. */
static inline uint32_t ps_rng_below(ps_rng *r, uint32_t n) {
    return (uint32_t)(((ps_rng_next(r) >> 32) * (uint64_t)n) >> 32);
}

/* Uniform in [0, 1). */
static inline double ps_rng_unit(ps_rng *r) {
    return (double)(ps_rng_next(r) >> 11) * (1.0 / 9007199254740992.0);
}

static inline int ps_rng_chance(ps_rng *r, double p) {
    return ps_rng_unit(r) < p;
}

#endif
