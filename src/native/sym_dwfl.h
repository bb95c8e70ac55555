/* Private to src/native: the libdwfl handle behind an NsSpace, for readers of DWARF that
 * live beside sym.c (symvar.c). Valid until the next ns_refresh. */
#ifndef CORDBG_NATIVE_SYM_DWFL_H
#define CORDBG_NATIVE_SYM_DWFL_H
#include <elfutils/libdwfl.h>
#include "native/sym.h"

Dwfl *ns_dwfl(NsSpace *sp);

#endif
