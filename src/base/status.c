// status.c — text for Status values.
#include "base/status.h"

#include <string.h>

const char *status_str(Status s) {
    switch (s) {
    case ST_OK:          return "ok";
    case ST_ERR:         return "error";
    case ST_BAD_INPUT:   return "bad input";
    case ST_NOT_FOUND:   return "not found";
    case ST_UNSUPPORTED: return "unsupported";
    case ST_GONE:        return "target process is gone";
    case ST_TIMEOUT:     return "timed out";
    default: break;
    }
    if (s < 0 && s > -4096)
        return strerror(-s);   // glibc's strerror is thread-safe for known codes
    return s > 0 ? "unexpected positive status" : "unknown error";
}
