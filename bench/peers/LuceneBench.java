/*
 * LuceneBench.java - Apache Lucene 8 (Debian's liblucene8-java) as a peer for
 * procsearch in the relevance and speed benchmarks.
 *
 *   lucene index   --pages PAGES.jsonl --db DIR [--weights FILE] [--stopwords FILE]
 *   lucene run     --db DIR --queries Q.tsv --run OUT [--mode M] [--depth N] [--tag NAME]
 *   lucene latency --db DIR --queries Q.tsv [--mode M] [--repeat N] [--warmup N]
 *
 * (`lucene` is the launcher the Makefile writes next to the classes.)
 * PAGES.jsonl is what `procsearch export` prints.
 *
 * Index: one document per page: "id" (StringField, stored: the update term
 * and what a hit returns) and one TextField per procsearch field -
 * descriptor, name, common (one value per common name), and each body
 * section (summary, purpose, ... other; sections sharing a key are values of
 * one field; a field the page lacks is added empty, see index()).  Analyzer: EnglishAnalyzer (standard tokenizer, possessive
 * filter, lower case, stop filter, Porter stemmer) with procsearch's stopword
 * list (--stopwords, one word a line) instead of Lucene's own.  Similarity:
 * BM25Similarity (k1 1.2, b 0.75).  updateDocument by id, so a page given
 * twice replaces the first, and a commit every 1000 pages, as procsearch
 * does.  The stopwords and the field weights (--weights: procsearch's
 * weights file; default descriptor 3, name 4, common 4, summary 2, other
 * sections 1) are kept in the commit's user data for run and latency.
 *
 * Query modes (--mode):
 *   multifield (default)  MultiFieldQueryParser over every field with a
 *                         weight > 0, boosted by it, default operator OR:
 *                         per-field BM25 scores added up.  The user's text is
 *                         escaped for the query syntax except for balanced
 *                         double quotes (phrases).
 *   bm25f                 the text analysed into terms; per term a
 *                         BM25FQuery (lucene-sandbox) over the same fields
 *                         with the weights as field weights, the terms OR-ed
 *                         (a BooleanQuery of SHOULD clauses).  BM25F as
 *                         procsearch does it, minus phrases.  BM25FQuery
 *                         takes weights >= 1 only, so weights are scaled
 *                         together until the smallest is 1.
 * No spelling correction in either.
 *
 * Output as bench/peers/xapian_stock.cc describes.  latency times per query
 * the parse, the search for the top 10 and the fetch of their ids, after
 * --warmup passes over the queries (default 5, for the JIT).
 */
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.queryparser.classic.MultiFieldQueryParser;
import org.apache.lucene.queryparser.classic.ParseException;
import org.apache.lucene.queryparser.classic.QueryParser;
import org.apache.lucene.search.BM25FQuery;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.similarities.BM25Similarity;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.BytesRef;

public final class LuceneBench {
    static final String[] FIELDS = {"descriptor", "name", "common", "summary", "purpose",
        "indications", "preparation", "procedure", "duration", "setting", "personnel", "risks",
        "benefits", "recovery", "alternatives", "experience", "other"};
    static final String ID = "id";
    static final Set<String> ID_ONLY = Collections.singleton(ID);
    static final int BATCH = 1000;
    static final String USAGE =
        "usage: lucene index   --pages PAGES.jsonl --db DIR [--weights FILE] [--stopwords FILE]\n"
        + "       lucene run     --db DIR --queries Q.tsv --run OUT [--mode multifield|bm25f]"
        + " [--depth N] [--tag NAME]\n"
        + "       lucene latency --db DIR --queries Q.tsv [--mode multifield|bm25f]"
        + " [--repeat N] [--warmup N]\n";

    /** A failure of the work (exit 1) or of the command line (exit 2). */
    static final class Failure extends Exception {
        private static final long serialVersionUID = 1L;
        final int status;

        Failure(String msg, int status) {
            super(msg);
            this.status = status;
        }
    }

    static Failure fail(String msg) { return new Failure(msg, 1); }

    static Failure usage(String msg) { return new Failure(msg, 2); }

    // ---- options -----------------------------------------------------------

    static Map<String, String> options(String[] args, String... allowed) throws Failure {
        Map<String, String> o = new HashMap<>();
        List<String> ok = Arrays.asList(allowed);
        for (int i = 1; i < args.length; i++) {
            if (!ok.contains(args[i]))
                throw usage("unknown option '" + args[i] + "'");
            if (i + 1 >= args.length)
                throw usage("option " + args[i] + " needs a value");
            o.put(args[i], args[++i]);
        }
        return o;
    }

    static String required(Map<String, String> o, String name) throws Failure {
        String v = o.get(name);
        if (v == null)
            throw usage("missing " + name);
        return v;
    }

    static int number(Map<String, String> o, String name, int dflt, int lo, int hi) throws Failure {
        String v = o.get(name);
        if (v == null)
            return dflt;
        try {
            int n = Integer.parseInt(v);
            if (n >= lo && n <= hi)
                return n;
        } catch (NumberFormatException e) {
            // fall through to the message
        }
        throw usage(name + " needs a whole number from " + lo + " to " + hi + ", not '" + v + "'");
    }

    static String readFile(String what, String path) throws Failure {
        try {
            return new String(Files.readAllBytes(Paths.get(path)), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw fail(what + " " + path + ": cannot open: No such file or directory");
        } catch (IOException e) {
            throw fail(what + " " + path + ": cannot read: " + e.getMessage());
        }
    }

    // ---- config ------------------------------------------------------------

    static float[] defaultWeights() {
        float[] w = new float[FIELDS.length];
        Arrays.fill(w, 1f);
        w[0] = 3; // descriptor
        w[1] = 4; // name
        w[2] = 4; // common
        w[3] = 2; // summary
        return w;
    }

    /** procsearch's weights format; k1, b, synonym, typo, phrase are ignored. */
    static float[] parseWeights(String text, String origin) throws Failure {
        float[] w = defaultWeights();
        String[] lines = text.split("\n", -1);
        for (int no = 1; no <= lines.length; no++) {
            String line = lines[no - 1];
            int hash = line.indexOf('#');
            if (hash >= 0)
                line = line.substring(0, hash);
            line = line.trim();
            if (line.isEmpty())
                continue;
            String where = origin + ":" + no + ": ";
            int eq = line.indexOf('=');
            if (eq < 0)
                throw fail(where + "expected 'name = value'");
            String name = line.substring(0, eq).trim(), val = line.substring(eq + 1).trim();
            float v;
            try {
                v = Float.parseFloat(val);
            } catch (NumberFormatException e) {
                v = Float.NaN;
            }
            if (!(v >= 0) || Float.isInfinite(v))
                throw fail(where + "'" + name + "' needs a number >= 0, not '" + val + "'");
            int f = Arrays.asList(FIELDS).indexOf(name);
            if (f >= 0)
                w[f] = v;
            else if (!Arrays.asList("k1", "b", "synonym", "typo", "phrase").contains(name))
                throw fail(where + "unknown name '" + name + "'");
        }
        return w;
    }

    static String formatWeights(float[] w) {
        StringBuilder sb = new StringBuilder();
        for (int f = 0; f < FIELDS.length; f++)
            sb.append(FIELDS[f]).append(" = ").append(w[f]).append('\n');
        return sb.toString();
    }

    static List<String> parseStopwords(String text) {
        List<String> words = new ArrayList<>();
        for (String line : text.split("\n")) {
            line = line.trim();
            if (!line.isEmpty() && !line.startsWith("#"))
                words.add(line);
        }
        return words;
    }

    static Analyzer analyzer(List<String> stopwords) {
        return new EnglishAnalyzer(new CharArraySet(stopwords, false));
    }

    // ---- a small JSON reader (the records of `procsearch export`) ----------

    static final class Json {
        private final String s;
        private final String where;
        private int i;

        Json(String s, String where) {
            this.s = s;
            this.where = where;
        }

        static Object parse(String s, String where) throws Failure {
            Json j = new Json(s, where);
            Object v = j.value();
            j.space();
            if (j.i != s.length())
                throw j.error("text after the value");
            return v;
        }

        Failure error(String what) { return fail(where + ": invalid JSON at column " + (i + 1) + ": " + what); }

        void space() {
            while (i < s.length() && " \t\r\n".indexOf(s.charAt(i)) >= 0)
                i++;
        }

        char peek() throws Failure {
            space();
            if (i >= s.length())
                throw error("unexpected end");
            return s.charAt(i);
        }

        void expect(char c) throws Failure {
            if (peek() != c)
                throw error("'" + c + "' expected");
            i++;
        }

        Object value() throws Failure {
            char c = peek();
            if (c == '{') {
                Map<String, Object> m = new LinkedHashMap<>();
                i++;
                if (peek() == '}') {
                    i++;
                    return m;
                }
                while (true) {
                    if (peek() != '"')
                        throw error("member name expected");
                    String k = string();
                    expect(':');
                    m.put(k, value());
                    if (peek() == ',') {
                        i++;
                        continue;
                    }
                    expect('}');
                    return m;
                }
            }
            if (c == '[') {
                List<Object> a = new ArrayList<>();
                i++;
                if (peek() == ']') {
                    i++;
                    return a;
                }
                while (true) {
                    a.add(value());
                    if (peek() == ',') {
                        i++;
                        continue;
                    }
                    expect(']');
                    return a;
                }
            }
            if (c == '"')
                return string();
            for (String lit : new String[] {"null", "true", "false"}) {
                if (s.startsWith(lit, i)) {
                    i += lit.length();
                    return lit.equals("null") ? null : Boolean.valueOf(lit.equals("true"));
                }
            }
            int start = i;
            while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0)
                i++;
            if (start == i)
                throw error("value expected");
            try {
                return Double.valueOf(s.substring(start, i));
            } catch (NumberFormatException e) {
                throw error("bad number");
            }
        }

        String string() throws Failure {
            expect('"');
            StringBuilder sb = new StringBuilder();
            while (true) {
                if (i >= s.length())
                    throw error("unterminated string");
                char c = s.charAt(i++);
                if (c == '"')
                    return sb.toString();
                if (c != '\\') {
                    sb.append(c);
                    continue;
                }
                if (i >= s.length())
                    throw error("unterminated string");
                char e = s.charAt(i++);
                switch (e) {
                case '"': case '\\': case '/': sb.append(e); break;
                case 'b': sb.append('\b'); break;
                case 'f': sb.append('\f'); break;
                case 'n': sb.append('\n'); break;
                case 'r': sb.append('\r'); break;
                case 't': sb.append('\t'); break;
                case 'u':
                    if (i + 4 > s.length())
                        throw error("bad \\u escape");
                    try {
                        sb.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                    } catch (NumberFormatException x) {
                        throw error("bad \\u escape");
                    }
                    i += 4;
                    break;
                default: throw error("bad escape");
                }
            }
        }
    }

    static String str(Map<?, ?> m, String key, String where) throws Failure {
        Object v = m.get(key);
        if (v != null && !(v instanceof String))
            throw fail(where + ": \"" + key + "\" is not a string");
        return (String) v;
    }

    static List<?> list(Map<?, ?> m, String key, String where) throws Failure {
        Object v = m.get(key);
        if (v != null && !(v instanceof List))
            throw fail(where + ": \"" + key + "\" is not an array");
        return v == null ? Collections.emptyList() : (List<?>) v;
    }

    // ---- index -------------------------------------------------------------

    static int index(Map<String, String> o) throws Failure, IOException {
        String pages = required(o, "--pages"), db = required(o, "--db");
        float[] weights = o.containsKey("--weights")
            ? parseWeights(readFile("weights", o.get("--weights")), o.get("--weights"))
            : defaultWeights();
        List<String> stops = o.containsKey("--stopwords")
            ? parseStopwords(readFile("stopwords", o.get("--stopwords")))
            : Collections.emptyList();
        Path pagesPath = Paths.get(pages);
        if (!Files.isReadable(pagesPath))
            throw fail("pages " + pages + ": cannot open");
        long t0 = System.nanoTime();
        int count = 0, lineNo = 0, inBatch = 0;
        IndexWriterConfig cfg = new IndexWriterConfig(analyzer(stops));
        cfg.setOpenMode(IndexWriterConfig.OpenMode.CREATE);
        cfg.setSimilarity(new BM25Similarity());
        cfg.setRAMBufferSizeMB(128);
        Map<String, String> userData = new HashMap<>();
        userData.put("peer.stopwords", String.join("\n", stops));
        userData.put("peer.weights", formatWeights(weights));
        try (Directory dir = FSDirectory.open(Paths.get(db));
             IndexWriter w = new IndexWriter(dir, cfg);
             BufferedReader in = Files.newBufferedReader(pagesPath, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                lineNo++;
                if (line.trim().isEmpty())
                    continue;
                String where = pages + ":" + lineNo;
                Object rec = Json.parse(line, where);
                if (!(rec instanceof Map))
                    throw fail(where + ": not a JSON object");
                Map<?, ?> m = (Map<?, ?>) rec;
                String id = str(m, "id", where);
                if (id == null || id.isEmpty())
                    throw fail(where + ": missing \"id\"");
                Document doc = new Document();
                doc.add(new StringField(ID, id, Field.Store.YES));
                String descriptor = str(m, "descriptor", where), name = str(m, "name", where);
                if (descriptor != null)
                    doc.add(new TextField(FIELDS[0], descriptor, Field.Store.NO));
                if (name != null)
                    doc.add(new TextField(FIELDS[1], name, Field.Store.NO));
                List<?> names = list(m, "common_names", where);
                for (int i = 0; i < names.size(); i++) {
                    if (!(names.get(i) instanceof String))
                        throw fail(where + ": \"common_names\"[" + i + "] is not a string");
                    doc.add(new TextField(FIELDS[2], (String) names.get(i), Field.Store.NO));
                }
                List<?> secs = list(m, "sections", where);
                for (int i = 0; i < secs.size(); i++) {
                    String at = where + ": \"sections\"[" + i + "]";
                    if (!(secs.get(i) instanceof Map))
                        throw fail(at + " is not an object");
                    Map<?, ?> sec = (Map<?, ?>) secs.get(i);
                    String key = str(sec, "key", at), text = str(sec, "text", at);
                    int f = key == null ? -1 : Arrays.asList(FIELDS).indexOf(key);
                    if (f < 3)
                        f = FIELDS.length - 1; // unknown: "other"
                    if (text != null && !text.isEmpty())
                        doc.add(new TextField(FIELDS[f], text, Field.Store.NO));
                }
                // Every field in every document, empty where the page has none: Lucene
                // 8.7's BM25FQuery fails on a document missing one of its fields
                // (LUCENE-9999, fixed in 8.9).  An empty value gets norm 0 and no
                // terms, so it changes no score and no field statistic.
                for (String f : FIELDS)
                    if (doc.getField(f) == null)
                        doc.add(new TextField(f, "", Field.Store.NO));
                w.updateDocument(new Term(ID, id), doc);
                count++;
                if (++inBatch == BATCH) {
                    w.setLiveCommitData(userData.entrySet());
                    w.commit();
                    inBatch = 0;
                }
            }
            w.setLiveCommitData(userData.entrySet());
            w.commit();
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        System.out.printf(Locale.ROOT, "{\"system\":\"lucene\",\"pages\":%d,\"seconds\":%.3f,\"pages_per_s\":%.1f}%n",
                          count, secs, secs > 0 ? count / secs : 0.0);
        System.err.printf(Locale.ROOT, "lucene: indexed %d pages in %.2f s (%.0f pages/s) into %s%n", count,
                          secs, secs > 0 ? count / secs : 0.0, db);
        return 0;
    }

    // ---- searching ---------------------------------------------------------

    static final class Q {
        final String qid, type, text;

        Q(String qid, String type, String text) {
            this.qid = qid;
            this.type = type;
            this.text = text;
        }
    }

    static List<Q> loadQueries(String path) throws Failure {
        List<Q> qs = new ArrayList<>();
        String[] lines = readFile("queries", path).split("\n", -1);
        for (int no = 1; no <= lines.length; no++) {
            String line = lines[no - 1];
            if (line.endsWith("\r"))
                line = line.substring(0, line.length() - 1);
            if (line.trim().isEmpty())
                continue;
            String[] parts = line.split("\t", 3);
            if (parts.length < 3)
                throw fail(path + ":" + no + ": expected qid<TAB>type<TAB>query");
            qs.add(new Q(parts[0], parts[1], parts[2]));
        }
        if (qs.isEmpty())
            throw fail(path + ": no queries");
        return qs;
    }

    static final class Searcher implements AutoCloseable {
        final Directory dir;
        final DirectoryReader reader;
        final IndexSearcher searcher;
        final Analyzer analyzer;
        final String mode;
        final String[] fields;
        final float[] weights;
        final MultiFieldQueryParser parser;

        Searcher(String db, String mode) throws Failure, IOException {
            if (!mode.equals("multifield") && !mode.equals("bm25f"))
                throw usage("--mode must be multifield or bm25f, not '" + mode + "'");
            this.mode = mode;
            if (!Files.isDirectory(Paths.get(db)))
                throw fail("--db " + db + ": no such folder (index it first)");
            dir = FSDirectory.open(Paths.get(db));
            try {
                reader = DirectoryReader.open(dir);
            } catch (IOException e) {
                dir.close();
                throw fail("--db " + db + ": not a Lucene index: " + e.getMessage());
            }
            Map<String, String> data = reader.getIndexCommit().getUserData();
            analyzer = analyzer(parseStopwords(data.getOrDefault("peer.stopwords", "")));
            float[] all = parseWeights(data.getOrDefault("peer.weights", ""), db + " (stored weights)");
            List<String> fs = new ArrayList<>();
            List<Float> ws = new ArrayList<>();
            Map<String, Float> boosts = new HashMap<>();
            /* BM25FQuery takes weights >= 1 only: scale them all so the
             * smallest is 1.  Multiplying every weight by one factor keeps
             * their ratios, which is what BM25F's field weighting means. */
            float smallest = Float.MAX_VALUE;
            for (float w : all)
                if (w > 0 && w < smallest)
                    smallest = w;
            if (mode.equals("bm25f") && smallest < 1)
                for (int f = 0; f < all.length; f++)
                    all[f] /= smallest;
            for (int f = 0; f < FIELDS.length; f++) {
                if (all[f] <= 0)
                    continue;
                fs.add(FIELDS[f]);
                ws.add(all[f]);
                boosts.put(FIELDS[f], all[f]);
            }
            fields = fs.toArray(new String[0]);
            weights = new float[ws.size()];
            for (int i = 0; i < weights.length; i++)
                weights[i] = ws.get(i);
            searcher = new IndexSearcher(reader);
            searcher.setSimilarity(new BM25Similarity());
            parser = new MultiFieldQueryParser(fields, analyzer, boosts);
            parser.setDefaultOperator(QueryParser.Operator.OR);
        }

        /** The user's text for the classic query syntax: everything escaped but
         *  balanced double quotes, which stay phrases. */
        static String escape(String text) {
            long quotes = text.chars().filter(c -> c == '"').count();
            if (quotes % 2 == 0 && quotes > 0) {
                StringBuilder sb = new StringBuilder();
                String[] parts = text.split("\"", -1);
                for (int i = 0; i < parts.length; i++) {
                    if (i > 0)
                        sb.append('"');
                    sb.append(QueryParser.escape(parts[i]));
                }
                return sb.toString();
            }
            return QueryParser.escape(text);
        }

        Query query(String text) throws IOException {
            if (mode.equals("multifield")) {
                try {
                    return parser.parse(escape(text));
                } catch (ParseException | BooleanQuery.TooManyClauses e) {
                    return new MatchNoDocsQuery("unparsable: " + e.getMessage());
                }
            }
            BooleanQuery.Builder b = new BooleanQuery.Builder();
            try (TokenStream ts = analyzer.tokenStream(FIELDS[0], text)) {
                CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
                ts.reset();
                while (ts.incrementToken()) {
                    BM25FQuery.Builder q = new BM25FQuery.Builder(1.2f, 0.75f);
                    for (int f = 0; f < fields.length; f++)
                        q.addField(fields[f], weights[f]);
                    q.addTerm(new BytesRef(term));
                    b.add(q.build(), BooleanClause.Occur.SHOULD);
                }
                ts.end();
            }
            return b.build();
        }

        TopDocs search(String text, int n) throws IOException {
            return searcher.search(query(text), n);
        }

        String id(int doc) throws IOException {
            return searcher.doc(doc, ID_ONLY).get(ID);
        }

        @Override
        public void close() throws IOException {
            reader.close();
            dir.close();
        }
    }

    static int run(Map<String, String> o) throws Failure, IOException {
        String db = required(o, "--db"), out = required(o, "--run");
        List<Q> qs = loadQueries(required(o, "--queries"));
        String mode = o.getOrDefault("--mode", "multifield");
        int depth = number(o, "--depth", 100, 1, 10000);
        String tag = o.getOrDefault("--tag", "lucene-" + mode);
        try (Searcher s = new Searcher(db, mode);
             PrintWriter w = new PrintWriter(Files.newBufferedWriter(Paths.get(out), StandardCharsets.UTF_8))) {
            for (Q q : qs) {
                ScoreDoc[] hits = s.search(q.text, depth).scoreDocs;
                for (int r = 0; r < hits.length; r++)
                    w.printf(Locale.ROOT, "%s Q0 %s %d %.6f %s%n", q.qid, s.id(hits[r].doc), r + 1,
                             hits[r].score, tag);
            }
            if (w.checkError())
                throw fail("run " + out + ": write error");
        } catch (NoSuchFileException e) {
            throw fail("run " + out + ": cannot create: no such folder");
        }
        System.err.printf("lucene-%s: %d queries -> %s%n", mode, qs.size(), out);
        return 0;
    }

    static double percentile(double[] sorted, double p) {
        int k = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[k > 0 ? k - 1 : 0];
    }

    static int latency(Map<String, String> o) throws Failure, IOException {
        String db = required(o, "--db");
        List<Q> qs = loadQueries(required(o, "--queries"));
        String mode = o.getOrDefault("--mode", "multifield");
        int repeat = number(o, "--repeat", 5, 1, 100000);
        int warmup = number(o, "--warmup", 5, 0, 100000);
        final int k = 10;
        double[] ms = new double[qs.size() * repeat];
        int m = 0;
        long sink = 0;
        try (Searcher s = new Searcher(db, mode)) {
            for (int pass = 0; pass < warmup + repeat; pass++) {
                for (Q q : qs) {
                    long t0 = System.nanoTime();
                    for (ScoreDoc sd : s.search(q.text, k).scoreDocs)
                        sink += s.id(sd.doc).length();
                    double t = (System.nanoTime() - t0) / 1e6;
                    if (pass >= warmup)
                        ms[m++] = t;
                }
            }
        }
        double total = 0;
        for (double t : ms)
            total += t;
        Arrays.sort(ms);
        System.out.printf(Locale.ROOT,
                          "{\"system\":\"lucene-%s\",\"queries\":%d,\"repeat\":%d,\"warmup\":%d,\"k\":%d,"
                          + "\"p50_ms\":%.4f,\"p95_ms\":%.4f,\"p99_ms\":%.4f,\"mean_ms\":%.4f,\"qps\":%.1f}%n",
                          mode, qs.size(), repeat, warmup, k, percentile(ms, 50), percentile(ms, 95),
                          percentile(ms, 99), total / ms.length, total > 0 ? ms.length / (total / 1000.0) : 0.0);
        if (sink == Long.MIN_VALUE) // keeps the id fetch from being optimised away
            System.err.print("");
        return 0;
    }

    public static void main(String[] args) {
        if (args.length < 1 || args[0].equals("--help") || args[0].equals("-h")) {
            (args.length < 1 ? System.err : System.out).print(USAGE);
            System.exit(args.length < 1 ? 2 : 0);
        }
        String cmd = args[0];
        int status;
        try {
            switch (cmd) {
            case "index":
                status = index(options(args, "--pages", "--db", "--weights", "--stopwords"));
                break;
            case "run":
                status = run(options(args, "--db", "--queries", "--run", "--mode", "--depth", "--tag"));
                break;
            case "latency":
                status = latency(options(args, "--db", "--queries", "--mode", "--repeat", "--warmup"));
                break;
            default:
                System.err.print("lucene: unknown command '" + cmd + "'\n" + USAGE);
                status = 2;
            }
        } catch (Failure e) {
            System.err.println("lucene " + cmd + ": " + e.getMessage());
            if (e.status == 2)
                System.err.print(USAGE);
            status = e.status;
        } catch (IOException e) {
            System.err.println("lucene " + cmd + ": " + e);
            status = 1;
        }
        System.exit(status);
    }
}
