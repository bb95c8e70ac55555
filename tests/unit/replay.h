/* Replays a fuzz target (included before this header, as LLVMFuzzerTestOneInput) over the
 * inputs that once crashed or hung it (tests/fuzz/regressions/<kind>/) and over the test
 * programs' own outputs, under the test build's sanitizers. */
#include "unit.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "meta/md.h"

static int replay_dir(const char *dir, const char *suffix)
{
    DIR *d = opendir(dir);
    if (!d) return -1;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.') continue;
        size_t len = strlen(e->d_name), sl = suffix ? strlen(suffix) : 0;
        if (suffix && (len < sl || strcmp(e->d_name + len - sl, suffix) != 0)) continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        uint8_t *data = NULL;
        size_t size = 0;
        if (md_read_file(path, 64u << 20, &data, &size) != 0) continue;
        LLVMFuzzerTestOneInput(data, size);
        free(data);
        n++;
    }
    closedir(d);
    return n;
}
