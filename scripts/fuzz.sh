#!/bin/sh
# Fuzz cordbg's parsers with libFuzzer: the metadata/PDB reader (src/meta), the expression
# parser (src/expr), the Debug Adapter Protocol's framing and JSON decoding (src/front) and
# the x86-64 disassembler wrapper (src/native/disasm.c, over capstone) and the ELF core reader
# (src/native/core.c).
#   scripts/fuzz.sh [SECONDS] [pe|pdb|expr|dap|disasm|core]...     default: 60 seconds each, every target
# Builds tests/fuzz/fuzz_<t>.c with clang (-fsanitize=fuzzer,address,undefined) into
# build/fuzz/, seeds build/fuzz/corpus_<t>/ (pe: the test programs' assemblies; pdb: their
# standalone and extracted embedded PDBs; expr: a few dozen expressions and templates, with a
# dictionary of C# tokens; dap: framed DAP sessions, good and broken, with a dictionary of
# header, JSON and DAP tokens; core: the small cores of tests/fuzz/regressions/core/ and fresh
# kernel cores of a tiny C program, static and dynamic, shrunk to their headers, notes and
# the first bytes of each segment), and runs each target for SECONDS.
# Crashing inputs land in build/fuzz/artifacts/; the script exits 1 if any target failed.
set -eu
cd "$(dirname "$0")/.."
SECS=${1:-60}
[ $# -gt 0 ] && shift
TARGETS=${*:-pe pdb expr dap disasm core}
OUT=build/fuzz
mkdir -p "$OUT/artifacts"
command -v clang >/dev/null || { echo "fuzz.sh: clang is missing (apt-get install -y clang)" >&2; exit 2; }

# Seed inputs for pe and pdb: build the test programs if their output is missing.
case " $TARGETS " in
*" pe "*|*" pdb "*)
    for p in MetaBasic MetaEmbedded; do
        if [ ! -f "tests/out/$p/$p.dll" ]; then
            dotnet build "tests/programs/$p/$p.csproj" -c Debug -o "tests/out/$p" --nologo -v q >/dev/null
        fi
    done ;;
esac

CFLAGS="-g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -std=c11 -D_GNU_SOURCE -Isrc"
fail=0
for t in $TARGETS; do
    echo "== fuzz_$t: build"
    LIBS=-lz
    case $t in
    expr) SRC=$(ls src/expr/*.c src/base/*.c) ;;
    dap) SRC=$(ls src/front/dap_wire.c src/base/*.c); LIBS=-ljansson ;;
    disasm) SRC=src/native/disasm.c; LIBS=-lcapstone ;;
    core) SRC=src/native/core.c; LIBS= ;;
    *) SRC=$(ls src/meta/*.c src/base/*.c | grep -v '/dump.c$') ;;
    esac
    # shellcheck disable=SC2086
    clang $CFLAGS "tests/fuzz/fuzz_$t.c" $SRC -o "$OUT/fuzz_$t" $LIBS
    corpus="$OUT/corpus_$t"
    mkdir -p "$corpus"
    extra=""
    case $t in
    pe)
        for f in tests/out/Meta*/*.dll; do cp "$f" "$corpus/seed_$(basename "$f")"; done ;;
    pdb)
        for f in tests/out/Meta*/*.pdb; do [ -f "$f" ] && cp "$f" "$corpus/seed_$(basename "$f")"; done
        # the embedded PDB of MetaEmbedded, extracted by a tiny C helper
        cat > "$OUT/extract.c" <<'XEOF'
#include "meta/md.h"
#include <stdio.h>
#include <stdlib.h>
int main(int argc, char **argv) {
    MdImage *img; char err[256]; uint8_t *b; size_t n;
    if (argc < 3 || md_image_open_file(argv[1], &img, err, sizeof err)) return 1;
    if (md_image_embedded_pdb(img, &b, &n, err, sizeof err)) return 1;
    FILE *f = fopen(argv[2], "wb"); fwrite(b, 1, n, f); fclose(f); free(b); md_image_close(img);
    return 0;
}
XEOF
        # shellcheck disable=SC2086
        clang -g -O1 -std=c11 -D_GNU_SOURCE -Isrc "$OUT/extract.c" $SRC -o "$OUT/extract" -lz
        "$OUT/extract" tests/out/MetaEmbedded/MetaEmbedded.dll "$corpus/seed_embedded.pdb" || true
        CORDBG_FUZZ_IMAGE=$(pwd)/tests/out/MetaBasic/MetaBasic.dll
        export CORDBG_FUZZ_IMAGE ;;
    expr)
        # One expression or template per seed file; the dictionary holds C#'s tokens.
        n=0
        while IFS= read -r line; do
            n=$((n + 1))
            printf '%s' "$line" > "$corpus/seed_$n"
        done <<'SEEDS'
1 + 2 * 3 - 4 / 5 % 6
a.b.c(1, 2)[3]
x ? y : z ? w : v
a = b += c >>= 2
(int)x + (a)-b + (a)(b)
List<int>.Count + M<int>(x)
f(a < b, c > d) && f(a < b, c > (d))
x is null || x is not string && y as T ?? z
new int[3][] != new[] { 1, 2 }.Length + new List<int>(5).Count
typeof(Dictionary<string, int?>) == default(int[])
sizeof(int) + checked(a + b) - unchecked(c)
-2147483648 + 0xFFFFFFFFu + 1_000UL + 0b101L
'a' + '\u0041' + '\x41' + '\''
"a\tb\u00e9\U0001F600" + @"c:\x""y"
1.5f + 1e3 + 2.50m + .5 + 1e-7d
x, h
s.Substring(1, 2), nq
{a} and {b,nq} {{x}} {new[] {1,2}.Length} {"}"}
a?.b?[1]?.c(d)!.e++
- -x + ~y - !z + ++p - --q
int.MaxValue >>> 3 >> 1 << 2
global::System.Math.Max(1, 2)
"""raw "text" """ + x
(x as T) < y <= z >= w
a ?? (b ??= c)
this.x + base.y
@int + @class.x
a & b | c ^ d
(List<int>)(-x) * (T)y / (int?)z % w
x => x
from x in y select x
new T { A = 1 }
$"{x}"
x is int y
SEEDS
        cat > "$OUT/expr.dict" <<'DICT'
"("
")"
"["
"]"
"{"
"}"
"<"
">"
">>"
">>="
">>>"
"?."
"?["
"??"
"=>"
"::"
"is"
"as"
"not"
"null"
"new"
"typeof"
"sizeof"
"default"
"checked"
"this"
"base"
"int"
"string"
"List<int>"
"global::"
"@\""
"\"\"\""
"$\""
"\\u"
"\\U"
"\\x"
"'"
"0x"
"0b"
"UL"
"1e"
"m"
","
"."
"from"
"await"
"switch"
"with"
DICT
        extra="-dict=$OUT/expr.dict" ;;
    dap)
        # Each seed: two bytes that choose how the rest is cut into chunks, then framed
        # messages (RAW: bytes given as printf %b text, framing and all).
        dap_seed() {
            name=$1 ctrl=$2
            shift 2
            {
                printf "$ctrl"
                for m in "$@"; do
                    case $m in
                    RAW:*) printf '%b' "${m#RAW:}" ;;
                    *) printf 'Content-Length: %d\r\n\r\n%s' "$(printf '%s' "$m" | wc -c)" "$m" ;;
                    esac
                done
            } > "$corpus/seed_$name"
        }
        INIT='{"seq":1,"type":"request","command":"initialize","arguments":{"clientID":"vscode","adapterID":"coreclr","linesStartAt1":true,"columnsStartAt1":true,"pathFormat":"path","supportsVariableType":true}}'
        LAUNCH='{"seq":2,"type":"request","command":"launch","arguments":{"program":"/work/tests/out/Hello/Hello.dll","args":["3","cwd"],"cwd":"/tmp","env":{"A":"1"},"stopAtEntry":false,"justMyCode":true}}'
        SETBP='{"seq":3,"type":"request","command":"setBreakpoints","arguments":{"source":{"path":"/work/tests/programs/Hello/Program.cs","name":"Program.cs"},"breakpoints":[{"line":12},{"line":20,"condition":"i > 2","hitCondition":">= 3"},{"line":25,"logMessage":"x={x}"}],"sourceModified":false}}'
        FNBP='{"seq":4,"type":"request","command":"setFunctionBreakpoints","arguments":{"breakpoints":[{"name":"Program.Main"}]}}'
        EXBP='{"seq":5,"type":"request","command":"setExceptionBreakpoints","arguments":{"filters":["user-unhandled"],"filterOptions":[{"filterId":"all","condition":"System.ArgumentException"}]}}'
        CONF='{"seq":6,"type":"request","command":"configurationDone"}'
        THREADS='{"seq":7,"type":"request","command":"threads"}'
        STACK='{"seq":8,"type":"request","command":"stackTrace","arguments":{"threadId":1,"startFrame":0,"levels":20}}'
        SCOPES='{"seq":9,"type":"request","command":"scopes","arguments":{"frameId":65537}}'
        VARS='{"seq":10,"type":"request","command":"variables","arguments":{"variablesReference":1000,"start":0,"count":10,"filter":"indexed","format":{"hex":true}}}'
        EVAL='{"seq":11,"type":"request","command":"evaluate","arguments":{"expression":"args.Length + \"\u00e9\ud83d\ude00\"","frameId":65537,"context":"watch"}}'
        NEXT='{"seq":12,"type":"request","command":"next","arguments":{"threadId":1}}'
        CONT='{"seq":13,"type":"request","command":"continue","arguments":{"threadId":1}}'
        DISC='{"seq":14,"type":"request","command":"disconnect","arguments":{"restart":false,"terminateDebuggee":true}}'
        RESP='{"seq":15,"type":"response","request_seq":1,"success":true,"command":"runInTerminal","body":{"processId":1234}}'
        dap_seed session '\000\000' "$INIT" "$LAUNCH" "$SETBP" "$FNBP" "$EXBP" "$CONF" "$THREADS" "$STACK" "$SCOPES" "$VARS" "$EVAL" "$NEXT" "$CONT" "$DISC"
        dap_seed whole '\013\000' "$INIT" "$SETBP" "$CONF" "$DISC"
        dap_seed mixed '\007\203' "$INIT" "$LAUNCH" "$EXBP" "$STACK" "$EVAL" "$RESP"
        dap_seed two '\004\000' "$INIT" "$THREADS"
        dap_seed types '\005\201' '{"seq":1,"type":"event","event":"output"}' '{"seq":0,"type":"request","command":"x"}' '{"seq":-1,"type":"request"}' '{"seq":2,"type":"request","command":7}' '{"seq":3,"type":"request","command":"launch","arguments":[1,2]}' '[1,{"seq":1}]' '"text"' '{"seq":4,"type":"request","command":"stackTrace","arguments":{"threadId":"1"}}' "$RESP"
        dap_seed malformed '\002\000' '{"seq":1,"type":"request",' '{"seq":1,"seq":2,"type":"request","command":"threads"}' '{"a":"\ud800"}' '{"a":1e400,"b":18446744073709551616}' "$THREADS"
        dap_seed headers '\003\202' 'RAW:content-length: 2\r\n\r\n{}' 'RAW:Content-Type: application/vscode-jsonrpc; charset=utf-8\r\nContent-Length: 2\r\n\r\n{}' 'RAW:\r\n\r\n' "$THREADS" 'RAW:CONTENT-LENGTH:\t2 \r\n\r\n[]'
        dap_seed badlen '\001\000' 'RAW:Content-Length: abc\r\n\r\n{}' 'RAW:Content-Length: -5\r\n\r\n' 'RAW:Content-Length: 99999999999999999999\r\n\r\n' 'RAW:Content-Length: 1\r\nContent-Length: 2\r\n\r\n{}' 'RAW:Content-Length:\r\n\r\n' "$THREADS"
        dap_seed small '\006\000' 'RAW:Content-Length: 5\r\n\r\n{"seq":1,"type":"request","command":"threads"}' "$INIT"
        dap_seed large '\010\204' 'RAW:Content-Length: 70\r\n\r\n{}' "$THREADS" "$INIT"
        dap_seed junk '\011\000' 'RAW:GET / HTTP/1.1\r\nHost: x\r\n\r\n' 'RAW:garbage without colon\r\n' "$THREADS" 'RAW:{"seq":1}\r\n\r\n' 'RAW:Content-Length: 3\r\n\r\n\0000\0377\0376' "$CONF"
        dap_seed partial '\000\205' "$INIT" 'RAW:Content-Length: 100\r\n\r\n{"seq":2,"type":"req'
        dap_seed noend '\007\000' "RAW:Content-Length: 2\r\n$(head -c 4200 /dev/zero | tr '\0' 'x')" "$THREADS"
        cat > "$OUT/dap.dict" <<'DICT'
"Content-Length: "
"content-length:"
"Content-Type: application/vscode-jsonrpc; charset=utf-8"
"\x0d\x0a"
"\x0d\x0a\x0d\x0a"
"\x0d\x0a\x0d\x0aContent-Length: "
"{"
"}"
"["
"]"
":"
","
"\""
"\\u0000"
"\\ud800"
"\\ud83d\\ude00"
"\\\""
"true"
"false"
"null"
"0"
"-1"
"2147483648"
"9223372036854775807"
"-9223372036854775808"
"18446744073709551616"
"1e400"
"1.5"
"\"seq\":"
"\"type\":"
"\"request\""
"\"response\""
"\"event\""
"\"command\":"
"\"arguments\":"
"\"request_seq\":"
"\"success\":"
"\"body\":"
"\"initialize\""
"\"launch\""
"\"attach\""
"\"configurationDone\""
"\"setBreakpoints\""
"\"setExceptionBreakpoints\""
"\"threads\""
"\"stackTrace\""
"\"scopes\""
"\"variables\""
"\"evaluate\""
"\"continue\""
"\"next\""
"\"disconnect\""
"\"source\":"
"\"path\":"
"\"breakpoints\":"
"\"line\":"
"\"threadId\":"
"\"frameId\":"
"\"variablesReference\":"
"\"expression\":"
"\"program\":"
"\"args\":"
"\xff"
"\xc3\xa9"
"\xed\xa0\x80"
DICT
        extra="-dict=$OUT/dap.dict -max_len=8192" ;;
    core)
        cp tests/fuzz/regressions/core/* "$corpus/"
        # Kernel cores of a tiny program (a thread blocked, the main one faulting), when the
        # kernel writes cores to files here; each shrunk (shrink_core.py) so that the
        # fuzzer's inputs stay small.
        cat > "$OUT/crash.c" <<'CEOF'
#include <pthread.h>
#include <unistd.h>
static void *blocked(void *a) { (void)a; for (;;) pause(); return 0; }
int main(void) { pthread_t t; pthread_create(&t, 0, blocked, 0); sleep(0); *(volatile int *)8 = 1; return 0; }
CEOF
        cat > "$OUT/shrink_core.py" <<'PEOF'
import struct, sys
src, dst, keep = sys.argv[1], sys.argv[2], int(sys.argv[3])
b = open(src, 'rb').read()
phoff = struct.unpack_from('<Q', b, 32)[0]
phnum = struct.unpack_from('<H', b, 56)[0]
phs = [list(struct.unpack_from('<IIQQQQQQ', b, phoff + i * 56)) for i in range(phnum)]
out = bytearray(b[:64])
struct.pack_into('<Q', out, 32, 64)
out += bytes(56 * phnum)
for ph in phs:
    typ, flags, off, va, pa, fsz, msz, al = ph
    data = b[off:off + fsz] if typ == 4 else b[off:off + min(fsz, keep)] if typ == 1 else b''
    while len(out) % 8: out.append(0)
    ph[2], ph[5] = len(out), len(data)
    out += data
for i, ph in enumerate(phs):
    struct.pack_into('<IIQQQQQQ', out, 64 + i * 56, *ph)
open(dst, 'wb').write(out)
PEOF
        case $(cat /proc/sys/kernel/core_pattern) in
        '|'*) echo "fuzz_core: core_pattern is a pipe: only the committed seeds" ;;
        *)
            for kind in static dynamic; do
                rm -rf "$OUT/crash_$kind" && mkdir -p "$OUT/crash_$kind"
                flag=; [ $kind = static ] && flag=-static
                cc -O0 $flag -pthread -o "$OUT/crash_$kind/crash" "$OUT/crash.c" 2>/dev/null || continue
                # (the subshell waits for the crash itself, so its report goes to /dev/null)
                (cd "$OUT/crash_$kind" && ulimit -c unlimited && { ./crash; :; }) >/dev/null 2>&1 || true
                for c in "$OUT/crash_$kind"/core*; do
                    [ -f "$c" ] && python3 "$OUT/shrink_core.py" "$c" "$corpus/seed_kernel_$kind" 512
                done
            done ;;
        esac
        # Note names and types, the kernel's structure sizes (little-endian), PN_XNUM.
        cat > "$OUT/core.dict" <<'DICT'
"CORE\x00\x00\x00\x00"
"LINUX\x00\x00\x00"
"\x05\x00\x00\x00"
"\x01\x00\x00\x00"
"\x02\x00\x00\x00"
"\x03\x00\x00\x00"
"\x06\x00\x00\x00"
"IGIS"
"ELIF"
"\x50\x01\x00\x00"
"\x00\x02\x00\x00"
"\x88\x00\x00\x00"
"\x80\x00\x00\x00"
"\x00\x10\x00\x00\x00\x00\x00\x00"
"\xff\xff"
"\x38\x00"
"\x7fELF\x02\x01\x01"
"\x04\x00\x3e\x00"
"/lib/x86_64-linux-gnu/libc.so.6\x00"
"/tmp/\x00"
DICT
        extra="-dict=$OUT/core.dict" ;;
    esac
    echo "== fuzz_$t: run ${SECS}s"
    # shellcheck disable=SC2086
    if ! "$OUT/fuzz_$t" "$corpus" $extra -max_total_time="$SECS" -timeout=10 -rss_limit_mb=2048 \
            -malloc_limit_mb=1024 -artifact_prefix="$OUT/artifacts/${t}_" -print_final_stats=1 \
            2>"$OUT/fuzz_$t.log"; then
        echo "fuzz_$t FAILED: see $OUT/fuzz_$t.log and $OUT/artifacts/" >&2
        tail -40 "$OUT/fuzz_$t.log" >&2
        fail=1
    else
        grep -E "stat::number_of_executed_units|cov:" "$OUT/fuzz_$t.log" | tail -2
    fi
done
exit $fail
