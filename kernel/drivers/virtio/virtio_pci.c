/*
 * The virtio 1.x PCI transport (virtio spec 4.1): finds the modern
 * capabilities, maps their windows, resets and negotiates features, sets up
 * queues with MSI-X vectors (or a shared INTx line read through the ISR),
 * and notifies. Legacy-only devices are refused.
 */
#include <frame/errno.h>
#include <frame/heap.h>
#include <frame/irq.h>
#include <frame/log.h>
#include <frame/sched.h>
#include <frame/string.h>

#include "virtio_internal.h"

#define VIRTIO_PCI_VENDOR 0x1af4

/* Capability types (cfg_type). */
#define CAP_COMMON 1
#define CAP_NOTIFY 2
#define CAP_ISR 3
#define CAP_DEVICE 4

/* Common configuration layout. */
#define COMMON_DFSELECT 0x00
#define COMMON_DF 0x04
#define COMMON_GFSELECT 0x08
#define COMMON_GF 0x0c
#define COMMON_MSIX 0x10
#define COMMON_NUMQ 0x12
#define COMMON_STATUS 0x14
#define COMMON_CFGGEN 0x15
#define COMMON_Q_SELECT 0x16
#define COMMON_Q_SIZE 0x18
#define COMMON_Q_MSIX 0x1a
#define COMMON_Q_ENABLE 0x1c
#define COMMON_Q_NOFF 0x1e
#define COMMON_Q_DESCLO 0x20
#define COMMON_Q_DESCHI 0x24
#define COMMON_Q_AVAILLO 0x28
#define COMMON_Q_AVAILHI 0x2c
#define COMMON_Q_USEDLO 0x30
#define COMMON_Q_USEDHI 0x34
#define COMMON_LEN 0x38

#define STATUS_ACKNOWLEDGE 1
#define STATUS_DRIVER 2
#define STATUS_DRIVER_OK 4
#define STATUS_FEATURES_OK 8
#define STATUS_FAILED 128

#define NO_VECTOR 0xffff

#define MAX_DRIVERS 4
static const struct virtio_driver *drivers[MAX_DRIVERS];
static unsigned nr_drivers;

int virtio_register_driver(const struct virtio_driver *drv)
{
	if (nr_drivers == MAX_DRIVERS)
		return -ENOSPC;
	drivers[nr_drivers++] = drv;
	return 0;
}

const char *virtio_location(const struct virtio_device *vd)
{
	return vd->loc;
}

bool virtio_has_feature(const struct virtio_device *vd, unsigned bit)
{
	return bit < 64 && (vd->features >> bit) & 1;
}

uint64_t virtio_features(const struct virtio_device *vd)
{
	return vd->features;
}

void virtio_set_drvdata(struct virtio_device *vd, void *data)
{
	vd->drvdata = data;
}

void *virtio_drvdata(const struct virtio_device *vd)
{
	return vd->drvdata;
}

static uint8_t status_read(struct virtio_device *vd)
{
	uint8_t s = 0;
	(void)io_mem_read8(vd->common, COMMON_STATUS, &s);
	return s;
}

static void status_write(struct virtio_device *vd, uint8_t s)
{
	(void)io_mem_write8(vd->common, COMMON_STATUS, s);
}

/* Reset: write 0, then wait for the device to read back 0 (spec 4.1.4.3.2). */
static int device_reset(struct virtio_device *vd)
{
	status_write(vd, 0);
	for (unsigned i = 0; i < 1000; i++) {
		if (status_read(vd) == 0)
			return 0;
		sched_sleep_ns(1000000);
	}
	return -ETIMEDOUT;
}

static uint8_t cfg_generation(struct virtio_device *vd)
{
	uint8_t g = 0;
	(void)io_mem_read8(vd->common, COMMON_CFGGEN, &g);
	return g;
}

int virtio_config_read8(struct virtio_device *vd, size_t off, uint8_t *val)
{
	return vd->device ? io_mem_read8(vd->device, off, val) : -EINVAL;
}

int virtio_config_read16(struct virtio_device *vd, size_t off, uint16_t *val)
{
	return vd->device ? io_mem_read16(vd->device, off, val) : -EINVAL;
}

int virtio_config_read32(struct virtio_device *vd, size_t off, uint32_t *val)
{
	return vd->device ? io_mem_read32(vd->device, off, val) : -EINVAL;
}

int virtio_config_read64(struct virtio_device *vd, size_t off, uint64_t *val)
{
	if (!vd->device)
		return -EINVAL;
	for (;;) {
		uint8_t gen = cfg_generation(vd);
		uint32_t lo = 0, hi = 0;
		int err = io_mem_read32(vd->device, off, &lo);
		err = err ?: io_mem_read32(vd->device, off + 4, &hi);
		if (err) {
			*val = ~0ull;
			return err;
		}
		if (cfg_generation(vd) == gen) {
			*val = (uint64_t)hi << 32 | lo;
			return 0;
		}
	}
}

int virtio_config_write8(struct virtio_device *vd, size_t off, uint8_t val)
{
	return vd->device ? io_mem_write8(vd->device, off, val) : -EINVAL;
}

int virtio_config_write32(struct virtio_device *vd, size_t off, uint32_t val)
{
	return vd->device ? io_mem_write32(vd->device, off, val) : -EINVAL;
}

void virtio_notify(struct virtq *q)
{
	(void)io_mem_write16(q->vd->notify, q->notify_off, (uint16_t)q->index);
}

/* MSI-X: one queue per line. */
static void queue_irq(void *arg)
{
	struct virtq *q = arg;
	q->interrupts++;
	q->cb(q, q->arg);
}

/* A line shared by every queue: MSI-X with too few vectors, or INTx (then the ISR says whether it was us). */
static void shared_irq(void *arg)
{
	struct virtio_device *vd = arg;
	if (vd->irq_kind == PCI_IRQ_INTX) {
		uint8_t isr = 0;
		/* Reading the ISR acknowledges the interrupt and lowers the line. */
		if (io_mem_read8(vd->isr, 0, &isr) || !(isr & 1))
			return;
	}
	for (unsigned i = 0; i < vd->nr_queues; i++) {
		vd->queues[i]->interrupts++;
		vd->queues[i]->cb(vd->queues[i], vd->queues[i]->arg);
	}
}

static void config_irq(void *arg)
{
	(void)arg;
}

/* Map the window a virtio capability at @cap describes; *@len gets its length. */
static int map_cap(struct virtio_device *vd, unsigned cap, struct io_mem **out, uint32_t *len)
{
	uint8_t bar = 0;
	uint32_t off = 0;
	int err = pci_config_read8(vd->pci, cap + 4, &bar);
	err = err ?: pci_config_read32(vd->pci, cap + 8, &off);
	err = err ?: pci_config_read32(vd->pci, cap + 12, len);
	if (err)
		return err;
	if (bar > 5 || *len == 0)
		return -EINVAL;
	return pci_bar_map_mem(vd->pci, bar, off, *len, out);
}

static int find_caps(struct virtio_device *vd)
{
	unsigned cap = 0;
	uint32_t len;
	while (pci_capability_find(vd->pci, PCI_CAP_ID_VENDOR, cap, &cap) == 0) {
		uint8_t type = 0;
		if (pci_config_read8(vd->pci, cap + 3, &type))
			continue;
		int err = 0;
		/* The first capability of each type is the one to use (spec 4.1.4). */
		if (type == CAP_COMMON && !vd->common) {
			err = map_cap(vd, cap, &vd->common, &len);
			if (!err && len < COMMON_LEN)
				err = -EINVAL;
		} else if (type == CAP_NOTIFY && !vd->notify) {
			err = map_cap(vd, cap, &vd->notify, &len);
			err = err ?: pci_config_read32(vd->pci, cap + 16, &vd->notify_mult);
		} else if (type == CAP_ISR && !vd->isr) {
			err = map_cap(vd, cap, &vd->isr, &len);
		} else if (type == CAP_DEVICE && !vd->device) {
			err = map_cap(vd, cap, &vd->device, &len);
		}
		if (err) {
			pr_warn("virtio: %s: capability type %u at %#x unusable (error %d)\n", vd->loc,
				type, cap, err);
			return err;
		}
	}
	return vd->common && vd->notify && vd->isr ? 0 : -ENODEV;
}

static void unmap_caps(struct virtio_device *vd)
{
	io_mem_release(vd->common);
	io_mem_release(vd->notify);
	io_mem_release(vd->isr);
	io_mem_release(vd->device);
	vd->common = vd->notify = vd->isr = vd->device = NULL;
}

static int negotiate(struct virtio_device *vd)
{
	uint32_t lo = 0, hi = 0;
	(void)io_mem_write32(vd->common, COMMON_DFSELECT, 0);
	(void)io_mem_read32(vd->common, COMMON_DF, &lo);
	(void)io_mem_write32(vd->common, COMMON_DFSELECT, 1);
	(void)io_mem_read32(vd->common, COMMON_DF, &hi);
	uint64_t offered = (uint64_t)hi << 32 | lo;
	if (!(offered >> VIRTIO_F_VERSION_1 & 1)) {
		pr_warn("virtio: %s does not offer VIRTIO_F_VERSION_1: a legacy (0.9) device, "
			"which Cadre does not drive\n", vd->loc);
		return -ENODEV;
	}
	uint64_t wanted = vd->drv->features | 1ull << VIRTIO_F_VERSION_1 |
			  1ull << VIRTIO_F_EVENT_IDX | 1ull << VIRTIO_F_ACCESS_PLATFORM;
	vd->features = offered & wanted;
	(void)io_mem_write32(vd->common, COMMON_GFSELECT, 0);
	(void)io_mem_write32(vd->common, COMMON_GF, (uint32_t)vd->features);
	(void)io_mem_write32(vd->common, COMMON_GFSELECT, 1);
	(void)io_mem_write32(vd->common, COMMON_GF, (uint32_t)(vd->features >> 32));
	status_write(vd, status_read(vd) | STATUS_FEATURES_OK);
	if (!(status_read(vd) & STATUS_FEATURES_OK)) {
		pr_warn("virtio: %s refused features %#llx\n", vd->loc,
			(unsigned long long)vd->features);
		return -ENODEV;
	}
	return 0;
}

static void free_queues(struct virtio_device *vd)
{
	for (unsigned i = 0; i < vd->nr_queues; i++) {
		struct virtq *q = vd->queues[i];
		unsigned line = vd->per_queue_vectors ? vd->lines[i + 1] : 0;
		if (vd->per_queue_vectors)
			irq_line_free(line, queue_irq, q);
		virtq_free_ring(q);
		kfree(q);
		vd->queues[i] = NULL;
	}
	if (vd->nr_lines && vd->per_queue_vectors)
		irq_line_free(vd->lines[0], config_irq, vd);
	else if (vd->nr_lines)
		irq_line_free(vd->lines[0], shared_irq, vd);
	vd->nr_queues = 0;
	pci_irq_free(vd->pci);
	vd->nr_lines = 0;
}

static int setup_queue(struct virtio_device *vd, unsigned i, virtq_callback cb, void *arg)
{
	uint16_t size = 0;
	(void)io_mem_write16(vd->common, COMMON_Q_SELECT, (uint16_t)i);
	(void)io_mem_read16(vd->common, COMMON_Q_SIZE, &size);
	if (size == 0)
		return -ENOENT;
	if (size > VIRTQ_MAX_SIZE)
		size = VIRTQ_MAX_SIZE;
	/* Split rings index modulo the size: keep it a power of two. */
	while (size & (size - 1))
		size &= (uint16_t)(size - 1);
	struct virtq *q = kzalloc(sizeof(*q));
	if (!q)
		return -ENOMEM;
	q->vd = vd;
	q->index = i;
	q->size = size;
	q->cb = cb;
	q->arg = arg;
	q->event_idx = virtio_has_feature(vd, VIRTIO_F_EVENT_IDX);
	int err = virtq_alloc(q);
	if (err) {
		kfree(q);
		return err;
	}
	uint16_t noff = 0;
	(void)io_mem_read16(vd->common, COMMON_Q_NOFF, &noff);
	q->notify_off = (size_t)noff * vd->notify_mult;
	if (q->notify_off + 2 > io_mem_len(vd->notify)) {
		virtq_free_ring(q);
		kfree(q);
		return -EINVAL;
	}
	(void)io_mem_write16(vd->common, COMMON_Q_SIZE, size);
	paddr_t desc = virtq_desc_addr(q), avail = virtq_avail_addr(q), used = virtq_used_addr(q);
	(void)io_mem_write32(vd->common, COMMON_Q_DESCLO, (uint32_t)desc);
	(void)io_mem_write32(vd->common, COMMON_Q_DESCHI, (uint32_t)(desc >> 32));
	(void)io_mem_write32(vd->common, COMMON_Q_AVAILLO, (uint32_t)avail);
	(void)io_mem_write32(vd->common, COMMON_Q_AVAILHI, (uint32_t)(avail >> 32));
	(void)io_mem_write32(vd->common, COMMON_Q_USEDLO, (uint32_t)used);
	(void)io_mem_write32(vd->common, COMMON_Q_USEDHI, (uint32_t)(used >> 32));
	if (vd->irq_kind == PCI_IRQ_MSIX) {
		uint16_t vec = vd->per_queue_vectors ? (uint16_t)(i + 1) : 0, back = NO_VECTOR;
		(void)io_mem_write16(vd->common, COMMON_Q_MSIX, vec);
		(void)io_mem_read16(vd->common, COMMON_Q_MSIX, &back);
		if (back != vec) {
			virtq_free_ring(q);
			kfree(q);
			return -ENODEV;
		}
	}
	vd->queues[vd->nr_queues++] = q;
	if (vd->per_queue_vectors) {
		err = irq_line_request(vd->lines[i + 1], queue_irq, q);
		if (err)
			return err;
	}
	(void)io_mem_write16(vd->common, COMMON_Q_ENABLE, 1);
	return 0;
}

int virtio_setup_queues(struct virtio_device *vd, unsigned n, const virtq_callback *cbs,
			void *const *args, struct virtq **out)
{
	if (n == 0 || n > VIRTIO_MAX_QUEUES || vd->nr_queues)
		return -EINVAL;
	uint16_t numq = 0;
	(void)io_mem_read16(vd->common, COMMON_NUMQ, &numq);
	if (numq < n)
		return -ENOENT;
	unsigned kind = 0, got = 0;
	int err = pci_irq_alloc(vd->pci, n + 1, PCI_IRQ_MSIX | PCI_IRQ_INTX, vd->lines, &got,
				&kind);
	if (err)
		return err;
	vd->irq_kind = kind;
	vd->nr_lines = got;
	vd->per_queue_vectors = kind == PCI_IRQ_MSIX && got >= n + 1;
	if (kind == PCI_IRQ_MSIX) {
		uint16_t back = NO_VECTOR;
		(void)io_mem_write16(vd->common, COMMON_MSIX, 0);
		(void)io_mem_read16(vd->common, COMMON_MSIX, &back);
		if (back != 0)
			err = -ENODEV;
	}
	if (!err)
		err = vd->per_queue_vectors ? irq_line_request(vd->lines[0], config_irq, vd)
					    : irq_line_request(vd->lines[0], shared_irq, vd);
	if (err) {
		pci_irq_free(vd->pci);
		vd->nr_lines = 0;
		return err;
	}
	for (unsigned i = 0; i < n && !err; i++)
		err = setup_queue(vd, i, cbs[i], args[i]);
	if (err) {
		free_queues(vd);
		return err;
	}
	for (unsigned i = 0; i < n; i++)
		out[i] = vd->queues[i];
	pr_info("virtio: %s: %u queue(s) of %u, %s%s\n", vd->loc, n, vd->queues[0]->size,
		kind == PCI_IRQ_MSIX ? (vd->per_queue_vectors ? "MSI-X per queue" : "MSI-X shared")
				     : "INTx",
		vd->queues[0]->event_idx ? ", event index" : "");
	return 0;
}

void virtio_device_ready(struct virtio_device *vd)
{
	status_write(vd, status_read(vd) | STATUS_DRIVER_OK);
}

/* The virtio device type of a virtio PCI function, 0 if it is none (spec 4.1.2.1). */
static uint16_t device_type(const struct pci_info *i)
{
	if (i->vendor != VIRTIO_PCI_VENDOR || i->device < 0x1000 || i->device > 0x107f)
		return 0;
	if (i->device >= 0x1040)
		return (uint16_t)(i->device - 0x1040);
	return i->subsystem_device;	/* transitional device */
}

static const struct virtio_driver *driver_for(uint16_t type)
{
	for (unsigned i = 0; i < nr_drivers; i++)
		if (drivers[i]->device_type == type)
			return drivers[i];
	return NULL;
}

static void give_back(struct virtio_device *vd)
{
	if (vd->common) {
		(void)device_reset(vd);
		free_queues(vd);
	}
	unmap_caps(vd);
	pci_device_release(vd->pci);
	kfree(vd);
}

static bool probe_one(size_t index, const struct pci_info *info, uint16_t type,
		      const struct virtio_driver *drv)
{
	struct virtio_device *vd = kzalloc(sizeof(*vd));
	if (!vd)
		return false;
	snprintf(vd->loc, sizeof(vd->loc), "%02x:%02x.%x", info->bus, info->slot, info->function);
	vd->type = type;
	vd->drv = drv;
	if (pci_device_claim(index, drv->name, &vd->pci)) {
		kfree(vd);
		return false;
	}
	int err = find_caps(vd);
	if (err) {
		if (err == -ENODEV)
			pr_warn("virtio: %s (%04x:%04x) has no virtio 1.x capabilities: a legacy "
				"(0.9) device, which Cadre does not drive\n", vd->loc, info->vendor,
				info->device);
		give_back(vd);
		return false;
	}
	err = device_reset(vd);
	if (!err) {
		status_write(vd, STATUS_ACKNOWLEDGE);
		status_write(vd, STATUS_ACKNOWLEDGE | STATUS_DRIVER);
		err = negotiate(vd);
	}
	if (!err && pci_set_bus_master(vd->pci, true))
		err = -EIO;
	if (!err)
		err = drv->probe(vd);
	if (err) {
		if (err != -ENODEV)
			pr_warn("virtio: %s: %s probe failed (error %d)\n", vd->loc, drv->name, err);
		status_write(vd, status_read(vd) | STATUS_FAILED);
		give_back(vd);
		return false;
	}
	return true;
}

unsigned virtio_pci_probe_all(void)
{
	unsigned taken = 0;
	struct pci_info info;
	for (size_t i = 0; pci_device_info(i, &info) == 0; i++) {
		uint16_t type = device_type(&info);
		if (!type || info.claimed)
			continue;
		const struct virtio_driver *drv = driver_for(type);
		if (!drv) {
			pr_info("virtio: %02x:%02x.%x: no driver for device type %u\n", info.bus,
				info.slot, info.function, type);
			continue;
		}
		if (probe_one(i, &info, type, drv))
			taken++;
	}
	return taken;
}
