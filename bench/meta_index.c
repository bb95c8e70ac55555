/* bench/meta_index: timing program for the symbol indexes of src/meta/symbols.c (issue 3,
 * "Performance"). Driven by bench/meta_index.py, which generates and builds the assembly.
 *
 *   meta_index ASSEMBLY.dll [--runs N] [--seed S] [--json OUT] [--no-cold]
 *
 * M1  pdb_module_open (load + index): a cold first run (files evicted from the page cache,
 *     best effort), then N warm runs: median and min.
 * M1p the same split into public phases: read+parse the image, find+read+parse the PDB,
 *     pdb_module_from_parts (name index + line index), and the name index alone.
 * M2  pdb_module_resolve_line on 1,000 random (file, line) pairs that have code.
 * M3  ... on 1,000 pairs without code that bind to a following line.
 * M2d pdb_module_match_documents alone for the same file names (part of every look-up).
 * M4  pdb_module_locate; M5 pdb_module_find_methods.
 * M6  peak RSS growth over the first open (VmHWM; ru_maxrss is printed too, but it keeps the
 *     parent's peak across fork + exec), and heap retained, against the PDB's size.
 * Look-ups are timed in batches of BATCH calls with CLOCK_MONOTONIC around each batch. */
#include "meta/symbols.h"

#include <fcntl.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define NQ 1000
#define BATCH 10
#define PASSES 5

static double now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static long maxrss_kb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

static long rss_kb(void)
{
    long pages = 0, res = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    if (f) {
        if (fscanf(f, "%ld %ld", &pages, &res) != 2) res = 0;
        fclose(f);
    }
    return res * (sysconf(_SC_PAGESIZE) / 1024);
}

/* peak RSS of this address space (VmHWM); unlike ru_maxrss it does not carry the parent's
 * peak over fork + exec */
static long hwm_kb(void)
{
    char line[256];
    long v = -1;
    FILE *f = fopen("/proc/self/status", "r");
    if (!f) return -1;
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "VmHWM: %ld kB", &v) == 1) break;
    fclose(f);
    return v;
}

static size_t heap_bytes(void)
{
    struct mallinfo2 mi = mallinfo2();
    return mi.uordblks + mi.hblkhd;
}

static long file_size(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 ? (long)st.st_size : -1;
}

static int evict(const char *p)
{
    int fd = open(p, O_RDONLY);
    if (fd < 0) return -1;
    fdatasync(fd);
    int r = posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
    close(fd);
    return r;
}

static uint64_t rng_state;
static uint64_t rnd(void)
{
    uint64_t x = rng_state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return rng_state = x;
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

typedef struct {
    double mean, median, min, p90, max;
} Stats;

static Stats stats(double *v, int n)
{
    Stats s = {0};
    if (n == 0) return s;
    double sum = 0;
    for (int i = 0; i < n; i++) sum += v[i];
    qsort(v, (size_t)n, sizeof *v, cmp_d);
    s.mean = sum / n;
    s.median = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    s.min = v[0];
    s.p90 = v[(int)(n * 0.9) < n ? (int)(n * 0.9) : n - 1];
    s.max = v[n - 1];
    return s;
}

static const char *basename_of(const char *p)
{
    const char *b = p;
    for (const char *q = p; *q; q++)
        if (*q == '/' || *q == '\\') b = q + 1;
    return b;
}

typedef struct {
    const char *file;
    uint32_t doc, line, want;
} Query;

static const char *ok(int met) { return met ? "ok" : "MISSED"; }

/* One pass over qs in batches; per-call µs of every batch appended to out. */
static int time_resolve(const PdbModule *mod, const Query *qs, int nq, double *out, int *nout, int *bad)
{
    char err[256];
    for (int b = 0; b + BATCH <= nq; b += BATCH) {
        MdPool pool = {0};
        PdbLineHit *h;
        uint32_t n, bound;
        int fails = 0;
        double t0 = now_us();
        for (int i = b; i < b + BATCH; i++) {
            int rc = pdb_module_resolve_line(mod, &pool, qs[i].file, qs[i].line, &h, &n, &bound, err, sizeof err);
            fails += rc != 0 || bound != qs[i].want;
        }
        double t1 = now_us();
        md_pool_free(&pool);
        out[(*nout)++] = (t1 - t0) / BATCH;
        *bad += fails;
    }
    return 0;
}

static Stats time_match_docs(const PdbModule *mod, const Query *qs, int nq, double *buf)
{
    int nb = 0;
    volatile uint32_t sink = 0;
    for (int p = 0; p < PASSES; p++)
        for (int b = 0; b + BATCH <= nq; b += BATCH) {
            uint32_t docs[8];
            double t0 = now_us();
            for (int i = b; i < b + BATCH; i++) sink += pdb_module_match_documents(mod, qs[i].file, docs, 8);
            buf[nb++] = (now_us() - t0) / BATCH;
        }
    (void)sink;
    return stats(buf, nb);
}

/* What-if for the suggestion in the report (not the library's code): documents sorted by their
 * last path component, so a file query needs a binary search plus the existing suffix check on
 * the few documents with that component instead of a scan of every document name. */
typedef struct {
    const char *base, *name;
    uint32_t len, doc;
} BaseRef;

static int cmp_base(const void *a, const void *b)
{
    const BaseRef *x = a, *y = b;
    int c = strcmp(x->base, y->base);
    return c ? c : (x->doc < y->doc ? -1 : x->doc > y->doc);
}

static uint32_t sketch_match(const BaseRef *v, uint32_t n, const char *q, uint32_t *docs, uint32_t cap)
{
    const char *qb = basename_of(q);
    size_t ql = strlen(q);
    uint32_t lo = 0, hi = n, c = 0;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (strcmp(v[mid].base, qb) < 0) lo = mid + 1;
        else hi = mid;
    }
    for (uint32_t i = lo; i < n && !strcmp(v[i].base, qb); i++) {
        if (v[i].len < ql) continue;
        const char *tail = v[i].name + v[i].len - ql;
        int same = 1;
        for (size_t k = 0; k < ql && same; k++)
            same = tail[k] == q[k] || ((tail[k] == '/' || tail[k] == '\\') && (q[k] == '/' || q[k] == '\\'));
        if (!same) continue;
        if (c < cap) docs[c] = v[i].doc;
        c++;
    }
    return c;
}

/* Per-call µs of fn-like loops: repeat a call until at least ~2 ms have passed, 5 times. */
static Stats time_find(const PdbModule *mod, const char *q, uint32_t *count)
{
    uint32_t tok[4096];
    double v[5];
    *count = pdb_module_find_methods(mod, q, tok, 4096);
    for (int r = 0; r < 5; r++) {
        int reps = 0;
        double t0 = now_us(), t1;
        do {
            pdb_module_find_methods(mod, q, tok, 4096);
            reps++;
            t1 = now_us();
        } while (t1 - t0 < 2000);
        v[r] = (t1 - t0) / reps;
    }
    return stats(v, 5);
}

int main(int argc, char **argv)
{
    const char *dll = NULL, *json = NULL;
    int runs = 20, cold = 1;
    uint64_t seed = 1;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--runs") && i + 1 < argc) runs = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--seed") && i + 1 < argc) seed = strtoull(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--json") && i + 1 < argc) json = argv[++i];
        else if (!strcmp(argv[i], "--no-cold")) cold = 0;
        else if (!dll) dll = argv[i];
        else {
            fprintf(stderr, "usage: %s ASSEMBLY.dll [--runs N] [--seed S] [--json OUT] [--no-cold]\n", argv[0]);
            return 2;
        }
    }
    if (!dll || runs < 1) {
        fprintf(stderr, "usage: %s ASSEMBLY.dll [--runs N] [--seed S] [--json OUT] [--no-cold]\n", argv[0]);
        return 2;
    }
    rng_state = seed * 0x9E3779B97F4A7C15ull + 1;
    char pdbpath[4096];
    snprintf(pdbpath, sizeof pdbpath, "%s", dll);
    char *dot = strrchr(pdbpath, '.');
    if (dot) strcpy(dot, ".pdb");
    long dll_size = file_size(dll), pdb_size = file_size(pdbpath);
    char err[512];

    /* ---- M1 cold: the first open in this process, files evicted from the page cache ---- */
    int evicted = cold && evict(dll) == 0 && evict(pdbpath) == 0;
    long maxrss0 = maxrss_kb(), rss0 = rss_kb(), hwm0 = hwm_kb();
    size_t heap0 = heap_bytes();
    PdbModule *mod;
    double t0 = now_us();
    int rc = pdb_module_open(dll, &mod, err, sizeof err);
    double cold_ms = (now_us() - t0) / 1e3;
    if (rc != 0) {
        fprintf(stderr, "pdb_module_open(%s): %d %s\n", dll, rc, err);
        if (mod) pdb_module_close(mod);
        return 1;
    }
    long maxrss1 = maxrss_kb(), rss1 = rss_kb(), hwm1 = hwm_kb();
    size_t heap1 = heap_bytes();
    /* the first look-up after a fresh open (caches cold); the file is picked below */
    pdb_module_close(mod);
    size_t heap_after_close = heap_bytes();

    /* ---- M1 warm ---- */
    double *open_ms = calloc((size_t)runs, sizeof(double));
    for (int r = 0; r < runs; r++) {
        t0 = now_us();
        rc = pdb_module_open(dll, &mod, err, sizeof err);
        open_ms[r] = (now_us() - t0) / 1e3;
        if (rc) {
            fprintf(stderr, "pdb_module_open: %s\n", err);
            return 1;
        }
        pdb_module_close(mod);
    }
    Stats so = stats(open_ms, runs);

    /* ---- M1p phases (public entry points only) ---- */
    int pr = runs < 10 ? runs : 10;
    double ph_img[10], ph_pdb[10], ph_parts[10], ph_names[10], ph_readpdb[10];
    for (int r = 0; r < pr; r++) {
        uint8_t *buf;
        size_t len;
        t0 = now_us();
        if (md_read_file(pdbpath, (size_t)1 << 30, &buf, &len) == 0) free(buf);
        ph_readpdb[r] = (now_us() - t0) / 1e3;

        MdImage *img;
        PdbFile *pdb = NULL;
        char where[4096], e2[256];
        t0 = now_us();
        if (md_image_open_file(dll, &img, err, sizeof err)) return 1;
        double t1 = now_us();
        if (pdb_find_for_image(dll, img, &pdb, where, sizeof where, e2, sizeof e2) != 1) return 1;
        double t2 = now_us();
        if (pdb_module_from_parts(img, pdb, &mod, err, sizeof err)) return 1;
        double t3 = now_us();
        pdb_module_close(mod);
        ph_img[r] = (t1 - t0) / 1e3;
        ph_pdb[r] = (t2 - t1) / 1e3;
        ph_parts[r] = (t3 - t2) / 1e3;

        if (md_image_open_file(dll, &img, err, sizeof err)) return 1;
        t0 = now_us();
        if (pdb_module_from_parts(img, NULL, &mod, err, sizeof err)) return 1;
        ph_names[r] = (now_us() - t0) / 1e3;
        pdb_module_close(mod);
    }
    Stats s_img = stats(ph_img, pr), s_pdb = stats(ph_pdb, pr), s_parts = stats(ph_parts, pr),
          s_names = stats(ph_names, pr), s_readpdb = stats(ph_readpdb, pr);

    /* ---- the module used for look-ups ---- */
    rc = pdb_module_open(dll, &mod, err, sizeof err);
    if (rc) return 1;
    const PdbFile *pdb = pdb_module_pdb(mod);
    const MdImage *img = pdb_module_image(mod);
    uint32_t ndocs = md_rows(&pdb->md, MD_T_Document);
    uint32_t nmdi = md_rows(&pdb->md, MD_T_MethodDebugInformation);
    uint32_t nmethods = md_rows(&img->md, MD_T_MethodDef);

    /* code lines per document: line -> 1 when a non-hidden sequence point starts there */
    uint8_t **code = calloc(ndocs + 1, sizeof *code);
    uint32_t *cap = calloc(ndocs + 1, sizeof *cap);
    uint32_t *first = calloc(ndocs + 1, sizeof *first);
    uint32_t *mrids = malloc(sizeof(uint32_t) * (nmdi + 1));
    uint32_t *mil = malloc(sizeof(uint32_t) * (nmdi + 1));
    uint32_t nm_sp = 0, nsp = 0;
    for (uint32_t m = 1; m <= nmdi; m++) {
        PdbSpIter it;
        PdbSeqPoint sp;
        if (pdb_sp_begin(pdb, m, &it) != 0) continue;
        uint32_t cnt = 0, last_il = 0;
        while (pdb_sp_next(&it, &sp) == 1) {
            last_il = sp.il;
            cnt++;
            if (sp.hidden || sp.doc == 0 || sp.doc > ndocs) continue;
            nsp++;
            uint32_t need = (sp.end_line > sp.start_line ? sp.end_line : sp.start_line) + 2;
            if (need > cap[sp.doc]) {
                uint32_t nc = need * 2;
                code[sp.doc] = realloc(code[sp.doc], nc);
                memset(code[sp.doc] + cap[sp.doc], 0, nc - cap[sp.doc]);
                cap[sp.doc] = nc;
            }
            code[sp.doc][sp.start_line] = 1;
            if (!first[sp.doc] || sp.start_line < first[sp.doc]) first[sp.doc] = sp.start_line;
        }
        if (cnt) {
            mrids[nm_sp] = m;
            mil[nm_sp++] = last_il + 1;
        }
    }
    uint32_t *cdocs = malloc(sizeof(uint32_t) * (ndocs + 1));
    uint32_t ncd = 0;
    for (uint32_t d = 1; d <= ndocs; d++)
        if (code[d]) cdocs[ncd++] = d;
    if (ncd == 0) {
        fprintf(stderr, "no sequence points in %s\n", pdbpath);
        return 1;
    }

    /* cold-ish single look-up: the first resolve on this module instance */
    double first_lookup_us;
    {
        uint32_t d = cdocs[rnd() % ncd];
        MdPool pool = {0};
        PdbLineHit *h;
        uint32_t n, bound;
        t0 = now_us();
        pdb_module_resolve_line(mod, &pool, basename_of(pdb_document_name(pdb, d)), first[d], &h, &n, &bound,
                                err, sizeof err);
        first_lookup_us = now_us() - t0;
        md_pool_free(&pool);
    }

    /* M2 queries: lines that have code */
    Query *qc = malloc(sizeof(Query) * NQ), *qm = malloc(sizeof(Query) * NQ);
    for (int i = 0; i < NQ; i++) {
        uint32_t d, l;
        do {
            d = cdocs[rnd() % ncd];
            l = (uint32_t)(rnd() % cap[d]);
        } while (!code[d][l]);
        qc[i] = (Query){basename_of(pdb_document_name(pdb, d)), d, l, l};
    }
    /* M3 queries: lines without code that bind to a following line (not inside a statement) */
    int nqm = 0, tries = 0, inside = 0;
    while (nqm < NQ && tries < 1000000) {
        tries++;
        uint32_t d = cdocs[rnd() % ncd];
        uint32_t l = (uint32_t)(rnd() % cap[d]);
        if (code[d][l] || l < first[d]) continue;
        const char *f = basename_of(pdb_document_name(pdb, d));
        MdPool pool = {0};
        PdbLineHit *h;
        uint32_t n, bound = 0;
        int r = pdb_module_resolve_line(mod, &pool, f, l, &h, &n, &bound, err, sizeof err);
        md_pool_free(&pool);
        if (r != 0) continue;
        if (bound < l) {
            inside++;
            continue;
        }
        if (bound > l) qm[nqm++] = (Query){f, d, l, bound};
    }

    /* time M2 / M3: one warm-up pass, then PASSES passes */
    double *samp = malloc(sizeof(double) * (NQ / BATCH) * PASSES);
    int ns = 0, bad_c = 0, bad_m = 0, dummy = 0;
    time_resolve(mod, qc, NQ, samp, &ns, &dummy);
    ns = 0;
    for (int p = 0; p < PASSES; p++) time_resolve(mod, qc, NQ, samp, &ns, &bad_c);
    Stats s_code = stats(samp, ns);
    ns = 0;
    time_resolve(mod, qm, nqm, samp, &ns, &dummy);
    ns = 0;
    for (int p = 0; p < PASSES; p++) time_resolve(mod, qm, nqm, samp, &ns, &bad_m);
    Stats s_move = stats(samp, ns);
    Stats s_match = time_match_docs(mod, qc, NQ, samp);

    /* M2x: the basename-index sketch on the same queries (build time and per-query time) */
    double sk_build_ms, sk_us;
    int sk_wrong = 0;
    {
        t0 = now_us();
        BaseRef *bv = malloc(sizeof(BaseRef) * (ndocs + 1));
        for (uint32_t d = 1; d <= ndocs; d++) {
            const char *nm = pdb_document_name(pdb, d);
            bv[d - 1] = (BaseRef){basename_of(nm), nm, (uint32_t)strlen(nm), d};
        }
        qsort(bv, ndocs, sizeof *bv, cmp_base);
        sk_build_ms = (now_us() - t0) / 1e3;
        for (int i = 0; i < NQ; i++) {
            uint32_t a[8], b[8];
            uint32_t na = pdb_module_match_documents(mod, qc[i].file, a, 8), nb = sketch_match(bv, ndocs, qc[i].file, b, 8);
            sk_wrong += na != nb || (na && a[0] != b[0]);
        }
        int nb = 0;
        volatile uint32_t sink = 0;
        for (int p = 0; p < PASSES; p++)
            for (int b = 0; b + BATCH <= NQ; b += BATCH) {
                uint32_t docs[8];
                double t = now_us();
                for (int i = b; i < b + BATCH; i++) sink += sketch_match(bv, ndocs, qc[i].file, docs, 8);
                samp[nb++] = (now_us() - t) / BATCH;
            }
        (void)sink;
        sk_us = stats(samp, nb).median;
        free(bv);
    }

    /* M4 locate: random methods, an IL offset inside each */
    uint32_t *ltok = malloc(sizeof(uint32_t) * NQ), *lil = malloc(sizeof(uint32_t) * NQ);
    for (int i = 0; i < NQ; i++) {
        uint32_t k = (uint32_t)(rnd() % nm_sp);
        ltok[i] = 0x06000000u | mrids[k];
        lil[i] = (uint32_t)(rnd() % mil[k]);
    }
    ns = 0;
    int loc_fail = 0;
    for (int p = 0; p < PASSES + 1; p++)
        for (int b = 0; b + BATCH <= NQ; b += BATCH) {
            PdbLocation loc;
            double t = now_us();
            for (int i = b; i < b + BATCH; i++) loc_fail += pdb_module_locate(mod, ltok[i], lil[i], &loc) != 0;
            double dt = (now_us() - t) / BATCH;
            if (p) samp[ns++] = dt; /* pass 0 is the warm-up */
        }
    Stats s_loc = stats(samp, ns);

    /* M5 find_methods */
    /* names from a document in the middle ("PartNNNN.cs" in the generated project) */
    char part[64] = "Part0000", fq0[96], fq1[96], fq3[128];
    {
        const char *b = basename_of(pdb_document_name(pdb, cdocs[ncd / 2]));
        const char *e = strrchr(b, '.');
        if (e && !strncmp(b, "Part", 4)) snprintf(part, sizeof part, "%.*s", (int)(e - b), b);
    }
    snprintf(fq0, sizeof fq0, "Entry%s", part + 4);
    snprintf(fq1, sizeof fq1, "%s.Op07", part);
    snprintf(fq3, sizeof fq3, "%s.Op03(long, int)", part);
    const char *fq[4] = {fq0, fq1, "Op07", fq3};
    const char *fq_what[4] = {"unique simple name", "qualified, simple name shared by every file",
                              "simple name matching every file", "qualified with parameter types"};
    Stats s_find[4];
    uint32_t fcount[4];
    for (int i = 0; i < 4; i++) s_find[i] = time_find(mod, fq[i], &fcount[i]);

    pdb_module_close(mod);

    /* ---- report ---- */
    double rss_growth_mb = (hwm1 - hwm0) / 1024.0;
    double heap_mb = (double)(heap1 - heap0) / (1 << 20);
    double pdb_mb = pdb_size / 1048576.0, dll_mb = dll_size / 1048576.0;
    printf("M0 input: %s  %.2f MB dll + %.2f MB pdb; %u MethodDef rows, %u methods with sequence points, "
           "%u sequence points, %u documents\n",
           dll, dll_mb, pdb_mb, nmethods, nm_sp, nsp, ndocs);
    printf("M1 index (pdb_module_open, load + index): median %.2f ms, min %.2f ms over %d warm runs; "
           "cold first run %.2f ms (page cache %s)  [target < 100 ms: %s]\n",
           so.median, so.min, runs, cold_ms, evicted ? "evicted" : "not evicted", ok(so.median < 100));
    printf("M1p phases (median of %d): read+parse image %.2f ms; find+read+parse pdb %.2f ms (of which "
           "reading the file %.2f ms); pdb_module_from_parts %.2f ms = name index %.2f ms + line index %.2f ms\n",
           pr, s_img.median, s_pdb.median, s_readpdb.median, s_parts.median, s_names.median,
           s_parts.median - s_names.median);
    printf("M2 resolve_line, line with code: mean %.3f us, median %.3f us, p90 %.3f us, max batch %.3f us per "
           "look-up (%d look-ups x %d passes, batches of %d; %d wrong)  [target < 10 us: %s]\n",
           s_code.mean, s_code.median, s_code.p90, s_code.max, NQ, PASSES, BATCH, bad_c, ok(s_code.mean < 10));
    printf("M3 resolve_line, moved to a following line: mean %.3f us, median %.3f us, p90 %.3f us per look-up "
           "(%d look-ups x %d passes; %d wrong; %d sampled lines inside multi-line statements skipped)  "
           "[target < 10 us: %s]\n",
           s_move.mean, s_move.median, s_move.p90, nqm, PASSES, bad_m, inside, ok(s_move.mean < 10));
    printf("M2f first look-up on a fresh module: %.3f us (single call)\n", first_lookup_us);
    printf("M2d of which pdb_module_match_documents (linear over %u documents): mean %.3f us, median %.3f us\n",
           ndocs, s_match.mean, s_match.median);
    printf("M2x what-if (bench-side sketch, not src): documents sorted by last path component: match %.3f us "
           "per query, median (built in %.3f ms; %d disagreements with pdb_module_match_documents) -> resolve_line "
           "about %.2f us (M2 median - M2d median + this)\n",
           sk_us, sk_build_ms, sk_wrong, s_code.median - s_match.median + sk_us);
    printf("M4 locate (method, il): mean %.3f us, median %.3f us per call (%d calls x %d passes; %d not found)  "
           "[no target; < 10 us: %s]\n",
           s_loc.mean, s_loc.median, NQ, PASSES, loc_fail, ok(s_loc.mean < 10));
    for (int i = 0; i < 4; i++)
        printf("M5 find_methods \"%s\" (%s): %u match(es), median %.3f us, min %.3f us per call  "
               "[no target; < 10 us: %s]\n",
               fq[i], fq_what[i], fcount[i], s_find[i].median, s_find[i].min, ok(s_find[i].median < 10));
    printf("M6 memory: peak RSS (VmHWM) +%.1f MB over the first open (%.2f x pdb, %.2f x dll+pdb); heap "
           "retained while open %.1f MB (%.2f x pdb); RSS %ld -> %ld KB; ru_maxrss %ld -> %ld KB (carries "
           "the parent's peak over exec); heap after close %+.1f KB  [target proportional to pdb size]\n",
           rss_growth_mb, rss_growth_mb / pdb_mb, rss_growth_mb / (pdb_mb + dll_mb), heap_mb, heap_mb / pdb_mb,
           rss0, rss1, maxrss0, maxrss1, ((double)heap_after_close - (double)heap0) / 1024);

    if (json) {
        FILE *f = fopen(json, "w");
        if (!f) {
            perror(json);
            return 1;
        }
        fprintf(f, "{\n  \"assembly\": \"%s\", \"dll_bytes\": %ld, \"pdb_bytes\": %ld,\n", dll, dll_size, pdb_size);
        fprintf(f, "  \"methoddef_rows\": %u, \"methods_with_sequence_points\": %u, \"sequence_points\": %u, "
                   "\"documents\": %u,\n", nmethods, nm_sp, nsp, ndocs);
        fprintf(f, "  \"index_ms\": {\"median\": %.4f, \"min\": %.4f, \"mean\": %.4f, \"max\": %.4f, \"runs\": %d, "
                   "\"cold_first\": %.4f, \"cold_evicted\": %s, \"target\": 100, \"met\": %s},\n",
                so.median, so.min, so.mean, so.max, runs, cold_ms, evicted ? "true" : "false",
                so.median < 100 ? "true" : "false");
        fprintf(f, "  \"index_phases_ms\": {\"image\": %.4f, \"pdb\": %.4f, \"pdb_read_file\": %.4f, "
                   "\"from_parts\": %.4f, \"name_index\": %.4f, \"line_index\": %.4f},\n",
                s_img.median, s_pdb.median, s_readpdb.median, s_parts.median, s_names.median,
                s_parts.median - s_names.median);
        fprintf(f, "  \"resolve_line_code_us\": {\"mean\": %.4f, \"median\": %.4f, \"p90\": %.4f, \"max_batch\": %.4f, "
                   "\"lookups\": %d, \"passes\": %d, \"batch\": %d, \"wrong\": %d, \"target\": 10, \"met\": %s},\n",
                s_code.mean, s_code.median, s_code.p90, s_code.max, NQ, PASSES, BATCH, bad_c,
                s_code.mean < 10 ? "true" : "false");
        fprintf(f, "  \"resolve_line_move_us\": {\"mean\": %.4f, \"median\": %.4f, \"p90\": %.4f, \"max_batch\": %.4f, "
                   "\"lookups\": %d, \"passes\": %d, \"batch\": %d, \"wrong\": %d, \"target\": 10, \"met\": %s},\n",
                s_move.mean, s_move.median, s_move.p90, s_move.max, nqm, PASSES, BATCH, bad_m,
                s_move.mean < 10 ? "true" : "false");
        fprintf(f, "  \"resolve_line_first_us\": %.4f,\n", first_lookup_us);
        fprintf(f, "  \"match_documents_us\": {\"mean\": %.4f, \"median\": %.4f},\n", s_match.mean, s_match.median);
        fprintf(f, "  \"whatif_basename_index\": {\"match_us\": %.4f, \"build_ms\": %.4f, \"disagreements\": %d, "
                   "\"resolve_line_estimate_us\": %.4f},\n",
                sk_us, sk_build_ms, sk_wrong, s_code.median - s_match.median + sk_us);
        fprintf(f, "  \"locate_us\": {\"mean\": %.4f, \"median\": %.4f, \"not_found\": %d},\n", s_loc.mean,
                s_loc.median, loc_fail);
        fprintf(f, "  \"find_methods_us\": [\n");
        for (int i = 0; i < 4; i++)
            fprintf(f, "    {\"query\": \"%s\", \"matches\": %u, \"median\": %.4f, \"min\": %.4f}%s\n", fq[i],
                    fcount[i], s_find[i].median, s_find[i].min, i < 3 ? "," : "");
        fprintf(f, "  ],\n");
        fprintf(f, "  \"memory\": {\"peak_rss_growth_kb\": %ld, \"ru_maxrss_before_kb\": %ld, "
                   "\"ru_maxrss_after_kb\": %ld, \"rss_before_kb\": %ld, \"rss_after_kb\": %ld, "
                   "\"heap_retained_bytes\": %zu, \"rss_growth_per_pdb_byte\": %.4f, \"heap_per_pdb_byte\": %.4f}\n}\n",
                hwm1 - hwm0, maxrss0, maxrss1, rss0, rss1, heap1 - heap0, (hwm1 - hwm0) * 1024.0 / pdb_size,
                (double)(heap1 - heap0) / pdb_size);
        fclose(f);
    }
    return 0;
}
