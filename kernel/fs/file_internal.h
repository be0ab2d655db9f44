/* The VFS's own file operations for regular files, directories and O_PATH descriptors. */
#ifndef KERNEL_FS_FILE_INTERNAL_H
#define KERNEL_FS_FILE_INTERNAL_H

#include <kernel/file.h>

extern const struct file_ops reg_file_ops;
extern const struct file_ops dir_file_ops;
extern const struct file_ops path_file_ops;

#endif
