// Unit tests for src/meta: PE/metadata/PDB reading and the symbol look-ups, over the C# test
// programs tests/programs/MetaBasic (separate portable PDB) and MetaEmbedded (embedded PDB and
// sources) that the test run builds into $CORDBG_TEST_OUT. Lines are found by "@bp:" markers.
#include "meta/dump.h"
#include "meta/md.h"
#include "meta/pdb.h"
#include "meta/sig.h"
#include "meta/symbols.h"
#include "unit.h"

#include <stdint.h>
#include <sys/stat.h>
#include <unistd.h>

static char g_path[4096];

// $CORDBG_TEST_OUT/<prog>/<file>, or NULL (with a message) when unset or missing.
static const char *out_file(const char *prog, const char *file)
{
    const char *out = getenv("CORDBG_TEST_OUT");
    if (!out || !*out) {
        fprintf(stderr, "CORDBG_TEST_OUT is not set (run via tests/run.py, or point it at tests/out)\n");
        return NULL;
    }
    snprintf(g_path, sizeof g_path, "%s/%s/%s", out, prog, file);
    if (access(g_path, R_OK) != 0) {
        fprintf(stderr, "missing test input %s (build tests/programs/%s first)\n", g_path, prog);
        return NULL;
    }
    return g_path;
}

static char *read_all(const char *path, size_t *len)
{
    uint8_t *b;
    size_t n;
    if (md_read_file(path, (size_t)1 << 30, &b, &n) != 0) return NULL;
    char *s = realloc(b, n + 1);
    if (!s) {
        free(b);
        return NULL;
    }
    s[n] = 0;
    if (len) *len = n;
    return s;
}

// Line number (1-based) of "@bp:<name>" in a source file named in the PDB; 0 if absent.
static uint32_t marker_line(const char *src_path, const char *name)
{
    char *s = read_all(src_path, NULL);
    if (!s) return 0;
    char want[128];
    snprintf(want, sizeof want, "@bp:%s", name);
    size_t wl = strlen(want);
    uint32_t line = 1, found = 0;
    for (char *p = s; *p; p++) {
        if (*p == '\n') line++;
        else if (!strncmp(p, want, wl) && !(p[wl] == '_' || (p[wl] >= 'a' && p[wl] <= 'z'))) {
            found = line;
            break;
        }
    }
    free(s);
    return found;
}

static PdbModule *open_mod(const char *prog)
{
    char file[256];
    snprintf(file, sizeof file, "%s.dll", prog);
    const char *p = out_file(prog, file);
    if (!p) return NULL;
    PdbModule *m = NULL;
    char err[512];
    int rc = pdb_module_open(p, &m, err, sizeof err);
    if (rc) {
        fprintf(stderr, "pdb_module_open(%s): %d %s\n", p, rc, err);
        pdb_module_close(m);
        return NULL;
    }
    return m;
}

static uint32_t doc_of(PdbModule *m, const char *file)
{
    uint32_t d[4];
    return pdb_module_match_documents(m, file, d, 4) == 1 ? d[0] : 0;
}

static uint32_t method_token(PdbModule *m, const char *name)
{
    uint32_t t[4];
    return pdb_module_find_methods(m, name, t, 4) == 1 ? t[0] : 0;
}

static uint32_t basic_marker(PdbModule *m, const char *file, const char *name)
{
    return marker_line(pdb_document_name(pdb_module_pdb(m), doc_of(m, file)), name);
}

// Resolve file:line; returns hit count and the first hit.
static uint32_t resolve(PdbModule *m, const char *file, uint32_t line, PdbLineHit *first, PdbLineHit *all,
                        uint32_t cap, uint32_t *bound)
{
    MdPool pool = {0};
    PdbLineHit *h;
    uint32_t n = 0;
    char err[256];
    if (pdb_module_resolve_line(m, &pool, file, line, &h, &n, bound, err, sizeof err) != 0) n = 0;
    if (n && first) *first = h[0];
    for (uint32_t i = 0; i < n && i < cap; i++) all[i] = h[i];
    md_pool_free(&pool);
    return n;
}

// ---- the dump equals System.Reflection.Metadata's view (tests/tools/MetaCheck) ----

static char *capture_dump(const char *dll)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    char err[256];
    int rc = md_dump_symbols(f, dll, err, sizeof err);
    fclose(f);
    if (rc) {
        fprintf(stderr, "md_dump_symbols: %s\n", err);
        free(buf);
        return NULL;
    }
    return buf;
}

static char *capture_metacheck(const char *dll)
{
    const char *mc = out_file("MetaCheck", "MetaCheck.dll");
    if (!mc) return NULL;
    char cmd[9000];
    snprintf(cmd, sizeof cmd, "dotnet '%s' '%s'", mc, dll);
    FILE *p = popen(cmd, "r");
    if (!p) return NULL;
    char *buf = NULL;
    size_t len = 0, cap = 0;
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, p)) > 0) {
        if (len + n + 1 > cap) {
            cap = (len + n + 1) * 2;
            buf = realloc(buf, cap);
        }
        memcpy(buf + len, chunk, n);
        len += n;
    }
    pclose(p);
    if (buf) buf[len] = 0;
    return buf;
}

static void compare_with_metacheck(const char *prog)
{
    char file[256];
    snprintf(file, sizeof file, "%s.dll", prog);
    const char *p = out_file(prog, file);
    CHECK(p != NULL);
    if (!p) return;
    char dll[4096];
    snprintf(dll, sizeof dll, "%s", p);
    char *a = capture_dump(dll), *b = capture_metacheck(dll);
    CHECK(a != NULL);
    CHECK(b != NULL);
    if (a && b && strcmp(a, b) != 0) {
        // show the first differing line
        const char *x = a, *y = b;
        while (*x && *x == *y) x++, y++;
        while (x > a && x[-1] != '\n') x--, y--;
        fprintf(stderr, "dump differs from MetaCheck:\n  C:   %.200s\n  SRM: %.200s\n", x, y);
        CHECK(!"dump equals MetaCheck");
    }
    CHECK(a && strstr(a, "sp IL_") != NULL);
    free(a);
    free(b);
}

TEST(dump_matches_metacheck_portable) { compare_with_metacheck("MetaBasic"); }
TEST(dump_matches_metacheck_embedded) { compare_with_metacheck("MetaEmbedded"); }

// ---- probing and PDB identity ----

TEST(probe_finds_symbols)
{
    char where[4096];
    const char *p = out_file("MetaEmbedded", "MetaEmbedded.dll");
    CHECK(p && pdb_probe(p, where, sizeof where) == 1);
    if (p) CHECK_EQ_STR(where, "embedded");
    p = out_file("MetaBasic", "MetaBasic.dll");
    CHECK(p && pdb_probe(p, where, sizeof where) == 1);
    if (p) {
        size_t l = strlen(where);
        CHECK(l > 13 && !strcmp(where + l - 13, "MetaBasic.pdb"));
    }
}

// Copy a file; with `hide_cv`, break the CodeView path ("/obj/" -> "/xbj/") so the build's
// own PDB is not found through it.
static int copy_file(const char *from, const char *to, int hide_cv)
{
    size_t n;
    char *b = read_all(from, &n);
    if (!b) return -1;
    if (hide_cv)
        for (size_t i = 0; i + 5 <= n; i++)
            if (!memcmp(b + i, "/obj/", 5)) b[i + 1] = 'x';
    FILE *f = fopen(to, "wb");
    if (!f) {
        free(b);
        return -1;
    }
    fwrite(b, 1, n, f);
    fclose(f);
    free(b);
    return 0;
}

TEST(probe_rejects_foreign_pdb)
{
    const char *p = out_file("MetaBasic", "MetaBasic.dll");
    if (!p) {
        CHECK(p);
        return;
    }
    char dll[4096], dir[] = "/tmp/cordbg-meta-XXXXXX", tdll[4200], tpdb[4200], where[4096];
    snprintf(dll, sizeof dll, "%s", p);
    const char *other = out_file("MetaCheck", "MetaCheck.pdb");
    CHECK(other != NULL);
    CHECK(mkdtemp(dir) != NULL);
    snprintf(tdll, sizeof tdll, "%s/MetaBasic.dll", dir);
    snprintf(tpdb, sizeof tpdb, "%s/MetaBasic.pdb", dir);
    CHECK(copy_file(dll, tdll, 1) == 0);
    CHECK_EQ_INT(pdb_probe(tdll, where, sizeof where), 0); // no PDB at all
    if (other) CHECK(copy_file(other, tpdb, 0) == 0);
    CHECK_EQ_INT(pdb_probe(tdll, where, sizeof where), MD_EMISMATCH);
    PdbModule *m = NULL;
    char err[512];
    CHECK_EQ_INT(pdb_module_open(tdll, &m, err, sizeof err), MD_EMISMATCH);
    CHECK(strstr(err, "does not belong") != NULL);
    CHECK(m && pdb_module_pdb(m) == NULL);
    pdb_module_close(m);
    unlink(tpdb);
    unlink(tdll);
    rmdir(dir);
}

TEST(pdb_id_and_checksum_match)
{
    PdbModule *m = open_mod("MetaBasic");
    CHECK(m != NULL);
    if (!m) return;
    const MdImage *img = pdb_module_image(m);
    CHECK(img->has_codeview);
    CHECK_EQ_INT(img->cv_age, 1);
    CHECK(pdb_matches_image(pdb_module_pdb(m), img));
    CHECK(img->has_checksum);
    CHECK_EQ_STR(img->checksum_alg, "SHA256");
    CHECK_EQ_INT(pdb_verify_checksum(pdb_module_pdb(m), img), 1);
    CHECK_EQ_INT(pdb_module_pdb(m)->entry_point, img->entry_point_token);
    pdb_module_close(m);
}

// ---- names and signatures ----

TEST(csharp_names)
{
    PdbModule *m = open_mod("MetaBasic");
    if (!m) {
        CHECK(m);
        return;
    }
    const MdMeta *md = &pdb_module_image(m)->md;
    char b[1024];
    uint32_t t = method_token(m, "Program.Generic");
    md_method_display(md, t & 0xFFFFFF, 1, b, sizeof b);
    CHECK_EQ_STR(b, "int Meta.Basic.Program.Generic<TKey, TValue>(System.Collections.Generic.Dictionary<TKey, "
                    "System.Collections.Generic.List<TValue>> d, TKey[] keys, int[,] grid, ref int r)");
    t = method_token(m, "Tuple");
    md_method_display(md, t & 0xFFFFFF, 0, b, sizeof b);
    CHECK_EQ_STR(b, "(int, string) Tuple(int a, int b)");
    t = method_token(m, "Outer.Inner.Depth");
    CHECK(t != 0);
    md_token_type_name(md, (uint32_t)MD_T_TypeDef << 24 | md_method_owner(md, t & 0xFFFFFF), b, sizeof b);
    CHECK_EQ_STR(b, "Meta.Basic.Outer<T>.Inner");
    t = method_token(m, "Person.Deconstruct");
    md_method_display(md, t & 0xFFFFFF, 0, b, sizeof b);
    CHECK_EQ_STR(b, "void Deconstruct(out string Name, out int Age)");
    pdb_module_close(m);
}

TEST(debugger_attributes)
{
    PdbModule *m = open_mod("MetaBasic");
    if (!m) {
        CHECK(m);
        return;
    }
    const MdMeta *md = &pdb_module_image(m)->md;
    MdPool pool = {0};
    MdDebugAttrs a;
    md_debug_attrs(md, &pool, method_token(m, "Widget.Hidden"), &a);
    CHECK(a.flags & MD_ATTR_DEBUGGER_HIDDEN);
    md_debug_attrs(md, &pool, method_token(m, "Widget.StepThrough"), &a);
    CHECK(a.flags & MD_ATTR_DEBUGGER_STEP_THROUGH);
    md_debug_attrs(md, &pool, method_token(m, "Widget.NonUser"), &a);
    CHECK(a.flags & MD_ATTR_DEBUGGER_NON_USER_CODE);
    uint32_t widget = md_method_owner(md, method_token(m, "Widget.Hidden") & 0xFFFFFF);
    md_debug_attrs(md, &pool, (uint32_t)MD_T_TypeDef << 24 | widget, &a);
    CHECK(a.flags & MD_ATTR_DEBUGGER_DISPLAY);
    CHECK_EQ_STR(a.display, "Widget {Name}");
    uint32_t f, e;
    md_list_range(md, MD_T_TypeDef, widget, MD_TypeDef_FieldList, MD_T_Field, &f, &e);
    CHECK(e > f);
    md_debug_attrs(md, &pool, (uint32_t)MD_T_Field << 24 | f, &a);
    CHECK(a.flags & MD_ATTR_DEBUGGER_BROWSABLE);
    CHECK_EQ_INT(a.browsable_state, 0);
    md_pool_free(&pool);
    pdb_module_close(m);
}

// ---- method names -> tokens ----

TEST(find_methods)
{
    PdbModule *m = open_mod("MetaBasic");
    if (!m) {
        CHECK(m);
        return;
    }
    uint32_t t[16];
    CHECK_EQ_INT(pdb_module_find_methods(m, "Main", t, 16), 1);
    CHECK_EQ_INT(pdb_module_find_methods(m, "Program.Main", t, 16), 1);
    CHECK_EQ_INT(pdb_module_find_methods(m, "Meta.Basic.Program.Main", t, 16), 1);
    CHECK_EQ_INT(pdb_module_find_methods(m, "Basic.Program.Main(string[])", t, 16), 1);
    CHECK_EQ_INT(pdb_module_find_methods(m, "asic.Program.Main", t, 16), 0);
    CHECK_EQ_INT(pdb_module_find_methods(m, "Meta.Basic.Outer<T>.Inner.Depth", t, 16), 1);
    CHECK_EQ_INT(pdb_module_find_methods(m, "Outer`1.Inner.Depth", t, 16), 1);
    CHECK_EQ_INT(pdb_module_find_methods(m, "Person.Equals", t, 16), 2);
    CHECK_EQ_INT(pdb_module_find_methods(m, "Person.Equals(object)", t, 16), 1);
    CHECK_EQ_INT(pdb_module_find_methods(m, "Area(int, int)", t, 16), 1);
    CHECK_EQ_INT(pdb_module_find_methods(m, "Area(string)", t, 16), 0);
    CHECK_EQ_INT(pdb_module_find_methods(m, "Generic<TKey, TValue>", t, 16), 1);
    CHECK_EQ_INT(pdb_module_find_methods(m, "Counter..ctor", t, 16), 1);
    CHECK(pdb_module_find_methods(m, ".ctor", t, 16) > 5);
    CHECK_EQ_INT(pdb_module_find_methods(m, "System.IDisposable.Dispose", t, 16), 1);
    CHECK_EQ_INT(pdb_module_find_methods(m, "NoSuchMethod", t, 16), 0);
    pdb_module_close(m);
}

// ---- file:line -> IL ----

TEST(resolve_lines)
{
    PdbModule *m = open_mod("MetaBasic");
    if (!m) {
        CHECK(m);
        return;
    }
    PdbLineHit h, all[16];
    uint32_t bound;
    uint32_t main_tok = method_token(m, "Program.Main");
    uint32_t line = basic_marker(m, "Program.cs", "loop");
    CHECK(line > 0);
    CHECK_EQ_INT(resolve(m, "Program.cs", line, &h, all, 16, &bound), 1);
    CHECK_EQ_INT(h.method_token, main_tok);
    CHECK_EQ_INT(h.line, line);
    CHECK_EQ_INT(bound, line);
    // partial paths: any '/'-aligned suffix; case-sensitive
    CHECK_EQ_INT(resolve(m, "MetaBasic/Program.cs", line, &h, all, 16, &bound), 1);
    CHECK_EQ_INT(resolve(m, "asicProgram.cs", line, &h, all, 16, &bound), 0);
    CHECK_EQ_INT(resolve(m, "Basic/Program.cs", line, &h, all, 16, &bound), 0);
    CHECK_EQ_INT(resolve(m, "program.cs", line, &h, all, 16, &bound), 0);
    // a lambda on the line: both the enclosing method and the lambda
    line = basic_marker(m, "Program.cs", "lambda_line");
    uint32_t n = resolve(m, "Program.cs", line, &h, all, 16, &bound);
    CHECK_EQ_INT(n, 2);
    if (n == 2) {
        CHECK_EQ_INT(all[0].method_token, main_tok);
        CHECK(all[1].method_token == method_token(m, "<Main>b__0"));
    }
    // a line without code binds to the next line with code
    line = basic_marker(m, "Program.cs", "get_try");
    CHECK_EQ_INT(resolve(m, "Program.cs", line - 1, &h, all, 16, &bound), 1);
    CHECK_EQ_INT(bound, line);
    CHECK_EQ_INT(h.method_token, method_token(m, "Outer.Get"));
    // inside a multi-line lambda body
    line = basic_marker(m, "Program.cs", "multiline_lambda");
    CHECK_EQ_INT(resolve(m, "Program.cs", line, &h, all, 16, &bound), 1);
    CHECK(h.method_token != main_tok);
    // iterator and async bodies live in MoveNext
    line = basic_marker(m, "Program.cs", "yield");
    CHECK_EQ_INT(resolve(m, "Program.cs", line, &h, all, 16, &bound), 1);
    CHECK_EQ_INT(pdb_kickoff_method(pdb_module_pdb(m), h.method_token & 0xFFFFFF),
                 method_token(m, "Program.Evens") & 0xFFFFFF);
    line = basic_marker(m, "Program.cs", "async_after");
    CHECK_EQ_INT(resolve(m, "Program.cs", line, &h, all, 16, &bound), 1);
    CHECK_EQ_INT(pdb_kickoff_method(pdb_module_pdb(m), h.method_token & 0xFFFFFF),
                 method_token(m, "ComputeAsync") & 0xFFFFFF);
    // partial class across files; record; primary constructor
    line = basic_marker(m, "Shapes.Part2.cs", "perimeter");
    CHECK_EQ_INT(resolve(m, "Shapes.Part2.cs", line, &h, all, 16, &bound), 1);
    CHECK_EQ_INT(h.method_token, method_token(m, "Perimeter"));
    line = basic_marker(m, "Program.cs", "record_describe");
    CHECK_EQ_INT(resolve(m, "Program.cs", line, &h, all, 16, &bound), 1);
    CHECK_EQ_INT(h.method_token, method_token(m, "Person.Describe"));
    line = basic_marker(m, "Program.cs", "primary_next");
    CHECK_EQ_INT(resolve(m, "Program.cs", line, &h, all, 16, &bound), 1);
    CHECK_EQ_INT(h.method_token, method_token(m, "Counter.Next"));
    // #line 500 "Generated.cs"
    CHECK_EQ_INT(resolve(m, "Generated.cs", 500, &h, all, 16, &bound), 1);
    CHECK_EQ_INT(h.method_token, main_tok);
    // past the end: a specific error
    MdPool pool = {0};
    PdbLineHit *hv;
    char err[256];
    CHECK_EQ_INT(pdb_module_resolve_line(m, &pool, "Program.cs", 100000, &hv, &n, &bound, err, sizeof err),
                 MD_ENOTFOUND);
    CHECK(strstr(err, "no code at or after line 100000") != NULL);
    CHECK_EQ_INT(pdb_module_resolve_line(m, &pool, "Nope.cs", 1, &hv, &n, &bound, err, sizeof err), MD_ENOTFOUND);
    CHECK(strstr(err, "Nope.cs") != NULL);
    md_pool_free(&pool);
    pdb_module_close(m);
}

// ---- IL -> source, statement ranges, locals ----

TEST(locate_and_locals)
{
    PdbModule *m = open_mod("MetaBasic");
    if (!m) {
        CHECK(m);
        return;
    }
    PdbLineHit h, all[4];
    uint32_t bound;
    uint32_t line = basic_marker(m, "Program.cs", "area");
    CHECK_EQ_INT(resolve(m, "Program.cs", line, &h, all, 4, &bound), 1);
    PdbLocation loc;
    CHECK_EQ_INT(pdb_module_locate(m, h.method_token, h.il, &loc), 0);
    CHECK_EQ_INT(loc.line, line);
    CHECK_EQ_INT(loc.il_start, h.il);
    CHECK(loc.il_end > loc.il_start);
    CHECK(!loc.hidden);
    // an offset inside the statement maps to the same statement
    CHECK_EQ_INT(pdb_module_locate(m, h.method_token, loc.il_end - 1, &loc), 0);
    CHECK_EQ_INT(loc.line, line);
    MdPool pool = {0};
    PdbLocal *ls;
    uint32_t n;
    CHECK_EQ_INT(pdb_module_locals_at(m, &pool, h.method_token, h.il, &ls, &n), 0);
    CHECK_EQ_INT(n, 1);
    if (n == 1) {
        CHECK_EQ_STR(ls[0].name, "a");
        CHECK_EQ_INT(ls[0].slot, 0);
    }
    // Main's loop body: the foreach variable's scope plus Main's locals and constant
    line = basic_marker(m, "Program.cs", "loop");
    CHECK_EQ_INT(resolve(m, "Program.cs", line, &h, all, 4, &bound), 1);
    CHECK_EQ_INT(pdb_module_locals_at(m, &pool, h.method_token, h.il, &ls, &n), 0);
    int saw_e = 0, saw_mul = 0, saw_const = 0;
    for (uint32_t i = 0; i < n; i++) {
        saw_e |= !strcmp(ls[i].name, "e");
        saw_mul |= !strcmp(ls[i].name, "mul");
        saw_const |= ls[i].is_const && !strcmp(ls[i].name, "greeting");
    }
    CHECK(saw_e && saw_mul && saw_const);
    // the line directive's statement maps to Generated.cs:500
    line = basic_marker(m, "Program.cs", "line_directive");
    CHECK_EQ_INT(resolve(m, "Generated.cs", 500, &h, all, 4, &bound), 1);
    CHECK_EQ_INT(pdb_module_locate(m, h.method_token, h.il, &loc), 0);
    CHECK_EQ_STR(pdb_document_name(pdb_module_pdb(m), loc.doc) + strlen(pdb_document_name(pdb_module_pdb(m), loc.doc)) - 12,
                 "Generated.cs");
    CHECK_EQ_INT(loc.line, 500);
    md_pool_free(&pool);
    pdb_module_close(m);
}

TEST(async_stepping_info)
{
    PdbModule *m = open_mod("MetaBasic");
    if (!m) {
        CHECK(m);
        return;
    }
    const PdbFile *pdb = pdb_module_pdb(m);
    uint32_t kick = method_token(m, "ComputeAsync") & 0xFFFFFF;
    uint32_t mn = pdb_movenext_method(pdb, kick);
    CHECK(mn != 0);
    MdPool pool = {0};
    PdbAsyncInfo ai;
    CHECK_EQ_INT(pdb_async_info(pdb, &pool, mn, &ai), 0);
    CHECK_EQ_INT(ai.kickoff, kick);
    CHECK_EQ_INT(ai.nawaits, 2);
    for (uint32_t i = 0; i < ai.nawaits; i++) {
        CHECK(ai.awaits[i].resume_offset > ai.awaits[i].yield_offset);
        CHECK_EQ_INT(ai.awaits[i].resume_method, mn);
    }
    PdbIlRange *hs;
    uint32_t nh;
    CHECK_EQ_INT(pdb_hoisted_scopes(pdb, &pool, mn, &hs, &nh), 0);
    CHECK_EQ_INT(nh, 2); // before, after
    // the tuple local carries its element names
    uint32_t tup = method_token(m, "Tuple") & 0xFFFFFF;
    PdbLocal *ls;
    uint32_t n;
    CHECK_EQ_INT(pdb_locals_at(pdb, &pool, tup, 0, &ls, &n), 0);
    CHECK_EQ_INT(n, 1);
    const char **names;
    uint32_t nn;
    if (n == 1) {
        CHECK_EQ_INT(pdb_tuple_names(pdb, &pool, (uint32_t)MD_T_LocalVariable << 24 | ls[0].row, &names, &nn), 0);
        CHECK_EQ_INT(nn, 2);
        if (nn == 2) {
            CHECK_EQ_STR(names[0], "sum");
            CHECK_EQ_STR(names[1], "text");
        }
    }
    md_pool_free(&pool);
    pdb_module_close(m);
}

/* An async Task method's MoveNext: Roslyn names the catch-all's offset in the PDB only for
 * async void and async Main, so the engine finds it as the outermost catch clause. */
TEST(async_catch_all_clause)
{
    PdbModule *m = open_mod("MetaBasic");
    if (!m) {
        CHECK(m);
        return;
    }
    const PdbFile *pdb = pdb_module_pdb(m);
    uint32_t mn = pdb_movenext_method(pdb, method_token(m, "ComputeAsync") & 0xFFFFFF);
    MdPool pool = {0};
    PdbAsyncInfo ai;
    CHECK_EQ_INT(pdb_async_info(pdb, &pool, mn, &ai), 0);
    CHECK(ai.catch_handler == -1);
    MdEhClause cl[8];
    uint32_t n = 0;
    const MdImage *img = pdb_module_image(m);
    CHECK_EQ_INT(md_method_eh(img, mn, cl, 8, &n), 0);
    CHECK(n >= 1 && n <= 8);
    MdMethodBody body;
    CHECK_EQ_INT(md_method_body(img, mn, &body), 0);
    if (n >= 1 && n <= 8) {
        const MdEhClause *all = &cl[n - 1];
        CHECK_EQ_INT(all->kind, MD_EH_CATCH);
        CHECK(all->handler_off >= all->try_off + all->try_len);
        CHECK(all->handler_off + all->handler_len <= body.il_size);
        for (uint32_t i = 0; i < ai.nawaits; i++)
            CHECK(ai.awaits[i].yield_offset >= all->try_off && ai.awaits[i].yield_offset < all->try_off + all->try_len);
        /* catch (System.Exception): a TypeRef to it */
        CHECK_EQ_INT(all->class_token >> 24, MD_T_TypeRef);
    }
    /* a method without a fat header's sections has no clauses */
    CHECK_EQ_INT(md_method_eh(img, method_token(m, "Tuple") & 0xFFFFFF, cl, 8, &n), 0);
    CHECK_EQ_INT(n, 0);
    md_pool_free(&pool);
    pdb_module_close(m);
}

TEST(embedded_sources)
{
    PdbModule *m = open_mod("MetaEmbedded");
    if (!m) {
        CHECK(m);
        return;
    }
    CHECK_EQ_STR(pdb_module_pdb_where(m), "embedded");
    uint32_t d = doc_of(m, "Program.cs");
    CHECK(d != 0);
    uint8_t *src;
    size_t len, flen;
    CHECK_EQ_INT(pdb_embedded_source(pdb_module_pdb(m), d, &src, &len), 0);
    char *disk = read_all(pdb_document_name(pdb_module_pdb(m), d), &flen);
    CHECK(disk != NULL);
    if (disk && src) {
        CHECK_EQ_INT(len, flen);
        CHECK_EQ_MEM(src, disk, len < flen ? len : flen);
    }
    free(src);
    free(disk);
    PdbLineHit h, all[4];
    uint32_t bound;
    uint32_t line = marker_line(pdb_document_name(pdb_module_pdb(m), d), "greet");
    CHECK_EQ_INT(resolve(m, "Program.cs", line, &h, all, 4, &bound), 1);
    pdb_module_close(m);
}

// An image laid out as the loader maps it (RVA = offset), as read from process memory.
TEST(mapped_image_layout)
{
    const char *p = out_file("MetaEmbedded", "MetaEmbedded.dll");
    if (!p) {
        CHECK(p);
        return;
    }
    size_t n;
    char *file = read_all(p, &n);
    MdImage *fimg = NULL;
    char err[256];
    CHECK(file && md_image_open_mem(file, n, MD_LAYOUT_FILE, &fimg, err, sizeof err) == 0);
    if (!fimg) {
        free(file);
        return;
    }
    size_t size = 0;
    for (uint32_t i = 0; i < fimg->nsections; i++) {
        size_t end = (size_t)fimg->sections[i].vaddr + fimg->sections[i].vsize;
        if (end > size) size = end;
    }
    uint8_t *mem = calloc(1, size);
    memcpy(mem, file, fimg->sections[0].raw_ptr);
    for (uint32_t i = 0; i < fimg->nsections; i++) {
        const MdSection *s = &fimg->sections[i];
        memcpy(mem + s->vaddr, file + s->raw_ptr, s->raw_size < s->vsize ? s->raw_size : s->vsize);
    }
    MdImage *mimg = NULL;
    CHECK_EQ_INT(md_image_open_mem(mem, size, MD_LAYOUT_MAPPED, &mimg, err, sizeof err), 0);
    if (mimg) {
        CHECK_EQ_INT(md_rows(&mimg->md, MD_T_MethodDef), md_rows(&fimg->md, MD_T_MethodDef));
        CHECK(mimg->has_embedded_pdb);
        uint8_t *a, *b;
        size_t al, bl;
        CHECK_EQ_INT(md_image_embedded_pdb(mimg, &a, &al, err, sizeof err), 0);
        CHECK_EQ_INT(md_image_embedded_pdb(fimg, &b, &bl, err, sizeof err), 0);
        CHECK_EQ_INT(al, bl);
        CHECK_EQ_MEM(a, b, al);
        free(a);
        free(b);
        MdMethodBody b1, b2;
        CHECK_EQ_INT(md_method_body(mimg, 2, &b1), 0);
        CHECK_EQ_INT(md_method_body(fimg, 2, &b2), 0);
        CHECK_EQ_INT(b1.il_size, b2.il_size);
        CHECK_EQ_MEM(b1.il, b2.il, b1.il_size);
        md_image_close(mimg);
    }
    md_image_close(fimg);
    free(mem);
    free(file);
}

// ---- robustness: truncations and bit flips never crash (ASan/UBSan build checks) ----

static void exercise(const uint8_t *data, size_t len)
{
    MdImage *img = NULL;
    char err[256];
    if (md_image_open_mem(data, len, MD_LAYOUT_FILE, &img, err, sizeof err) != 0) return;
    PdbFile *pdb = NULL;
    uint8_t *buf;
    size_t bl;
    if (md_image_embedded_pdb(img, &buf, &bl, err, sizeof err) == 0) pdb_open_owned(buf, bl, &pdb, err, sizeof err);
    PdbModule *m = NULL;
    if (pdb_module_from_parts(img, pdb, &m, err, sizeof err) != 0) return;
    const MdMeta *md = &pdb_module_image(m)->md;
    char b[512];
    for (uint32_t r = 1; r <= md_rows(md, MD_T_MethodDef) && r < 64; r++) md_method_display(md, r, 1, b, sizeof b);
    for (uint32_t r = 1; r <= md_rows(md, MD_T_TypeDef) && r < 64; r++)
        md_token_type_name(md, (uint32_t)MD_T_TypeDef << 24 | r, b, sizeof b);
    MdPool pool = {0};
    PdbLineHit *h;
    uint32_t n, bound;
    pdb_module_resolve_line(m, &pool, "Program.cs", 18, &h, &n, &bound, err, sizeof err);
    md_pool_free(&pool);
    pdb_module_close(m);
}

TEST(corrupt_inputs_do_not_crash)
{
    const char *p = out_file("MetaEmbedded", "MetaEmbedded.dll");
    if (!p) {
        CHECK(p);
        return;
    }
    size_t n;
    uint8_t *file = (uint8_t *)read_all(p, &n);
    CHECK(file != NULL);
    if (!file) return;
    for (size_t cut = 0; cut < n; cut += 211) exercise(file, cut);
    uint8_t *copy = malloc(n);
    uint32_t seed = 12345;
    for (int round = 0; round < 300; round++) {
        memcpy(copy, file, n);
        for (int k = 0; k < 8; k++) {
            seed = seed * 1103515245u + 12345u;
            copy[(seed >> 8) % n] ^= (uint8_t)(1u << (seed & 7));
        }
        exercise(copy, n);
    }
    free(copy);
    free(file);
    CHECK(1);
}

UNIT_MAIN()
