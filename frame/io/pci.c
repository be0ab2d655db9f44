/* PCI for services: enumeration, claims, filtered configuration access, BAR sizing and mapping, MSI-X and INTx as irq lines, bus mastering. */
#include <frame/errno.h>
#include <frame/heap.h>
#include <frame/irq.h>
#include <frame/log.h>
#include <frame/mutex.h>
#include <frame/pci.h>
#include <frame/string.h>
#include <internal/irq.h>
#include "io_internal.h"
#include "pci_internal.h"

#define PCI_MAX_FUNCTIONS 256
#define PCI_MAX_MSIX 32
#define PCI_DEVICE_MAGIC 0x9c1de7u

/* Type 0/1 header registers the frame uses. */
#define CFG_VENDOR 0x00
#define CFG_COMMAND 0x04
#define CFG_STATUS 0x06
#define CFG_CLASS 0x08
#define CFG_HEADER 0x0e
#define CFG_BAR0 0x10
#define CFG_SECONDARY_BUS 0x19
#define CFG_SUBSYSTEM 0x2c
#define CFG_CAP_PTR 0x34
#define CFG_INT_LINE 0x3c
#define CFG_INT_PIN 0x3d

#define CMD_IO (1u << 0)
#define CMD_MEMORY (1u << 1)
#define CMD_MASTER (1u << 2)
#define CMD_INTX_DISABLE (1u << 10)
#define STATUS_CAP_LIST (1u << 4)

#define MSIX_CTRL 2
#define MSIX_TABLE 4
#define MSIX_CTRL_ENABLE (1u << 15)
#define MSIX_CTRL_MASKALL (1u << 14)
#define MSIX_ENTRY_SIZE 16
#define MSIX_VECTOR_CTRL 12

/* One function found by enumeration. */
struct pci_fn {
	struct pci_info info;
	struct pci_loc loc;
	const struct pci_fn *parent;	/* the bridge whose secondary bus holds it */
	uint8_t root_slot, root_pin;	/* INTx as it enters the root bus (pin 0: none) */
	unsigned msix_cap;		/* 0: none */
};

struct pci_device {
	uint32_t magic;
	struct pci_fn *fn;
	const char *owner;
	bool sized[6];
	struct pci_bar bars[6];
	uint64_t bar_addr[6];
	/* interrupts */
	unsigned irq_kind;		/* 0, PCI_IRQ_MSIX or PCI_IRQ_INTX */
	unsigned nr_lines;
	unsigned lines[PCI_MAX_MSIX];
	struct io_mem *msix_table;
};

static struct pci_fn fns[PCI_MAX_FUNCTIONS];
static size_t nr_fns;
static unsigned cfg_size;	/* 0: no PCI */
static bool scanned;
/* Claims, BAR sizing, interrupt set-up; the scan itself. */
static struct mutex pci_lock = MUTEX_INIT("pci");
static struct pci_device *claims[PCI_MAX_FUNCTIONS];

static uint32_t rd(const struct pci_fn *f, unsigned off, unsigned width)
{
	return arch_pci_read(&f->loc, off, width);
}

static void wr(const struct pci_fn *f, unsigned off, unsigned width, uint32_t v)
{
	arch_pci_write(&f->loc, off, width, v);
}

/*
 * Capability walk over the standard list. The list lives in 0x40-0xff;
 * at most 48 entries fit, so a longer walk is a loop.
 */
static unsigned cap_find(const struct pci_fn *f, uint8_t id, unsigned after)
{
	if (!(rd(f, CFG_STATUS, 2) & STATUS_CAP_LIST))
		return 0;
	unsigned off = rd(f, CFG_CAP_PTR, 1) & 0xfc;
	bool past = after == 0;
	for (unsigned n = 0; off >= 0x40 && off < 0x100 && n < 48; n++) {
		if (past && rd(f, off, 1) == id)
			return off;
		if (off == after)
			past = true;
		off = rd(f, off + 1, 1) & 0xfc;
	}
	return 0;
}

static void add_fn(const struct pci_loc *loc, const struct pci_fn *parent)
{
	if (nr_fns == PCI_MAX_FUNCTIONS) {
		pr_warn("pci: more than %d functions; %02x:%02x.%x and later ignored\n",
			PCI_MAX_FUNCTIONS, loc->bus, loc->slot, loc->function);
		return;
	}
	struct pci_fn *f = &fns[nr_fns++];
	f->loc = *loc;
	uint32_t id = rd(f, CFG_VENDOR, 4), cls = rd(f, CFG_CLASS, 4);
	struct pci_info *i = &f->info;
	i->segment = loc->segment;
	i->bus = loc->bus;
	i->slot = loc->slot;
	i->function = loc->function;
	i->vendor = (uint16_t)id;
	i->device = (uint16_t)(id >> 16);
	i->revision = (uint8_t)cls;
	i->prog_if = (uint8_t)(cls >> 8);
	i->subclass = (uint8_t)(cls >> 16);
	i->class_code = (uint8_t)(cls >> 24);
	i->header_type = rd(f, CFG_HEADER, 1) & 0x7f;
	if (i->header_type == 0) {
		uint32_t sub = rd(f, CFG_SUBSYSTEM, 4);
		i->subsystem_vendor = (uint16_t)sub;
		i->subsystem_device = (uint16_t)(sub >> 16);
	}
	i->irq_pin = rd(f, CFG_INT_PIN, 1);
	if (i->irq_pin > 4)
		i->irq_pin = 0;
	f->msix_cap = cap_find(f, PCI_CAP_ID_MSIX, 0);
	i->has_msix = f->msix_cap != 0;
	i->pcie = cap_find(f, PCI_CAP_ID_EXP, 0) != 0;
	/* INTx swizzle through bridges: pin' = (pin - 1 + slot) % 4 + 1 at each one. */
	f->parent = parent;
	uint8_t pin = i->irq_pin;
	const struct pci_fn *child = f;
	for (const struct pci_fn *p = parent; p && pin; p = p->parent) {
		pin = (uint8_t)((pin - 1 + child->loc.slot) % 4 + 1);
		child = p;
	}
	f->root_slot = child->loc.slot;
	f->root_pin = pin;
}

static void scan_bus(uint8_t bus, uint8_t first, uint8_t last, const struct pci_fn *parent,
		     unsigned depth);

static void scan_fn(const struct pci_loc *loc, uint8_t first, uint8_t last,
		    const struct pci_fn *parent, unsigned depth)
{
	add_fn(loc, parent);
	const struct pci_fn *f = &fns[nr_fns - 1];
	if (f->info.header_type != 1 || depth >= 8)
		return;
	uint8_t sec = rd(f, CFG_SECONDARY_BUS, 1);
	/* A bridge firmware left unnumbered, or numbered back into itself, is skipped. */
	if (sec > loc->bus && sec >= first && sec <= last)
		scan_bus(sec, first, last, f, depth + 1);
}

static void scan_bus(uint8_t bus, uint8_t first, uint8_t last, const struct pci_fn *parent,
		     unsigned depth)
{
	for (uint8_t slot = 0; slot < 32; slot++) {
		struct pci_loc loc = { 0, bus, slot, 0 };
		if ((arch_pci_read(&loc, CFG_VENDOR, 2) & 0xffff) == 0xffff)
			continue;
		bool multi = arch_pci_read(&loc, CFG_HEADER, 1) & 0x80;
		scan_fn(&loc, first, last, parent, depth);
		for (uint8_t fn = 1; multi && fn < 8; fn++) {
			loc.function = fn;
			if ((arch_pci_read(&loc, CFG_VENDOR, 2) & 0xffff) != 0xffff)
				scan_fn(&loc, first, last, parent, depth);
		}
	}
}

/* Called with pci_lock held. */
static void scan_once(void)
{
	if (scanned)
		return;
	scanned = true;
	uint8_t first = 0, last = 0;
	cfg_size = arch_pci_init(&first, &last);
	if (cfg_size)
		scan_bus(first, first, last, NULL, 0);
	for (size_t k = 0; k < nr_fns; k++) {
		const struct pci_info *i = &fns[k].info;
		pr_info("pci: %02x:%02x.%x %04x:%04x class %02x%02x%02x%s%s\n", i->bus, i->slot,
			i->function, i->vendor, i->device, i->class_code, i->subclass, i->prog_if,
			i->has_msix ? " msix" : "", i->irq_pin ? " intx" : "");
	}
}

static void ensure_scanned(void)
{
	if (__atomic_load_n(&scanned, __ATOMIC_ACQUIRE))
		return;
	mutex_lock(&pci_lock);
	scan_once();
	mutex_unlock(&pci_lock);
}

size_t pci_device_count(void)
{
	ensure_scanned();
	return nr_fns;
}

int pci_device_info(size_t index, struct pci_info *out)
{
	if (!out)
		return -EINVAL;
	ensure_scanned();
	if (index >= nr_fns)
		return -ENOENT;
	mutex_lock(&pci_lock);
	*out = fns[index].info;
	out->claimed = claims[index] != NULL;
	mutex_unlock(&pci_lock);
	return 0;
}

static bool dev_ok(const struct pci_device *d)
{
	return d && d->magic == PCI_DEVICE_MAGIC;
}

static void command_update(const struct pci_fn *f, uint16_t set, uint16_t clear)
{
	unsigned long flags = irq_save();
	uint16_t cmd = (uint16_t)rd(f, CFG_COMMAND, 2);
	wr(f, CFG_COMMAND, 2, (uint16_t)((cmd & ~clear) | set));
	irq_restore(flags);
}

int pci_device_claim(size_t index, const char *owner, struct pci_device **out)
{
	if (out)
		*out = NULL;
	if (!out)
		return -EINVAL;
	ensure_scanned();
	if (index >= nr_fns)
		return -ENOENT;
	struct pci_device *d = kzalloc(sizeof(*d));
	if (!d)
		return -ENOMEM;
	mutex_lock(&pci_lock);
	if (claims[index]) {
		mutex_unlock(&pci_lock);
		kfree(d);
		return -EBUSY;
	}
	d->magic = PCI_DEVICE_MAGIC;
	d->fn = &fns[index];
	d->owner = owner ? owner : "?";
	claims[index] = d;
	mutex_unlock(&pci_lock);
	command_update(d->fn, 0, CMD_MASTER);
	pr_info("pci: %02x:%02x.%x claimed by %s\n", d->fn->loc.bus, d->fn->loc.slot,
		d->fn->loc.function, d->owner);
	*out = d;
	return 0;
}

void pci_device_release(struct pci_device *dev)
{
	if (!dev)
		return;
	if (!dev_ok(dev)) {
		pr_err("pci: pci_device_release of a handle that is not live, ignored\n");
		return;
	}
	pci_irq_free(dev);
	command_update(dev->fn, 0, CMD_MASTER | CMD_MEMORY | CMD_IO);
	mutex_lock(&pci_lock);
	claims[dev->fn - fns] = NULL;
	mutex_unlock(&pci_lock);
	dev->magic = 0;
	kfree(dev);
}

const struct pci_info *pci_device_identity(const struct pci_device *dev)
{
	return dev_ok(dev) ? &dev->fn->info : NULL;
}

static bool cfg_range_ok(const struct pci_device *d, unsigned off, unsigned width)
{
	return dev_ok(d) && off < cfg_size && width <= cfg_size - off && off % width == 0;
}

/* The byte range [@off, @off + @width) may be written by a driver (see pci.h). */
static bool cfg_write_allowed(const struct pci_fn *f, unsigned off, unsigned width)
{
	if (off >= 0x100) {
		/* Extended capabilities: headers at 0x100 and wherever the chain points. */
		unsigned cap = 0x100;
		for (unsigned n = 0; cap >= 0x100 && cap < cfg_size && n < 960; n++) {
			if (off < cap + 4 && cap < off + width)
				return false;
			uint32_t h = rd(f, cap, 4);
			if (h == 0 || h == 0xffffffffu)
				break;
			cap = h >> 20 & 0xffc;
		}
		return true;
	}
	for (unsigned cap = cap_find(f, PCI_CAP_ID_VENDOR, 0); cap;
	     cap = cap_find(f, PCI_CAP_ID_VENDOR, cap)) {
		unsigned len = rd(f, cap + 2, 1);
		if (off >= cap + 3 && off + width <= cap + len && cap + len <= 0x100)
			return true;
	}
	return false;
}

#define PCI_CFG_RW(bits)                                                                   \
	int pci_config_read##bits(const struct pci_device *dev, unsigned off, uint##bits##_t *val) \
	{                                                                                  \
		if (!val)                                                                  \
			return -EINVAL;                                                    \
		if (!cfg_range_ok(dev, off, bits / 8)) {                                   \
			*val = (uint##bits##_t)~0u;                                        \
			return -EINVAL;                                                    \
		}                                                                          \
		*val = (uint##bits##_t)rd(dev->fn, off, bits / 8);                         \
		return 0;                                                                  \
	}                                                                                  \
	int pci_config_write##bits(struct pci_device *dev, unsigned off, uint##bits##_t val) \
	{                                                                                  \
		if (!cfg_range_ok(dev, off, bits / 8))                                     \
			return -EINVAL;                                                    \
		if (!cfg_write_allowed(dev->fn, off, bits / 8))                            \
			return -EPERM;                                                     \
		wr(dev->fn, off, bits / 8, val);                                           \
		return 0;                                                                  \
	}
PCI_CFG_RW(8)
PCI_CFG_RW(16)
PCI_CFG_RW(32)

int pci_capability_find(const struct pci_device *dev, uint8_t id, unsigned after,
			unsigned *off)
{
	if (!dev_ok(dev) || !off)
		return -EINVAL;
	unsigned cap = cap_find(dev->fn, id, after);
	*off = cap;
	return cap ? 0 : -ENOENT;
}

/* Size BAR @bar once (caller holds pci_lock): all ones in, the mask out, decoding off meanwhile. */
static void bar_size(struct pci_device *d, unsigned bar)
{
	const struct pci_fn *f = d->fn;
	struct pci_bar *b = &d->bars[bar];
	d->sized[bar] = true;
	*b = (struct pci_bar){ PCI_BAR_NONE, 0, false, false, false };
	unsigned nbars = f->info.header_type == 0 ? 6 : f->info.header_type == 1 ? 2 : 0;
	if (bar >= nbars)
		return;
	/* The upper half of a 64-bit BAR is not a BAR of its own. */
	if (bar > 0 && d->sized[bar - 1] && d->bars[bar - 1].is_64bit)
		return;
	unsigned off = CFG_BAR0 + 4 * bar;
	unsigned long flags = irq_save();
	uint16_t cmd = (uint16_t)rd(f, CFG_COMMAND, 2);
	wr(f, CFG_COMMAND, 2, cmd & ~(CMD_IO | CMD_MEMORY));
	uint32_t lo = rd(f, off, 4);
	wr(f, off, 4, 0xffffffffu);
	uint32_t lo_mask = rd(f, off, 4);
	wr(f, off, 4, lo);
	uint32_t hi = 0, hi_mask = 0;
	bool is64 = !(lo & 1) && ((lo >> 1) & 3) == 2 && bar + 1 < nbars;
	if (is64) {
		hi = rd(f, off + 4, 4);
		wr(f, off + 4, 4, 0xffffffffu);
		hi_mask = rd(f, off + 4, 4);
		wr(f, off + 4, 4, hi);
	}
	wr(f, CFG_COMMAND, 2, cmd);
	irq_restore(flags);
	if (lo_mask == 0 || lo_mask == 0xffffffffu)
		return;
	if (lo & 1) {
		uint32_t mask = lo_mask & ~3u;
		if (!(mask & 0xffff))
			return;
		b->kind = PCI_BAR_IO;
		b->size = (uint32_t)(~(mask | 0xffff0000u) + 1) & 0xffff;
		d->bar_addr[bar] = lo & ~3u;
	} else {
		uint64_t mask = ((uint64_t)hi_mask << 32 | (lo_mask & ~0xfu));
		if (!is64)
			mask |= 0xffffffff00000000ull;
		if (!mask)
			return;
		b->kind = PCI_BAR_MEM;
		b->size = ~mask + 1;
		b->is_64bit = is64;
		b->prefetchable = lo & 8;
		d->bar_addr[bar] = ((uint64_t)hi << 32 | lo) & ~0xfull;
	}
	b->assigned = d->bar_addr[bar] != 0;
	if (is64)
		d->sized[bar + 1] = true;
}

int pci_bar_info(struct pci_device *dev, unsigned bar, struct pci_bar *out)
{
	if (!dev_ok(dev) || bar >= 6 || !out)
		return -EINVAL;
	mutex_lock(&pci_lock);
	if (!dev->sized[bar])
		bar_size(dev, bar);
	*out = dev->bars[bar];
	mutex_unlock(&pci_lock);
	return 0;
}

/* Where the MSI-X table lies: BAR and [start, end) in it; false without MSI-X. */
static bool msix_table_at(const struct pci_fn *f, unsigned *bar, uint64_t *start, uint64_t *end)
{
	if (!f->msix_cap)
		return false;
	uint32_t t = rd(f, f->msix_cap + MSIX_TABLE, 4);
	unsigned n = (rd(f, f->msix_cap + MSIX_CTRL, 2) & 0x7ff) + 1;
	*bar = t & 7;
	*start = t & ~7u;
	*end = *start + (uint64_t)n * MSIX_ENTRY_SIZE;
	return true;
}

int pci_bar_map_mem(struct pci_device *dev, unsigned bar, uint64_t off, size_t len,
		    struct io_mem **out)
{
	if (out)
		*out = NULL;
	struct pci_bar b;
	int err = pci_bar_info(dev, bar, &b);
	if (err || !out)
		return -EINVAL;
	if (b.kind != PCI_BAR_MEM || len == 0 || off >= b.size || len > b.size - off)
		return -EINVAL;
	if (!b.assigned)
		return -ENODEV;
	unsigned tbar;
	uint64_t ts, te;
	if (msix_table_at(dev->fn, &tbar, &ts, &te) && tbar == bar && off < te && ts < off + len)
		return -EBUSY;
	err = io_mem_acquire(dev->bar_addr[bar] + off, len, out);
	if (err)
		return err;
	command_update(dev->fn, CMD_MEMORY, 0);
	return 0;
}

int pci_bar_map_io(struct pci_device *dev, unsigned bar, struct io_port **out)
{
	if (out)
		*out = NULL;
	struct pci_bar b;
	int err = pci_bar_info(dev, bar, &b);
	if (err || !out || b.kind != PCI_BAR_IO)
		return -EINVAL;
	if (!b.assigned)
		return -ENODEV;
	err = io_port_acquire((uint32_t)dev->bar_addr[bar], (uint32_t)b.size, out);
	if (err)
		return err;
	command_update(dev->fn, CMD_IO, 0);
	return 0;
}

int pci_set_bus_master(struct pci_device *dev, bool on)
{
	if (!dev_ok(dev))
		return -EINVAL;
	command_update(dev->fn, on ? CMD_MASTER : 0, on ? 0 : CMD_MASTER);
	return 0;
}

/* irq-layer callback: one MSI-X table entry's mask bit. */
static void msix_mask(void *ctx, unsigned entry, bool masked)
{
	struct pci_device *d = ctx;
	uint32_t v = 0;
	if (io_mem_read32(d->msix_table, entry * MSIX_ENTRY_SIZE + MSIX_VECTOR_CTRL, &v))
		return;
	v = masked ? v | 1 : v & ~1u;
	(void)io_mem_write32(d->msix_table, entry * MSIX_ENTRY_SIZE + MSIX_VECTOR_CTRL, v);
}

static int msix_setup(struct pci_device *d, unsigned max, unsigned *lines, unsigned *count)
{
	const struct pci_fn *f = d->fn;
	unsigned tbar;
	uint64_t ts, te;
	msix_table_at(f, &tbar, &ts, &te);
	unsigned n = (unsigned)((te - ts) / MSIX_ENTRY_SIZE);
	if (n > max)
		n = max;
	if (n > PCI_MAX_MSIX)
		n = PCI_MAX_MSIX;
	if (tbar >= 6)
		return -ENODEV;
	if (!d->sized[tbar])
		bar_size(d, tbar);
	const struct pci_bar *b = &d->bars[tbar];
	if (b->kind != PCI_BAR_MEM || !b->assigned || te > b->size)
		return -ENODEV;
	int err = io_mem_acquire(d->bar_addr[tbar] + ts, n * MSIX_ENTRY_SIZE, &d->msix_table);
	if (err)
		return err;
	command_update(f, CMD_MEMORY, 0);
	unsigned cap = f->msix_cap;
	uint16_t ctrl = (uint16_t)rd(f, cap + MSIX_CTRL, 2);
	/* Everything masked while the table is written. */
	wr(f, cap + MSIX_CTRL, 2, ctrl | MSIX_CTRL_ENABLE | MSIX_CTRL_MASKALL);
	unsigned got = 0;
	for (; got < n; got++) {
		struct msi_msg msg;
		size_t e = got * MSIX_ENTRY_SIZE;
		(void)io_mem_write32(d->msix_table, e + MSIX_VECTOR_CTRL, 1);
		err = irq_msi_alloc(msix_mask, d, got, &d->lines[got], &msg);
		if (err)
			break;
		(void)io_mem_write32(d->msix_table, e, (uint32_t)msg.address);
		(void)io_mem_write32(d->msix_table, e + 4, (uint32_t)(msg.address >> 32));
		(void)io_mem_write32(d->msix_table, e + 8, msg.data);
	}
	if (got == 0) {
		wr(f, cap + MSIX_CTRL, 2, ctrl & ~(MSIX_CTRL_ENABLE | MSIX_CTRL_MASKALL));
		io_mem_release(d->msix_table);
		d->msix_table = NULL;
		return err ? err : -ENOSPC;
	}
	d->nr_lines = got;
	command_update(f, CMD_INTX_DISABLE, 0);
	wr(f, cap + MSIX_CTRL, 2, (ctrl | MSIX_CTRL_ENABLE) & ~MSIX_CTRL_MASKALL);
	for (unsigned i = 0; i < got; i++)
		lines[i] = d->lines[i];
	*count = got;
	return 0;
}

static int intx_setup(struct pci_device *d, unsigned *lines, unsigned *count)
{
	const struct pci_fn *f = d->fn;
	if (!f->info.irq_pin || !f->root_pin)
		return -ENODEV;
	unsigned line;
	bool level, active_low;
	int err = arch_pci_intx_route(f->root_slot, f->root_pin, (uint8_t)rd(f, CFG_INT_LINE, 1),
				      &line, &level, &active_low);
	if (err)
		return err;
	irq_line_set_default(line, level, active_low);
	command_update(f, 0, CMD_INTX_DISABLE);
	d->lines[0] = line;
	d->nr_lines = 1;
	lines[0] = line;
	*count = 1;
	return 0;
}

int pci_irq_alloc(struct pci_device *dev, unsigned max, unsigned kinds, unsigned *lines,
		  unsigned *count, unsigned *kind)
{
	if (!dev_ok(dev) || max == 0 || !lines || !count ||
	    !(kinds & (PCI_IRQ_MSIX | PCI_IRQ_INTX)))
		return -EINVAL;
	mutex_lock(&pci_lock);
	int err = -EBUSY;
	if (!dev->irq_kind) {
		err = -ENODEV;
		if ((kinds & PCI_IRQ_MSIX) && dev->fn->msix_cap) {
			err = msix_setup(dev, max, lines, count);
			if (!err)
				dev->irq_kind = PCI_IRQ_MSIX;
		}
		if (err && (kinds & PCI_IRQ_INTX)) {
			err = intx_setup(dev, lines, count);
			if (!err)
				dev->irq_kind = PCI_IRQ_INTX;
		}
	}
	if (!err && kind)
		*kind = dev->irq_kind;
	mutex_unlock(&pci_lock);
	return err;
}

void pci_irq_free(struct pci_device *dev)
{
	if (!dev_ok(dev))
		return;
	mutex_lock(&pci_lock);
	if (dev->irq_kind == PCI_IRQ_MSIX) {
		const struct pci_fn *f = dev->fn;
		for (unsigned i = 0; i < dev->nr_lines; i++) {
			msix_mask(dev, i, true);
			irq_msi_free(dev->lines[i]);
		}
		uint16_t ctrl = (uint16_t)rd(f, f->msix_cap + MSIX_CTRL, 2);
		wr(f, f->msix_cap + MSIX_CTRL, 2, ctrl & ~(MSIX_CTRL_ENABLE | MSIX_CTRL_MASKALL));
		io_mem_release(dev->msix_table);
		dev->msix_table = NULL;
	} else if (dev->irq_kind == PCI_IRQ_INTX) {
		command_update(dev->fn, CMD_INTX_DISABLE, 0);
	}
	dev->irq_kind = 0;
	dev->nr_lines = 0;
	mutex_unlock(&pci_lock);
}
