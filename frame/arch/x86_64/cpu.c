/* x86_64 boot-CPU setup: feature detection, control registers (NX, WP, SSE for user), GDT/TSS/IDT. */
#include <arch/cpu.h>
#include <arch/time.h>
#include <arch/user.h>
#include <frame/log.h>
#include <frame/string.h>
#include <internal/arch.h>

struct cpu_features cpu_features;

static void detect_features(void)
{
	struct cpu_features *f = &cpu_features;
	uint32_t a, b, c, d;

	cpuid(0, 0, &a, &b, &c, &d);
	f->max_leaf = a;
	memcpy(f->vendor + 0, &b, 4);
	memcpy(f->vendor + 4, &d, 4);
	memcpy(f->vendor + 8, &c, 4);
	f->vendor[12] = '\0';

	cpuid(1, 0, &a, &b, &c, &d);
	f->stepping = a & 0xf;
	f->model = (a >> 4) & 0xf;
	f->family = (a >> 8) & 0xf;
	if (f->family == 0xf)
		f->family += (a >> 20) & 0xff;
	if (f->family >= 6)
		f->model |= ((a >> 16) & 0xf) << 4;
	f->x2apic = c & (1u << 21);
	f->tsc_deadline = c & (1u << 24);
	f->xsave = c & (1u << 26);
	f->hypervisor = c & (1u << 31);

	if (f->max_leaf >= 7) {
		cpuid(7, 0, &a, &b, &c, &d);
		f->fsgsbase = b & (1u << 0);
		f->smep = b & (1u << 7);
		f->smap = b & (1u << 20);
	}

	cpuid(0x80000000, 0, &a, &b, &c, &d);
	f->max_ext_leaf = a;
	if (f->max_ext_leaf >= 0x80000001) {
		cpuid(0x80000001, 0, &a, &b, &c, &d);
		f->nx = d & (1u << 20);
	}
	if (f->max_ext_leaf >= 0x80000007) {
		cpuid(0x80000007, 0, &a, &b, &c, &d);
		f->invariant_tsc = d & (1u << 8);
	}
}

void arch_cpu_init(void)
{
	tsc_mark_boot();
	detect_features();

	/*
	 * CR0: write-protect applies to the kernel too; x87/SSE enabled (EM off,
	 * MP/NE on) so user programs can use them. The kernel is built without
	 * SSE, so traps need not save that state.
	 */
	write_cr0((read_cr0() & ~(CR0_EM | CR0_TS)) | CR0_MP | CR0_NE | CR0_WP);
	uint64_t cr4 = read_cr4() | CR4_OSFXSR | CR4_OSXMMEXCPT | CR4_PGE;
	/* SMEP: the kernel never executes user pages. SMAP: see user_arch_init() below. */
	if (cpu_features.smep)
		cr4 |= CR4_SMEP;
	write_cr4(cr4);
	if (cpu_features.nx)
		wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_NXE);
	__asm__ volatile("fninit");

	gdt_init();
	idt_init();
	/* Issue 3: SMAP, syscall/sysret MSRs, the FPU reset image (x87/SSE only: no XSAVE). */
	user_arch_init();

	pr_info("cpu: %s family %u model %u stepping %u%s%s%s%s%s\n", cpu_features.vendor,
		cpu_features.family, cpu_features.model, cpu_features.stepping,
		cpu_features.nx ? " nx" : "", cpu_features.smep ? " smep" : "",
		cpu_features.invariant_tsc ? " invariant-tsc" : "",
		cpu_features.tsc_deadline ? " tsc-deadline" : "",
		cpu_features.hypervisor ? " hypervisor" : "");
}
