/* The core-file fuzz target over its regression inputs (small cores: seeds and the inputs that
 * once crashed or hung it). */
#include "../fuzz/fuzz_core.c"
#include "replay.h"

TEST(core_regressions)
{
    CHECK(replay_dir("tests/fuzz/regressions/core", NULL) > 0);
}

UNIT_MAIN()
