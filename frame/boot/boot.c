/*
 * frame_boot(): the arch-independent boot sequence, from the first C code to
 * the kernel's entry point. Each step may only use what the previous ones set up.
 */
#include <frame/boot.h>
#include <frame/errno.h>
#include <frame/ktest.h>
#include <frame/log.h>
#include <frame/panic.h>
#include <frame/power.h>
#include <frame/string.h>
#include <internal/arch.h>
#include <internal/boot.h>
#include <internal/mm.h>
#include <io/io_internal.h>
#include <internal/sanitize.h>
#include <task/task_internal.h>

#define FRAME_VERSION "0.1"

void frame_boot(unsigned protocol, uint32_t info_phys);

static struct boot_info info;
static struct mem_region regions[BOOT_MEMMAP_MAX];
static size_t region_count;
static uint64_t usable_bytes;

uint64_t boot_usable_memory(void)
{
	return usable_bytes;
}

size_t boot_initrd_size(void)
{
	return info.initrd_end - info.initrd_start;
}

ssize_t boot_initrd_read(size_t off, void *buf, size_t len)
{
	size_t size = boot_initrd_size();
	if (off > size)
		return -EINVAL;
	len = MIN(len, size - off);
	memcpy(buf, (const char *)phys_to_virt(info.initrd_start) + off, len);
	return (ssize_t)len;
}

static void apply_log_params(void)
{
	char value[16];
	if (boot_param("quiet", value, sizeof(value)) >= 0)
		log_set_level(LOG_WARNING);
	if (boot_param("loglevel", value, sizeof(value)) > 0) {
		if (value[0] >= '0' && value[0] <= '9' && value[1] == '\0')
			log_set_level(value[0] - '0');
		else
			pr_warn("boot: loglevel=%s is not a level 0-9, ignored\n", value);
	}
}

/*
 * The initrd must be memory the loader described, apart from the kernel:
 * RAM, or reserved memory next to it. QEMU's loader puts the initrd just
 * below the top of low RAM, where SeaBIOS reserves room that grows with
 * the devices (six virtio disks reach into it); the loader copied the
 * initrd after the firmware was done, so those bytes are the initrd's,
 * and Linux takes it there too.
 */
static void check_initrd(void)
{
	if (!info.initrd_end)
		return;
	paddr_t s = info.initrd_start, e = info.initrd_end;
	bool in_ram = false, any_ram = false;
	for (paddr_t pos = s; pos < e;) {
		paddr_t next = pos;
		for (size_t i = 0; i < info.memmap_count; i++) {
			const struct boot_mem_entry *m = &info.memmap[i];
			if ((m->type == BOOT_MEM_RAM || m->type == BOOT_MEM_RESERVED) &&
			    m->start <= pos && pos < m->end) {
				next = m->end;
				any_ram |= m->type == BOOT_MEM_RAM;
			}
		}
		if (next == pos)
			break;
		pos = next;
		in_ram = pos >= e && any_ram;
	}
	paddr_t ks = virt_to_phys(__kernel_start), ke = virt_to_phys(__kernel_end);
	if (e <= s || !in_ram || (s < ke && e > ks) || e > BOOT_PHYS_LIMIT) {
		pr_err("boot: initrd at %#lx-%#lx is not in usable RAM, ignoring it\n",
		       (unsigned long)s, (unsigned long)e);
		info.initrd_start = info.initrd_end = 0;
	}
}

static const char *mem_type_name(uint32_t type)
{
	switch (type) {
	case BOOT_MEM_RAM: return "usable";
	case BOOT_MEM_RESERVED: return "reserved";
	case BOOT_MEM_ACPI: return "ACPI data";
	case BOOT_MEM_NVS: return "ACPI NVS";
	case BOOT_MEM_BAD: return "unusable";
	default: return "unknown";
	}
}

static void report_memory(void)
{
	for (size_t i = 0; i < info.memmap_count; i++)
		pr_debug("boot: mem %#014lx-%#014lx %s\n",
			 (unsigned long)info.memmap[i].start,
			 (unsigned long)info.memmap[i].end - 1,
			 mem_type_name(info.memmap[i].type));
	if (info.memmap_truncated)
		pr_warn("boot: memory map has more than %d entries; the rest is ignored\n",
			BOOT_MEMMAP_MAX);
	usable_bytes = 0;
	for (size_t i = 0; i < region_count; i++)
		usable_bytes += regions[i].end - regions[i].start;
}

static _Noreturn void run_ktests(void)
{
	char filter[64];
	boot_param("ktest", filter, sizeof(filter));
	int failed = ktest_run_all(filter);
	if (failed == 0)
		power_off();
	/* Exit status 5 in QEMU tells the harness tests failed, unlike a panic's 3. */
	arch_debug_exit(2);
	arch_halt();
}

void frame_boot(unsigned protocol, uint32_t info_phys)
{
	arch_console_init();
	arch_cpu_init();
	if (!arch_boot_parse(protocol, info_phys, &info))
		panic("boot: no boot information from a known loader (protocol %u)", protocol);
	boot_set_cmdline(info.cmdline);
	apply_log_params();
	if (info.cmdline_truncated)
		pr_warn("boot: command line longer than %d bytes, truncated\n",
			BOOT_CMDLINE_MAX - 1);

	boot_reserve(&info, virt_to_phys(__kernel_start), virt_to_phys(__kernel_end));
	check_initrd();
	if (info.initrd_end)
		boot_reserve(&info, info.initrd_start, info.initrd_end);
	region_count = boot_usable_regions(&info, regions, ARRAY_SIZE(regions));
	report_memory();
	/* io_mem_acquire() must never map RAM or firmware tables for a driver:
	 * everything the map does not call "reserved" (where devices live) is refused. */
	for (size_t i = 0; i < info.memmap_count; i++)
		if (info.memmap[i].type != BOOT_MEM_RESERVED)
			io_mem_reserve(info.memmap[i].start, info.memmap[i].end,
				       mem_type_name(info.memmap[i].type));
	pr_notice("Cadre frame %s (x86_64) booted by %s, memory: %lu MiB usable in %zu ranges\n",
		  FRAME_VERSION, info.loader, (unsigned long)(usable_bytes >> 20),
		  region_count);
	pr_info("Command line: %s\n", info.cmdline);
	if (usable_bytes < MiB(8))
		panic("boot: only %lu KiB of usable memory; at least 8 MiB needed",
		      (unsigned long)(usable_bytes >> 10));

	mm_init(regions, region_count);
	kernel_space_init(regions, region_count);
	/* Test build: KASAN shadow needs the kernel page tables; a no-op in a plain build. */
	sanitize_init(regions, region_count);

	if (info.initrd_end)
		pr_info("boot: initrd %#lx-%#lx (%zu bytes)\n",
			(unsigned long)info.initrd_start,
			(unsigned long)info.initrd_end, boot_initrd_size());
	else
		pr_info("boot: no initrd\n");

	arch_acpi_init(info.rsdp);
	arch_irq_init();
	arch_time_init();
	arch_vdso_init();
	task_init_boot();

	if (boot_param("ktest", NULL, 0) >= 0)
		run_ktests();
	kernel_main();
	pr_notice("kernel_main returned; powering off\n");
	power_off();
}
