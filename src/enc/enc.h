/* enc: cordbg's side of the Edit and Continue helper (tools/encsvc, a C# program cordbg
 * starts on first use: cordbg never hosts a CLR). One JSON object per line each way over
 * the helper's stdin/stdout; its stderr is its log. The helper computes deltas from sources
 * (Roslyn); the engine applies them (eng_enc_apply). A helper that crashes or hangs gives a
 * clear error; it is started again at the next use. Called from a front end's thread (never
 * the engine's): every engine call here is an eng_* request. */
#ifndef CORDBG_ENC_ENC_H
#define CORDBG_ENC_ENC_H
#include <stddef.h>
#include <jansson.h>
#include "engine/session.h"

typedef struct EncService EncService;

EncService *enc_service_new(void);                 /* the process starts on first use */
void enc_service_free(EncService *svc);            /* shutdown + reap */
/* Send REQ (borrowed; its "id" is set here) and wait at most timeout_ms for the reply with
 * that id (*reply: a new reference). 0 ok (the reply may still say "ok": false); -1 with err
 * when the helper cannot start, crashed, or did not answer (it is then stopped, and started
 * again at the next use). */
int  enc_request(EncService *svc, json_t *req, int timeout_ms, json_t **reply, char *err, size_t cap);
/* The helper has the baseline of that module (an `open` with the committed texts of the
 * documents changed on disk since). 0, or -1 with err. */
int  enc_ensure_open(EncService *svc, EngSession *s, const char *module_path, char *err, size_t cap);
/* Apply every saved change of the program's sources (CLI `apply`, DAP, hot reload): what
 * was done in r->message ("applied: ..."), or why not in r->err (status -1); the
 * compiler's messages (errors, rude edits, warnings), one per line, in r->text. */
void enc_apply_all(EncService *svc, EngSession *s, EngResult *r);
/* The same for the documents FILES only (n of them; hot reload on save): a file that is no
 * document of the program says so. */
void enc_apply_files(EncService *svc, EngSession *s, const char *const *files, size_t n, EngResult *r);

/* base64 (RFC 4648) for the wire's byte arrays: malloc'ed results; NULL on bad input. */
char    *enc_b64_encode(const uint8_t *data, size_t len);
uint8_t *enc_b64_decode(const char *text, size_t *len);

#endif
