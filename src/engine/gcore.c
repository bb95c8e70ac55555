/* generate-core-file: a core dump of the live stopped process (issue 23).
 * (Being written: see session.h's Post-mortem section.) */
#include "engine/internal.h"

void gcore_request(EngSession *s, Request *rq)
{
    (void)s;
    eng_fail(rq, "generate-core-file is not built yet");
}
