/*
 * Bios and the per-disk request queue: bounds and read-only checks,
 * back-merging of a bio into the queued request it continues, plugging,
 * dispatch to the driver, and completion (which may run in interrupt
 * context and moves the queue on).
 */
#include <frame/errno.h>
#include <frame/heap.h>
#include <frame/log.h>
#include <frame/page.h>
#include <frame/wait.h>
#include <kernel/block.h>
#include <kernel/completion.h>

#define BIO_MAX_VECS 256

struct bio *bio_alloc(unsigned max_vec)
{
	if (max_vec == 0 || max_vec > BIO_MAX_VECS)
		return NULL;
	struct bio *bio = kzalloc(sizeof(*bio) + max_vec * sizeof(struct bio_vec));
	if (bio)
		bio->max_vec = max_vec;
	return bio;
}

void bio_free(struct bio *bio)
{
	kfree(bio);
}

int bio_add_page(struct bio *bio, struct page *page, uint32_t off, uint32_t len)
{
	if (!page || len == 0 || len % SECTOR_SIZE || off % SECTOR_SIZE || off > PAGE_SIZE ||
	    len > PAGE_SIZE - off)
		return -EINVAL;
	/* The same page continuing the last segment extends it. */
	if (bio->nvec) {
		struct bio_vec *last = &bio->vec[bio->nvec - 1];
		if (last->page == page && last->off + last->len == off) {
			last->len += len;
			return 0;
		}
	}
	if (bio->nvec == bio->max_vec)
		return -ENOSPC;
	bio->vec[bio->nvec++] = (struct bio_vec){ page, off, len };
	return 0;
}

uint64_t bio_bytes(const struct bio *bio)
{
	uint64_t n = 0;
	for (unsigned i = 0; i < bio->nvec; i++)
		n += bio->vec[i].len;
	return n;
}

static void bio_end(struct bio *bio, int status)
{
	bio->status = status;
	if (bio->end_io)
		bio->end_io(bio);
}

/* Hand queued requests to the driver while it takes them (disk lock held). */
static void dispatch_locked(struct gendisk *disk, struct blk_request **failed)
{
	bool started = false;
	while (disk->head && !disk->plugged) {
		struct blk_request *rq = disk->head;
		int err = disk->ops->queue_rq(disk, rq);
		if (err == -EBUSY)
			break;
		disk->head = rq->next;
		if (!disk->head)
			disk->tail = NULL;
		rq->next = NULL;
		if (err) {
			rq->next = *failed;
			*failed = rq;
			continue;
		}
		disk->in_flight++;
		if (disk->in_flight > disk->stat_max_in_flight)
			disk->stat_max_in_flight = disk->in_flight;
		started = true;
	}
	if (started && disk->ops->commit)
		disk->ops->commit(disk);
}

static void end_request(struct blk_request *rq, int status)
{
	for (struct bio *b = rq->bios, *next; b; b = next) {
		next = b->next;
		bio_end(b, status);
	}
	kfree(rq);
}

static void run_queue(struct gendisk *disk)
{
	struct blk_request *failed = NULL;
	unsigned long fl = spin_lock_irqsave(&disk->lock);
	dispatch_locked(disk, &failed);
	for (struct blk_request *r = failed; r; r = r->next)
		disk->stat_errors++;
	spin_unlock_irqrestore(&disk->lock, fl);
	while (failed) {
		struct blk_request *next = failed->next;
		end_request(failed, -EIO);
		failed = next;
	}
}

void blk_complete(struct gendisk *disk, struct blk_request *rq, int status)
{
	unsigned long fl = spin_lock_irqsave(&disk->lock);
	disk->in_flight--;
	if (status)
		disk->stat_errors++;
	spin_unlock_irqrestore(&disk->lock, fl);
	end_request(rq, status);
	run_queue(disk);
}

/* Can @bio continue @rq (back merge)? */
static bool can_merge(const struct gendisk *disk, const struct blk_request *rq,
		      const struct bio *bio, uint64_t bytes)
{
	return rq->op == bio->op && bio->op != BIO_FLUSH &&
	       rq->sector + rq->bytes / SECTOR_SIZE == bio->disk_sector &&
	       rq->nvec + bio->nvec <= disk->max_segments && rq->bytes + bytes <= disk->max_bytes;
}

void bio_submit(struct block_device *bdev, struct bio *bio)
{
	struct gendisk *disk = bdev->disk;
	uint64_t bytes = bio_bytes(bio);
	uint64_t sectors = bytes / SECTOR_SIZE;
	bio->bdev = bdev;
	bio->next = NULL;
	if (disk->dead) {
		bio_end(bio, -EIO);
		return;
	}
	if (bio->op == BIO_WRITE && disk->read_only) {
		bio_end(bio, -EROFS);
		return;
	}
	if (bio->op != BIO_FLUSH &&
	    (bytes == 0 || bio->sector > bdev->nr_sectors || sectors > bdev->nr_sectors - bio->sector)) {
		bio_end(bio, -EIO);
		return;
	}
	if (bio->op == BIO_FLUSH && !disk->has_flush) {
		bio_end(bio, 0);
		return;
	}
	bio->disk_sector = bdev->start_sector + bio->sector;
	struct blk_request *rq = kzalloc(sizeof(*rq));
	unsigned long fl = spin_lock_irqsave(&disk->lock);
	if (bio->op == BIO_READ)
		disk->stat_reads++;
	else if (bio->op == BIO_WRITE)
		disk->stat_writes++;
	else
		disk->stat_flushes++;
	struct blk_request *tail = disk->tail;
	if (tail && can_merge(disk, tail, bio, bytes)) {
		tail->tail->next = bio;
		tail->tail = bio;
		tail->bytes += bytes;
		tail->nvec += bio->nvec;
		disk->stat_merges++;
		spin_unlock_irqrestore(&disk->lock, fl);
		kfree(rq);
		run_queue(disk);
		return;
	}
	if (!rq) {
		spin_unlock_irqrestore(&disk->lock, fl);
		bio_end(bio, -ENOMEM);
		return;
	}
	rq->op = bio->op;
	rq->sector = bio->disk_sector;
	rq->bytes = bytes;
	rq->nvec = bio->nvec;
	rq->bios = rq->tail = bio;
	if (disk->tail)
		disk->tail->next = rq;
	else
		disk->head = rq;
	disk->tail = rq;
	spin_unlock_irqrestore(&disk->lock, fl);
	run_queue(disk);
}

struct bio_waiter {
	struct completion done;
};

static void wake_waiter(struct bio *bio)
{
	struct bio_waiter *w = bio->private;
	completion_signal(&w->done);
}

int bio_submit_wait(struct block_device *bdev, struct bio *bio)
{
	struct bio_waiter w;
	completion_init(&w.done);
	bio->end_io = wake_waiter;
	bio->private = &w;
	bio_submit(bdev, bio);
	completion_wait(&w.done);
	return bio->status;
}

void blk_plug(struct block_device *bdev)
{
	struct gendisk *disk = bdev->disk;
	unsigned long fl = spin_lock_irqsave(&disk->lock);
	disk->plugged++;
	spin_unlock_irqrestore(&disk->lock, fl);
}

void blk_unplug(struct block_device *bdev)
{
	struct gendisk *disk = bdev->disk;
	unsigned long fl = spin_lock_irqsave(&disk->lock);
	if (disk->plugged)
		disk->plugged--;
	spin_unlock_irqrestore(&disk->lock, fl);
	run_queue(disk);
}
