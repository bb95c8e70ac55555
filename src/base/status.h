// status.h — the status convention shared by every layer: 0 is success, a negative errno
// is an OS failure, and values at or below ST_ERR are cordbg's own codes. Pure; no state.
#ifndef CORDBG_BASE_STATUS_H
#define CORDBG_BASE_STATUS_H

// A Status is returned by every fallible call; results travel through out-params.
// Own codes start at -1000, far below any Linux errno (those stay under 200), so both
// kinds fit in one int and a negative errno can be passed up unchanged.
typedef int Status;

#define ST_OK           0
#define ST_ERR          (-1000) // generic failure, no better code
#define ST_BAD_INPUT    (-1001) // malformed or corrupt input (file bytes, user text)
#define ST_NOT_FOUND    (-1002) // the thing asked for does not exist
#define ST_UNSUPPORTED  (-1003) // valid request that this build/target cannot do
#define ST_GONE         (-1004) // the target process has exited or vanished
#define ST_TIMEOUT      (-1005) // an operation did not finish in time

// Short English text for s: own codes by name, negative errnos via strerror. Never NULL;
// the string is static (or thread-local storage of the C library) and must not be freed.
const char *status_str(Status s);

#endif
