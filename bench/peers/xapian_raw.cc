/*
 * xapian_raw.cc - procsearch's own queries on plain Xapian: the floor under
 * procsearch's latency, so that a benchmark shows what procsearch's layers
 * (query language, analysis, spelling, synonyms, the shim, snippets, JSON)
 * cost above the matcher.
 *
 *   xapian_raw latency --db DIR --dump FILE [--repeat N] [--warmup N] [--k N]
 *   xapian_raw run     --db DIR --dump FILE --run OUT [--depth N] [--tag NAME]
 *
 * DIR is a procsearch database; FILE is what `procsearch bench --db DIR
 * --queries Q.tsv --dump-queries FILE` writes: one line per query,
 *     qid TAB hex(Xapian::Query::serialise()) TAB k1 TAB b
 * the exact query procsearch's search runs for that text (a prefix* in it
 * already expanded to its terms, which procsearch does while building it,
 * so the expansion counts among procsearch's layers).  Each is
 * unserialised once, up front (outside the timing), and then, per query and
 * per pass, timed: Enquire::set_query, set_weighting_scheme(BM25Weight(k1,
 * 0, 1, b, 0.5)) as procsearch sets it, get_mset(0, k) (k = 10), and for
 * each hit its docid and value slot 0 (procsearch's page id).  A query with
 * an empty second column (no searchable word: procsearch runs no match) is
 * timed as running nothing.  One Enquire over one Database, reused, as a
 * procsearch searcher does.
 *
 * run writes the top depth (default 100) of each query as a TREC run (qid Q0
 * id rank score tag, the id from value slot 0), which must equal the run
 * `procsearch eval --run` writes for the same queries: the check that the
 * dump is the query procsearch runs (bench/perf.sh compares them).
 *
 * latency output: one JSON line {"system":"xapian-raw","queries","repeat","warmup",
 * "k","p50_ms","p95_ms","p99_ms","mean_ms","qps"} as the other peers' latency
 * mode prints (bench/peers/xapian_stock.cc); qps is searches per second of
 * the summed search times, i.e. of one thread kept busy.
 */
#include <xapian.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

const char *const SYSTEM = "xapian-raw";

const char USAGE[] =
    "usage: xapian_raw latency --db DIR --dump FILE [--repeat N] [--warmup N] [--k N]\n"
    "       xapian_raw run     --db DIR --dump FILE --run OUT [--depth N] [--tag NAME]\n"
    "  FILE: procsearch bench --db DIR --queries Q.tsv --dump-queries FILE\n";

struct Failure : std::runtime_error {
    using std::runtime_error::runtime_error;
};
struct UsageError : Failure {
    using Failure::Failure;
};

[[noreturn]] void fail(const std::string &msg) { throw Failure(msg); }
[[noreturn]] void usage_fail(const std::string &msg) { throw UsageError(msg); }

using Options = std::map<std::string, std::string>;

Options parse_options(int argc, char **argv, const std::vector<std::string> &allowed) {
    Options o;
    for (int i = 2; i < argc; i++) {
        std::string a = argv[i];
        if (std::find(allowed.begin(), allowed.end(), a) == allowed.end())
            usage_fail("unknown option '" + a + "' for " + argv[1]);
        if (i + 1 >= argc)
            usage_fail("option " + a + " needs a value");
        o[a] = argv[++i];
    }
    return o;
}

const std::string &required(const Options &o, const std::string &name) {
    auto it = o.find(name);
    if (it == o.end())
        usage_fail("missing " + name);
    return it->second;
}

size_t number_option(const Options &o, const std::string &name, size_t dflt, size_t lo,
                     size_t hi) {
    auto it = o.find(name);
    if (it == o.end())
        return dflt;
    const std::string &v = it->second;
    char *end = nullptr;
    errno = 0;
    unsigned long long n = std::strtoull(v.c_str(), &end, 10);
    if (v.empty() || *end || errno || v[0] == '-' || n < lo || n > hi)
        usage_fail(name + " needs a whole number from " + std::to_string(lo) + " to " +
                   std::to_string(hi) + ", not '" + v + "'");
    return (size_t)n;
}

// ---- the dump --------------------------------------------------------------

struct Query {
    std::string qid;
    Xapian::Query query;
    bool empty = true; // no searchable word: procsearch runs no match
    double k1 = 1, b = 0.5;
};

int hex_digit(char c) {
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

double parse_param(const std::string &v, const std::string &where, const char *what) {
    char *end = nullptr;
    errno = 0;
    double d = std::strtod(v.c_str(), &end);
    if (v.empty() || *end || errno || !std::isfinite(d) || d < 0)
        fail(where + ": " + what + " must be a number >= 0, not '" + v + "'");
    return d;
}

std::vector<Query> load_dump(const std::string &path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        fail("dump " + path + ": cannot open: " + std::strerror(errno));
    std::vector<Query> qs;
    std::string line;
    for (size_t no = 1; std::getline(in, line); no++) {
        if (!line.empty() && line.back() == '\r')
            line.pop_back();
        if (line.empty())
            continue;
        std::string where = path + ":" + std::to_string(no);
        std::vector<std::string> col;
        size_t start = 0, tab;
        while ((tab = line.find('\t', start)) != std::string::npos) {
            col.push_back(line.substr(start, tab - start));
            start = tab + 1;
        }
        col.push_back(line.substr(start));
        if (col.size() != 4 || col[0].empty())
            fail(where + ": expected qid<TAB>hex query<TAB>k1<TAB>b");
        const std::string &hex = col[1];
        if (hex.size() % 2)
            fail(where + ": the query's hex has an odd number of digits");
        std::string bytes;
        bytes.reserve(hex.size() / 2);
        for (size_t i = 0; i < hex.size(); i += 2) {
            int hi = hex_digit(hex[i]), lo = hex_digit(hex[i + 1]);
            if (hi < 0 || lo < 0)
                fail(where + ": the query column is not hex");
            bytes.push_back((char)(hi * 16 + lo));
        }
        Query q;
        q.qid = col[0];
        q.k1 = parse_param(col[2], where, "k1");
        q.b = parse_param(col[3], where, "b");
        if (q.b > 1)
            fail(where + ": b must be at most 1");
        try {
            q.query = Xapian::Query::unserialise(bytes);
        } catch (const Xapian::Error &e) {
            fail(where + ": cannot unserialise the query (was it written by the same "
                         "libxapian?): " + e.get_description());
        }
        q.empty = q.query.empty();
        qs.push_back(std::move(q));
    }
    if (in.bad())
        fail("dump " + path + ": read error");
    if (qs.empty())
        fail("dump " + path + ": no queries");
    return qs;
}

// ---- latency -----------------------------------------------------------------

double percentile(const std::vector<double> &sorted, double p) {
    // nearest rank, as the other peers and procsearch bench
    size_t k = (size_t)std::ceil(p / 100.0 * (double)sorted.size());
    return sorted[k ? k - 1 : 0];
}

int cmd_latency(const Options &o) {
    const std::string &dbpath = required(o, "--db");
    std::vector<Query> qs = load_dump(required(o, "--dump"));
    size_t repeat = number_option(o, "--repeat", 5, 1, 100000);
    size_t warmup = number_option(o, "--warmup", 1, 0, 100000);
    size_t k = number_option(o, "--k", 10, 1, 10000);
    Xapian::Database db(dbpath);
    Xapian::Enquire enquire(db);
    std::vector<double> ms;
    ms.reserve(qs.size() * repeat);
    static volatile size_t sink; // keeps the fetch from being optimised away
    for (size_t pass = 0; pass < warmup + repeat; pass++) {
        for (const Query &q : qs) {
            auto t0 = std::chrono::steady_clock::now();
            if (!q.empty) {
                enquire.set_query(q.query);
                enquire.set_weighting_scheme(Xapian::BM25Weight(q.k1, 0, 1, q.b, 0.5));
                Xapian::MSet m = enquire.get_mset(0, (Xapian::doccount)k);
                for (auto it = m.begin(); it != m.end(); ++it)
                    sink = sink + *it + it.get_document().get_value(0).size();
            }
            double t = std::chrono::duration<double, std::milli>(
                           std::chrono::steady_clock::now() - t0)
                           .count();
            if (pass >= warmup)
                ms.push_back(t);
        }
    }
    double total = 0;
    for (double t : ms)
        total += t;
    std::sort(ms.begin(), ms.end());
    std::printf("{\"system\":\"%s\",\"queries\":%zu,\"repeat\":%zu,\"warmup\":%zu,\"k\":%zu,"
                "\"p50_ms\":%.4f,\"p95_ms\":%.4f,\"p99_ms\":%.4f,\"mean_ms\":%.4f,\"qps\":%.1f}\n",
                SYSTEM, qs.size(), repeat, warmup, k, percentile(ms, 50), percentile(ms, 95),
                percentile(ms, 99), total / (double)ms.size(),
                total > 0 ? (double)ms.size() / (total / 1000.0) : 0.0);
    return 0;
}

int cmd_run(const Options &o) {
    const std::string &dbpath = required(o, "--db");
    std::vector<Query> qs = load_dump(required(o, "--dump"));
    const std::string &out = required(o, "--run");
    size_t depth = number_option(o, "--depth", 100, 1, 10000);
    std::string tag = o.count("--tag") ? o.at("--tag") : SYSTEM;
    Xapian::Database db(dbpath);
    Xapian::Enquire enquire(db);
    FILE *f = std::fopen(out.c_str(), "w");
    if (!f)
        fail("run " + out + ": cannot create: " + std::strerror(errno));
    for (const Query &q : qs) {
        if (q.empty)
            continue;
        enquire.set_query(q.query);
        enquire.set_weighting_scheme(Xapian::BM25Weight(q.k1, 0, 1, q.b, 0.5));
        Xapian::MSet m = enquire.get_mset(0, (Xapian::doccount)depth);
        size_t rank = 0;
        for (auto it = m.begin(); it != m.end(); ++it)
            std::fprintf(f, "%s Q0 %s %zu %.17g %s\n", q.qid.c_str(),
                         it.get_document().get_value(0).c_str(), ++rank, it.get_weight(),
                         tag.c_str());
    }
    if (std::ferror(f) | std::fclose(f))
        fail("run " + out + ": write error: " + std::strerror(errno));
    return 0;
}

} // namespace

int main(int argc, char **argv) {
    if (argc < 2 || !std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "-h")) {
        std::fputs(USAGE, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    std::string cmd = argv[1];
    try {
        if (cmd == "latency")
            return cmd_latency(
                parse_options(argc, argv, {"--db", "--dump", "--repeat", "--warmup", "--k"}));
        if (cmd == "run")
            return cmd_run(
                parse_options(argc, argv, {"--db", "--dump", "--run", "--depth", "--tag"}));
        std::fprintf(stderr, "xapian_raw: unknown command '%s'\n%s", argv[1], USAGE);
        return 2;
    } catch (const UsageError &e) {
        std::fprintf(stderr, "xapian_raw %s: %s\n%s", cmd.c_str(), e.what(), USAGE);
        return 2;
    } catch (const Failure &e) {
        std::fprintf(stderr, "xapian_raw %s: %s\n", cmd.c_str(), e.what());
        return 1;
    } catch (const Xapian::Error &e) {
        std::fprintf(stderr, "xapian_raw %s: %s\n", cmd.c_str(), e.get_description().c_str());
        return 1;
    } catch (const std::exception &e) {
        std::fprintf(stderr, "xapian_raw %s: %s\n", cmd.c_str(), e.what());
        return 1;
    }
}
