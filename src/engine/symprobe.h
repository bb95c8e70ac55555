/* Does a module have symbols cordbg can use? A portable PDB beside it or embedded in it.
 * Pure file reading; thread-safe. */
#ifndef CORDBG_ENGINE_SYMPROBE_H
#define CORDBG_ENGINE_SYMPROBE_H
#include <stddef.h>

/* 1 and where (a .pdb path, or "embedded") when symbols were found, 0 when not. */
int eng_symbols_probe(const char *module_path, char *where, size_t cap);

#endif
