/* The portable PDB fuzz target over its regression inputs and the test PDBs. */
#include "../fuzz/fuzz_pdb.c"
#include "replay.h"

TEST(pdb_regressions)
{
    CHECK(replay_dir("tests/fuzz/regressions/pdb", NULL) >= 0);
}

TEST(pdb_test_pdbs)
{
    const char *out = getenv("CORDBG_TEST_OUT");
    CHECK(out != NULL);
    if (!out) return;
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/MetaBasic", out);
    CHECK(replay_dir(dir, ".pdb") > 0);
}

UNIT_MAIN()
