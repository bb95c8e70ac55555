#!/bin/sh
# Fuzz cordbg's metadata/PDB reader (src/meta) with libFuzzer.
#   scripts/fuzz.sh [SECONDS] [pe|pdb]...     default: 60 seconds each, both targets
# Builds tests/fuzz/fuzz_<t>.c with clang (-fsanitize=fuzzer,address,undefined) into
# build/fuzz/, seeds build/fuzz/corpus_<t>/ from the test programs' build output (assemblies
# for pe; standalone and extracted embedded PDBs for pdb), and runs each target for SECONDS.
# Crashing inputs land in build/fuzz/artifacts/; the script exits 1 if any target failed.
set -eu
cd "$(dirname "$0")/.."
SECS=${1:-60}
[ $# -gt 0 ] && shift
TARGETS=${*:-pe pdb}
OUT=build/fuzz
mkdir -p "$OUT/artifacts"
command -v clang >/dev/null || { echo "fuzz.sh: clang is missing (apt-get install -y clang)" >&2; exit 2; }

# Seed inputs: build the test programs if their output is missing.
for p in MetaBasic MetaEmbedded; do
    if [ ! -f "tests/out/$p/$p.dll" ]; then
        dotnet build "tests/programs/$p/$p.csproj" -c Debug -o "tests/out/$p" --nologo -v q >/dev/null
    fi
done

SRC=$(ls src/meta/*.c | grep -v '/dump.c$')
CFLAGS="-g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -std=c11 -D_GNU_SOURCE -Isrc"
fail=0
for t in $TARGETS; do
    echo "== fuzz_$t: build"
    # shellcheck disable=SC2086
    clang $CFLAGS "tests/fuzz/fuzz_$t.c" $SRC -o "$OUT/fuzz_$t" -lz
    corpus="$OUT/corpus_$t"
    mkdir -p "$corpus"
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
    esac
    echo "== fuzz_$t: run ${SECS}s"
    if ! "$OUT/fuzz_$t" "$corpus" -max_total_time="$SECS" -timeout=10 -rss_limit_mb=2048 \
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
