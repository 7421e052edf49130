/* Internal to the readers that look for files beside the one they were given
 * (poscar.c, doscar.c, projwfc*.c): the folder and the name of a path, and what is
 * at a path. Not part of the library's API (dftpost.h). */
#ifndef DP_PATHS_H
#define DP_PATHS_H

#include <stdbool.h>
#include <stddef.h>

/* The folder of path into dir: "a/b/DOSCAR" → "a/b", "DOSCAR" → ".", "/DOSCAR" → "/".
 * Cut to size - 1 bytes. */
void dp_path_dir(const char *path, char *dir, size_t size);

/* The name of path after its last '/' ("a/b/x.out" → "x.out"), inside path. */
const char *dp_path_base(const char *path);

/* A regular file, or a folder, is at p (stat follows links). */
bool dp_path_is_file(const char *p);
bool dp_path_is_dir(const char *p);

#endif
