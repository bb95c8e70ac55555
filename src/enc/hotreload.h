/* enc/hotreload: apply each change when its file is saved (`set hot-reload on`, DAP's
 * hotReload), as `dotnet watch` does. A thread of its own watches, with inotify, the
 * directories of the program's source documents (IN_CLOSE_WRITE and IN_MOVED_TO: editors
 * save by writing in place or by renaming a new file over the old), waits until the saves
 * settle (a debounce), then applies the saved documents with the helper. It uses the
 * EncService only under the lock the front end passes (the one its `apply` and injection
 * take), reaches the program only through eng_* requests (which may come from any
 * thread), and reports each apply through the front end's callback, on its own thread. */
#ifndef CORDBG_ENC_HOTRELOAD_H
#define CORDBG_ENC_HOTRELOAD_H
#include "enc/enc.h"
#include "engine/session.h"

#include <pthread.h>

typedef struct HotReload HotReload;
/* is_error: text is a failure (compile errors, a rude edit, no helper); text may hold
 * several lines. */
typedef void (*HrReportFn)(void *ctx, int is_error, const char *text);

/* Start watching; NULL and err when inotify or the thread cannot be had. */
HotReload *hr_start(EncService *svc, pthread_mutex_t *svc_mu, EngSession *s, HrReportFn report, void *ctx,
                    char *err, size_t cap);
/* Stop the thread (an apply in progress ends first) and free. NULL is fine. */
void hr_stop(HotReload *h);

#endif
