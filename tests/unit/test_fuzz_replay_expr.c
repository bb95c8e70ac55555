/* The expression parser's fuzz target over the inputs that once failed it. */
#include "../fuzz/fuzz_expr.c"
#include "replay.h"

TEST(expr_regressions)
{
    CHECK(replay_dir("tests/fuzz/regressions/expr", NULL) > 0);
}

UNIT_MAIN()
