/*
 * xapian_stock.cc - plain Xapian, set up the way its documentation shows,
 * as a peer for procsearch in the relevance and speed benchmarks.
 *
 *   xapian_stock index   --pages PAGES.jsonl --db DIR [--weights FILE] [--stopwords FILE]
 *   xapian_stock run     --db DIR --queries Q.tsv --run OUT [--depth N] [--tag NAME]
 *                        [--spelling suggest|apply|off]
 *   xapian_stock latency --db DIR --queries Q.tsv [--repeat N] [--warmup N]
 *                        [--spelling suggest|apply|off]
 *
 * PAGES.jsonl is what `procsearch export` prints: one page per line with
 * "id", "descriptor", "name", "common_names" and "sections" [{key, text}].
 *
 * The set-up ("stock"): one unprefixed text field holding the whole page.
 *   - TermGenerator: stemmer "english", STEM_SOME (unstemmed terms with
 *     positions plus Z-prefixed stems), positions on, a SimpleStopper with
 *     procsearch's stopword list (--stopwords, one word per line), spelling
 *     data on (FLAG_SPELLING).
 *   - Field boosts as wdf multipliers: each field is indexed with
 *     index_text(text, wdf_inc) where wdf_inc is the field's weight from
 *     procsearch's weights file (descriptor 3, name 4, common 4, summary 2,
 *     other sections 1 by default), rounded to a whole number (Xapian's wdf
 *     is an integer; a weight of 0 leaves the field out), with
 *     increase_termpos(100) between fields so phrases never span two.  This
 *     is the BM25F-by-wdf idea that procsearch uses too, but nothing else of
 *     procsearch's analysis (no ICU folding, compounds, synonyms).
 *   - No field prefixes: a search box over the whole page does not need them.
 *   - QueryParser: default operator OR, stemmer english, STEM_SOME, the same
 *     stopper, flags FLAG_DEFAULT | FLAG_PHRASE | FLAG_LOVEHATE |
 *     FLAG_WILDCARD | FLAG_SPELLING_CORRECTION.  Xapian's corrected query
 *     is a "did you mean" suggestion (as Omega shows it): by default
 *     (--spelling suggest) it is computed, so its cost is in the latency, but
 *     the query as typed is the one ranked.  --spelling apply ranks the
 *     corrected query instead whenever there is one (Xapian corrects only
 *     words that are not in the database, so on a small corpus it also
 *     "corrects" valid words that no page happens to use); --spelling off
 *     leaves FLAG_SPELLING_CORRECTION out.  A query the parser rejects is
 *     parsed again with no flags.
 *   - Weighting: BM25Weight with Xapian's defaults (k1 1, k2 0, k3 1, b 0.5,
 *     min_normlen 0.5).
 * The id is the document data and the unique term "Q<id>", so a page given
 * twice replaces the first, as in procsearch.  The stopword list and the
 * weights are kept in the database's metadata, so run and latency use what
 * the index was built with.
 *
 * Output: index prints one JSON line {"system","pages","seconds",
 * "pages_per_s"}; run writes a TREC run (qid Q0 docid rank score tag);
 * latency prints {"system","queries","repeat","warmup","k","p50_ms",
 * "p95_ms","p99_ms","mean_ms","qps"}, timing per query the parse, the search
 * for the top 10 and the fetch of their ids, nothing else.
 */
#include <xapian.h>

#include <jansson.h>

#include <algorithm>
#include <chrono>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

const char *const SYSTEM = "xapian-stock";

// The field names of procsearch's indexer/fields.h, in its order.
const char *const FIELDS[] = {"descriptor", "name",        "common",      "summary",
                              "purpose",    "indications", "preparation", "procedure",
                              "duration",   "setting",     "personnel",   "risks",
                              "benefits",   "recovery",    "alternatives", "experience",
                              "other"};
const size_t N_FIELDS = sizeof FIELDS / sizeof FIELDS[0];

struct Failure : std::runtime_error {
    using std::runtime_error::runtime_error;
};
struct UsageError : Failure {
    using Failure::Failure;
};

[[noreturn]] void fail(const std::string &msg) { throw Failure(msg); }
[[noreturn]] void usage_fail(const std::string &msg) { throw UsageError(msg); }

// ---- options -------------------------------------------------------------

struct Options {
    std::map<std::string, std::string> values;
    enum Spelling { SUGGEST, APPLY, OFF } spelling = SUGGEST;
};

const char USAGE[] =
    "usage: xapian_stock index   --pages PAGES.jsonl --db DIR [--weights FILE] [--stopwords FILE]\n"
    "       xapian_stock run     --db DIR --queries Q.tsv --run OUT [--depth N] [--tag NAME]"
    "\n                            [--spelling suggest|apply|off]\n"
    "       xapian_stock latency --db DIR --queries Q.tsv [--repeat N] [--warmup N]"
    "\n                            [--spelling suggest|apply|off]\n";

Options parse_options(int argc, char **argv, const std::vector<std::string> &allowed) {
    Options o;
    for (int i = 2; i < argc; i++) {
        std::string a = argv[i];
        if (a.rfind("--", 0) != 0 ||
            std::find(allowed.begin(), allowed.end(), a) == allowed.end())
            usage_fail("unknown option '" + a + "' for " + argv[1]);
        if (i + 1 >= argc)
            usage_fail("option " + a + " needs a value");
        o.values[a] = argv[++i];
        if (a == "--spelling") {
            const std::string &v = o.values[a];
            if (v == "suggest")
                o.spelling = Options::SUGGEST;
            else if (v == "apply")
                o.spelling = Options::APPLY;
            else if (v == "off")
                o.spelling = Options::OFF;
            else
                usage_fail("--spelling must be suggest, apply or off, not '" + v + "'");
        }
    }
    return o;
}

// The name a run or a latency line carries: the spelling mode when not the default.
std::string system_name(const Options &o) {
    switch (o.spelling) {
    case Options::APPLY: return std::string(SYSTEM) + "-spell";
    case Options::OFF: return std::string(SYSTEM) + "-nospell";
    default: return SYSTEM;
    }
}

const std::string &required(const Options &o, const std::string &name) {
    auto it = o.values.find(name);
    if (it == o.values.end())
        usage_fail("missing " + name);
    return it->second;
}

size_t number_option(const Options &o, const std::string &name, size_t dflt, size_t lo,
                     size_t hi) {
    auto it = o.values.find(name);
    if (it == o.values.end())
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

// ---- config files --------------------------------------------------------

std::string read_file(const std::string &path, const char *what) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        fail(std::string(what) + " " + path + ": cannot open: " + std::strerror(errno));
    std::ostringstream ss;
    ss << in.rdbuf();
    if (in.bad())
        fail(std::string(what) + " " + path + ": read error");
    return ss.str();
}

std::string trim(const std::string &s) {
    size_t a = s.find_first_not_of(" \t\r\n"), b = s.find_last_not_of(" \t\r\n");
    return a == std::string::npos ? std::string() : s.substr(a, b - a + 1);
}

// procsearch's default field weights (corpus/weights.conf).
std::vector<double> default_weights() {
    std::vector<double> w(N_FIELDS, 1.0);
    w[0] = 3; // descriptor
    w[1] = 4; // name
    w[2] = 4; // common
    w[3] = 2; // summary
    return w;
}

// procsearch's weights format: "name = value" lines, '#' comments.  Field
// names set field weights; the other names procsearch knows (k1, b,
// synonym, typo, phrase) are accepted and ignored: the stock setup keeps
// Xapian's own BM25 parameters.
std::vector<double> parse_weights(const std::string &text, const std::string &origin) {
    std::vector<double> w = default_weights();
    std::istringstream in(text);
    std::string line;
    for (size_t no = 1; std::getline(in, line); no++) {
        size_t hash = line.find('#');
        if (hash != std::string::npos)
            line.erase(hash);
        line = trim(line);
        if (line.empty())
            continue;
        size_t eq = line.find('=');
        std::string where = origin + ":" + std::to_string(no) + ": ";
        if (eq == std::string::npos)
            fail(where + "expected 'name = value'");
        std::string name = trim(line.substr(0, eq)), val = trim(line.substr(eq + 1));
        char *end = nullptr;
        double v = std::strtod(val.c_str(), &end);
        if (val.empty() || *end || !std::isfinite(v) || v < 0)
            fail(where + "'" + name + "' needs a number >= 0, not '" + val + "'");
        size_t f = 0;
        while (f < N_FIELDS && name != FIELDS[f])
            f++;
        if (f < N_FIELDS)
            w[f] = v;
        else if (name != "k1" && name != "b" && name != "synonym" && name != "typo" &&
                 name != "phrase")
            fail(where + "unknown name '" + name + "'");
    }
    return w;
}

std::string format_weights(const std::vector<double> &w) {
    std::ostringstream out;
    for (size_t f = 0; f < N_FIELDS; f++)
        out << FIELDS[f] << " = " << w[f] << "\n";
    return out.str();
}

std::vector<std::string> parse_stopwords(const std::string &text) {
    std::vector<std::string> words;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        line = trim(line);
        if (!line.empty() && line[0] != '#')
            words.push_back(line);
    }
    return words;
}

std::string join_lines(const std::vector<std::string> &v) {
    std::string s;
    for (const auto &x : v)
        s += x + "\n";
    return s;
}

// ---- queries -------------------------------------------------------------

struct Query {
    std::string qid, type, text;
};

std::vector<Query> load_queries(const std::string &path) {
    std::string text = read_file(path, "queries");
    std::vector<Query> qs;
    std::istringstream in(text);
    std::string line;
    for (size_t no = 1; std::getline(in, line); no++) {
        if (!line.empty() && line.back() == '\r')
            line.pop_back();
        if (trim(line).empty())
            continue;
        size_t t1 = line.find('\t'), t2 = t1 == std::string::npos ? t1 : line.find('\t', t1 + 1);
        if (t2 == std::string::npos)
            fail(path + ":" + std::to_string(no) + ": expected qid<TAB>type<TAB>query");
        qs.push_back({line.substr(0, t1), line.substr(t1 + 1, t2 - t1 - 1), line.substr(t2 + 1)});
    }
    if (qs.empty())
        fail(path + ": no queries");
    return qs;
}

// ---- index ---------------------------------------------------------------

const json_t *member(const json_t *obj, const char *key, const std::string &where) {
    const json_t *v = json_object_get(obj, key);
    if (v && !json_is_null(v) && !json_is_string(v) && !json_is_array(v))
        fail(where + ": \"" + key + "\" has the wrong type");
    return v && !json_is_null(v) ? v : nullptr;
}

std::string string_member(const json_t *obj, const char *key, const std::string &where) {
    const json_t *v = member(obj, key, where);
    if (v && !json_is_string(v))
        fail(where + ": \"" + key + "\" is not a string");
    return v ? std::string(json_string_value(v), json_string_length(v)) : std::string();
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

int cmd_index(const Options &o) {
    const std::string &pages = required(o, "--pages");
    const std::string &dbpath = required(o, "--db");
    std::vector<double> weights = default_weights();
    if (o.values.count("--weights"))
        weights = parse_weights(read_file(o.values.at("--weights"), "weights"),
                                o.values.at("--weights"));
    std::vector<std::string> stops;
    if (o.values.count("--stopwords"))
        stops = parse_stopwords(read_file(o.values.at("--stopwords"), "stopwords"));

    FILE *in = std::fopen(pages.c_str(), "rb");
    if (!in)
        fail("pages " + pages + ": cannot open: " + std::strerror(errno));
    auto t0 = std::chrono::steady_clock::now();
    Xapian::WritableDatabase db(dbpath, Xapian::DB_CREATE_OR_OVERWRITE);
    Xapian::SimpleStopper stopper(stops.begin(), stops.end());
    Xapian::TermGenerator tg;
    tg.set_stemmer(Xapian::Stem("english"));
    tg.set_stemming_strategy(Xapian::TermGenerator::STEM_SOME);
    tg.set_stopper(&stopper);
    tg.set_database(db);
    tg.set_flags(Xapian::TermGenerator::FLAG_SPELLING);

    size_t count = 0, line_no = 0, in_batch = 0;
    char *line = nullptr;
    size_t cap = 0;
    ssize_t n;
    try {
        while ((n = getline(&line, &cap, in)) >= 0) {
            line_no++;
            std::string where = pages + ":" + std::to_string(line_no);
            while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
                n--;
            if (n == 0)
                continue;
            json_error_t jerr;
            json_t *rec = json_loadb(line, (size_t)n, 0, &jerr);
            if (!rec || !json_is_object(rec)) {
                json_decref(rec);
                fail(where + ": not a JSON object" + (rec ? "" : std::string(": ") + jerr.text));
            }
            try {
                std::string id = string_member(rec, "id", where);
                if (id.empty())
                    fail(where + ": missing \"id\"");
                Xapian::Document doc;
                tg.set_document(doc);
                auto add = [&](size_t field, const std::string &text) {
                    double w = weights[field];
                    if (w <= 0 || text.empty())
                        return;
                    Xapian::termcount inc = (Xapian::termcount)std::max(1.0, std::round(w));
                    tg.index_text(text, inc);
                    tg.increase_termpos(100);
                };
                add(0, string_member(rec, "descriptor", where));
                add(1, string_member(rec, "name", where));
                if (const json_t *names = member(rec, "common_names", where)) {
                    size_t i;
                    const json_t *v;
                    json_array_foreach(names, i, v) {
                        if (!json_is_string(v))
                            fail(where + ": \"common_names\"[" + std::to_string(i) +
                                 "] is not a string");
                        add(2, json_string_value(v));
                    }
                }
                if (const json_t *secs = member(rec, "sections", where)) {
                    size_t i;
                    const json_t *s;
                    json_array_foreach(secs, i, s) {
                        std::string at = where + ": \"sections\"[" + std::to_string(i) + "]";
                        if (!json_is_object(s))
                            fail(at + " is not an object");
                        std::string key = string_member(s, "key", at);
                        size_t f = 3;
                        while (f < N_FIELDS && key != FIELDS[f])
                            f++;
                        if (f == N_FIELDS)
                            f = N_FIELDS - 1; // unknown key: "other"
                        add(f, string_member(s, "text", at));
                    }
                }
                doc.set_data(id);
                std::string idterm = "Q" + id;
                doc.add_boolean_term(idterm);
                db.replace_document(idterm, doc);
            } catch (...) {
                json_decref(rec);
                throw;
            }
            json_decref(rec);
            count++;
            if (++in_batch == 1000) { // commit in batches, as procsearch does
                db.commit();
                in_batch = 0;
            }
        }
        if (std::ferror(in))
            fail(pages + ": read error after line " + std::to_string(line_no));
        db.set_metadata("peer.stopwords", join_lines(stops));
        db.set_metadata("peer.weights", format_weights(weights));
        db.commit();
    } catch (...) {
        std::free(line);
        std::fclose(in);
        throw;
    }
    std::free(line);
    std::fclose(in);
    double secs = seconds_since(t0);
    std::printf("{\"system\":\"%s\",\"pages\":%zu,\"seconds\":%.3f,\"pages_per_s\":%.1f}\n", SYSTEM,
                count, secs, secs > 0 ? (double)count / secs : 0.0);
    std::fprintf(stderr, "%s: indexed %zu pages in %.2f s (%.0f pages/s) into %s\n", SYSTEM, count,
                 secs, secs > 0 ? (double)count / secs : 0.0, dbpath.c_str());
    return 0;
}

// ---- searching -----------------------------------------------------------

struct Searcher {
    Xapian::Database db;
    Xapian::SimpleStopper stopper;
    Xapian::QueryParser qp;
    Xapian::Enquire enquire;
    Options::Spelling spelling;

    Searcher(const std::string &path, Options::Spelling spell)
        : db(path), enquire(db), spelling(spell) {
        for (const auto &w : parse_stopwords(db.get_metadata("peer.stopwords")))
            stopper.add(w);
        qp.set_database(db);
        qp.set_stemmer(Xapian::Stem("english"));
        qp.set_stemming_strategy(Xapian::QueryParser::STEM_SOME);
        qp.set_stopper(&stopper);
        qp.set_default_op(Xapian::Query::OP_OR);
        enquire.set_weighting_scheme(Xapian::BM25Weight());
    }

    Xapian::Query parse(const std::string &text) {
        unsigned flags = Xapian::QueryParser::FLAG_DEFAULT | Xapian::QueryParser::FLAG_PHRASE |
                         Xapian::QueryParser::FLAG_LOVEHATE | Xapian::QueryParser::FLAG_WILDCARD;
        if (spelling != Options::OFF)
            flags |= Xapian::QueryParser::FLAG_SPELLING_CORRECTION;
        Xapian::Query q;
        try {
            q = qp.parse_query(text, flags);
        } catch (const Xapian::QueryParserError &) {
            return qp.parse_query(text, 0);
        }
        if (spelling == Options::APPLY) {
            std::string corrected = qp.get_corrected_query_string();
            if (!corrected.empty() && corrected != text) {
                try {
                    q = qp.parse_query(corrected, flags & ~Xapian::QueryParser::FLAG_SPELLING_CORRECTION);
                } catch (const Xapian::QueryParserError &) {
                    // keep the uncorrected query
                }
            }
        }
        return q;
    }

    Xapian::MSet search(const std::string &text, size_t depth) {
        enquire.set_query(parse(text));
        return enquire.get_mset(0, (Xapian::doccount)depth);
    }
};

int cmd_run(const Options &o) {
    const std::string &dbpath = required(o, "--db");
    std::vector<Query> qs = load_queries(required(o, "--queries"));
    const std::string &out = required(o, "--run");
    size_t depth = number_option(o, "--depth", 100, 1, 10000);
    std::string tag = o.values.count("--tag") ? o.values.at("--tag") : system_name(o);
    Searcher s(dbpath, o.spelling);
    FILE *f = std::fopen(out.c_str(), "w");
    if (!f)
        fail("run " + out + ": cannot create: " + std::strerror(errno));
    for (const Query &q : qs) {
        Xapian::MSet m = s.search(q.text, depth);
        size_t rank = 0;
        for (auto it = m.begin(); it != m.end(); ++it)
            std::fprintf(f, "%s Q0 %s %zu %.6f %s\n", q.qid.c_str(),
                         it.get_document().get_data().c_str(), ++rank, it.get_weight(),
                         tag.c_str());
    }
    if (std::fclose(f) != 0)
        fail("run " + out + ": write error: " + std::strerror(errno));
    std::fprintf(stderr, "%s: %zu queries -> %s\n", tag.c_str(), qs.size(), out.c_str());
    return 0;
}

double percentile(const std::vector<double> &sorted, double p) {
    // nearest rank
    size_t k = (size_t)std::ceil(p / 100.0 * (double)sorted.size());
    return sorted[k ? k - 1 : 0];
}

int cmd_latency(const Options &o) {
    const std::string &dbpath = required(o, "--db");
    std::vector<Query> qs = load_queries(required(o, "--queries"));
    size_t repeat = number_option(o, "--repeat", 5, 1, 100000);
    size_t warmup = number_option(o, "--warmup", 1, 0, 100000);
    const size_t k = 10;
    Searcher s(dbpath, o.spelling);
    std::vector<double> ms;
    ms.reserve(qs.size() * repeat);
    static volatile size_t sink; // keeps the id fetch from being optimised away
    for (size_t pass = 0; pass < warmup + repeat; pass++) {
        for (const Query &q : qs) {
            auto t0 = std::chrono::steady_clock::now();
            Xapian::MSet m = s.search(q.text, k);
            for (auto it = m.begin(); it != m.end(); ++it)
                sink = sink + it.get_document().get_data().size();
            double t = seconds_since(t0) * 1000.0;
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
                system_name(o).c_str(), qs.size(), repeat, warmup, k, percentile(ms, 50), percentile(ms, 95),
                percentile(ms, 99), total / (double)ms.size(),
                total > 0 ? (double)ms.size() / (total / 1000.0) : 0.0);
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
        if (cmd == "index")
            return cmd_index(parse_options(argc, argv, {"--pages", "--db", "--weights", "--stopwords"}));
        if (cmd == "run")
            return cmd_run(parse_options(
                argc, argv, {"--db", "--queries", "--run", "--depth", "--tag", "--spelling"}));
        if (cmd == "latency")
            return cmd_latency(parse_options(
                argc, argv, {"--db", "--queries", "--repeat", "--warmup", "--spelling"}));
        std::fprintf(stderr, "xapian_stock: unknown command '%s'\n%s", argv[1], USAGE);
        return 2;
    } catch (const UsageError &e) {
        std::fprintf(stderr, "xapian_stock %s: %s\n%s", cmd.c_str(), e.what(), USAGE);
        return 2;
    } catch (const Failure &e) {
        std::fprintf(stderr, "xapian_stock %s: %s\n", cmd.c_str(), e.what());
        return 1;
    } catch (const Xapian::Error &e) {
        std::fprintf(stderr, "xapian_stock %s: %s\n", cmd.c_str(), e.get_description().c_str());
        return 1;
    } catch (const std::exception &e) {
        std::fprintf(stderr, "xapian_stock %s: %s\n", cmd.c_str(), e.what());
        return 1;
    }
}
