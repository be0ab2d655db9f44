/* I/O port ranges for services: ownership registry and bounds-checked port accesses. */
#include <frame/errno.h>
#include <frame/heap.h>
#include <frame/io_port.h>
#include <frame/log.h>
#include <frame/spinlock.h>
#include "io_internal.h"
#include "io_range.h"

#define IO_PORT_MAGIC 0x10b0a7u

struct io_port {
	uint32_t magic; /* cleared on release, so a stale handle is refused, not used */
	uint32_t base, count;
	struct io_port *next;
};

static struct io_range frame_ports_store[48];
static struct io_range_table frame_ports = {
	frame_ports_store, 0, ARRAY_SIZE(frame_ports_store), false, "I/O port",
};
static bool frame_ports_known;
/* Handles given out; few (one per driver), so a list is enough. */
static struct io_port *owned;
/* Guards frame_ports and owned; accessors do not take it (a handle's range never changes). */
static spinlock_t registry_lock = SPINLOCK_INIT("io_port");

void io_port_reserve(uint32_t start, uint32_t end, const char *owner)
{
	io_range_add(&frame_ports, start, end, owner);
}

int io_port_acquire(uint32_t base, uint32_t count, struct io_port **out)
{
	if (out)
		*out = NULL;
	uint32_t space = arch_io_port_space();
	if (!out || count == 0 || base >= space || count > space - base)
		return -EINVAL;
	struct io_port *p = kmalloc(sizeof(*p));
	if (!p)
		return -ENOMEM;
	*p = (struct io_port){ IO_PORT_MAGIC, base, count, NULL };

	unsigned long flags = spin_lock_irqsave(&registry_lock);
	if (!frame_ports_known) {
		arch_io_port_reserve_frame();
		frame_ports_known = true;
	}
	const struct io_range *r = io_range_find(&frame_ports, base, (uint64_t)base + count);
	struct io_port *o = owned;
	while (!r && o && !io_range_overlaps(base, (uint64_t)base + count, o->base,
					     (uint64_t)o->base + o->count))
		o = o->next;
	if (r || o) {
		spin_unlock_irqrestore(&registry_lock, flags);
		pr_debug("io: ports %#x-%#x refused: %s owns %#lx-%#lx\n", base, base + count - 1,
			 r ? r->owner : "a driver",
			 (unsigned long)(r ? r->start : o->base),
			 (unsigned long)(r ? r->end - 1 : (uint64_t)o->base + o->count - 1));
		kfree(p);
		return -EBUSY;
	}
	p->next = owned;
	owned = p;
	spin_unlock_irqrestore(&registry_lock, flags);
	*out = p;
	return 0;
}

void io_port_release(struct io_port *port)
{
	if (!port)
		return;
	if (port->magic != IO_PORT_MAGIC) {
		pr_err("io: io_port_release of a handle that is not live, ignored\n");
		return;
	}
	unsigned long flags = spin_lock_irqsave(&registry_lock);
	for (struct io_port **pp = &owned; *pp; pp = &(*pp)->next)
		if (*pp == port) {
			*pp = port->next;
			break;
		}
	spin_unlock_irqrestore(&registry_lock, flags);
	port->magic = 0;
	kfree(port);
}

uint32_t io_port_base(const struct io_port *port)
{
	return port ? port->base : 0;
}

uint32_t io_port_count(const struct io_port *port)
{
	return port ? port->count : 0;
}

/* The port for a @width-byte access at @offset, or -EINVAL. */
static int32_t port_at(const struct io_port *port, uint32_t offset, uint32_t width)
{
	if (!port || port->magic != IO_PORT_MAGIC || offset >= port->count ||
	    width > port->count - offset)
		return -EINVAL;
	return (int32_t)(port->base + offset);
}

#define IO_PORT_RW(bits)                                                                   \
	int io_port_read##bits(const struct io_port *port, uint32_t offset, uint##bits##_t *val) \
	{                                                                                  \
		int32_t p = port_at(port, offset, bits / 8);                               \
		if (p < 0 || !val) {                                                       \
			if (val)                                                           \
				*val = (uint##bits##_t)~0ULL;                              \
			return -EINVAL;                                                    \
		}                                                                          \
		*val = arch_io_in##bits((uint16_t)p);                                      \
		return 0;                                                                  \
	}                                                                                  \
	int io_port_write##bits(const struct io_port *port, uint32_t offset, uint##bits##_t val) \
	{                                                                                  \
		int32_t p = port_at(port, offset, bits / 8);                               \
		if (p < 0)                                                                 \
			return -EINVAL;                                                    \
		arch_io_out##bits((uint16_t)p, val);                                       \
		return 0;                                                                  \
	}
IO_PORT_RW(8)
IO_PORT_RW(16)
IO_PORT_RW(32)

static int rep_check(const struct io_port *port, uint32_t offset, unsigned width,
		     const void *buf, size_t n)
{
	if ((width != 1 && width != 2 && width != 4) || (n && !buf) || n > SIZE_MAX / width)
		return -EINVAL;
	return port_at(port, offset, width) < 0 ? -EINVAL : 0;
}

int io_port_read_rep(const struct io_port *port, uint32_t offset, unsigned width,
		     void *buf, size_t n)
{
	int err = rep_check(port, offset, width, buf, n);
	if (err)
		return err;
	uint16_t p = (uint16_t)(port->base + offset);
	uint8_t *b = buf;
	/* Item by item through byte copies: @buf need not be aligned to @width. */
	for (size_t i = 0; i < n; i++, b += width) {
		if (width == 1) {
			*b = arch_io_in8(p);
		} else if (width == 2) {
			uint16_t v = arch_io_in16(p);
			__builtin_memcpy(b, &v, 2);
		} else {
			uint32_t v = arch_io_in32(p);
			__builtin_memcpy(b, &v, 4);
		}
	}
	return 0;
}

int io_port_write_rep(const struct io_port *port, uint32_t offset, unsigned width,
		      const void *buf, size_t n)
{
	int err = rep_check(port, offset, width, buf, n);
	if (err)
		return err;
	uint16_t p = (uint16_t)(port->base + offset);
	const uint8_t *b = buf;
	for (size_t i = 0; i < n; i++, b += width) {
		if (width == 1) {
			arch_io_out8(p, *b);
		} else if (width == 2) {
			uint16_t v;
			__builtin_memcpy(&v, b, 2);
			arch_io_out16(p, v);
		} else {
			uint32_t v;
			__builtin_memcpy(&v, b, 4);
			arch_io_out32(p, v);
		}
	}
	return 0;
}
