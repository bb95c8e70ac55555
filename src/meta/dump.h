/* meta/dump: text dump of a module's symbols for `cordbg symbols FILE.dll` and for tests
 * (tests/tools/MetaCheck prints the same format from System.Reflection.Metadata). */
#ifndef CORDBG_META_DUMP_H
#define CORDBG_META_DUMP_H

#include <stdio.h>

/* Types, methods with signatures, and each method's sequence points and locals. 0 ok;
 * otherwise a negative MD_* code and a message in err. A module without symbols still dumps
 * its types and methods (and says "pdb none"). */
int md_dump_symbols(FILE *out, const char *path, char *err, size_t errcap);

#endif
