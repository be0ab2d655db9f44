/*
 * initramfs: unpack cpio "newc"/"crc" archives — raw or gzip, concatenated,
 * zero-padded — into a directory, as Linux's init/initramfs.c does. Input
 * is untrusted: every field is validated and a bad one ends the unpack
 * with a message naming the offset, never with a crash.
 */
#include <frame/boot.h>
#include <frame/errno.h>
#include <frame/heap.h>
#include <frame/log.h>
#include <frame/string.h>
#include <abi/fcntl.h>
#include <kernel/file.h>
#include <kernel/fs.h>
#include <kernel/inflate.h>

#define HDR_SIZE 110
#define CHUNK 4096

enum cpio_state { ST_START, ST_HEADER, ST_NAME, ST_NAME_PAD, ST_DATA, ST_DATA_PAD };

enum { F_INO, F_MODE, F_UID, F_GID, F_NLINK, F_MTIME, F_FILESIZE, F_DEVMAJOR, F_DEVMINOR,
       F_RDEVMAJOR, F_RDEVMINOR, F_NAMESIZE, F_CHECK, F_COUNT };

/* A regular file seen with nlink > 1: later entries with its (dev, ino) become hard links to it. */
struct hardlink {
	struct hardlink *next;
	uint32_t ino, major, minor;
	char name[];
};

struct unpacker {
	const struct byte_source *src;
	struct vfs_ctx ctx;
	struct initramfs_stats *stats;
	enum cpio_state state;
	uint64_t off;		/* offset in the current stream, for messages */
	bool in_gzip;
	uint8_t hdr[HDR_SIZE];
	size_t have;
	uint32_t f[F_COUNT];
	bool crc_format;
	char *name;		/* PATH_MAX bytes */
	uint64_t left, pad;	/* of the current name, data or padding */
	struct file *out;	/* where file data goes, NULL: discard */
	char *link;		/* symlink target being collected */
	uint32_t sum;		/* "crc" format checksum */
	struct hardlink *links;
	struct dir_time { struct dir_time *next; struct fs_time mtime; char name[]; } *dirs;
	int err;
};

static int corrupt(struct unpacker *u, const char *what)
{
	pr_err("initramfs: %s at %s offset %llu; unpacking stopped\n", what,
	       u->in_gzip ? "decompressed" : "archive", (unsigned long long)u->off);
	u->err = -EINVAL;
	return u->err;
}

static bool parse_hex(const uint8_t *p, uint32_t *out)
{
	uint32_t v = 0;
	for (int i = 0; i < 8; i++) {
		uint8_t c = p[i];
		uint32_t d;
		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10u;
		else if (c >= 'A' && c <= 'F')
			d = c - 'A' + 10u;
		else
			return false;
		v = (v << 4) | d;
	}
	*out = v;
	return true;
}

static void free_links(struct unpacker *u)
{
	while (u->links) {
		struct hardlink *l = u->links;
		u->links = l->next;
		kfree(l);
	}
}

/* Directory mtimes are set at the very end: adding entries would change them again. */
static void apply_dir_times(struct unpacker *u)
{
	while (u->dirs) {
		struct dir_time *d = u->dirs;
		u->dirs = d->next;
		struct path p;
		if (!vfs_lookup(&u->ctx, NULL, d->name, 0, &p)) {
			struct fs_time t[2] = { d->mtime, d->mtime };
			vfs_utimens(u->ctx.cred, p.inode, t);
			path_put(&p);
		}
		kfree(d);
	}
}

/* The archive's name, made relative: leading "/" and "./" dropped; ".." refused. */
static int clean_name(struct unpacker *u, const char **out)
{
	const char *n = u->name;
	for (;;) {
		if (n[0] == '/')
			n++;
		else if (n[0] == '.' && n[1] == '/')
			n += 2;
		else
			break;
	}
	if (!*n || !strcmp(n, "."))
		n = ".";
	for (const char *c = n; *c;) {
		size_t len = 0;
		while (c[len] && c[len] != '/')
			len++;
		if (len == 2 && c[0] == '.' && c[1] == '.')
			return corrupt(u, "name with a \"..\" component");
		c += len;
		while (*c == '/')
			c++;
	}
	*out = n;
	return 0;
}

/* Clear the way for a new entry of type @type, as Linux's clean_path(). */
static void clean_path(struct unpacker *u, const char *name, uint32_t type)
{
	struct path p;
	if (vfs_lookup(&u->ctx, NULL, name, 0, &p))
		return;
	uint32_t old = p.inode->mode & S_IFMT;
	path_put(&p);
	if (old == type && (type == S_IFDIR || type == S_IFREG))
		return;	/* reused: a directory keeps its entries, a file is truncated */
	if (old == S_IFDIR)
		vfs_rmdir(&u->ctx, NULL, name);
	else
		vfs_unlink(&u->ctx, NULL, name);
}

static void set_attrs(struct unpacker *u, const char *name, bool times)
{
	struct path p;
	if (vfs_lookup(&u->ctx, NULL, name, 0, &p))
		return;
	vfs_chown(u->ctx.cred, p.inode, u->f[F_UID], u->f[F_GID]);
	if (!S_ISLNK(p.inode->mode))
		vfs_chmod(u->ctx.cred, p.inode, u->f[F_MODE] & 07777);
	if (times) {
		struct fs_time t[2] = { { u->f[F_MTIME], 0 }, { u->f[F_MTIME], 0 } };
		vfs_utimens(u->ctx.cred, p.inode, t);
	}
	path_put(&p);
}

static void skip_entry(struct unpacker *u, const char *name, int err)
{
	pr_warn("initramfs: skipping %s: error %d\n", name, -err);
	u->stats->skipped++;
}

/* Act on a complete header and name; sets up where the data goes. */
static int begin_entry(struct unpacker *u)
{
	uint32_t size = u->f[F_FILESIZE], mode = u->f[F_MODE], type = mode & S_IFMT;
	if (!strcmp(u->name, "TRAILER!!!")) {
		free_links(u);
		u->stats->archives++;
		if (size)
			return corrupt(u, "trailer with data");
		return 0;
	}
	const char *name;
	int err = clean_name(u, &name);
	if (err)
		return err;
	if (type != S_IFREG && type != S_IFLNK && size)
		return corrupt(u, "non-regular file with data");
	if (type == S_IFLNK && (size == 0 || size >= PATH_MAX))
		return corrupt(u, "symlink target size out of range");
	if (!u->in_gzip && size > u->src->size)
		return corrupt(u, "file size larger than the archive");
	if (!strcmp(name, ".")) {
		if (type != S_IFDIR)
			return corrupt(u, "\".\" is not a directory");
		set_attrs(u, name, false);
		return 0;
	}
	switch (type) {
	case S_IFREG: {
		struct hardlink *l = NULL;
		bool linked = false;
		if (u->f[F_NLINK] > 1)
			for (l = u->links; l; l = l->next)
				if (l->ino == u->f[F_INO] && l->major == u->f[F_DEVMAJOR] &&
				    l->minor == u->f[F_DEVMINOR])
					break;
		clean_path(u, name, type);
		if (l) {
			if ((err = vfs_link(&u->ctx, NULL, l->name, NULL, name, 0)))
				return skip_entry(u, name, err), 0;
			u->stats->links++;
			linked = true;
		} else if (u->f[F_NLINK] > 1) {
			size_t len = strlen(name);
			l = kmalloc(sizeof(*l) + len + 1);
			if (!l)
				return u->err = -ENOMEM;
			l->ino = u->f[F_INO];
			l->major = u->f[F_DEVMAJOR];
			l->minor = u->f[F_DEVMINOR];
			memcpy(l->name, name, len + 1);
			l->next = u->links;
			u->links = l;
		}
		/* A hard link's data (the last entry carries it) goes in from the start, no truncation. */
		uint32_t flags = O_WRONLY | O_CREAT | (linked ? 0 : O_TRUNC);
		err = vfs_open(&u->ctx, NULL, name, flags, 0600, &u->out);
		if (err)
			return skip_entry(u, name, err), 0;
		if (!linked)
			u->stats->files++;
		return 0;
	}
	case S_IFDIR:
		clean_path(u, name, type);
		err = vfs_mkdir(&u->ctx, NULL, name, mode & 07777);
		if (err && err != -EEXIST)
			return skip_entry(u, name, err), 0;
		set_attrs(u, name, false);
		size_t len = strlen(name);
		struct dir_time *d = kmalloc(sizeof(*d) + len + 1);
		if (!d)
			return u->err = -ENOMEM;
		d->mtime = (struct fs_time){ u->f[F_MTIME], 0 };
		memcpy(d->name, name, len + 1);
		d->next = u->dirs;
		u->dirs = d;
		u->stats->dirs++;
		return 0;
	case S_IFLNK:
		u->link = kmalloc(size + 1);
		return u->link ? 0 : (u->err = -ENOMEM);
	case S_IFCHR: case S_IFBLK: case S_IFIFO: case S_IFSOCK:
		clean_path(u, name, type);
		err = vfs_mknod(&u->ctx, NULL, name, mode,
				dev_encode(u->f[F_RDEVMAJOR], u->f[F_RDEVMINOR]));
		if (err)
			return skip_entry(u, name, err), 0;
		set_attrs(u, name, true);
		u->stats->nodes++;
		return 0;
	default:
		return corrupt(u, "unknown file type in mode");
	}
}

/* The data of the entry is all in. */
static int end_entry(struct unpacker *u)
{
	const char *name;
	if (u->crc_format && u->sum != u->f[F_CHECK])
		return corrupt(u, "checksum mismatch in crc-format entry");
	if (u->out) {
		file_put(u->out);
		u->out = NULL;
		if (!clean_name(u, &name))
			set_attrs(u, name, true);
	}
	if (u->link) {
		u->link[u->f[F_FILESIZE]] = 0;
		if (strlen(u->link) != u->f[F_FILESIZE]) {
			kfree(u->link);
			u->link = NULL;
			return corrupt(u, "NUL byte in a symlink target");
		}
		if (!clean_name(u, &name)) {
			clean_path(u, name, S_IFLNK);
			int err = vfs_symlink(&u->ctx, u->link, NULL, name);
			if (err)
				skip_entry(u, name, err);
			else {
				set_attrs(u, name, true);
				u->stats->symlinks++;
			}
		}
		kfree(u->link);
		u->link = NULL;
	}
	return 0;
}

static int parse_header(struct unpacker *u)
{
	if (memcmp(u->hdr, "070701", 6) && memcmp(u->hdr, "070702", 6))
		return corrupt(u, memcmp(u->hdr, "070707", 6) ? "bad cpio magic"
				  : "old binary/odc cpio format (only newc and crc are supported)");
	u->crc_format = u->hdr[5] == '2';
	for (int i = 0; i < F_COUNT; i++)
		if (!parse_hex(u->hdr + 6 + 8 * i, &u->f[i]))
			return corrupt(u, "non-hex digit in a cpio header");
	if (u->f[F_NAMESIZE] == 0 || u->f[F_NAMESIZE] > PATH_MAX)
		return corrupt(u, "name size out of range");
	u->left = u->f[F_NAMESIZE];
	u->pad = (4 - ((HDR_SIZE + u->left) & 3)) & 3;
	u->have = 0;
	return 0;
}

/*
 * Feed @len bytes of archive stream. Returns the bytes consumed: all of
 * them, or fewer when something that is not a cpio header starts where one
 * could (the caller decides whether that is a compressed member), or -errno.
 */
/* A step that needs no input: an empty padding whose end has not been acted on yet. */
static bool step_pending(const struct unpacker *u)
{
	return (u->state == ST_NAME_PAD || u->state == ST_DATA_PAD) && u->pad == 0;
}

static ssize_t feed(struct unpacker *u, const uint8_t *buf, size_t len)
{
	size_t i = 0;
	while ((i < len || step_pending(u)) && !u->err) {
		size_t n;
		switch (u->state) {
		case ST_START:
			if (buf[i] == 0) {	/* padding between archives */
				i++;
				u->off++;
				continue;
			}
			if (buf[i] != '0')
				return (ssize_t)i;
			u->state = ST_HEADER;
			u->have = 0;
			continue;
		case ST_HEADER:
			n = MIN(len - i, HDR_SIZE - u->have);
			memcpy(u->hdr + u->have, buf + i, n);
			u->have += n;
			if (u->have == HDR_SIZE && !parse_header(u))
				u->state = ST_NAME;
			break;
		case ST_NAME:
			n = (size_t)MIN((uint64_t)(len - i), u->left);
			memcpy(u->name + u->have, buf + i, n);
			u->have += n;
			u->left -= n;
			if (u->left == 0) {
				if (u->name[u->have - 1] != 0 || strlen(u->name) != u->have - 1)
					corrupt(u, "cpio name not NUL-terminated");
				u->state = ST_NAME_PAD;
			}
			break;
		case ST_NAME_PAD:
			n = (size_t)MIN((uint64_t)(len - i), u->pad);
			u->pad -= n;
			if (u->pad == 0) {
				u->left = u->f[F_FILESIZE];
				u->pad = (4 - (u->left & 3)) & 3;
				u->sum = 0;
				u->have = 0;
				bool trailer = !strcmp(u->name, "TRAILER!!!");
				if (begin_entry(u))
					break;
				u->state = u->left ? ST_DATA : trailer ? ST_START : ST_DATA_PAD;
				if (u->state == ST_DATA_PAD && !u->pad && !end_entry(u))
					u->state = ST_START;
			}
			break;
		case ST_DATA:
			n = (size_t)MIN((uint64_t)(len - i), u->left);
			if (u->crc_format)
				for (size_t k = 0; k < n; k++)
					u->sum += buf[i + k];
			if (u->out) {
				ssize_t w = vfs_write(u->out, buf + i, n);
				if (w != (ssize_t)n) {
					pr_err("initramfs: writing %s failed (%lld); unpacking stopped\n",
					       u->name, (long long)(w < 0 ? w : -ENOSPC));
					u->err = w < 0 ? (int)w : -ENOSPC;
					break;
				}
				u->stats->bytes += n;
			} else if (u->link) {
				memcpy(u->link + u->have, buf + i, n);
				u->have += n;
			}
			u->left -= n;
			if (u->left == 0)
				u->state = ST_DATA_PAD;
			if (u->left == 0 && u->pad == 0 && !end_entry(u))
				u->state = ST_START;
			break;
		case ST_DATA_PAD:
			n = (size_t)MIN((uint64_t)(len - i), u->pad);
			u->pad -= n;
			if (u->pad == 0 && !end_entry(u))
				u->state = ST_START;
			break;
		default:
			return corrupt(u, "internal state");
		}
		i += n;
		u->off += n;
	}
	return u->err ? u->err : (ssize_t)i;
}

/* gzip member plumbing: input from the source after @base, output into the parser. */
struct gz_ctx {
	struct unpacker *u;
	uint64_t pos;
};

static ssize_t gz_read(void *ctx, void *buf, size_t len)
{
	struct gz_ctx *g = ctx;
	const struct byte_source *src = g->u->src;
	if (g->pos >= src->size)
		return 0;
	ssize_t n = src->read(src->ctx, g->pos, buf, (size_t)MIN((uint64_t)len, src->size - g->pos));
	if (n > 0)
		g->pos += (uint64_t)n;
	return n;
}

static int gz_write(void *ctx, const void *buf, size_t len)
{
	struct gz_ctx *g = ctx;
	ssize_t n = feed(g->u, buf, len);
	if (n < 0)
		return (int)n;
	if ((size_t)n != len)
		return corrupt(g->u, "data after the last cpio entry");
	return 0;
}

static void cleanup(struct unpacker *u)
{
	if (u->out)
		file_put(u->out);
	kfree(u->link);
	free_links(u);
	apply_dir_times(u);
	kfree(u->name);
	path_put(&u->ctx.cwd);
	path_put(&u->ctx.root);
}

int initramfs_unpack(const struct byte_source *src, const struct path *root,
		     struct initramfs_stats *stats)
{
	static const struct cred root_cred = { 0 };
	struct initramfs_stats dummy;
	struct unpacker *u = kzalloc(sizeof(*u));
	uint8_t *buf = kmalloc(CHUNK);
	char *name = kzalloc(PATH_MAX + 1);
	if (!u || !buf || !name) {
		kfree(u);
		kfree(buf);
		kfree(name);
		return -ENOMEM;
	}
	u->src = src;
	u->stats = stats ? stats : &dummy;
	memset(u->stats, 0, sizeof(*u->stats));
	u->name = name;
	u->ctx.cred = &root_cred;
	u->ctx.root = *root;
	u->ctx.cwd = *root;
	path_get(root);
	path_get(root);
	uint64_t off = 0;
	while (off < src->size && !u->err) {
		ssize_t n = src->read(src->ctx, off, buf, (size_t)MIN((uint64_t)CHUNK, src->size - off));
		if (n <= 0) {
			u->err = n < 0 ? (int)n : -EIO;
			pr_err("initramfs: read error at offset %llu\n", (unsigned long long)off);
			break;
		}
		u->in_gzip = false;
		u->off = off;
		ssize_t used = feed(u, buf, (size_t)n);
		if (used < 0)
			break;
		off += (uint64_t)used;
		if (used == n)
			continue;
		if (n - used < 2 || buf[used] != 0x1f || buf[used + 1] != 0x8b) {
			/* Re-read so a magic split across chunks is still seen. */
			uint8_t m[2];
			if (src->read(src->ctx, off, m, 2) != 2 || m[0] != 0x1f || m[1] != 0x8b) {
				u->off = off;
				corrupt(u, "neither a cpio archive nor gzip data");
				break;
			}
		}
		struct gz_ctx g = { u, off };
		struct inflate_io io = { gz_read, gz_write, &g, 0, 0, 0, NULL };
		u->in_gzip = true;
		u->off = 0;
		int err = gunzip(&io);
		if (err && !u->err) {
			pr_err("initramfs: gzip data at offset %llu: %s; unpacking stopped\n",
			       (unsigned long long)off, io.error ? io.error : "error");
			u->err = err;
		}
		if (!u->err && u->state != ST_START) {
			u->off = io.out_total;
			corrupt(u, "compressed archive ends inside an entry");
		}
		off += io.in_used;
	}
	if (!u->err && u->state != ST_START) {
		pr_err("initramfs: archive truncated inside an entry (offset %llu)\n",
		       (unsigned long long)u->off);
		u->err = -EIO;
	}
	int err = u->err;
	cleanup(u);
	kfree(buf);
	kfree(u);
	return err;
}

static ssize_t boot_read(void *ctx, uint64_t off, void *buf, size_t len)
{
	(void)ctx;
	return boot_initrd_read((size_t)off, buf, len);
}

int initramfs_unpack_boot(const struct path *root, struct initramfs_stats *stats)
{
	struct byte_source src = { boot_read, NULL, boot_initrd_size() };
	return initramfs_unpack(&src, root, stats);
}
