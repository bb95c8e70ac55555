/* The DAP reader's fuzz target (framing, JSON decoding, message checks, responses) over the
 * inputs that once failed it and a few seeds of realistic and broken traffic. */
#include "../fuzz/fuzz_dap.c"
#include "replay.h"

TEST(dap_regressions)
{
    CHECK(replay_dir("tests/fuzz/regressions/dap", NULL) > 0);
}

UNIT_MAIN()
