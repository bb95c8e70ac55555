/* Symbol presence for module-load reports. */
#include "engine/symprobe.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

int eng_symbols_probe(const char *module_path, char *where, size_t cap)
{
    const char *dot = strrchr(module_path, '.');
    const char *slash = strrchr(module_path, '/');
    if (!dot || (slash && dot < slash)) return 0;
    snprintf(where, cap, "%.*s.pdb", (int)(dot - module_path), module_path);
    return access(where, R_OK) == 0;
}
