/* Extended attributes, read side (getxattr, listxattr and their l/f forms) as tmpfs answers them: no file has any. */
#include <frame/errno.h>
#include <frame/string.h>
#include <frame/vm_io.h>
#include <abi/fcntl.h>
#include "sys_fs.h"

#define XATTR_NAME_MAX 255

/* Copy a name in as Linux does: empty or longer than XATTR_NAME_MAX is -ERANGE. */
static int get_name(const char __user *uname, char *name)
{
	ssize_t n = strncpy_from_user(name, uname, XATTR_NAME_MAX + 1);
	if (n < 0)
		return (int)n;
	if (n == 0 || n == XATTR_NAME_MAX + 1)
		return -ERANGE;
	return 0;
}

static bool has_prefix(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/*
 * No attribute is stored anywhere. tmpfs (Linux 6.1) has handlers for the
 * security.*, trusted.* and POSIX ACL names: those are -ENODATA; a name
 * of another namespace (user.* included) has no handler: -EOPNOTSUPP.
 */
static int64_t get_attr(const char *name)
{
	if (has_prefix(name, "security.") || has_prefix(name, "trusted.") ||
	    strcmp(name, "system.posix_acl_access") == 0 ||
	    strcmp(name, "system.posix_acl_default") == 0)
		return -ENODATA;
	return -EOPNOTSUPP;
}

static int64_t getxattr_path(const char __user *path, const char __user *uname, bool follow)
{
	char name[XATTR_NAME_MAX + 1];
	int err = get_name(uname, name);
	if (err)
		return err;
	struct path p;
	err = fs_lookup_at(AT_FDCWD, path, follow, false, &p);
	if (err)
		return err;
	path_put(&p);
	return get_attr(name);
}

int64_t sys_getxattr(const char __user *path, const char __user *name, void __user *value, size_t size)
{
	(void)value;
	(void)size;
	return getxattr_path(path, name, true);
}

int64_t sys_lgetxattr(const char __user *path, const char __user *name, void __user *value, size_t size)
{
	(void)value;
	(void)size;
	return getxattr_path(path, name, false);
}

int64_t sys_fgetxattr(int fd, const char __user *uname, void __user *value, size_t size)
{
	(void)value;
	(void)size;
	struct file *f = fs_file(fd);
	if (!f)
		return -EBADF;
	file_put(f);
	char name[XATTR_NAME_MAX + 1];
	int err = get_name(uname, name);
	return err ? err : get_attr(name);
}

/* The list of names is empty: 0 bytes, whatever the buffer. */
static int64_t listxattr_path(const char __user *path, bool follow)
{
	struct path p;
	int err = fs_lookup_at(AT_FDCWD, path, follow, false, &p);
	if (err)
		return err;
	path_put(&p);
	return 0;
}

int64_t sys_listxattr(const char __user *path, char __user *list, size_t size)
{
	(void)list;
	(void)size;
	return listxattr_path(path, true);
}

int64_t sys_llistxattr(const char __user *path, char __user *list, size_t size)
{
	(void)list;
	(void)size;
	return listxattr_path(path, false);
}

int64_t sys_flistxattr(int fd, char __user *list, size_t size)
{
	(void)list;
	(void)size;
	struct file *f = fs_file(fd);
	if (!f)
		return -EBADF;
	file_put(f);
	return 0;
}
