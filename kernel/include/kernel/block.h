/*
 * The block layer: disks and their partitions as block devices, I/O as bios
 * (page segments at a sector) queued per disk, merged when adjacent, and
 * handed to the disk's driver as requests; device nodes /dev/vda... (major
 * 254, 16 minors per disk as Linux's virtio_blk) and their file operations
 * through the block device's page cache.
 *
 * Submitting:
 *   struct bio *bio = bio_alloc(4);
 *   bio_add_page(bio, page, 0, PAGE_SIZE);
 *   bio->op = BIO_READ;
 *   bio->sector = 8;
 *   int err = bio_submit_wait(bdev, bio);     (or bio_submit() with bio->end_io)
 *   bio_free(bio);
 *
 * A driver registers a gendisk with its ops; the layer calls queue_rq with
 * the disk's queue lock held (interrupts off), and the driver calls
 * blk_complete() from its interrupt handler when the device is done.
 */
#ifndef KERNEL_BLOCK_H
#define KERNEL_BLOCK_H

#include <frame/spinlock.h>
#include <frame/types.h>

struct page;
struct page_cache;
struct file;

#define SECTOR_SHIFT 9
#define SECTOR_SIZE 512
/* Linux's virtio_blk: dynamic major 254 on a typical system, 16 minors (15 partitions) per disk. */
#define VIRTBLK_MAJOR 254
#define DISK_MINORS 16
#define DISK_MAX_PARTS (DISK_MINORS - 1)

enum bio_op {
	BIO_READ = 0,
	BIO_WRITE = 1,
	BIO_FLUSH = 2,	/* write the device's volatile cache to stable storage */
};

struct bio_vec {
	struct page *page;	/* referenced by the submitter until end_io */
	uint32_t off, len;	/* len a multiple of 512 */
};

struct block_device;

struct bio {
	enum bio_op op;
	uint64_t sector;	/* in the block device (partition) it is submitted to */
	int status;		/* 0 or -EIO etc., set before end_io */
	/* Called once when done, possibly in interrupt context: no sleeping, no locks that sleep. */
	void (*end_io)(struct bio *bio);
	void *private;
	/* Private to the block layer. */
	struct block_device *bdev;
	struct bio *next;
	uint64_t disk_sector;
	unsigned nvec, max_vec;
	struct bio_vec vec[];
};

/* A bio with room for @max_vec segments (at most 256), or NULL. Zeroed. */
struct bio *bio_alloc(unsigned max_vec);
void bio_free(struct bio *bio);
/* Append a segment: 0, -ENOSPC (full), -EINVAL (length not a sector multiple, beyond the page). */
int bio_add_page(struct bio *bio, struct page *page, uint32_t off, uint32_t len);
uint64_t bio_bytes(const struct bio *bio);

/*
 * Queue @bio on @bdev. Errors the layer finds itself (beyond the device's
 * end, a write to a read-only disk, a disk gone) complete it at once with
 * -EIO (-EROFS for the write): end_io is always called exactly once.
 */
void bio_submit(struct block_device *bdev, struct bio *bio);
/* bio_submit() and sleep until done; the bio's status. */
int bio_submit_wait(struct block_device *bdev, struct bio *bio);

/*
 * Plugging: while a disk is plugged, submitted bios only queue (and merge);
 * unplugging hands them to the driver. Nestable. For a batch of writes.
 */
void blk_plug(struct block_device *bdev);
void blk_unplug(struct block_device *bdev);

/* One or more adjacent bios of one operation, as the driver sees them. */
struct blk_request {
	enum bio_op op;
	uint64_t sector;	/* on the disk */
	uint64_t bytes;
	unsigned nvec;		/* segments in all its bios */
	struct bio *bios, *tail;
	struct blk_request *next;
	void *driver_data;	/* the driver's, while it owns the request */
};

struct gendisk;

struct disk_ops {
	/*
	 * Start @rq (queue lock held, interrupts off): 0, or -EBUSY when the
	 * device has no room now (the request is offered again after a
	 * completion). Any other error completes it with that error.
	 */
	int (*queue_rq)(struct gendisk *disk, struct blk_request *rq);
	/* Optional: after a batch of queue_rq calls (notify the device once). */
	void (*commit)(struct gendisk *disk);
};

struct gendisk {
	char name[16];		/* "vda" */
	uint32_t major, first_minor;
	uint64_t sectors;	/* 512-byte sectors */
	uint32_t logical_block_size;
	bool read_only;
	bool has_flush;		/* a volatile write cache that BIO_FLUSH empties */
	unsigned max_segments;	/* per request */
	uint64_t max_bytes;	/* per request */
	const struct disk_ops *ops;
	void *driver_data;
	/* Private to the block layer. */
	spinlock_t lock;
	struct blk_request *head, *tail;
	unsigned plugged;
	unsigned in_flight;
	bool dead;
	uint64_t stat_reads, stat_writes, stat_flushes, stat_merges, stat_errors;
	unsigned stat_max_in_flight;	/* most requests the device held at once */
	struct block_device *parts[DISK_MINORS];	/* [0] is the whole disk */
};

/*
 * Register @disk (filled by the driver, name and numbers included) and
 * scan its partition table: creates the block devices and queues their
 * device nodes for devtmpfs. 0 or a negative errno.
 */
int disk_register(struct gendisk *disk);
/* The next free disk name and minor: "vda" 0, "vdb" 16, ... -ENOSPC after 16 disks. */
int disk_alloc_name(char *name, size_t size, uint32_t *first_minor);

/*
 * The driver's completion of @rq (any context): every bio ends with
 * @status (0 or -EIO/-EOPNOTSUPP), the request is freed, and the queue
 * moves on.
 */
void blk_complete(struct gendisk *disk, struct blk_request *rq, int status);

/* A disk or partition. */
struct block_device {
	struct gendisk *disk;
	uint32_t minor;
	unsigned partno;	/* 0: the whole disk */
	char name[16];		/* "vda", "vda1" */
	uint64_t start_sector, nr_sectors;
	struct page_cache *cache;	/* the device's own page cache ("Buffers") */
	uint32_t openers;		/* atomic */
	bool mounted;			/* a file system holds it (exclusive) */
};

/*
 * The device number of the block device a root= value names: "/dev/vda1"
 * or "vda1" by name, "254:1" by numbers. 0 or -ENXIO.
 */
int bdev_parse_name(const char *spec, uint64_t *rdev);
/* The block device with device number @rdev (dev_encode()d), or NULL. */
struct block_device *bdev_lookup(uint64_t rdev);
/* The block device a path names (an S_IFBLK node), or -ENOTBLK / -ENXIO. */
int bdev_from_rdev(uint64_t rdev, struct block_device **out);
uint64_t bdev_dev(const struct block_device *bdev);
uint64_t bdev_size(const struct block_device *bdev);	/* bytes */
bool bdev_read_only(const struct block_device *bdev);

/* Write the device's dirty cache pages back and flush the disk's cache: 0 or -EIO. */
int bdev_sync(struct block_device *bdev);
/* BLKFLSBUF: write back, then drop every clean cached page. */
int bdev_flush_buffers(struct block_device *bdev);
/* Drop cached pages (after a write behind the cache's back, at unmount): never the dirty ones. */
void bdev_invalidate(struct block_device *bdev);
/* A BIO_FLUSH to the disk (no-op without a volatile cache): 0 or -EIO. */
int bdev_flush_disk(struct block_device *bdev);

/*
 * Metadata buffers of a file system on @bdev: block @block of @size bytes
 * (512-4096, a power of two) in the device's page cache.
 */
struct buf {
	struct block_device *bdev;
	struct page *page;	/* referenced */
	uint32_t off, size;
	uint64_t block;
};
/* Read it (from the cache, or the disk): 0, -EIO, -ENOMEM, -EINVAL (past the end). */
int bread(struct block_device *bdev, uint64_t block, uint32_t size, struct buf *out);
/* The block without reading it (to be overwritten whole: zeroed if not cached). */
int bget_new(struct block_device *bdev, uint64_t block, uint32_t size, struct buf *out);
void brelse(struct buf *b);
/* Copy out of / into the buffer ([@off, @off + @len) inside it); writes mark it dirty. */
int buf_read(const struct buf *b, uint32_t off, void *dst, uint32_t len);
int buf_write(struct buf *b, uint32_t off, const void *src, uint32_t len);
int buf_zero(struct buf *b, uint32_t off, uint32_t len);
/* A block becomes file data: forget any dirty metadata copy of it in the device's cache. */
void bdev_forget_block(struct block_device *bdev, uint64_t block, uint32_t size);

/* Read/write whole sectors of @bdev straight (bypassing the cache), into/out of a kernel buffer. */
int bdev_rw_direct(struct block_device *bdev, enum bio_op op, uint64_t sector, void *buf,
		   size_t len);

/* The file operations of a block device node (/dev/vda): used by the special-open dispatcher. */
int blkdev_open(struct file *f);

/* Call @fn for every block device (for /proc/partitions); stops when it returns false. */
void bdev_for_each(bool (*fn)(struct block_device *bdev, void *arg), void *arg);

/* virtio-blk (kernel/drivers/virtio_blk.c): register the driver with the virtio transport. */
int virtio_blk_register(void);

#endif
