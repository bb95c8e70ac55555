/* Low-level views for editors (DAP's readMemory, writeMemory, disassemble, registers, and
 * instruction breakpoints in jitted code), in every mode: native memory and code through the
 * tracer (mixed and native modes), the runtime's memory and jitted code through ICorDebug
 * (managed and mixed modes).
 *
 * Whose bytes: the tracer hides and keeps cordbg's int3s in native code; ICorDebug's
 * ReadMemory and WriteMemory hide and keep the runtime's breakpoint patches in jitted code
 * (WriteMemory updates a patch's saved byte instead of overwriting the int3). So a read shows
 * the program's own bytes and a write never loses a breakpoint, whichever engine placed it.
 *
 * Disassembly is decoded forward only, from a start known to be an instruction boundary: the
 * native function's symbol (ELF/DWARF) or the jitted method's code start (ICorDebugCode).
 * x86 cannot be decoded backwards, so instructions asked for before the first known start
 * are placeholders marked invalid, one byte apart, as other adapters pad. */
#include "engine/internal.h"
#include "base/log.h"
#include "native/disasm.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_READ = 1 << 20, MAX_INSNS = 10000, MAX_REGION = 1 << 16 };

/* ---------------------------------------------------------------- memory */

/* Which engine reads ADDR: ICorDebug for the runtime's memory and jitted code (its patches
 * hidden) when there is a managed side, else the tracer. */
static int by_cordbg_tracer(EngSession *s, uint64_t addr)
{
    if (!s->nt) return 0;
    if (!s->process) return 1;
    return !nt_is_runtime_code(s->nt, addr);
}

static int mem_read(EngSession *s, uint64_t addr, void *buf, size_t len)
{
    if (by_cordbg_tracer(s, addr)) return nt_read_mem(s->nt, addr, buf, len);
    SIZE_T got = 0;
    if (s->process && SUCCEEDED(s->process->lpVtbl->ReadMemory(s->process, addr, (DWORD)len, buf, &got)) && got == len)
        return 0;
    /* mixed mode: memory the runtime's reader refuses may still be the tracer's to read */
    return s->nt ? nt_read_mem(s->nt, addr, buf, len) : -1;
}

/* The bytes readable from addr on, page by page (readability changes only at page
 * boundaries): how many were read. */
static size_t read_prefix(EngSession *s, uint64_t addr, uint8_t *buf, size_t len)
{
    size_t done = 0;
    while (done < len) {
        uint64_t a = addr + done;
        size_t chunk = 4096 - (size_t)(a & 4095);
        if (chunk > len - done) chunk = len - done;
        if (mem_read(s, a, buf + done, chunk) != 0) {
            /* a page the runtime half-owns: try byte runs of it once */
            size_t k = 0;
            while (k < chunk && mem_read(s, a + k, buf + done + k, 1) == 0) k++;
            done += k;
            break;
        }
        done += chunk;
    }
    return done;
}

static void req_read(EngSession *s, Request *rq)
{
    uint64_t addr = rq->arg.ll.addr;
    size_t len = rq->arg.ll.len;
    EngResult *r = rq->res;
    if (len > MAX_READ) { eng_fail(rq, "a memory read is at most %d bytes (asked for %zu)", MAX_READ, len); return; }
    if (len && addr + len - 1 < addr) { eng_fail(rq, "0x%" PRIx64 " + %zu bytes runs past the end of the address space", addr, len); return; }
    r->text = malloc(len ? len : 1);
    if (!r->text) { eng_fail(rq, "out of memory"); return; }
    size_t got = read_prefix(s, addr, (uint8_t *)r->text, len);
    r->id = (int)got;
    r->address = addr;
    r->unreadable = len - got;
}

static void req_write(EngSession *s, Request *rq)
{
    uint64_t addr = rq->arg.ll.addr;
    size_t len = rq->arg.ll.len;
    if (len > MAX_READ) { eng_fail(rq, "a memory write is at most %d bytes (asked for %zu)", MAX_READ, len); return; }
    if (len && addr + len - 1 < addr) { eng_fail(rq, "0x%" PRIx64 " + %zu bytes runs past the end of the address space", addr, len); return; }
    if (!len) return;
    /* All or nothing: a write that would stop half-way is refused before a byte changes. */
    uint8_t *probe = malloc(len);
    if (!probe) { eng_fail(rq, "out of memory"); return; }
    size_t ok = read_prefix(s, addr, probe, len);
    free(probe);
    if (ok < len) { eng_fail(rq, "Cannot access memory at address 0x%" PRIx64, addr + ok); return; }
    int done = 0;
    if (by_cordbg_tracer(s, addr)) {
        done = nt_write_mem(s->nt, addr, rq->arg.ll.data, len) == 0;
    } else if (s->process) {
        SIZE_T wrote = 0;
        HRESULT hr = s->process->lpVtbl->WriteMemory(s->process, addr, (DWORD)len, (BYTE *)rq->arg.ll.data, &wrote);
        done = SUCCEEDED(hr) && wrote == len;
        if (!done && !s->nt) {
            char b[96];
            eng_fail(rq, "cannot write %zu bytes at 0x%" PRIx64 ": %s", len, addr, clr_hr_str(hr, b, sizeof b));
            return;
        }
        if (!done) done = nt_write_mem(s->nt, addr, rq->arg.ll.data, len) == 0;
    }
    if (!done) { eng_fail(rq, "cannot write %zu bytes at 0x%" PRIx64, len, addr); return; }
    /* Values are read again when next shown (objects through their handles): the
     * references handed out stay valid. */
    rq->res->id = (int)len;
}

/* ---------------------------------------------------------------- code regions */

/* A stretch of code whose first byte is an instruction start. */
typedef struct Region {
    uint64_t lo, hi;
    ICorDebugCode *code;            /* jitted: its code (AddRef'ed), else NULL */
    Module  *m;
    uint32_t token;
    char     name[256];             /* jitted: "Ns.Type.Method" */
    COR_DEBUG_IL_TO_NATIVE_MAP *map;
    ULONG32  nmap;
} Region;

static void region_free(Region *rg)
{
    if (rg->code) rg->code->lpVtbl->Release(rg->code);
    free(rg->map);
    memset(rg, 0, sizeof *rg);
}

/* Native code holding addr: 1, or 0 (code released). */
static int code_holds(ICorDebugCode *code, uint64_t addr)
{
    CORDB_ADDRESS a = 0;
    ULONG32 size = 0;
    BOOL il = TRUE;
    if (SUCCEEDED(code->lpVtbl->IsIL(code, &il)) && !il && SUCCEEDED(code->lpVtbl->GetAddress(code, &a)) &&
        SUCCEEDED(code->lpVtbl->GetSize(code, &size)) && addr >= a && addr < a + size)
        return 1;
    code->lpVtbl->Release(code);
    return 0;
}

/* The code of a managed frame of some thread's stack that holds addr (AddRef'ed), or NULL:
 * the methods an editor's disassembly view is opened on. */
static ICorDebugCode *frame_code_at(EngSession *s, uint64_t addr)
{
    for (size_t i = 0; i < s->nthreads; i++) {
        ICorDebugChainEnum *chains = NULL;
        ICorDebugChain *chain = NULL;
        ULONG got = 0;
        ICorDebugCode *found = NULL;
        if (FAILED(s->threads[i].t->lpVtbl->EnumerateChains(s->threads[i].t, &chains)) || !chains) continue;
        while (!found && SUCCEEDED(chains->lpVtbl->Next(chains, 1, &chain, &got)) && got == 1) {
            ICorDebugFrameEnum *frames = NULL;
            if (SUCCEEDED(chain->lpVtbl->EnumerateFrames(chain, &frames)) && frames) {
                ICorDebugFrame *f = NULL;
                ULONG n = 0;
                while (!found && SUCCEEDED(frames->lpVtbl->Next(frames, 1, &f, &n)) && n == 1) {
                    ICorDebugNativeFrame *nf = NULL;
                    ICorDebugCode *code = NULL;
                    if (SUCCEEDED(f->lpVtbl->QueryInterface(f, &IID_ICorDebugNativeFrame, (void **)&nf)) && nf) {
                        if (SUCCEEDED(nf->lpVtbl->GetCode(nf, &code)) && code && code_holds(code, addr)) found = code;
                        nf->lpVtbl->Release(nf);
                    }
                    f->lpVtbl->Release(f);
                }
                frames->lpVtbl->Release(frames);
            }
            chain->lpVtbl->Release(chain);
        }
        chains->lpVtbl->Release(chains);
        if (found) return found;
    }
    return NULL;
}

/* The jitted code holding addr, AddRef'ed; NULL when none is known. ICorDebugProcess6::
 * GetCode would answer for any address, but the Linux right side does not give that
 * interface (E_NOINTERFACE, .NET 10): then the methods on the threads' stacks. */
static ICorDebugCode *jitted_code_at(EngSession *s, uint64_t addr)
{
    if (!s->process) return NULL;
    ICorDebugProcess6 *p6 = NULL;
    ICorDebugCode *code = NULL;
    HRESULT qi = s->process->lpVtbl->QueryInterface(s->process, &IID_ICorDebugProcess6, (void **)&p6);
    if (FAILED(qi)) log_msg(LOG_DEBUG, "lowlevel", "no ICorDebugProcess6: 0x%08x", (unsigned)qi);
    if (SUCCEEDED(qi) && p6) {
        HRESULT hr = p6->lpVtbl->GetCode(p6, addr, &code);
        p6->lpVtbl->Release(p6);
        if (SUCCEEDED(hr) && code && code_holds(code, addr)) return code;
        if (FAILED(hr)) {
            char b[96];
            log_msg(LOG_DEBUG, "lowlevel", "GetCode(0x%" PRIx64 "): %s", addr, clr_hr_str(hr, b, sizeof b));
        }
    }
    return frame_code_at(s, addr);
}

static int jitted_region(EngSession *s, ICorDebugCode *code, Region *rg)
{
    CORDB_ADDRESS a = 0;
    ULONG32 size = 0;
    code->lpVtbl->GetAddress(code, &a);
    code->lpVtbl->GetSize(code, &size);
    rg->lo = a;
    rg->hi = a + size;
    rg->code = code;
    ICorDebugFunction *fn = NULL;
    if (SUCCEEDED(code->lpVtbl->GetFunction(code, &fn)) && fn) {
        ICorDebugModule *mod = NULL;
        mdMethodDef tok = 0;
        fn->lpVtbl->GetToken(fn, &tok);
        if (SUCCEEDED(fn->lpVtbl->GetModule(fn, &mod)) && mod) {
            rg->m = eng_module_by_iface(s, mod);
            mod->lpVtbl->Release(mod);
        }
        fn->lpVtbl->Release(fn);
        rg->token = tok;
    }
    Where w;
    if (rg->m && eng_where_code(s, rg->m, rg->token, 0, &w) == 0) {
        /* "Ns.Type.Method(int a)": the symbol is the name, without its parameters */
        char *paren = strchr(w.function, '(');
        if (paren) *paren = 0;
        snprintf(rg->name, sizeof rg->name, "%s", w.function);
    }
    ULONG32 n = 0;
    if (SUCCEEDED(code->lpVtbl->GetILToNativeMapping(code, 0, &n, NULL)) && n && n < 100000 &&
        (rg->map = calloc(n, sizeof *rg->map)) &&
        SUCCEEDED(code->lpVtbl->GetILToNativeMapping(code, n, &rg->nmap, rg->map)) && rg->nmap > n)
        rg->nmap = n;
    return 0;
}

/* The region holding addr: a native function (its symbol's range) or a jitted method. 0,
 * or -1 when no known code holds it. */
static int region_at(EngSession *s, uint64_t addr, Region *rg)
{
    memset(rg, 0, sizeof *rg);
    if (s->nt) {
        NsSpace *sp = nt_sym_lock(s->nt);
        NsModuleInfo mi;
        uint64_t lo = 0, hi = 0;
        int in_module = sp && ns_module_at(sp, addr, &mi);
        int rc = in_module ? ns_function_range(sp, addr, &lo, &hi) : -1;
        nt_sym_unlock(s->nt);
        if (rc == 0 && addr >= lo && addr < hi) {
            rg->lo = lo;
            rg->hi = hi - lo > MAX_REGION ? lo + MAX_REGION : hi;
            return addr < rg->hi ? 0 : -1;
        }
        if (in_module) return -1;
    }
    ICorDebugCode *code = jitted_code_at(s, addr);
    if (!code) return -1;
    jitted_region(s, code, rg);
    if (rg->hi - rg->lo > MAX_REGION) rg->hi = rg->lo + MAX_REGION;
    return addr < rg->hi ? 0 : -1;
}

/* ---------------------------------------------------------------- disassembly */

/* A decoded instruction while the window is worked out (small: many may be decoded to
 * find the boundaries before the one asked for; only the window becomes EngInsns). */
typedef struct LInsn {
    uint64_t addr;
    uint8_t  size;              /* bytes known (a placeholder: 0, or its one readable byte) */
    uint8_t  bytes[16];
    int      invalid;
    char     text[112];
} LInsn;

typedef struct InsnList { LInsn *v; size_t n, cap; } InsnList;

static LInsn *insn_push(InsnList *l)
{
    if (!GROW(l->v, l->n, l->cap)) return NULL;
    LInsn *e = &l->v[l->n++];
    memset(e, 0, sizeof *e);
    return e;
}

static size_t insn_size(const LInsn *e) { return e->size; }

static void eng_insn_from(EngInsn *e, const LInsn *in)
{
    memset(e, 0, sizeof *e);
    e->addr = in->addr;
    e->invalid = in->invalid;
    snprintf(e->text, sizeof e->text, "%s", in->text);
    size_t k = 0;
    for (int i = 0; i < in->size && k + 4 < sizeof e->bytes; i++)
        k += (size_t)snprintf(e->bytes + k, sizeof e->bytes - k, "%s%02x", i ? " " : "", in->bytes[i]);
}

static void invalid_insn(EngInsn *e, uint64_t addr, const char *why)
{
    memset(e, 0, sizeof *e);
    e->addr = addr;
    e->invalid = 1;
    snprintf(e->text, sizeof e->text, "%s", why);
}

/* Decode [from, to) (a known instruction start) into l; the address decoding stopped at
 * (to, or where bytes could not be read or decoded). */
static uint64_t decode_span(EngSession *s, NdDisasm *d, uint64_t from, uint64_t to, InsnList *l, size_t max)
{
    uint64_t at = from;
    uint8_t buf[4096 + 16];
    NdInsn ins[512];
    while (at < to && l->n < max) {
        size_t want = to - at > 4096 ? 4096 : (size_t)(to - at);
        size_t got = read_prefix(s, at, buf, want + (to - at > want ? 15 : 0));
        if (got == 0) break;
        size_t usable = got > want ? want : got;
        int n = nd_decode(d, buf, got, at, ins, 512);
        if (n <= 0) break;
        int used = 0;
        for (int i = 0; i < n && l->n < max; i++) {
            if (ins[i].addr >= at + usable) break;
            LInsn *e = insn_push(l);
            if (!e) return at;
            e->addr = ins[i].addr;
            e->size = ins[i].size;
            memcpy(e->bytes, ins[i].bytes, ins[i].size <= sizeof e->bytes ? ins[i].size : sizeof e->bytes);
            snprintf(e->text, sizeof e->text, "%s", ins[i].text);
            used++;
        }
        if (!used) break;
        at = l->v[l->n - 1].addr + ins[used - 1].size;
    }
    return at;
}

/* Source line of a jitted instruction: its IL offset in the code's map, then the PDB. */
static void jitted_line(EngSession *s, const Region *rg, uint64_t addr, EngInsn *e)
{
    if (!rg->m || !rg->nmap) return;
    uint32_t off = (uint32_t)(addr - rg->lo);
    for (ULONG32 i = 0; i < rg->nmap; i++) {
        const COR_DEBUG_IL_TO_NATIVE_MAP *mp = &rg->map[i];
        if (off < mp->nativeStartOffset || off >= mp->nativeEndOffset) continue;
        if (mp->ilOffset >= (ULONG32)EPILOG) return;    /* prolog, epilog, no mapping */
        Where w;
        if (eng_where_code(s, rg->m, rg->token, mp->ilOffset, &w) == 0 && w.line) {
            snprintf(e->file, sizeof e->file, "%s", w.file);
            e->line = w.line;
        }
        return;
    }
}

/* Name and line of each instruction (native: symbols and DWARF; jitted: the method and the
 * IL map); call targets named. */
static void annotate(EngSession *s, EngInsn *v, size_t n, int symbols)
{
    Region cur = { 0 };
    int have = 0;
    for (size_t i = 0; i < n; i++) {
        EngInsn *e = &v[i];
        if (e->invalid) continue;
        if (!have || e->addr < cur.lo || e->addr >= cur.hi) {
            region_free(&cur);
            have = region_at(s, e->addr, &cur) == 0;
        }
        if (have && cur.code) {
            if (symbols && cur.name[0]) snprintf(e->symbol, sizeof e->symbol, "%s+0x%" PRIx64, cur.name, e->addr - cur.lo);
            jitted_line(s, &cur, e->addr, e);
        } else if (s->nt) {
            NsWhere w;
            memset(&w, 0, sizeof w);
            NsSpace *sp = nt_sym_lock(s->nt);
            if (sp) ns_where(sp, e->addr, &w);
            nt_sym_unlock(s->nt);
            if (symbols && w.func[0]) snprintf(e->symbol, sizeof e->symbol, "%s+0x%" PRIx64, w.func, w.offset);
            if (w.line) { snprintf(e->file, sizeof e->file, "%s", w.file); e->line = w.line; }
        }
    }
    region_free(&cur);
}

/* Call and jump targets named: " <compute+0x0>", " <Demo.Program.Work+0x0>". */
static void name_targets(EngSession *s, NdDisasm *d, EngInsn *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        EngInsn *e = &v[i];
        if (e->invalid) continue;
        uint8_t code[16];
        size_t len = 0;
        for (const char *p = e->bytes; *p && len < sizeof code; p += (p[2] ? 3 : 2)) code[len++] = (uint8_t)strtoul(p, NULL, 16);
        NdInsn in;
        if (nd_decode(d, code, len, e->addr, &in, 1) != 1 || !in.target || !(in.is_call || in.is_jump)) continue;
        char name[300] = "";
        if (s->nt && !nt_is_runtime_code(s->nt, in.target)) {
            NsSpace *sp = nt_sym_lock(s->nt);
            if (sp) ns_symbolize(sp, in.target, name, sizeof name);
            nt_sym_unlock(s->nt);
        }
        if (!name[0] && in.is_call) {
            Region rg;
            if (region_at(s, in.target, &rg) == 0 && rg.name[0])
                snprintf(name, sizeof name, "%s+0x%" PRIx64, rg.name, in.target - rg.lo);
            else if (s->nt) {
                NsSpace *sp = nt_sym_lock(s->nt);
                if (sp) ns_symbolize(sp, in.target, name, sizeof name);
                nt_sym_unlock(s->nt);
            }
            region_free(&rg);
        }
        size_t tl = strlen(e->text);
        if (name[0] && tl + strlen(name) + 4 < sizeof e->text) snprintf(e->text + tl, sizeof e->text - tl, " <%s>", name);
    }
}

static void req_disasm(EngSession *s, Request *rq)
{
    uint64_t addr = rq->arg.ll.addr;
    long off = rq->arg.ll.offset;
    int count = rq->arg.ll.count;
    if (count < 0 || count > MAX_INSNS) { eng_fail(rq, "a disassembly is at most %d instructions (asked for %d)", MAX_INSNS, count); return; }
    if (off < -MAX_INSNS * 10L || off > MAX_INSNS * 10L) { eng_fail(rq, "instructionOffset %ld is too far (at most %d)", off, MAX_INSNS * 10); return; }
    EngResult *r = rq->res;
    if (!count) return;
    NdDisasm *d = nd_new(0);
    if (!d) { eng_fail(rq, "out of memory"); return; }
    /* The known stretch: regions decoded from their starts, back from addr's as far as
     * the instructions before it are asked for and known starts go. */
    InsnList known = { 0 };
    size_t before = off < 0 ? (size_t)-off : 0;
    size_t after_needed = (size_t)(off + count > 0 ? off + count : 0);
    Region rg;
    uint64_t known_lo = addr;
    size_t k = 0;              /* index of addr's instruction in known */
    if (region_at(s, addr, &rg) == 0) {
        /* enough for the instructions after addr that are asked for (15 bytes at most each) */
        uint64_t to = rg.hi - addr > 16 * (after_needed + 1) ? addr + 16 * (after_needed + 1) : rg.hi;
        decode_span(s, d, rg.lo, to, &known, MAX_REGION);
        known_lo = rg.lo;
        region_free(&rg);
        /* the instruction holding addr (addr may point into one) */
        while (k + 1 < known.n && known.v[k + 1].addr <= addr) k++;
        if (!known.n || known.v[k].addr > addr || known.v[k].addr + insn_size(&known.v[k]) <= addr) {
            known.n = 0;       /* addr past the region's decoded end (unreadable tail) */
            known_lo = addr;
            k = 0;
        } else if (known.n - k - 1 > after_needed) {
            known.n = k + 1 + after_needed;
        }
        /* earlier regions, while more instructions before are asked for */
        int hops = 0;
        while (k < before && known_lo > 0 && hops++ < 64) {
            Region prev;
            if (region_at(s, known_lo - 1, &prev) != 0) break;
            InsnList pl = { 0 };
            uint64_t end = decode_span(s, d, prev.lo, known_lo, &pl, MAX_REGION);
            uint64_t plo = prev.lo;
            region_free(&prev);
            if (end != known_lo || !pl.n) { free(pl.v); break; }   /* not contiguous: unknown bytes between */
            LInsn *v = realloc(pl.v, (pl.n + known.n) * sizeof *v);
            if (!v) { free(pl.v); break; }
            memcpy(v + pl.n, known.v, known.n * sizeof *v);
            free(known.v);
            known.v = v;
            k += pl.n;
            known.n += pl.n;
            known.cap = known.n;
            known_lo = plo;
        }
    }
    /* Forward from the last known instruction (or addr itself), linearly. */
    size_t want_total = k + after_needed + 1;
    uint64_t next = known.n ? known.v[known.n - 1].addr + insn_size(&known.v[known.n - 1]) : addr;
    while (known.n < want_total) {
        size_t had = known.n;
        uint64_t end = decode_span(s, d, next, next + 4096 < next ? UINT64_MAX : next + 4096, &known, want_total);
        if (known.n == had) {
            /* unreadable or undecodable: one byte of placeholder, then try again after it */
            uint8_t b;
            LInsn *e = insn_push(&known);
            if (!e) break;
            int readable = mem_read(s, next, &b, 1) == 0;
            e->addr = next;
            e->invalid = 1;
            snprintf(e->text, sizeof e->text, "%s", readable ? "(bad)" : "??");
            if (readable) { e->size = 1; e->bytes[0] = b; }
            next++;
            if (!next) break;
        } else {
            next = end;
        }
    }
    /* The window [k + off, k + off + count): placeholders before the known start. */
    r->insns = calloc((size_t)count, sizeof *r->insns);
    if (!r->insns) { free(known.v); nd_free(d); eng_fail(rq, "out of memory"); return; }
    long first = (long)k + off;
    for (int i = 0; i < count; i++) {
        long j = first + i;
        EngInsn *e = &r->insns[i];
        if (j < 0) invalid_insn(e, known_lo >= (uint64_t)-j ? known_lo - (uint64_t)-j : 0, "(unknown: before a known instruction start)");
        else if ((size_t)j < known.n) eng_insn_from(e, &known.v[j]);
        else invalid_insn(e, next + (uint64_t)((size_t)j - known.n), "??");
    }
    r->ninsns = (size_t)count;
    free(known.v);
    annotate(s, r->insns, r->ninsns, rq->arg.ll.symbols);
    if (rq->arg.ll.symbols) name_targets(s, d, r->insns, r->ninsns);
    nd_free(d);
}

/* ---------------------------------------------------------------- registers */

/* AMD64 CONTEXT offsets (winnt.h): what ICorDebugRegisterSet::GetThreadContext fills. */
enum { CTX_SIZE = 1232, CTX_FLAGS = 0x30, CTX_SEGCS = 0x38, CTX_SEGDS = 0x3a, CTX_SEGES = 0x3c, CTX_SEGFS = 0x3e,
       CTX_SEGGS = 0x40, CTX_SEGSS = 0x42, CTX_EFLAGS = 0x44, CTX_RAX = 0x78, CTX_RIP = 0xf8 };

static void managed_registers(EngSession *s, Request *rq)
{
    Thread *th = eng_selected_thread(s);
    ICorDebugFrame *f = th ? eng_frame_at(s, th->t, s->current_frame) : NULL;
    ICorDebugNativeFrame *nf = NULL;
    ICorDebugRegisterSet *rs = NULL;
    uint8_t ctx[CTX_SIZE];
    memset(ctx, 0, sizeof ctx);
    uint32_t flags = 0x0010000B;         /* CONTEXT_AMD64 | CONTROL | INTEGER | SEGMENTS */
    memcpy(ctx + CTX_FLAGS, &flags, 4);
    int ok = f && SUCCEEDED(f->lpVtbl->QueryInterface(f, &IID_ICorDebugNativeFrame, (void **)&nf)) && nf &&
             SUCCEEDED(nf->lpVtbl->GetRegisterSet(nf, &rs)) && rs &&
             SUCCEEDED(rs->lpVtbl->GetThreadContext(rs, CTX_SIZE, ctx));
    if (rs) rs->lpVtbl->Release(rs);
    if (nf) nf->lpVtbl->Release(nf);
    if (f) f->lpVtbl->Release(f);
    if (!ok) { eng_fail(rq, "this frame has no registers the runtime can give (not a managed frame)"); return; }
    /* CONTEXT order: rax rcx rdx rbx rsp rbp rsi rdi r8..r15, then rip */
    static const char *const gp[] = { "rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
                                      "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15" };
    static const int order[] = { 0, 3, 1, 2, 6, 7, 5, 4, 8, 9, 10, 11, 12, 13, 14, 15 };   /* as info registers */
    static const struct { const char *name; size_t off; } segs[] = {
        { "cs", CTX_SEGCS }, { "ss", CTX_SEGSS }, { "ds", CTX_SEGDS }, { "es", CTX_SEGES }, { "fs", CTX_SEGFS }, { "gs", CTX_SEGGS },
    };
    EngResult *r = rq->res;
    r->vars = calloc(16 + 2 + 6, sizeof *r->vars);
    if (!r->vars) { eng_fail(rq, "out of memory"); return; }
    for (size_t i = 0; i < 16; i++) {
        uint64_t v;
        memcpy(&v, ctx + CTX_RAX + 8 * (size_t)order[i], 8);
        EngVar *e = &r->vars[r->nvars++];
        snprintf(e->name, sizeof e->name, "%s", gp[order[i]]);
        snprintf(e->value, sizeof e->value, "0x%" PRIx64 "\t%" PRId64, v, (int64_t)v);
    }
    uint64_t rip;
    memcpy(&rip, ctx + CTX_RIP, 8);
    EngVar *e = &r->vars[r->nvars++];
    snprintf(e->name, sizeof e->name, "rip");
    Region rg;
    if (region_at(s, rip, &rg) == 0 && rg.name[0]) snprintf(e->value, sizeof e->value, "0x%" PRIx64 "\t%s+0x%" PRIx64, rip, rg.name, rip - rg.lo);
    else snprintf(e->value, sizeof e->value, "0x%" PRIx64, rip);
    region_free(&rg);
    uint32_t ef;
    memcpy(&ef, ctx + CTX_EFLAGS, 4);
    e = &r->vars[r->nvars++];
    snprintf(e->name, sizeof e->name, "eflags");
    snprintf(e->value, sizeof e->value, "0x%x", ef);
    for (size_t i = 0; i < sizeof segs / sizeof *segs; i++) {
        uint16_t v;
        memcpy(&v, ctx + segs[i].off, 2);
        e = &r->vars[r->nvars++];
        snprintf(e->name, sizeof e->name, "%s", segs[i].name);
        snprintf(e->value, sizeof e->value, "0x%x\t%u", v, v);
    }
}

/* Answer a sub-request the way the engine's dispatcher would (native side first). */
static int sub_request(EngSession *s, Request *sub, void (*managed)(EngSession *, Request *))
{
    if (!native_request(s, sub)) managed(s, sub);
    return sub->res->status;
}

static void req_regs(EngSession *s, Request *rq)
{
    EngResult tmp;
    memset(&tmp, 0, sizeof tmp);
    Request sub = { .kind = REQ_SELECT_THREAD, .arg.select_thread = { rq->arg.ll.thread_id }, .res = &tmp };
    if (rq->arg.ll.thread_id && sub_request(s, &sub, req_select_thread) != 0) {
        eng_fail(rq, "%s", tmp.err);
        eng_result_free(&tmp);
        return;
    }
    eng_result_free(&tmp);
    memset(&tmp, 0, sizeof tmp);
    sub = (Request){ .kind = REQ_SELECT_FRAME, .arg.select_frame = { rq->arg.ll.frame, 0 }, .res = &tmp };
    if (sub_request(s, &sub, req_select_frame) != 0) {
        eng_fail(rq, "%s", tmp.err);
        eng_result_free(&tmp);
        return;
    }
    eng_result_free(&tmp);
    if (s->nt) {
        /* mixed and native modes: what `info registers` shows for the frame */
        sub = (Request){ .kind = REQ_REGS, .arg.regs = { 0 }, .res = rq->res };
        native_request(s, &sub);
        return;
    }
    managed_registers(s, rq);
}

/* ---------------------------------------------------------------- requests */

void lowlevel_request(EngSession *s, Request *rq)
{
    if (s->state == ENG_NONE) { eng_fail(rq, "the program is not being run"); return; }
    if (s->state != ENG_STOPPED) { eng_fail(rq, "the program is running; pause it first"); return; }
    if (!s->process && !s->nt) { eng_fail(rq, "no process"); return; }
    switch (rq->arg.ll.op) {
    case LL_READ:   req_read(s, rq); break;
    case LL_WRITE:  req_write(s, rq); break;
    case LL_DISASM: req_disasm(s, rq); break;
    case LL_REGS:   req_regs(s, rq); break;
    default:        eng_fail(rq, "unknown low-level request"); break;
    }
}

/* ---------------------------------------------------------------- frames, values */

uint64_t lowlevel_frame_ip(ICorDebugFrame *f)
{
    ICorDebugNativeFrame *nf = NULL;
    if (!f || FAILED(f->lpVtbl->QueryInterface(f, &IID_ICorDebugNativeFrame, (void **)&nf)) || !nf) return 0;
    ULONG32 off = 0;
    ICorDebugCode *code = NULL;
    CORDB_ADDRESS a = 0;
    uint64_t ip = 0;
    if (SUCCEEDED(nf->lpVtbl->GetIP(nf, &off)) && SUCCEEDED(nf->lpVtbl->GetCode(nf, &code)) && code &&
        SUCCEEDED(code->lpVtbl->GetAddress(code, &a)) && a)
        ip = a + off;
    if (code) code->lpVtbl->Release(code);
    nf->lpVtbl->Release(nf);
    return ip;
}

uint64_t lowlevel_value_address(ICorDebugValue *v)
{
    if (!v) return 0;
    ICorDebugValue *target = v;
    v->lpVtbl->AddRef(v);
    ICorDebugReferenceValue *ref = NULL;
    if (SUCCEEDED(v->lpVtbl->QueryInterface(v, &IID_ICorDebugReferenceValue, (void **)&ref)) && ref) {
        BOOL null = TRUE;
        ICorDebugValue *obj = NULL;
        if (SUCCEEDED(ref->lpVtbl->IsNull(ref, &null)) && !null) ref->lpVtbl->Dereference(ref, &obj);
        ref->lpVtbl->Release(ref);
        target->lpVtbl->Release(target);
        if (!obj) return 0;
        target = obj;
    }
    CORDB_ADDRESS a = 0;
    ICorDebugArrayValue *arr = NULL;
    if (SUCCEEDED(target->lpVtbl->QueryInterface(target, &IID_ICorDebugArrayValue, (void **)&arr)) && arr) {
        /* an array's memory is its elements */
        ULONG32 n = 0;
        ICorDebugValue *e0 = NULL;
        if (SUCCEEDED(arr->lpVtbl->GetCount(arr, &n)) && n && SUCCEEDED(arr->lpVtbl->GetElementAtPosition(arr, 0, &e0)) && e0) {
            e0->lpVtbl->GetAddress(e0, &a);
            e0->lpVtbl->Release(e0);
        }
        arr->lpVtbl->Release(arr);
    }
    if (!a) target->lpVtbl->GetAddress(target, &a);
    target->lpVtbl->Release(target);
    return a;
}

/* ---------------------------------------------------------------- instruction breakpoints */

static int parse_addr(const char *spec, uint64_t *out)
{
    char *end;
    unsigned long long a = strtoull(spec, &end, 0);
    if (*end || !a) return -1;
    *out = a;
    return 0;
}

int lowlevel_addr_is_jitted(EngSession *s, const char *spec)
{
    uint64_t a;
    if (!s->nt || !s->process || s->state == ENG_NONE || parse_addr(spec, &a) != 0) return 0;
    NsSpace *sp = nt_sym_lock(s->nt);
    NsModuleInfo mi;
    int in_module = sp && ns_module_at(sp, a, &mi);
    nt_sym_unlock(s->nt);
    return !in_module;
}

int lowlevel_bind_address(EngSession *s, Breakpoint *bp, Module *m, char *err, size_t cap)
{
    uint64_t a;
    if (parse_addr(bp->method + 1, &a) != 0) { snprintf(err, cap, "malformed address '%s'", bp->method + 1); return -1; }
    if (!s->process || s->state == ENG_NONE) return 0;
    ICorDebugCode *code = jitted_code_at(s, a);
    if (!code) return 0;
    Region rg = { 0 };
    jitted_region(s, code, &rg);
    if (rg.m != m) { region_free(&rg); return 0; }
    /* an int3 in the middle of an instruction would corrupt it: only at a start */
    NdDisasm *d = nd_new(0);
    InsnList l = { 0 };
    if (d) decode_span(s, d, rg.lo, rg.hi, &l, MAX_REGION);
    int at_start = 0;
    for (size_t i = 0; i < l.n && !at_start; i++) at_start = l.v[i].addr == a;
    free(l.v);
    if (d) nd_free(d);
    if (!at_start) {
        snprintf(err, cap, "0x%" PRIx64 " is not at an instruction start of %s", a, rg.name[0] ? rg.name : "the method");
        region_free(&rg);
        return -1;
    }
    ICorDebugFunctionBreakpoint *fbp = NULL;
    HRESULT hr = code->lpVtbl->CreateBreakpoint(code, (ULONG32)(a - rg.lo), &fbp);
    if (FAILED(hr) || !fbp) {
        char b[96];
        snprintf(err, cap, "the runtime refused a breakpoint at 0x%" PRIx64 ": %s", a, clr_hr_str(hr, b, sizeof b));
        region_free(&rg);
        return -1;
    }
    fbp->lpVtbl->Activate(fbp, bp->enabled ? TRUE : FALSE);
    EngInsn e = { 0 };
    jitted_line(s, &rg, a, &e);
    uint32_t il = 0;
    for (ULONG32 i = 0; i < rg.nmap; i++)
        if (a - rg.lo >= rg.map[i].nativeStartOffset && a - rg.lo < rg.map[i].nativeEndOffset && rg.map[i].ilOffset < (ULONG32)EPILOG)
            il = rg.map[i].ilOffset;
    if (!GROW(bp->b, bp->nb, bp->capb)) {
        fbp->lpVtbl->Activate(fbp, FALSE);
        fbp->lpVtbl->Release(fbp);
        region_free(&rg);
        snprintf(err, cap, "out of memory");
        return -1;
    }
    bp->b[bp->nb++] = (BpBinding){ .module_id = m->id, .token = rg.token, .il = il, .line = e.line, .bp = fbp, .by_address = 1 };
    if (e.line) snprintf(bp->note, sizeof bp->note, "0x%" PRIx64 " in %s+0x%" PRIx64 " (line %u)", a, rg.name, a - rg.lo, (unsigned)e.line);
    else snprintf(bp->note, sizeof bp->note, "0x%" PRIx64 " in %s+0x%" PRIx64, a, rg.name, a - rg.lo);
    region_free(&rg);
    return 1;
}

/* ---------------------------------------------------------------- instruction steps */

int lowlevel_step_instruction(EngSession *s, ICorDebugThread *t, int kind, char *err, size_t cap)
{
    ICorDebugFrame *f = NULL;
    ICorDebugNativeFrame *nf = NULL;
    ICorDebugCode *code = NULL;
    ICorDebugStepper *st = NULL;
    ULONG32 off = 0;
    CORDB_ADDRESS a = 0;
    int rc = -1;
    char b[96];
    if (FAILED(t->lpVtbl->GetActiveFrame(t, &f)) || !f ||
        FAILED(f->lpVtbl->QueryInterface(f, &IID_ICorDebugNativeFrame, (void **)&nf)) || !nf ||
        FAILED(nf->lpVtbl->GetIP(nf, &off)) || FAILED(nf->lpVtbl->GetCode(nf, &code)) || !code ||
        FAILED(code->lpVtbl->GetAddress(code, &a)) || !a) {
        snprintf(err, cap, "the thread has no jitted frame to step an instruction in");
        goto out;
    }
    uint8_t insn[16];
    size_t got = read_prefix(s, a + off, insn, sizeof insn);
    NdDisasm *d = nd_new(0);
    int is_call = 0;
    int len = d && got ? nd_insn_len(d, insn, got, a + off, &is_call) : 0;
    if (d) nd_free(d);
    if (len <= 0) { snprintf(err, cap, "cannot decode the instruction at 0x%" PRIx64, (uint64_t)(a + off)); goto out; }
    HRESULT hr = f->lpVtbl->CreateStepper(f, &st);
    if (FAILED(hr) || !st) { snprintf(err, cap, "cannot step here: %s", clr_hr_str(hr, b, sizeof b)); goto out; }
    /* stop wherever the instruction leads, mapped to a line or not */
    st->lpVtbl->SetUnmappedStopMask(st, STOP_PROLOG | STOP_EPILOG | STOP_NO_MAPPING_INFO | STOP_OTHER_UNMAPPED);
    st->lpVtbl->SetInterceptMask(st, INTERCEPT_NONE);
    ICorDebugStepper2 *st2 = NULL;
    if (SUCCEEDED(st->lpVtbl->QueryInterface(st, &IID_ICorDebugStepper2, (void **)&st2)) && st2) {
        st2->lpVtbl->SetJMC(st2, FALSE);
        st2->lpVtbl->Release(st2);
    }
    COR_DEBUG_STEP_RANGE range = { off, off + (ULONG32)len };
    hr = st->lpVtbl->SetRangeIL(st, FALSE);
    if (SUCCEEDED(hr)) hr = st->lpVtbl->StepRange(st, kind == 'I' ? TRUE : FALSE, &range, 1);
    if (FAILED(hr)) {
        snprintf(err, cap, "the runtime refused the step: %s", clr_hr_str(hr, b, sizeof b));
        st->lpVtbl->Release(st);
        goto out;
    }
    if (s->stepper) {
        s->stepper->lpVtbl->Deactivate(s->stepper);
        s->stepper->lpVtbl->Release(s->stepper);
    }
    s->stepper = st;
    s->step_kind = kind;
    rc = 0;
out:
    if (code) code->lpVtbl->Release(code);
    if (nf) nf->lpVtbl->Release(nf);
    if (f) f->lpVtbl->Release(f);
    return rc;
}
