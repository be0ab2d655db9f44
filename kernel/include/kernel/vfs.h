/*
 * The virtual file system: inodes, superblocks, mounts, path walk and the
 * namespace operations, with Linux's semantics and error codes. Callers pass
 * kernel-side NUL-terminated path strings and a credential; the system-call
 * layer copies from user memory and turns dirfds into paths.
 *
 * Locking: one VFS mutex serialises every path walk and namespace change
 * (simple and obviously correct; finer locks can come with a dentry cache).
 * File data and size are guarded by each inode's data_lock, taken after the
 * VFS mutex when both are needed. Reference counts are atomic.
 */
#ifndef KERNEL_VFS_H
#define KERNEL_VFS_H

#include <frame/mutex.h>
#include <frame/types.h>
#include <abi/stat.h>
#include <kernel/cred.h>

/* File-type tests (abi/stat.h has only the bits). */
#ifndef S_ISDIR
#define S_ISLNK(m) (((m) & S_IFMT) == S_IFLNK)
#define S_ISREG(m) (((m) & S_IFMT) == S_IFREG)
#define S_ISDIR(m) (((m) & S_IFMT) == S_IFDIR)
#define S_ISCHR(m) (((m) & S_IFMT) == S_IFCHR)
#define S_ISBLK(m) (((m) & S_IFMT) == S_IFBLK)
#define S_ISFIFO(m) (((m) & S_IFMT) == S_IFIFO)
#define S_ISSOCK(m) (((m) & S_IFMT) == S_IFSOCK)
#endif

#define NAME_MAX 255
#define PATH_MAX 4096
/* Symbolic links followed in one walk before ELOOP (Linux's MAXSYMLINKS). */
#define VFS_MAX_SYMLINKS 40

/* inode_permission() masks, as Linux's MAY_*. */
#define MAY_EXEC 1
#define MAY_WRITE 2
#define MAY_READ 4

/* utimens special nanosecond values (Linux ABI). */
#define UTIME_NOW ((1l << 30) - 1l)
#define UTIME_OMIT ((1l << 30) - 2l)

/* getdents64 d_type values (Linux ABI). */
#define DT_UNKNOWN 0
#define DT_FIFO 1
#define DT_CHR 2
#define DT_DIR 4
#define DT_BLK 6
#define DT_REG 8
#define DT_LNK 10
#define DT_SOCK 12

/* Linux's 32-bit dev_t encoding as st_dev/st_rdev and mknod() carry it. */
static inline uint64_t dev_encode(uint32_t major, uint32_t minor)
{
	return (minor & 0xffu) | ((uint64_t)(major & 0xfffu) << 8) |
	       ((uint64_t)(minor & ~0xffu) << 12);
}
static inline uint32_t dev_major(uint64_t dev) { return (uint32_t)((dev >> 8) & 0xfffu); }
static inline uint32_t dev_minor(uint64_t dev)
{
	return (uint32_t)((dev & 0xffu) | ((dev >> 12) & 0xfff00u));
}

struct fs_time {
	int64_t sec;
	uint32_t nsec;
};

struct inode;
struct super_block;
struct mount;
struct dir_emit;

/* Storage operations a file system provides; the VFS has done every check before calling. */
struct inode_ops {
	/* Find @name in @dir (".." included; never "."): a new reference, or -ENOENT. */
	int (*lookup)(struct inode *dir, const char *name, size_t len, struct inode **out);
	/*
	 * Create @name (absent) in @dir with @mode (type included), owner @uid/@gid
	 * and @rdev; for S_IFLNK @target is the link text. Returns a new reference.
	 */
	int (*create)(struct inode *dir, const char *name, size_t len, uint32_t mode,
		      uint32_t uid, uint32_t gid, uint64_t rdev, const char *target,
		      struct inode **out);
	/* Add a hard link @name (absent) to non-directory @inode. NULL: -EPERM (read-only trees). */
	int (*link)(struct inode *dir, const char *name, size_t len, struct inode *inode);
	/* Remove entry @name, which names @inode (an empty directory for rmdir). NULL: -EPERM. */
	int (*unlink)(struct inode *dir, const char *name, size_t len, struct inode *inode);
	/*
	 * Move entry @oname of @odir to @nname of @ndir, replacing what is there
	 * (already checked compatible and, for a directory, empty), or with
	 * exchange, swap the two entries. NULL: -EPERM.
	 */
	int (*rename)(struct inode *odir, const char *oname, size_t olen, struct inode *ndir,
		      const char *nname, size_t nlen, bool exchange);
	/* Copy the link text (not terminated); its full length. */
	ssize_t (*readlink)(struct inode *inode, char *buf, size_t len);
	/* Data of a regular file, under the inode's data_lock; short only at EOF (read). */
	ssize_t (*read)(struct inode *inode, uint64_t off, void *buf, size_t len);
	ssize_t (*write)(struct inode *inode, uint64_t off, const void *buf, size_t len);
	int (*truncate)(struct inode *inode, uint64_t size);
	/*
	 * Optional: a file system's own say on an open the mode bits allowed
	 * (procfs: another user's /proc/PID/maps). 0 or -errno.
	 */
	int (*may_open)(struct inode *inode, const struct cred *c, uint32_t flags);
	/*
	 * Emit entries of @dir from cookie *@pos on ("." is 0, ".." 1, the rest
	 * stable cookies that survive other entries' removal), advancing *@pos
	 * past each emitted entry; stop early when the emitter says so.
	 */
	int (*iterate)(struct inode *dir, uint64_t *pos, struct dir_emit *emit);
	/*
	 * Optional: write the file's dirty data (and, unless @datasync, its
	 * metadata) to stable storage (fsync/fdatasync): 0 or -EIO. NULL: a
	 * memory file system with nothing to write.
	 */
	int (*fsync)(struct inode *inode, bool datasync);
	/*
	 * Optional (O_TMPFILE): a regular file of @mode with no name, nlink 0,
	 * on @dir's file system; a new reference (freed with its last). NULL:
	 * -EOPNOTSUPP (tmpfs has its own).
	 */
	int (*tmpfile)(struct inode *dir, uint32_t mode, uint32_t uid, uint32_t gid,
		       struct inode **out);
};

/* Called by a file system's iterate() per entry; false means "no room, stop". */
struct dir_emit {
	bool (*actor)(struct dir_emit *emit, const char *name, size_t len, uint64_t ino,
		      unsigned dtype, uint64_t next_pos);
};

struct super_ops {
	/* Free @inode (no links and no references left). NULL: the file system frees its nodes itself. */
	void (*evict)(struct inode *inode);
	/* NULL: the figures of a file system with no blocks of its own (proc, devpts). */
	int (*statfs)(struct super_block *sb, struct statfs *out);
	/* Free everything of @sb once its last mount is gone (root reference already dropped). */
	void (*kill)(struct super_block *sb);
	/* Optional: write everything dirty to stable storage (sync, syncfs): 0 or -EIO. */
	int (*sync_fs)(struct super_block *sb);
};

struct inode {
	uint64_t ino;
	uint32_t mode;		/* type and permission bits */
	uint32_t uid, gid;
	uint32_t nlink;
	uint64_t size;		/* guarded by data_lock for regular files */
	uint64_t blocks;	/* 512-byte units allocated */
	uint64_t rdev;		/* dev_encode()d, for device nodes */
	struct fs_time atime, mtime, ctime, btime;
	uint32_t refcount;	/* atomic; the inode is evicted at 0 with nlink 0 */
	int32_t write_count;	/* atomic, Linux's i_writecount: > 0 open for writing, < 0 running as a program */
	struct super_block *sb;
	const struct inode_ops *ops;
	struct mutex data_lock;
	/* The file's page cache (kernel/page_cache.h) when its data lives in one; else NULL. */
	struct page_cache *cache;
	void *fs_private;
};

struct super_block {
	const struct fs_type *type;
	const struct super_ops *ops;
	uint64_t dev;		/* st_dev, an anonymous device (major 0) */
	uint32_t magic;		/* statfs f_type */
	struct inode *root;	/* holds a reference */
	uint64_t max_file_size;	/* EFBIG beyond */
	uint32_t blksize;	/* st_blksize; 0 means PAGE_SIZE */
	bool read_only;		/* mounted read-only: writes of its files and names are EROFS */
	void *fs_private;
};

/* A file-system type that mount() can name. */
struct fs_type {
	const char *name;
	/* Create a new instance; @data is the mount option string or NULL. */
	int (*mount)(const struct fs_type *type, const char *data, struct super_block **out);
	/*
	 * For a file system on a block device (then @mount is NULL): a new
	 * instance on the device numbered @rdev, with mount(2)'s MS_* @flags.
	 */
	int (*mount_dev)(const struct fs_type *type, uint64_t rdev, unsigned long flags,
			 const char *data, struct super_block **out);
};

/* A location in the tree: a mount and an inode in it, each referenced. */
struct path {
	struct mount *mnt;
	struct inode *inode;
};

/* Where a caller stands: its credential, root (chroot) and working directory, umask. */
struct vfs_ctx {
	const struct cred *cred;
	struct path root;
	struct path cwd;
	uint32_t umask;
};

/* ---- inodes (kernel/fs/inode.c) ---- */

/*
 * Set up a zeroed inode a file system allocated (inside its own object):
 * @sb, @mode, one reference, nlink 1, all times now.
 */
void inode_init(struct inode *inode, struct super_block *sb, uint32_t mode);
void inode_get(struct inode *inode);
void inode_put(struct inode *inode);
struct fs_time fs_now(void);
/* Linux's generic_permission(): 0 or -EACCES for @mask (MAY_*). */
int inode_permission(const struct cred *c, const struct inode *inode, int mask);
/* DT_* of a mode. */
unsigned mode_to_dtype(uint32_t mode);
void inode_fill_stat(struct inode *inode, struct stat *st);
void inode_fill_statx(struct inode *inode, uint32_t mask, struct statx *stx);

/* ---- mounts (kernel/fs/mount.c) ---- */

int vfs_register_fs(const struct fs_type *type);
const struct fs_type *vfs_find_fs(const char *name);
/* An unused anonymous device number for a new superblock. */
uint64_t vfs_anon_dev(void);
/*
 * Mount a new instance of @fstype as the root of the tree; fills @root with
 * a reference to it. Fails with -EBUSY if a root exists.
 */
int vfs_mount_root(const char *fstype, const char *data, struct path *root);
/* Mount a new instance of @fstype on directory @target (root only: -EPERM). */
int vfs_mount(const struct vfs_ctx *ctx, const struct path *at, const char *target,
	      const char *fstype, const char *data);
/*
 * The same with mount(2)'s @source and MS_* @flags: a file system on a
 * block device resolves @source to its node (-ENOTBLK if it is not one,
 * -ENXIO for no such device).
 */
int vfs_mount_dev(const struct vfs_ctx *ctx, const struct path *at, const char *target,
		  const char *fstype, const char *source, unsigned long flags, const char *data);
/* vfs_mount_root() for a file system on the block device @rdev (root=/dev/vda). */
int vfs_mount_root_dev(const char *fstype, uint64_t rdev, unsigned long flags, const char *data,
		       struct path *root);
/* Call @fn on each mounted superblock (once each) until it returns non-zero; that value. */
int vfs_for_each_sb(int (*fn)(struct super_block *sb, void *arg), void *arg);
/* For /proc/pid/mountinfo: @mnt's id, its parent's (its own at the tree's top) and its superblock's device. */
void vfs_mount_ids(const struct mount *mnt, uint32_t *id, uint32_t *parent_id, uint64_t *dev);
/* Unmount the file system whose root @target names: -EINVAL if not a mount root, -EBUSY if in use. */
int vfs_umount(const struct vfs_ctx *ctx, const struct path *at, const char *target);
/* Take down the root mount (tests, shutdown): -EBUSY while anything else is mounted or used. */
int vfs_umount_root(struct path *root);

void path_get(const struct path *p);
void path_put(struct path *p);
bool path_equal(const struct path *a, const struct path *b);

/* ---- path walk (kernel/fs/namei.c) ---- */

#define LOOKUP_FOLLOW 0x1	/* follow a symlink in the last component */
#define LOOKUP_DIRECTORY 0x2	/* the result must be a directory */

/*
 * Resolve @name relative to @at (NULL: the working directory; ignored for an
 * absolute name). On success @out holds a reference.
 */
int vfs_lookup(const struct vfs_ctx *ctx, const struct path *at, const char *name,
	       unsigned flags, struct path *out);

/* ---- namespace operations (kernel/fs/namespace.c, attr.c) ---- */

int vfs_mkdir(const struct vfs_ctx *ctx, const struct path *at, const char *name, uint32_t mode);
/* mknod: S_IFREG (or type 0), S_IFCHR, S_IFBLK, S_IFIFO, S_IFSOCK; devices need root. */
int vfs_mknod(const struct vfs_ctx *ctx, const struct path *at, const char *name, uint32_t mode,
	      uint64_t dev);
int vfs_rmdir(const struct vfs_ctx *ctx, const struct path *at, const char *name);
int vfs_unlink(const struct vfs_ctx *ctx, const struct path *at, const char *name);
int vfs_symlink(const struct vfs_ctx *ctx, const char *target, const struct path *at,
		const char *name);
/* @flags: AT_SYMLINK_FOLLOW only. */
int vfs_link(const struct vfs_ctx *ctx, const struct path *oat, const char *oname,
	     const struct path *nat, const char *nname, unsigned flags);
/* renameat2: @flags RENAME_NOREPLACE or RENAME_EXCHANGE. */
int vfs_rename(const struct vfs_ctx *ctx, const struct path *oat, const char *oname,
	       const struct path *nat, const char *nname, unsigned flags);
/* Copy at most @len bytes of the link text (not terminated); the count copied. */
ssize_t vfs_readlink(const struct vfs_ctx *ctx, const struct path *at, const char *name,
		     char *buf, size_t len);

/* Attribute changes on a resolved inode (kernel/fs/attr.c). */
int vfs_chmod(const struct cred *c, struct inode *inode, uint32_t mode);
/* (uint32_t)-1 leaves an id unchanged. */
int vfs_chown(const struct cred *c, struct inode *inode, uint32_t uid, uint32_t gid);
/* @times NULL: both now. Otherwise [0] atime, [1] mtime; nsec may be UTIME_NOW/UTIME_OMIT. */
int vfs_utimens(const struct cred *c, struct inode *inode, const struct fs_time *times);
/* truncate(): checks write permission; ftruncate() passes check_perm false. */
int vfs_truncate(const struct cred *c, struct inode *inode, int64_t size, bool check_perm);
/* access()/faccessat(): @mode F_OK 0 or R_OK 4 | W_OK 2 | X_OK 1. */
int vfs_access(const struct cred *c, struct inode *inode, int mode);
int vfs_statfs(struct inode *inode, struct statfs *out);

/* Write-back (kernel/fs/sync.c): sync(2) of everything, syncfs(2) of one file system. */
int vfs_sync_all(void);
int vfs_syncfs(struct super_block *sb);

/*
 * Writers against running programs (ETXTBSY), as Linux's i_writecount:
 * inode_get_write_access() for a file opened for writing or truncated by
 * name, inode_deny_write_access() for the file a process runs. Each fails
 * with -ETXTBSY while the other kind is held; each is undone by its put /
 * allow.
 */
int inode_get_write_access(struct inode *inode);
void inode_put_write_access(struct inode *inode);
int inode_deny_write_access(struct inode *inode);
void inode_allow_write_access(struct inode *inode);

/* Serialises walks and namespace changes; exported for the file layer. */
void vfs_lock(void);
void vfs_unlock(void);

#endif
