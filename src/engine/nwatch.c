/* Hardware watchpoints (gdb's watch, rwatch, awatch) on native memory, in mixed and native
 * sessions. A watchpoint is a Breakpoint with `watch` set, numbered with the breakpoints
 * (info breakpoints, delete, enable and disable work on it); the tracer owns the debug
 * registers (nt_watch_add) and keeps each one's last value, so a stop carries the old and
 * the new value. What can be watched: a C variable by name (DWARF: a local of the selected
 * native frame, a static of its file, any module's global), *ADDRESS (8 bytes) and
 * *(TYPE *)ADDRESS. The address is fixed when the watchpoint is set (gdb's -location): a
 * local's watchpoint outlives its frame (delete it when the function returns). */
#include "engine/internal.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* C scalar types a cast may name: size and how the bytes print. */
static const struct { const char *name; int size; char enc; } c_types[] = {
    { "char", 1, 'c' }, { "signed char", 1, 'c' }, { "unsigned char", 1, 'u' }, { "bool", 1, 'b' }, { "_Bool", 1, 'b' },
    { "short", 2, 's' }, { "short int", 2, 's' }, { "unsigned short", 2, 'u' }, { "unsigned short int", 2, 'u' },
    { "int", 4, 's' }, { "signed", 4, 's' }, { "signed int", 4, 's' }, { "unsigned", 4, 'u' }, { "unsigned int", 4, 'u' },
    { "long", 8, 's' }, { "long int", 8, 's' }, { "unsigned long", 8, 'u' }, { "unsigned long int", 8, 'u' },
    { "long long", 8, 's' }, { "unsigned long long", 8, 'u' }, { "float", 4, 'f' }, { "double", 8, 'f' },
    { "int8_t", 1, 's' }, { "uint8_t", 1, 'u' }, { "int16_t", 2, 's' }, { "uint16_t", 2, 'u' },
    { "int32_t", 4, 's' }, { "uint32_t", 4, 'u' }, { "int64_t", 8, 's' }, { "uint64_t", 8, 'u' },
    { "size_t", 8, 'u' }, { "ssize_t", 8, 's' }, { "intptr_t", 8, 's' }, { "uintptr_t", 8, 'u' }, { "void *", 8, 'p' },
};

/* What EXPR names: address, size, encoding, type. 0, or -1 with err. */
typedef struct WatchTarget {
    uint64_t addr;
    int      size;
    char     enc;
    char     type[128];
    char     text[512];         /* EXPR as shown ("-l" dropped) */
} WatchTarget;

static const char *skip_ws(const char *p) { while (isspace((unsigned char)*p)) p++; return p; }

/* "(TYPE *)" at p: the type's size and encoding; *end after ')'. */
static int parse_cast(const char *p, WatchTarget *t, const char **end, char *err, size_t cap)
{
    const char *close = strchr(p, ')');
    if (!close) { snprintf(err, cap, "unbalanced parentheses in '%s'", t->text); return -1; }
    char ty[128];
    size_t n = (size_t)(close - p - 1);
    if (n >= sizeof ty) n = sizeof ty - 1;
    memcpy(ty, p + 1, n);
    ty[n] = 0;
    /* normalize: words separated by one space, the last '*' removed */
    char *star = strrchr(ty, '*');
    if (!star) { snprintf(err, cap, "a cast in a watch expression is to a pointer: *(int *)ADDRESS"); return -1; }
    *star = 0;
    char norm[128] = "";
    int inner_ptr = strchr(ty, '*') != NULL;
    for (char *w = strtok(ty, " \t*"); w; w = strtok(NULL, " \t*")) {
        if (strcmp(w, "const") == 0 || strcmp(w, "volatile") == 0) continue;
        if (norm[0]) strncat(norm, " ", sizeof norm - strlen(norm) - 1);
        strncat(norm, w, sizeof norm - strlen(norm) - 1);
    }
    if (inner_ptr) { t->size = 8; t->enc = 'p'; snprintf(t->type, sizeof t->type, "%s *", norm); *end = close + 1; return 0; }
    for (size_t i = 0; i < sizeof c_types / sizeof c_types[0]; i++)
        if (strcmp(c_types[i].name, norm) == 0 || (strcmp(norm, "void") == 0 && c_types[i].enc == 'p')) {
            t->size = strcmp(norm, "void") == 0 ? 8 : c_types[i].size;
            t->enc = strcmp(norm, "void") == 0 ? '?' : c_types[i].enc;
            snprintf(t->type, sizeof t->type, "%s", norm);
            *end = close + 1;
            return 0;
        }
    snprintf(err, cap, "unknown type '%s' in the cast (a C scalar type: int, long, char, double, uint32_t, ...)", norm);
    return -1;
}

static int resolve(EngSession *s, const char *expr, WatchTarget *t, char *err, size_t cap)
{
    memset(t, 0, sizeof *t);
    const char *p = skip_ws(expr);
    if (strncmp(p, "-location", 9) == 0 && (isspace((unsigned char)p[9]) || !p[9])) p = skip_ws(p + 9);
    else if (strncmp(p, "-l", 2) == 0 && (isspace((unsigned char)p[2]) || !p[2])) p = skip_ws(p + 2);
    snprintf(t->text, sizeof t->text, "%s", p);
    size_t L = strlen(t->text);
    while (L && isspace((unsigned char)t->text[L - 1])) t->text[--L] = 0;
    if (!*p) { snprintf(err, cap, "Argument required (expression to compute)."); return -1; }
    if (*p == '*' || isdigit((unsigned char)*p)) {
        /* *ADDRESS, *(TYPE *)ADDRESS, or a bare address: memory, 8 bytes unless a cast says */
        const char *a = *p == '*' ? skip_ws(p + 1) : p;
        t->size = 8;
        t->enc = 's';
        snprintf(t->type, sizeof t->type, "long");
        if (*a == '(' && parse_cast(a, t, &a, err, cap) != 0) return -1;
        return native_eval_address(s, a, &t->addr, err, cap);
    }
    if (!(isalpha((unsigned char)*p) || *p == '_')) goto bad;
    for (const char *q = p; *q; q++) if (!(isalnum((unsigned char)*q) || *q == '_')) goto bad;
    uint64_t pc = 0, cfa = 0, rbp = 0;
    native_selected_frame(s, &pc, &cfa, &rbp);      /* none (a managed stop): globals only */
    NsVar v;
    NsSpace *sp = nt_sym_lock(s->nt);
    int rc = sp ? ns_variable(sp, p, pc, cfa, rbp, &v, err, cap) : -1;
    nt_sym_unlock(s->nt);
    if (rc != 0) {
        if (s->cordb && strncmp(err, "No symbol", 9) == 0)
            snprintf(err + strlen(err), cap - strlen(err), " (watchpoints watch native memory: a managed variable cannot be watched)");
        return -1;
    }
    t->addr = v.addr;
    t->size = v.size;
    t->enc = v.enc;
    snprintf(t->type, sizeof t->type, "%s", v.type);
    return 0;
bad:
    snprintf(err, cap, "cannot watch '%s': give a C variable, *ADDRESS or *(TYPE *)ADDRESS", t->text);
    return -1;
}

/* A watched value as gdb prints it. */
static void format_value(const uint8_t *b, int len, char enc, char *out, size_t cap)
{
    uint64_t u = 0;
    int64_t sv = 0;
    memcpy(&u, b, len > 8 ? 8 : (size_t)len);
    if (len < 8) {
        uint64_t sign = 1ull << (len * 8 - 1);
        sv = (int64_t)((u ^ sign) - sign);
    } else {
        sv = (int64_t)u;
    }
    switch (enc) {
    case 's': snprintf(out, cap, "%" PRId64, sv); break;
    case 'u': snprintf(out, cap, "%" PRIu64, u); break;
    case 'b': snprintf(out, cap, "%s", u ? "true" : "false"); break;
    case 'p': snprintf(out, cap, "0x%" PRIx64, u); break;
    case 'c':
        if (isprint((int)(u & 0xff))) snprintf(out, cap, "%" PRId64 " '%c'", sv, (int)(u & 0xff));
        else snprintf(out, cap, "%" PRId64 " '\\%03o'", sv, (unsigned)(u & 0xff));
        break;
    case 'f':
        if (len == 4) { float f; memcpy(&f, b, 4); snprintf(out, cap, "%.9g", (double)f); }
        else { double d; memcpy(&d, b, 8); snprintf(out, cap, "%.17g", d); }
        break;
    default: {
        size_t k = 0;
        for (int i = 0; i < len && k + 6 < cap; i++) k += (size_t)snprintf(out + k, cap - k, "%s0x%02x", i ? " " : "{", b[i]);
        if (k + 2 < cap) snprintf(out + k, cap - k, "}");
    }
    }
}

static const char *kind_title(int kind)
{
    return kind == 'r' ? "Hardware read watchpoint" : kind == 'a' ? "Hardware access (read/write) watchpoint" : "Hardware watchpoint";
}

void native_watch_request(EngSession *s, Request *rq)
{
    int kind = rq->arg.watch.kind;
    const char *expr = rq->arg.watch.expr ? rq->arg.watch.expr : "";
    if (kind != 'w' && kind != 'r' && kind != 'a') { eng_fail(rq, "unknown watchpoint kind"); return; }
    if (s->state == ENG_NONE) { eng_fail(rq, "the program is not being run"); return; }
    if (!s->nt) {
        eng_fail(rq, "watchpoints are hardware watchpoints on native memory: they need mixed or native mode (cordbg --mixed)");
        return;
    }
    char err[512] = "";
    WatchTarget t;
    if (rq->arg.watch.len > 0) {
        memset(&t, 0, sizeof t);
        t.addr = rq->arg.watch.addr;
        t.size = rq->arg.watch.len;
        t.enc = rq->arg.watch.enc;
        snprintf(t.text, sizeof t.text, "%s", expr);
        snprintf(t.type, sizeof t.type, "%d bytes", t.size);
    } else if (resolve(s, expr, &t, err, sizeof err) != 0) {
        eng_fail(rq, "%s", err);
        return;
    }
    if (t.size != 1 && t.size != 2 && t.size != 4 && t.size != 8) {
        eng_fail(rq, "'%s' is %d bytes (%s): a hardware watchpoint covers 1, 2, 4 or 8 bytes (watch *(TYPE *)ADDRESS of a part)",
                 t.text, t.size, t.type);
        return;
    }
    if (t.addr % (uint64_t)t.size) {
        eng_fail(rq, "'%s' at 0x%" PRIx64 " is not aligned to its size (%d): a hardware watchpoint cannot cover it",
                 t.text, t.addr, t.size);
        return;
    }
    if (rq->arg.watch.check) {
        snprintf(rq->res->message, sizeof rq->res->message, "0x%" PRIx64 " %d %c %s", t.addr, t.size, t.enc, t.type);
        return;
    }
    int id = s->next_bp_id + 1;
    int emulated = nt_watch_add(s->nt, id, t.addr, t.size, kind, err, sizeof err);
    if (emulated < 0) { eng_fail(rq, "%s", err); return; }
    Breakpoint bp = { 0 };
    bp.id = id;
    bp.enabled = 1;
    bp.watch = kind;
    bp.waddr = t.addr;
    bp.wlen = t.size;
    bp.wenc = t.enc;
    bp.spec = strdup(t.text);
    if (!bp.spec || !GROW(s->bps, s->nbps, s->cap_bps)) {
        free(bp.spec);
        nt_watch_remove(s->nt, id);
        eng_fail(rq, "out of memory");
        return;
    }
    snprintf(bp.note, sizeof bp.note, "0x%" PRIx64 ", %d byte%s (%s)%s", t.addr, t.size, t.size == 1 ? "" : "s", t.type,
             emulated ? ", emulated by page protection" : "");
    s->next_bp_id = id;
    s->bps[s->nbps++] = bp;
    rq->res->id = id;
    snprintf(rq->res->message, sizeof rq->res->message, "%s %d: %s%s", kind_title(kind), id, t.text,
             emulated ? "\n(this machine's debug registers do not trap: emulated by page protection)" : "");
}

void native_watch_text(EngSession *s, const NtEvent *ev, char *out, size_t cap)
{
    const Breakpoint *bp = NULL;
    for (size_t i = 0; i < s->nbps; i++) if (s->bps[i].id == ev->bp_id && s->bps[i].watch) bp = &s->bps[i];
    char enc = bp ? bp->wenc : 's';
    char oldv[256], newv[256];
    format_value(ev->wold, ev->wlen, enc, oldv, sizeof oldv);
    format_value(ev->wnew, ev->wlen, enc, newv, sizeof newv);
    const char *title = kind_title(bp ? bp->watch : 'w');
    const char *what = bp ? bp->spec : "?";
    if (ev->wchanged) snprintf(out, cap, "%s %d: %s\n\nOld value = %s\nNew value = %s", title, ev->bp_id, what, oldv, newv);
    else snprintf(out, cap, "%s %d: %s\n\nValue = %s", title, ev->bp_id, what, newv);
}

void native_watch_forget(EngSession *s)
{
    /* The debug registers went with the process (or were cleared at the detach). */
    for (size_t i = s->nbps; i-- > 0;)
        if (s->bps[i].watch) bp_delete(s, &s->bps[i]);
}
