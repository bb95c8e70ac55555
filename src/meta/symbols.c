/* meta/symbols: per-module indexes over the portable PDB, built once at open.
 *
 * Line index: every non-hidden sequence point becomes an Entry. Entries are grouped by
 * document (counting sort, stable, so methods stay in row order), then per (document, method)
 * into a Slice whose entries are sorted by (line, il). Each document keeps its slices sorted
 * by first line plus a running maximum of last lines, so the slices containing a line are found
 * by binary search and a short backward walk — never a scan of every method.
 * Name index: MethodDef rows sorted by their simple name (the part after the last '.'). */
#include "meta/symbols.h"
#include "meta/sig.h"
#include "meta/md_internal.h"

#include <stdlib.h>

typedef struct {
    uint32_t line, end_line, il;
    uint16_t col, end_col;
} Entry;

typedef struct {
    uint32_t method;         /* MethodDef rid */
    uint32_t first, count;   /* into mod->entries */
    uint32_t min_line, max_line;
} Slice;

typedef struct {
    Slice *slices;           /* sorted by min_line */
    uint32_t *prefmax;       /* max(max_line) of slices[0..i] */
    uint32_t nslices;
    uint32_t last_line;
} DocIndex;

typedef struct {
    const char *name; /* simple name */
    uint32_t rid;
} NameRef;

typedef struct {
    const char *base;        /* points into the document's name */
    uint32_t doc;
} DocName;

struct PdbModule {
    MdImage *img;
    PdbFile *pdb;
    char where[4096];
    MdPool pool;
    Entry *entries;
    uint32_t nentries;
    DocIndex *docs;          /* [1..ndocs] */
    uint32_t ndocs;
    NameRef *by_name;        /* MethodDef rows sorted by simple name */
    uint32_t nmethods;
    DocName *by_base;        /* documents sorted by file name (last path part), then row */
};

static int path_sep(char c) { return c == '/' || c == '\\'; }

static const char *base_name(const char *path)
{
    const char *b = path;
    for (const char *p = path; *p; p++)
        if (path_sep(*p)) b = p + 1;
    return b;
}

static int cmp_docname(const void *a, const void *b)
{
    const DocName *x = a, *y = b;
    int c = strcmp(x->base, y->base);
    return c ? c : (x->doc > y->doc) - (x->doc < y->doc);
}

/* File names looked up by their last part first, so a look-up does not scan every
 * document name (a module can have thousands). */
static int build_doc_index(PdbModule *mod)
{
    mod->by_base = md_pool_alloc(&mod->pool, sizeof(DocName) * (mod->ndocs + 1));
    if (!mod->by_base) return MD_ENOMEM;
    for (uint32_t d = 1; d <= mod->ndocs; d++)
        mod->by_base[d - 1] = (DocName){ base_name(pdb_document_name(mod->pdb, d)), d };
    qsort(mod->by_base, mod->ndocs, sizeof(DocName), cmp_docname);
    return 0;
}

static const char *simple_name(const char *n)
{
    /* ".ctor"/".cctor" keep their dot; "System.IDisposable.Dispose" -> "Dispose" */
    const char *d = strrchr(n, '.');
    if (!d) return n;
    if (d > n && d[-1] == '.') return d; /* "...IFoo..ctor" */
    if (d == n) return n;
    return d + 1;
}

static int cmp_name(const void *a, const void *b)
{
    const NameRef *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    return c ? c : (x->rid < y->rid ? -1 : x->rid > y->rid);
}

static int cmp_slice(const void *a, const void *b)
{
    const Slice *x = a, *y = b;
    if (x->min_line != y->min_line) return x->min_line < y->min_line ? -1 : 1;
    return x->method < y->method ? -1 : x->method > y->method;
}

static void sort_entries(Entry *e, uint32_t n)
{
    /* insertion sort: sequence points of one method are nearly in line order already */
    for (uint32_t i = 1; i < n; i++) {
        Entry k = e[i];
        uint32_t j = i;
        while (j > 0 && (e[j - 1].line > k.line || (e[j - 1].line == k.line && e[j - 1].il > k.il))) {
            e[j] = e[j - 1];
            j--;
        }
        e[j] = k;
    }
}

/* Count (dir 1) or uncount (dir -1) method m's visible sequence points per document, up to
 * the end of its blob or its first undecodable point. 0 at the end, < 0 if the blob is bad. */
static int count_sps(const PdbFile *pdb, uint32_t m, uint32_t *cnt, int dir)
{
    PdbSpIter it;
    int r = pdb_sp_begin(pdb, m, &it);
    if (r != 0) return r;
    PdbSeqPoint sp;
    while ((r = pdb_sp_next(&it, &sp)) == 1)
        if (!sp.hidden) cnt[sp.doc + 1] += (uint32_t)dir;
    return r;
}

static int build_line_index(PdbModule *mod)
{
    uint32_t *methof = NULL;
    const PdbFile *pdb = mod->pdb;
    uint32_t nd = pdb_document_count(pdb);
    uint32_t nm = pdb_method_count(pdb);
    mod->ndocs = nd;
    mod->docs = md_pool_alloc(&mod->pool, sizeof(DocIndex) * (nd + 1));
    if (!mod->docs) return MD_ENOMEM;
    /* Two passes over the sequence points, so that no staging copy of them all is held
     * (peak memory is the index itself): count each document's, then place them. */
    uint32_t *cnt = calloc(nd + 2, sizeof *cnt);
    uint32_t *pos = malloc(sizeof(uint32_t) * (nd + 2));
    uint8_t *skip = calloc(nm + 1, 1);          /* methods without points or with a corrupt blob */
    if (!cnt || !pos || !skip) {
        free(cnt);
        free(pos);
        free(skip);
        return MD_ENOMEM;
    }
    for (uint32_t m = 1; m <= nm; m++) {
        int r = count_sps(pdb, m, cnt, 1);
        if (r < 0 && r != MD_ENOTFOUND) count_sps(pdb, m, cnt, -1);   /* a corrupt blob: take it back */
        skip[m] = r != 0;
    }
    for (uint32_t d = 1; d <= nd + 1; d++) cnt[d] += cnt[d - 1];
    /* cnt[d] = first index of document d */
    memcpy(pos, cnt, sizeof(uint32_t) * (nd + 2));
    uint32_t n = cnt[nd + 1];
    mod->entries = md_pool_alloc(&mod->pool, sizeof(Entry) * (n ? n : 1));
    methof = malloc(sizeof(uint32_t) * (n ? n : 1));
    if (!mod->entries || !methof) {
        free(cnt);
        free(pos);
        free(skip);
        free(methof);
        return MD_ENOMEM;
    }
    for (uint32_t m = 1; m <= nm; m++) {
        PdbSpIter it;
        if (skip[m] || pdb_sp_begin(pdb, m, &it) != 0) continue;
        PdbSeqPoint sp;
        while (pdb_sp_next(&it, &sp) == 1) {
            if (sp.hidden) continue;
            uint32_t at = pos[sp.doc]++;
            mod->entries[at] = (Entry){sp.start_line, sp.end_line, sp.il, sp.start_col, sp.end_col};
            methof[at] = m;
        }
    }
    free(skip);
    mod->nentries = n;
    int rc = 0;
    for (uint32_t d = 1; d <= nd && rc == 0; d++) {
        uint32_t a = cnt[d], b = cnt[d + 1];
        uint32_t ns = 0;
        for (uint32_t i = a; i < b; i++)
            if (i == a || methof[i] != methof[i - 1]) ns++;
        DocIndex *di = &mod->docs[d];
        di->slices = md_pool_alloc(&mod->pool, sizeof(Slice) * (ns ? ns : 1));
        di->prefmax = md_pool_alloc(&mod->pool, sizeof(uint32_t) * (ns ? ns : 1));
        if (!di->slices || !di->prefmax) {
            rc = MD_ENOMEM;
            break;
        }
        uint32_t s = 0;
        for (uint32_t i = a; i < b;) {
            uint32_t j = i;
            while (j < b && methof[j] == methof[i]) j++;
            Slice *sl = &di->slices[s++];
            sl->method = methof[i];
            sl->first = i;
            sl->count = j - i;
            sort_entries(mod->entries + i, j - i);
            sl->min_line = mod->entries[i].line;
            sl->max_line = 0;
            for (uint32_t k = i; k < j; k++)
                if (mod->entries[k].end_line > sl->max_line) sl->max_line = mod->entries[k].end_line;
            if (sl->max_line > di->last_line) di->last_line = sl->max_line;
            i = j;
        }
        di->nslices = ns;
        qsort(di->slices, ns, sizeof(Slice), cmp_slice);
        uint32_t mx = 0;
        for (uint32_t k = 0; k < ns; k++) {
            if (di->slices[k].max_line > mx) mx = di->slices[k].max_line;
            di->prefmax[k] = mx;
        }
    }
    free(cnt);
    free(pos);
    free(methof);
    return rc;
}

static int build_name_index(PdbModule *mod)
{
    const MdMeta *m = &mod->img->md;
    uint32_t n = md_rows(m, MD_T_MethodDef);
    mod->nmethods = n;
    mod->by_name = md_pool_alloc(&mod->pool, sizeof(NameRef) * (n + 1));
    if (!mod->by_name) return MD_ENOMEM;
    for (uint32_t r = 1; r <= n; r++) {
        mod->by_name[r - 1].name = simple_name(md_string(m, md_get(m, MD_T_MethodDef, r, MD_MethodDef_Name)));
        mod->by_name[r - 1].rid = r;
    }
    qsort(mod->by_name, n, sizeof(NameRef), cmp_name);
    return 0;
}

int pdb_module_from_parts(MdImage *img, PdbFile *pdb, PdbModule **out, char *err, size_t errcap)
{
    *out = NULL;
    PdbModule *mod = calloc(1, sizeof *mod);
    if (!mod) {
        md_image_close(img);
        pdb_close(pdb);
        return MD_ENOMEM;
    }
    mod->img = img;
    mod->pdb = pdb;
    int rc = build_name_index(mod);
    if (rc == 0 && pdb) rc = build_line_index(mod);
    if (rc == 0 && pdb) rc = build_doc_index(mod);
    if (rc) {
        md_seterr(err, errcap, "out of memory indexing symbols");
        pdb_module_close(mod);
        return rc;
    }
    *out = mod;
    return 0;
}

int pdb_module_open(const char *dll_path, PdbModule **out, char *err, size_t errcap)
{
    *out = NULL;
    MdImage *img;
    int rc = md_image_open_file(dll_path, &img, err, errcap);
    if (rc) return rc;
    PdbFile *pdb = NULL;
    char where[4096] = "";
    char ferr[512] = "";
    int found = pdb_find_for_image(dll_path, img, &pdb, where, sizeof where, ferr, sizeof ferr);
    rc = pdb_module_from_parts(img, found == 1 ? pdb : NULL, out, err, errcap);
    if (rc) return rc;
    if (found == 1) {
        snprintf((*out)->where, sizeof (*out)->where, "%s", where);
        return 0;
    }
    if (found == MD_EMISMATCH) {
        md_seterr(err, errcap, "%s", ferr);
        return MD_EMISMATCH;
    }
    md_seterr(err, errcap, "no symbols for %s (no embedded PDB and no matching .pdb beside it)", dll_path);
    return MD_ENOTFOUND;
}

void pdb_module_close(PdbModule *mod)
{
    if (!mod) return;
    md_pool_free(&mod->pool);
    pdb_close(mod->pdb);
    md_image_close(mod->img);
    free(mod);
}

int pdb_module_apply_delta(PdbModule *mod, const uint8_t *data, size_t len, uint32_t *nmethods, char *err, size_t errcap)
{
    if (!mod->pdb) { md_seterr(err, errcap, "the module has no symbols"); return MD_ENOTFOUND; }
    int rc = pdb_apply_delta(mod->pdb, data, len, nmethods, err, errcap);
    if (rc) return rc;
    /* The indexes again (the old ones stay in the pool until the module closes). */
    mod->entries = NULL;
    mod->nentries = 0;
    rc = build_line_index(mod);
    if (rc == 0) rc = build_doc_index(mod);
    if (rc) md_seterr(err, errcap, "out of memory indexing symbols");
    return rc;
}

const MdImage *pdb_module_image(const PdbModule *mod) { return mod->img; }
const PdbFile *pdb_module_pdb(const PdbModule *mod) { return mod->pdb; }
const char *pdb_module_pdb_where(const PdbModule *mod) { return mod->where; }

uint32_t pdb_module_last_line(const PdbModule *mod, uint32_t doc)
{
    return doc && doc <= mod->ndocs ? mod->docs[doc].last_line : 0;
}

/* Does document name `name` match query q (length ql): equal, or ending with it at a path
 * separator? Separators match either kind. */
static int doc_matches(const char *name, const char *q, size_t ql)
{
    size_t nl = strlen(name);
    if (nl < ql) return 0;
    const char *tail = name + nl - ql;
    for (size_t i = 0; i < ql; i++)
        if (!(tail[i] == q[i] || (path_sep(tail[i]) && path_sep(q[i])))) return 0;
    return nl == ql || path_sep(tail[-1]) || path_sep(q[0]);
}

uint32_t pdb_module_match_documents(const PdbModule *mod, const char *q, uint32_t *docs, uint32_t cap)
{
    if (!mod->pdb || !q) return 0;
    while (q[0] == '.' && path_sep(q[1])) q += 2;
    size_t ql = strlen(q);
    if (ql == 0) return 0;
    uint32_t c = 0;
    const char *qb = base_name(q);
    if (!*qb || !mod->by_base) {
        /* A query ending in a separator names no file: only a scan can answer it. */
        for (uint32_t d = 1; d <= mod->ndocs; d++) {
            if (!doc_matches(pdb_document_name(mod->pdb, d), q, ql)) continue;
            if (c < cap) docs[c] = d;
            c++;
        }
        return c;
    }
    /* Every match has the query's last part as its file name: binary-search that run. */
    uint32_t lo = 0, hi = mod->ndocs;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (strcmp(mod->by_base[mid].base, qb) < 0) lo = mid + 1;
        else hi = mid;
    }
    for (uint32_t i = lo; i < mod->ndocs && strcmp(mod->by_base[i].base, qb) == 0; i++) {
        uint32_t d = mod->by_base[i].doc;
        if (!doc_matches(pdb_document_name(mod->pdb, d), q, ql)) continue;
        if (c < cap) docs[c] = d;
        c++;
    }
    return c;
}

/* First entry in slice with line >= `line` (index into entries), or first+count. */
static uint32_t slice_lower(const PdbModule *mod, const Slice *s, uint32_t line)
{
    uint32_t lo = s->first, hi = s->first + s->count;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (mod->entries[mid].line < line) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

/* Slices of a document whose [min_line, max_line] contains line. */
static uint32_t containing(const DocIndex *di, uint32_t line, uint32_t *out, uint32_t cap)
{
    uint32_t lo = 0, hi = di->nslices;
    while (lo < hi) { /* first slice with min_line > line */
        uint32_t mid = lo + (hi - lo) / 2;
        if (di->slices[mid].min_line <= line) lo = mid + 1;
        else hi = mid;
    }
    uint32_t n = 0;
    for (uint32_t i = lo; i-- > 0;) {
        if (di->prefmax[i] < line) break;
        if (di->slices[i].max_line >= line && n < cap) out[n++] = i;
    }
    return n;
}

typedef struct {
    PdbLineHit *v;
    uint32_t n, cap;
} Hits;

static int cmp_hit(const void *a, const void *b)
{
    const PdbLineHit *x = a, *y = b;
    if (x->method_token != y->method_token) return x->method_token < y->method_token ? -1 : 1;
    return x->il < y->il ? -1 : x->il > y->il;
}

static void add_hit(Hits *h, uint32_t doc, uint32_t method, const Entry *e)
{
    if (h->n >= h->cap) return;
    PdbLineHit *x = &h->v[h->n++];
    x->method_token = (uint32_t)MD_T_MethodDef << 24 | method;
    x->il = e->il;
    x->doc = doc;
    x->line = e->line;
    x->col = e->col;
    x->end_line = e->end_line;
    x->end_col = e->end_col;
}

#define MAX_CAND 256

/* Resolve within one document; returns the bound line (0 = nothing) and appends hits. */
static uint32_t resolve_doc(const PdbModule *mod, uint32_t doc, uint32_t line, Hits *h)
{
    const DocIndex *di = &mod->docs[doc];
    uint32_t cand[MAX_CAND];
    uint32_t nc = containing(di, line, cand, MAX_CAND);
    if (nc == 0) {
        /* between methods: the first method starting after the line */
        uint32_t lo = 0, hi = di->nslices;
        while (lo < hi) {
            uint32_t mid = lo + (hi - lo) / 2;
            if (di->slices[mid].min_line < line) lo = mid + 1;
            else hi = mid;
        }
        if (lo >= di->nslices) return 0;
        line = di->slices[lo].min_line;
        nc = containing(di, line, cand, MAX_CAND);
        if (nc == 0) return 0;
    }
    uint32_t best = UINT32_MAX;
    uint32_t cbest[MAX_CAND];
    for (uint32_t i = 0; i < nc; i++) {
        const Slice *s = &di->slices[cand[i]];
        uint32_t k = slice_lower(mod, s, line);
        cbest[i] = k < s->first + s->count ? mod->entries[k].line : UINT32_MAX;
        if (cbest[i] < best) best = cbest[i];
    }
    if (best != line) {
        /* inside a multi-line statement of the innermost containing method: bind to it */
        const Slice *inner = NULL;
        for (uint32_t i = 0; i < nc; i++) {
            const Slice *s = &di->slices[cand[i]];
            if (!inner || s->max_line - s->min_line < inner->max_line - inner->min_line) inner = s;
        }
        const Entry *span = NULL;
        for (uint32_t k = inner->first; k < inner->first + inner->count; k++) {
            const Entry *e = &mod->entries[k];
            if (e->line < line && e->end_line >= line && (!span || e->line > span->line)) span = e;
        }
        if (span) {
            add_hit(h, doc, inner->method, span);
            return span->line;
        }
    }
    if (best == UINT32_MAX) return 0;
    for (uint32_t i = 0; i < nc; i++) {
        if (cbest[i] != best) continue;
        const Slice *s = &di->slices[cand[i]];
        for (uint32_t k = slice_lower(mod, s, best); k < s->first + s->count && mod->entries[k].line == best; k++)
            add_hit(h, doc, s->method, &mod->entries[k]);
    }
    return best;
}

int pdb_module_resolve_line(const PdbModule *mod, MdPool *pool, const char *file, uint32_t line,
                            PdbLineHit **hits, uint32_t *n, uint32_t *bound_line, char *err,
                            size_t errcap)
{
    *hits = NULL;
    *n = 0;
    if (bound_line) *bound_line = 0;
    if (!mod->pdb) {
        md_seterr(err, errcap, "module has no symbols");
        return MD_ENOTFOUND;
    }
    uint32_t docs[64];
    uint32_t nd = pdb_module_match_documents(mod, file, docs, 64);
    if (nd == 0) {
        md_seterr(err, errcap, "no source file matching '%s' in this module", file);
        return MD_ENOTFOUND;
    }
    if (nd > 64) nd = 64;
    /* hits are bounded by the matched documents' entries (capped: one line never has more) */
    uint32_t total = 0, bound = 0;
    for (uint32_t i = 0; i < nd; i++)
        for (uint32_t s = 0; s < mod->docs[docs[i]].nslices; s++) total += mod->docs[docs[i]].slices[s].count;
    if (total > 4096) total = 4096;
    Hits h = {md_pool_alloc(pool, sizeof(PdbLineHit) * (total + 1)), 0, total};
    if (!h.v) return MD_ENOMEM;
    for (uint32_t i = 0; i < nd; i++) {
        uint32_t b = resolve_doc(mod, docs[i], line, &h);
        if (b && (!bound || b < bound)) bound = b;
    }
    if (h.n == 0) {
        uint32_t last = pdb_module_last_line(mod, docs[0]);
        md_seterr(err, errcap, "no code at or after line %u in %s (last line with code: %u)", line,
                  pdb_document_name(mod->pdb, docs[0]), last);
        return MD_ENOTFOUND;
    }
    qsort(h.v, h.n, sizeof(PdbLineHit), cmp_hit);
    *hits = h.v;
    *n = h.n;
    if (bound_line) *bound_line = bound;
    return 0;
}

int pdb_module_locate(const PdbModule *mod, uint32_t method_token, uint32_t il, PdbLocation *out)
{
    memset(out, 0, sizeof *out);
    if (!mod->pdb || (method_token >> 24) != MD_T_MethodDef) return MD_ENOTFOUND;
    uint32_t rid = method_token & 0xFFFFFF;
    PdbSpIter it;
    if (pdb_sp_begin(mod->pdb, rid, &it) != 0) return MD_ENOTFOUND;
    PdbSeqPoint sp, cur = {0};
    int have = 0, r;
    uint32_t next_il = UINT32_MAX;
    while ((r = pdb_sp_next(&it, &sp)) == 1) {
        if (sp.il <= il) {
            cur = sp;
            have = 1;
        } else {
            next_il = sp.il;
            break;
        }
    }
    if (r < 0 || !have) return r < 0 ? MD_EBADFMT : MD_ENOTFOUND;
    if (next_il == UINT32_MAX) {
        MdMethodBody body;
        if (md_method_body(mod->img, rid, &body) == 0) next_il = body.il_size;
    }
    out->doc = cur.doc;
    out->line = cur.start_line;
    out->col = cur.start_col;
    out->end_line = cur.end_line;
    out->end_col = cur.end_col;
    out->hidden = cur.hidden;
    out->il_start = cur.il;
    out->il_end = next_il;
    return 0;
}

int pdb_module_locals_at(const PdbModule *mod, MdPool *pool, uint32_t method_token, uint32_t il,
                         PdbLocal **out, uint32_t *n)
{
    *out = NULL;
    *n = 0;
    if (!mod->pdb || (method_token >> 24) != MD_T_MethodDef) return MD_ENOTFOUND;
    return pdb_locals_at(mod->pdb, pool, method_token & 0xFFFFFF, il, out, n);
}

/* ---- method names ---- */

/* Drop generic argument lists ("Outer<T>" -> "Outer") and arity suffixes ("Outer`1");
 * a '<' that opens a name component ("<Main>b__0") is part of the name and kept. */
static void normalize(const char *in, char *out, size_t cap)
{
    size_t o = 0;
    for (size_t i = 0; in[i] && o + 1 < cap;) {
        char c = in[i];
        if (c == '<' && i > 0 && in[i - 1] != '.' && in[i - 1] != '>' && in[i - 1] != '<') {
            int depth = 0;
            do {
                if (in[i] == '<') depth++;
                else if (in[i] == '>') depth--;
                i++;
            } while (in[i] && depth > 0);
            continue;
        }
        if (c == '`' && in[i + 1] >= '0' && in[i + 1] <= '9') {
            i++;
            while (in[i] >= '0' && in[i] <= '9') i++;
            continue;
        }
        if (c == ' ') {
            i++;
            continue;
        }
        out[o++] = c;
        i++;
    }
    out[o] = 0;
}

/* "int, string" parameter types of a MethodDef (no spaces), for overload selection. */
static void param_types(const MdMeta *m, uint32_t rid, char *buf, size_t cap)
{
    buf[0] = 0;
    MdPool pool = {0};
    const uint8_t *p;
    uint32_t len;
    MdMethodSig *sig;
    if (md_blob(m, md_get(m, MD_T_MethodDef, rid, MD_MethodDef_Signature), &p, &len) == 0 &&
        md_decode_method_sig(&pool, p, len, &sig) == 0) {
        MdGenCtx g = {.type_rid = md_method_owner(m, rid), .method_rid = rid};
        size_t o = 0;
        for (uint32_t i = 0; i < sig->nparams && o + 1 < cap; i++) {
            char t[512], nt[512];
            md_type_name(m, sig->params[i], &g, t, sizeof t);
            normalize(t, nt, sizeof nt);
            o += (size_t)snprintf(buf + o, cap - o, "%s%s", i ? "," : "", nt);
            if (o >= cap) o = cap - 1;
        }
    }
    md_pool_free(&pool);
}

uint32_t pdb_module_find_methods(const PdbModule *mod, const char *query, uint32_t *tokens, uint32_t cap)
{
    const MdMeta *m = &mod->img->md;
    char q[1024];
    const char *paren = strchr(query, '(');
    size_t ql = paren ? (size_t)(paren - query) : strlen(query);
    if (ql >= sizeof q) return 0;
    memcpy(q, query, ql);
    q[ql] = 0;
    while (ql && q[ql - 1] == ' ') q[--ql] = 0;
    char want_params[1024] = "";
    int check_params = 0;
    if (paren) {
        const char *close = strrchr(paren, ')');
        size_t pl = close ? (size_t)(close - paren - 1) : strlen(paren + 1);
        char tmp[1024];
        if (pl >= sizeof tmp) return 0;
        memcpy(tmp, paren + 1, pl);
        tmp[pl] = 0;
        normalize(tmp, want_params, sizeof want_params);
        check_params = 1;
    }
    char nq[1024];
    normalize(q, nq, sizeof nq);
    const char *key = simple_name(nq);
    /* binary search the first rid with this simple name */
    uint32_t lo = 0, hi = mod->nmethods;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (strcmp(mod->by_name[mid].name, key) < 0) lo = mid + 1;
        else hi = mid;
    }
    uint32_t count = 0;
    size_t nql = strlen(nq);
    /* The qualifier's last part ("Part1000" of "Ns.Part1000.Op07") must be the owning type's
     * own name: checked before the costly full name is built. No qualifier: every method of
     * that simple name matches, and no full name is needed at all. */
    char owner_want[512] = "";
    int qualified = key != nq;
    if (qualified) {
        size_t end = (size_t)(key - nq) - 1;             /* the '.' before the key */
        size_t start = end;
        while (start > 0 && nq[start - 1] != '.') start--;
        if (end - start < sizeof owner_want) {
            memcpy(owner_want, nq + start, end - start);
            owner_want[end - start] = 0;
        }
    }
    for (uint32_t i = lo; i < mod->nmethods && !strcmp(mod->by_name[i].name, key); i++) {
        uint32_t rid = mod->by_name[i].rid;
        char full[2048], nfull[2048];
        uint32_t owner = md_method_owner(m, rid);
        const char *mname = md_string(m, md_get(m, MD_T_MethodDef, rid, MD_MethodDef_Name));
        /* (An explicit interface implementation, "System.IDisposable.Dispose", carries its
         * qualifier in its own name: no owner check for it.) */
        if (qualified && owner_want[0] && !strchr(mname + 1, '.')) {
            char on[512];
            normalize(md_string(m, md_get(m, MD_T_TypeDef, owner, MD_TypeDef_Name)), on, sizeof on);
            if (strcmp(on, owner_want) != 0) continue;
        }
        /* Unqualified: the simple name already matched; a full name is needed only for an
         * explicit interface implementation's dotted name. */
        if (qualified || strchr(mname + 1, '.')) {
            size_t o = 0;
            if (owner) {
                md_token_type_name(m, (uint32_t)MD_T_TypeDef << 24 | owner, full, sizeof full);
                o = strlen(full);
                if (o + 1 < sizeof full) full[o++] = '.';
            }
            snprintf(full + o, sizeof full - o, "%s", mname);
            normalize(full, nfull, sizeof nfull);
            size_t fl = strlen(nfull);
            if (fl < nql || strcmp(nfull + fl - nql, nq) != 0) continue;
            if (fl != nql && nfull[fl - nql - 1] != '.') continue;
        }
        if (check_params) {
            char have[1024];
            param_types(m, rid, have, sizeof have);
            if (strcmp(have, want_params) != 0) continue;
        }
        if (count < cap) tokens[count] = (uint32_t)MD_T_MethodDef << 24 | rid;
        count++;
    }
    return count;
}
