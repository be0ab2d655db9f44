/* x86_64 IRQ lines (frame/irq.h) on top of the IOAPIC and of MSI vectors, interrupt-flag control, and arch_irq_init(). */
#include <arch/acpi.h>
#include <arch/apic.h>
#include <arch/cpu.h>
#include <arch/trap.h>
#include <frame/errno.h>
#include <frame/irq.h>
#include <frame/log.h>
#include <internal/arch.h>
#include <internal/irq.h>

struct irq_gsi {
	irq_handler_fn handlers[IRQ_MAX_HANDLERS];
	void *args[IRQ_MAX_HANDLERS];
	unsigned nr_handlers;
	bool level, active_low;
	bool default_set, default_level, default_active_low; /* irq_line_set_default() */
	uint64_t count;
};

static struct irq_gsi gsis[NR_GSI_VECTORS];
static uint32_t nr_gsis;

/* An MSI line: one LAPIC vector, masked at the device through @mask. */
struct irq_msi {
	bool used;
	irq_handler_fn handlers[IRQ_MAX_HANDLERS];
	void *args[IRQ_MAX_HANDLERS];
	unsigned nr_handlers;
	msi_mask_fn mask;
	void *ctx;
	unsigned entry;
	uint64_t count;
};

static struct irq_msi msis[NR_MSI_VECTORS];

static struct irq_msi *msi_of(unsigned line)
{
	if (line < IRQ_MSI_BASE || line - IRQ_MSI_BASE >= NR_MSI_VECTORS)
		return NULL;
	struct irq_msi *m = &msis[line - IRQ_MSI_BASE];
	return m->used ? m : NULL;
}

void irq_disable(void)
{
	cli();
}

void irq_enable(void)
{
	sti();
}

bool irq_enabled(void)
{
	return read_rflags() & RFLAGS_IF;
}

unsigned long irq_save(void)
{
	unsigned long flags = read_rflags();
	cli();
	return flags;
}

void irq_restore(unsigned long flags)
{
	if (flags & RFLAGS_IF)
		sti();
}

static const struct acpi_iso *iso_for_source(unsigned isa)
{
	for (unsigned i = 0; i < acpi_info.nr_isos; i++)
		if (acpi_info.isos[i].source == isa)
			return &acpi_info.isos[i];
	return NULL;
}

static bool gsi_overridden_away(uint32_t gsi)
{
	for (unsigned i = 0; i < acpi_info.nr_isos; i++)
		if (acpi_info.isos[i].gsi == gsi && acpi_info.isos[i].source != gsi)
			return true;
	return false;
}

/* Translate a line into a GSI and its default trigger; -EINVAL when no such line exists. */
static int resolve(unsigned line, uint32_t *gsi, bool *level, bool *active_low)
{
	if (line < 16) {
		const struct acpi_iso *iso = iso_for_source(line);
		*level = false;
		*active_low = false;
		if (iso) {
			*gsi = iso->gsi;
			if (iso->trigger_set)
				*level = iso->level;
			if (iso->polarity_set)
				*active_low = iso->active_low;
		} else {
			/* Another ISA IRQ took this GSI (QEMU: IRQ0 -> GSI2), so e.g. IRQ2 does not exist. */
			if (gsi_overridden_away(line))
				return -EINVAL;
			*gsi = line;
		}
	} else {
		*gsi = line;
		*level = true;
		*active_low = true;
	}
	if (*gsi >= nr_gsis)
		return -EINVAL;
	if (gsis[*gsi].default_set) {
		*level = gsis[*gsi].default_level;
		*active_low = gsis[*gsi].default_active_low;
	}
	return 0;
}

void irq_line_set_default(unsigned line, bool level, bool active_low)
{
	uint32_t gsi;
	bool l, a;
	if (line >= IRQ_MSI_BASE || resolve(line, &gsi, &l, &a))
		return;
	unsigned long irqf = irq_save();
	gsis[gsi].default_set = true;
	gsis[gsi].default_level = level;
	gsis[gsi].default_active_low = active_low;
	irq_restore(irqf);
}

static bool msi_dispatch(struct trap_frame *f)
{
	struct irq_msi *m = &msis[f->vector - VEC_MSI_BASE];
	m->count++;
	for (unsigned i = 0; i < m->nr_handlers; i++)
		m->handlers[i](m->args[i]);
	lapic_eoi();
	return true;
}

int irq_msi_alloc(msi_mask_fn mask, void *ctx, unsigned entry, unsigned *line,
		  struct msi_msg *msg)
{
	if (!lapic_ready())
		return -ENODEV;
	unsigned long irqf = irq_save();
	for (unsigned i = 0; i < NR_MSI_VECTORS; i++) {
		struct irq_msi *m = &msis[i];
		if (m->used)
			continue;
		uint64_t count = m->count;
		*m = (struct irq_msi){ .used = true, .mask = mask, .ctx = ctx, .entry = entry,
				       .count = count };
		irq_restore(irqf);
		trap_set_handler(VEC_MSI_BASE + i, msi_dispatch);
		*line = IRQ_MSI_BASE + i;
		/* Fixed delivery to this CPU's APIC, physical destination, edge. */
		msg->address = 0xfee00000ULL | (uint64_t)(lapic_id() & 0xff) << 12;
		msg->data = VEC_MSI_BASE + i;
		return 0;
	}
	irq_restore(irqf);
	return -ENOSPC;
}

void irq_msi_free(unsigned line)
{
	struct irq_msi *m = msi_of(line);
	if (!m)
		return;
	unsigned long irqf = irq_save();
	if (m->nr_handlers && m->mask)
		m->mask(m->ctx, m->entry, true);
	uint64_t count = m->count;
	*m = (struct irq_msi){ .count = count };
	irq_restore(irqf);
}

static int msi_request(struct irq_msi *m, irq_handler_fn handler, void *arg)
{
	unsigned long irqf = irq_save();
	if (m->nr_handlers == IRQ_MAX_HANDLERS) {
		irq_restore(irqf);
		return -EBUSY;
	}
	m->handlers[m->nr_handlers] = handler;
	m->args[m->nr_handlers] = arg;
	if (m->nr_handlers++ == 0 && m->mask)
		m->mask(m->ctx, m->entry, false);
	irq_restore(irqf);
	return 0;
}

static int msi_free_handler(struct irq_msi *m, irq_handler_fn handler, void *arg)
{
	unsigned long irqf = irq_save();
	int err = -ENOENT;
	for (unsigned i = 0; i < m->nr_handlers; i++) {
		if (m->handlers[i] != handler || m->args[i] != arg)
			continue;
		for (unsigned j = i + 1; j < m->nr_handlers; j++) {
			m->handlers[j - 1] = m->handlers[j];
			m->args[j - 1] = m->args[j];
		}
		if (--m->nr_handlers == 0 && m->mask)
			m->mask(m->ctx, m->entry, true);
		err = 0;
		break;
	}
	irq_restore(irqf);
	return err;
}

static bool gsi_dispatch(struct trap_frame *f)
{
	struct irq_gsi *g = &gsis[f->vector - VEC_GSI_BASE];
	g->count++;
	for (unsigned i = 0; i < g->nr_handlers; i++)
		g->handlers[i](g->args[i]);
	/* For a level-triggered line, EOI after the handlers have quieted the device. */
	lapic_eoi();
	return true;
}

void irq_lines_init(void)
{
	nr_gsis = MIN(ioapic_gsi_count(), (uint32_t)NR_GSI_VECTORS);
	for (uint32_t gsi = 0; gsi < nr_gsis; gsi++)
		trap_set_handler(VEC_GSI_BASE + gsi, gsi_dispatch);
}

int irq_line_request_flags(unsigned line, unsigned flags, irq_handler_fn handler, void *arg)
{
	uint32_t gsi;
	bool level, active_low;
	if (!handler)
		return -EINVAL;
	if (line >= IRQ_MSI_BASE) {
		struct irq_msi *m = msi_of(line);
		return m ? msi_request(m, handler, arg) : -EINVAL;
	}
	if (nr_gsis == 0)
		return line < 256 ? -ENODEV : -EINVAL;
	int err = resolve(line, &gsi, &level, &active_low);
	if (err)
		return err;
	if (flags & IRQ_TRIGGER_EDGE)
		level = false;
	if (flags & IRQ_TRIGGER_LEVEL)
		level = true;
	if (flags & IRQ_POLARITY_HIGH)
		active_low = false;
	if (flags & IRQ_POLARITY_LOW)
		active_low = true;

	unsigned long irqf = irq_save();
	struct irq_gsi *g = &gsis[gsi];
	if (g->nr_handlers == IRQ_MAX_HANDLERS ||
	    (g->nr_handlers && (g->level != level || g->active_low != active_low))) {
		irq_restore(irqf);
		return -EBUSY;
	}
	g->handlers[g->nr_handlers] = handler;
	g->args[g->nr_handlers] = arg;
	g->nr_handlers++;
	if (g->nr_handlers == 1) {
		g->level = level;
		g->active_low = active_low;
		err = ioapic_route(gsi, VEC_GSI_BASE + gsi, level, active_low);
		if (!err)
			err = ioapic_set_masked(gsi, false);
		if (err)
			g->nr_handlers = 0;
	}
	irq_restore(irqf);
	return err;
}

int irq_line_request(unsigned line, irq_handler_fn handler, void *arg)
{
	return irq_line_request_flags(line, 0, handler, arg);
}

int irq_line_free(unsigned line, irq_handler_fn handler, void *arg)
{
	uint32_t gsi;
	bool level, active_low;
	if (line >= IRQ_MSI_BASE) {
		struct irq_msi *m = msi_of(line);
		return m ? msi_free_handler(m, handler, arg) : -ENOENT;
	}
	if (resolve(line, &gsi, &level, &active_low))
		return -ENOENT;
	unsigned long irqf = irq_save();
	struct irq_gsi *g = &gsis[gsi];
	int err = -ENOENT;
	for (unsigned i = 0; i < g->nr_handlers; i++) {
		if (g->handlers[i] != handler || g->args[i] != arg)
			continue;
		for (unsigned j = i + 1; j < g->nr_handlers; j++) {
			g->handlers[j - 1] = g->handlers[j];
			g->args[j - 1] = g->args[j];
		}
		if (--g->nr_handlers == 0)
			ioapic_set_masked(gsi, true);
		err = 0;
		break;
	}
	irq_restore(irqf);
	return err;
}

static int set_masked(unsigned line, bool masked)
{
	uint32_t gsi;
	bool level, active_low;
	if (line >= IRQ_MSI_BASE) {
		struct irq_msi *m = msi_of(line);
		if (!m)
			return -EINVAL;
		unsigned long irqf = irq_save();
		if (m->mask)
			m->mask(m->ctx, m->entry, masked);
		irq_restore(irqf);
		return 0;
	}
	int err = resolve(line, &gsi, &level, &active_low);
	if (err)
		return err;
	unsigned long irqf = irq_save();
	err = ioapic_set_masked(gsi, masked);
	irq_restore(irqf);
	return err;
}

int irq_line_mask(unsigned line)
{
	return set_masked(line, true);
}

int irq_line_unmask(unsigned line)
{
	return set_masked(line, false);
}

uint64_t irq_line_count(unsigned line)
{
	uint32_t gsi;
	bool level, active_low;
	if (line >= IRQ_MSI_BASE)
		return line - IRQ_MSI_BASE < NR_MSI_VECTORS ? msis[line - IRQ_MSI_BASE].count : 0;
	if (resolve(line, &gsi, &level, &active_low))
		return 0;
	return gsis[gsi].count;
}

void arch_irq_init(void)
{
	pic_disable();
	lapic_init();
	ioapic_init();
	irq_lines_init();
	sti();
}
