#!/bin/sh
# Fuzz cordbg's parsers with libFuzzer: the metadata/PDB reader (src/meta) and the expression
# parser (src/expr).
#   scripts/fuzz.sh [SECONDS] [pe|pdb|expr]...     default: 60 seconds each, every target
# Builds tests/fuzz/fuzz_<t>.c with clang (-fsanitize=fuzzer,address,undefined) into
# build/fuzz/, seeds build/fuzz/corpus_<t>/ (pe: the test programs' assemblies; pdb: their
# standalone and extracted embedded PDBs; expr: a few dozen expressions and templates, with a
# dictionary of C# tokens), and runs each target for SECONDS.
# Crashing inputs land in build/fuzz/artifacts/; the script exits 1 if any target failed.
set -eu
cd "$(dirname "$0")/.."
SECS=${1:-60}
[ $# -gt 0 ] && shift
TARGETS=${*:-pe pdb expr}
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
    case $t in
    expr) SRC=$(ls src/expr/*.c src/base/*.c) ;;
    *) SRC=$(ls src/meta/*.c | grep -v '/dump.c$') ;;
    esac
    # shellcheck disable=SC2086
    clang $CFLAGS "tests/fuzz/fuzz_$t.c" $SRC -o "$OUT/fuzz_$t" -lz
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
