/*
 * virtio 1.x over PCI (the modern transport), shared by every virtio driver
 * (virtio-blk now, virtio-net next): device discovery and feature
 * negotiation, device-specific configuration, split virtqueues with event
 * index, notifications and interrupts (MSI-X, one vector per queue, or a
 * shared INTx line). Legacy (0.9) devices, which lack the modern PCI
 * capabilities or VIRTIO_F_VERSION_1, are refused with a message.
 *
 * A driver registers a struct virtio_driver; virtio_pci_probe_all() (at
 * boot) offers it every PCI function of its device type. In probe it reads
 * its configuration, sets up its queues and calls virtio_device_ready():
 *
 *   static int blk_probe(struct virtio_device *vd)
 *   {
 *           uint64_t cap;
 *           int err = virtio_config_read64(vd, 0, &cap);
 *           struct virtq *q;
 *           virtq_callback cb = blk_done;
 *           void *arg = state;
 *           err = err ?: virtio_setup_queues(vd, 1, &cb, &arg, &q);
 *           ...
 *           virtio_device_ready(vd);
 *   }
 *
 * Buffers are device addresses (frame/dma.h) given as virtq_buf chains;
 * the driver serialises calls on one queue with its own lock. Completions
 * arrive through the queue's callback in interrupt context.
 */
#ifndef KERNEL_VIRTIO_H
#define KERNEL_VIRTIO_H

#include <frame/types.h>

/* Device types (virtio 1.x, section 5). */
#define VIRTIO_ID_NET 1
#define VIRTIO_ID_BLOCK 2

/* Transport feature bits the transport itself negotiates. */
#define VIRTIO_F_INDIRECT_DESC 28
#define VIRTIO_F_EVENT_IDX 29
#define VIRTIO_F_VERSION_1 32
#define VIRTIO_F_ACCESS_PLATFORM 33
#define VIRTIO_F_RING_PACKED 34

struct virtio_device;
struct virtq;

/* Called in interrupt context when @q may have used buffers. */
typedef void (*virtq_callback)(struct virtq *q, void *arg);

struct virtio_driver {
	const char *name;
	uint16_t device_type;		/* VIRTIO_ID_* */
	/* Device-specific feature bits (below 24 and 50-63) the driver understands. */
	uint64_t features;
	/*
	 * Take the device: features are negotiated (virtio_has_feature()).
	 * Return 0 after virtio_device_ready(), or an error (the transport
	 * then resets the device and gives it back).
	 */
	int (*probe)(struct virtio_device *vd);
};

/* Register @drv (static, never unregistered); up to 4 drivers. 0 or -ENOSPC. */
int virtio_register_driver(const struct virtio_driver *drv);

/*
 * Offer every virtio PCI function to the registered drivers; the number of
 * devices a driver took. Called once at boot after drivers registered.
 */
unsigned virtio_pci_probe_all(void);

/* Negotiated features. */
bool virtio_has_feature(const struct virtio_device *vd, unsigned bit);
uint64_t virtio_features(const struct virtio_device *vd);
/* "00:03.0"-style location, for messages. */
const char *virtio_location(const struct virtio_device *vd);

/*
 * Device-specific configuration (little-endian fields as the spec lays them
 * out): one access of the width at @off. The 64-bit read repeats until the
 * configuration generation is stable (no torn read while the device
 * changes it). 0 or -EINVAL outside the device's configuration.
 */
int virtio_config_read8(struct virtio_device *vd, size_t off, uint8_t *val);
int virtio_config_read16(struct virtio_device *vd, size_t off, uint16_t *val);
int virtio_config_read32(struct virtio_device *vd, size_t off, uint32_t *val);
int virtio_config_read64(struct virtio_device *vd, size_t off, uint64_t *val);
int virtio_config_write8(struct virtio_device *vd, size_t off, uint8_t val);
int virtio_config_write32(struct virtio_device *vd, size_t off, uint32_t val);

/*
 * Set up queues 0 .. @n - 1 (at most 8), each as large as the device allows
 * (at most 1024 entries), with @cbs[i](@q, @args[i]) called on its
 * interrupts, and interrupts for them. Returns 0 and the queues in @out, or
 * -ENOENT (the device has fewer queues), -ENOMEM, -ENODEV (no interrupt).
 */
int virtio_setup_queues(struct virtio_device *vd, unsigned n, const virtq_callback *cbs,
			void *const *args, struct virtq **out);

/* Tell the device the driver is ready (DRIVER_OK): queues become live. */
void virtio_device_ready(struct virtio_device *vd);

/* Private data of the driver that took the device. */
void virtio_set_drvdata(struct virtio_device *vd, void *data);
void *virtio_drvdata(const struct virtio_device *vd);

/* One element of a descriptor chain. */
struct virtq_buf {
	paddr_t addr;		/* device address (frame/dma.h) */
	uint32_t len;
	bool device_writes;	/* the device fills it (otherwise it reads it) */
};

/* Entries of the queue, and how many are free now. */
unsigned virtq_size(const struct virtq *q);
unsigned virtq_free(const struct virtq *q);

/*
 * Put a chain of @n buffers (device-readable ones first, as the spec
 * requires) on the available ring, identified by @token (not NULL), which
 * virtq_get_used() returns. Returns 0, -ENOSPC (fewer than @n free
 * entries), -EINVAL (@n 0, NULL @token, a readable buffer after a writable
 * one). The device sees it after virtq_kick().
 */
int virtq_add(struct virtq *q, const struct virtq_buf *bufs, unsigned n, void *token);

/* Publish what was added and notify the device if it asked to be (event index). */
void virtq_kick(struct virtq *q);

/*
 * The next chain the device finished: its token, and the bytes the device
 * wrote in *@len; NULL when none. Its entries become free.
 */
void *virtq_get_used(struct virtq *q, uint32_t *len);

/*
 * Ask for an interrupt at the next used buffer. Returns false if buffers
 * were used meanwhile (call virtq_get_used() again before sleeping).
 */
bool virtq_enable_cb(struct virtq *q);
/* Suppress interrupts until virtq_enable_cb() (a hint the device may ignore). */
void virtq_disable_cb(struct virtq *q);

/* Interrupts and kicks so far (tests, /proc figures). */
uint64_t virtq_kicks(const struct virtq *q);
uint64_t virtq_interrupts(const struct virtq *q);

#endif
