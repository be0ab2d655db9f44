/* Mapping files: the memory object mmap maps for a file (defined in kernel/proc/exec_file.c). */
#ifndef KERNEL_FILE_MAP_H
#define KERNEL_FILE_MAP_H

#include <kernel/file.h>
#include <kernel/mm.h>

/*
 * The object mmap maps for file @f: the file system's shared object when it
 * has one (so MAP_SHARED writes reach the file), else a private snapshot.
 * NULL when out of memory.
 */
struct mm_object *file_mm_object(struct file *f);

/*
 * For an object's path op: the name of mapped path @p as /proc/pid/maps
 * shows it (from the reader's root), into @buf (terminated, truncated to
 * @size; empty if it cannot be named). Computed once and kept in *@cache,
 * which the object frees (kfree) when released: a later rename is not seen.
 */
void file_map_name(const struct path *p, char **cache, char *buf, size_t size);

/*
 * Who names paths for file_map_name() (procfs registers its d_path, from
 * the reader's root, at init): the length written to @buf, or a negative
 * errno. Without one, mappings show no name.
 */
typedef int (*file_map_namer_fn)(const struct path *p, char *buf, size_t size);
void file_map_set_namer(file_map_namer_fn fn);

#endif
