/* The PE/metadata fuzz target over its regression inputs and the test assemblies. */
#include "../fuzz/fuzz_pe.c"
#include "replay.h"

TEST(pe_regressions)
{
    CHECK(replay_dir("tests/fuzz/regressions/pe", NULL) > 0);
}

TEST(pe_test_assemblies)
{
    const char *out = getenv("CORDBG_TEST_OUT");
    CHECK(out != NULL);
    if (!out) return;
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/MetaBasic", out);
    CHECK(replay_dir(dir, ".dll") > 0);
    snprintf(dir, sizeof dir, "%s/MetaEmbedded", out);
    CHECK(replay_dir(dir, ".dll") > 0);
}

UNIT_MAIN()
