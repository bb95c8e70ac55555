/* Post-mortem sessions: a core dump opened as a process stopped for good (issue 23).
 * (Being written: see src/native/core.h and session.h's Post-mortem section.) */
#include "engine/internal.h"

void core_session_request(EngSession *s, Request *rq)
{
    (void)s;
    eng_fail(rq, "opening core dumps is not built yet");
}

void core_session_end(EngSession *s) { (void)s; }
