/*
 * virtio-blk (virtio spec 5.2) on the virtio transport: one request queue,
 * many requests in flight (a header and status slot per request in one
 * coherent buffer, data straight from the bios' pages), capacity, the
 * read-only flag, the block size and cache flushes; device errors end the
 * request with -EIO.
 */
#include <frame/dma.h>
#include <frame/errno.h>
#include <frame/heap.h>
#include <frame/log.h>
#include <frame/page.h>
#include <frame/string.h>
#include <kernel/block.h>
#include <kernel/virtio.h>

/* Feature bits. */
#define VIRTIO_BLK_F_SIZE_MAX 1
#define VIRTIO_BLK_F_SEG_MAX 2
#define VIRTIO_BLK_F_RO 5
#define VIRTIO_BLK_F_BLK_SIZE 6
#define VIRTIO_BLK_F_FLUSH 9

/* Configuration layout. */
#define CFG_CAPACITY 0
#define CFG_SIZE_MAX 8
#define CFG_SEG_MAX 12
#define CFG_BLK_SIZE 20

/* Request types and status. */
#define VIRTIO_BLK_T_IN 0
#define VIRTIO_BLK_T_OUT 1
#define VIRTIO_BLK_T_FLUSH 4
#define VIRTIO_BLK_S_OK 0
#define VIRTIO_BLK_S_IOERR 1
#define VIRTIO_BLK_S_UNSUPP 2

/* One slot per request in flight: a 16-byte header, then the status byte. */
#define SLOT_SIZE 32
#define MAX_SEGMENTS 126

struct vblk_slot {
	struct blk_request *rq;
	unsigned next_free;
};

struct vblk {
	struct virtio_device *vd;
	struct virtq *q;
	struct gendisk disk;
	struct dma_coherent *slots_mem;
	struct vblk_slot *slots;
	unsigned nslots, free_slot;	/* free list through next_free; nslots = end */
	struct virtq_buf *bufs;		/* scratch for one chain (queue lock held) */
	uint64_t completed;
};

static enum dma_direction data_dir(enum bio_op op)
{
	return op == BIO_READ ? DMA_FROM_DEVICE : DMA_TO_DEVICE;
}

static void unmap_request(struct blk_request *rq)
{
	for (struct bio *b = rq->bios; b; b = b->next)
		for (unsigned i = 0; i < b->nvec; i++)
			dma_page_unmap(b->vec[i].page, b->vec[i].off, b->vec[i].len, data_dir(rq->op));
}

static int vblk_queue_rq(struct gendisk *disk, struct blk_request *rq)
{
	struct vblk *v = disk->driver_data;
	if (v->free_slot == v->nslots)
		return -EBUSY;
	unsigned nbufs = 2 + (rq->op == BIO_FLUSH ? 0 : rq->nvec);
	if (nbufs > virtq_free(v->q))
		return -EBUSY;
	if (nbufs > MAX_SEGMENTS + 2)
		return -EIO;
	unsigned slot = v->free_slot;
	size_t base = (size_t)slot * SLOT_SIZE;
	uint32_t type = rq->op == BIO_READ ? VIRTIO_BLK_T_IN :
			rq->op == BIO_WRITE ? VIRTIO_BLK_T_OUT : VIRTIO_BLK_T_FLUSH;
	(void)dma_coherent_write32(v->slots_mem, base, type);
	(void)dma_coherent_write32(v->slots_mem, base + 4, 0);
	(void)dma_coherent_write64(v->slots_mem, base + 8, rq->op == BIO_FLUSH ? 0 : rq->sector);
	/* The device writes the status: start from a value it never writes. */
	uint8_t unset = 0xff;
	(void)dma_coherent_write(v->slots_mem, base + 16, &unset, 1);
	paddr_t slot_pa = dma_coherent_paddr(v->slots_mem) + base;
	unsigned n = 0;
	v->bufs[n++] = (struct virtq_buf){ slot_pa, 16, false };
	if (rq->op != BIO_FLUSH) {
		for (struct bio *b = rq->bios; b; b = b->next)
			for (unsigned i = 0; i < b->nvec; i++) {
				paddr_t pa;
				if (dma_page_map(b->vec[i].page, b->vec[i].off, b->vec[i].len,
						 data_dir(rq->op), &pa)) {
					unmap_request(rq);
					return -EIO;
				}
				/* Pages contiguous on both sides (a large block) share a descriptor. */
				struct virtq_buf *last = &v->bufs[n - 1];
				if (n > 1 && last->addr + last->len == pa)
					last->len += b->vec[i].len;
				else
					v->bufs[n++] = (struct virtq_buf){ pa, b->vec[i].len,
									   rq->op == BIO_READ };
			}
	}
	v->bufs[n++] = (struct virtq_buf){ slot_pa + 16, 1, true };
	int err = virtq_add(v->q, v->bufs, n, &v->slots[slot]);
	if (err) {
		unmap_request(rq);
		return err == -ENOSPC ? -EBUSY : -EIO;
	}
	v->free_slot = v->slots[slot].next_free;
	v->slots[slot].rq = rq;
	return 0;
}

static void vblk_commit(struct gendisk *disk)
{
	struct vblk *v = disk->driver_data;
	virtq_kick(v->q);
}

static const struct disk_ops vblk_ops = {
	.queue_rq = vblk_queue_rq,
	.commit = vblk_commit,
};

/* Interrupt: take every finished request off the used ring, then complete them unlocked. */
static void vblk_done(struct virtq *q, void *arg)
{
	struct vblk *v = arg;
	struct blk_request *done = NULL;
	unsigned long fl = spin_lock_irqsave(&v->disk.lock);
	for (;;) {
		struct vblk_slot *s;
		while ((s = virtq_get_used(q, NULL))) {
			unsigned slot = (unsigned)(s - v->slots);
			struct blk_request *rq = s->rq;
			uint8_t status = VIRTIO_BLK_S_IOERR;
			(void)dma_coherent_read(v->slots_mem, (size_t)slot * SLOT_SIZE + 16, &status, 1);
			rq->driver_data = status == VIRTIO_BLK_S_OK ? NULL : rq;
			if (status == VIRTIO_BLK_S_UNSUPP)
				rq->driver_data = &v->completed;	/* marks "unsupported" */
			s->rq = NULL;
			s->next_free = v->free_slot;
			v->free_slot = slot;
			rq->next = done;
			done = rq;
			v->completed++;
		}
		if (virtq_enable_cb(q))
			break;
	}
	spin_unlock_irqrestore(&v->disk.lock, fl);
	while (done) {
		struct blk_request *next = done->next;
		int err = done->driver_data == NULL ? 0 :
			  done->driver_data == &v->completed ? -EOPNOTSUPP : -EIO;
		if (err)
			pr_warn("%s: %s of %llu bytes at sector %llu failed (%s)\n", v->disk.name,
				done->op == BIO_READ ? "read" : done->op == BIO_WRITE ? "write" : "flush",
				(unsigned long long)done->bytes, (unsigned long long)done->sector,
				err == -EIO ? "I/O error" : "unsupported");
		unmap_request(done);
		blk_complete(&v->disk, done, err);
		done = next;
	}
}

static int vblk_probe(struct virtio_device *vd)
{
	struct vblk *v = kzalloc(sizeof(*v));
	if (!v)
		return -ENOMEM;
	v->vd = vd;
	uint64_t capacity = 0;
	int err = virtio_config_read64(vd, CFG_CAPACITY, &capacity);
	if (err)
		goto fail;
	virtq_callback cb = vblk_done;
	void *arg = v;
	err = virtio_setup_queues(vd, 1, &cb, &arg, &v->q);
	if (err)
		goto fail;
	v->nslots = virtq_size(v->q) / 3;
	if (v->nslots > 128)
		v->nslots = 128;
	err = dma_coherent_alloc((size_t)v->nslots * SLOT_SIZE, &v->slots_mem);
	if (err)
		goto fail;
	v->slots = kcalloc(v->nslots, sizeof(*v->slots));
	v->bufs = kcalloc(MAX_SEGMENTS + 2, sizeof(*v->bufs));
	if (!v->slots || !v->bufs) {
		err = -ENOMEM;
		goto fail;
	}
	for (unsigned i = 0; i < v->nslots; i++)
		v->slots[i].next_free = i + 1;
	struct gendisk *d = &v->disk;
	err = disk_alloc_name(d->name, sizeof(d->name), &d->first_minor);
	if (err)
		goto fail;
	d->major = VIRTBLK_MAJOR;
	d->sectors = capacity;
	d->read_only = virtio_has_feature(vd, VIRTIO_BLK_F_RO);
	d->has_flush = virtio_has_feature(vd, VIRTIO_BLK_F_FLUSH);
	d->logical_block_size = SECTOR_SIZE;
	if (virtio_has_feature(vd, VIRTIO_BLK_F_BLK_SIZE)) {
		uint32_t bs = 0;
		if (!virtio_config_read32(vd, CFG_BLK_SIZE, &bs) && bs >= SECTOR_SIZE &&
		    bs <= PAGE_SIZE && !(bs & (bs - 1)))
			d->logical_block_size = bs;
	}
	d->max_segments = MIN((unsigned)MAX_SEGMENTS, virtq_size(v->q) - 2);
	if (virtio_has_feature(vd, VIRTIO_BLK_F_SEG_MAX)) {
		uint32_t seg = 0;
		if (!virtio_config_read32(vd, CFG_SEG_MAX, &seg) && seg >= 1 && seg < d->max_segments)
			d->max_segments = seg;
	}
	d->max_bytes = (uint64_t)d->max_segments * PAGE_SIZE;
	if (virtio_has_feature(vd, VIRTIO_BLK_F_SIZE_MAX)) {
		uint32_t sm = 0;
		/* Each segment is at most a page, or size_max if smaller. */
		if (!virtio_config_read32(vd, CFG_SIZE_MAX, &sm) && sm >= SECTOR_SIZE && sm < PAGE_SIZE)
			d->max_bytes = (uint64_t)d->max_segments * (sm & ~(SECTOR_SIZE - 1u));
	}
	d->ops = &vblk_ops;
	d->driver_data = v;
	virtio_set_drvdata(vd, v);
	virtio_device_ready(vd);
	err = disk_register(d);
	if (err)
		goto fail;
	return 0;
fail:
	dma_coherent_free(v->slots_mem);
	kfree(v->slots);
	kfree(v->bufs);
	kfree(v);
	return err;
}

static const struct virtio_driver vblk_driver = {
	.name = "virtio-blk",
	.device_type = VIRTIO_ID_BLOCK,
	.features = 1ull << VIRTIO_BLK_F_SIZE_MAX | 1ull << VIRTIO_BLK_F_SEG_MAX |
		    1ull << VIRTIO_BLK_F_RO | 1ull << VIRTIO_BLK_F_BLK_SIZE |
		    1ull << VIRTIO_BLK_F_FLUSH,
	.probe = vblk_probe,
};

int virtio_blk_register(void)
{
	return virtio_register_driver(&vblk_driver);
}
