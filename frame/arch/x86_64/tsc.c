/* TSC: calibrated against the HPET (PIT fallback); the counter behind arch_clock_ns(). */
#include <arch/cpu.h>
#include <arch/time.h>
#include <frame/log.h>
#include <internal/arch.h>
#include <timer/timer_internal.h>

static uint64_t tsc_freq;
/* ns = (tsc - tsc_base) * tsc_mult >> 32; tsc_mult is 0 until calibrated. */
static uint64_t tsc_mult;
static uint64_t tsc_base;

#define CALIBRATE_MS 10
#define CALIBRATE_RUNS 5

static uint64_t median(uint64_t *v, int n)
{
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 && v[j - 1] > v[j]; j--) {
			uint64_t t = v[j];
			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	return v[n / 2];
}

static uint64_t calibrate_hpet_once(void)
{
	uint64_t span = hpet_hz() * CALIBRATE_MS / 1000;
	uint64_t h0 = hpet_counter();
	uint64_t t0 = rdtsc();
	uint64_t h1;
	while ((h1 = hpet_counter()) - h0 < span)
		cpu_relax();
	uint64_t t1 = rdtsc();
	/* (t1 - t0) < 2^32 for 10 ms below 400 GHz; hpet_hz < 2^32: the product fits. */
	return (t1 - t0) * hpet_hz() / (h1 - h0);
}

static uint64_t calibrate_pit_once(void)
{
	uint64_t t0 = rdtsc();
	pit_wait_us(CALIBRATE_MS * 1000);
	uint64_t t1 = rdtsc();
	return (t1 - t0) * (1000 / CALIBRATE_MS);
}

void tsc_mark_boot(void)
{
	tsc_base = rdtsc();
}

void tsc_calibrate(void)
{
	uint64_t runs[CALIBRATE_RUNS];
	const char *ref = "HPET";
	bool use_hpet = hpet_present();
	if (!use_hpet)
		ref = "PIT";
	for (int i = 0; i < CALIBRATE_RUNS; i++)
		runs[i] = use_hpet ? calibrate_hpet_once() : calibrate_pit_once();
	uint64_t hz = median(runs, CALIBRATE_RUNS);
	if (hz < 1000000) {
		pr_err("tsc: calibration against the %s failed (%lu Hz)\n", ref, hz);
		return;
	}
	tsc_freq = hz;
	if (!tsc_base)
		tsc_base = rdtsc();
	/* Set last: arch_clock_ns() reads 0 until the multiplier exists. */
	__atomic_store_n(&tsc_mult, (1000000000ull << 32) / hz, __ATOMIC_RELEASE);
	pr_info("tsc: %lu.%06lu MHz (calibrated against the %s)%s\n", hz / 1000000, hz % 1000000,
		ref, cpu_features.invariant_tsc ? "" : ", not marked invariant");
}

uint64_t tsc_hz(void)
{
	return tsc_freq;
}

void tsc_params(uint64_t *base, uint64_t *mult)
{
	*mult = __atomic_load_n(&tsc_mult, __ATOMIC_ACQUIRE);
	*base = tsc_base;
}

uint64_t tsc_delta_to_ns(uint64_t delta)
{
	return (uint64_t)(((unsigned __int128)delta * tsc_mult) >> 32);
}

uint64_t arch_clock_ns(void)
{
	uint64_t mult = __atomic_load_n(&tsc_mult, __ATOMIC_ACQUIRE);
	if (!mult)
		return 0;
	return (uint64_t)(((unsigned __int128)(rdtsc() - tsc_base) * mult) >> 32);
}

uint64_t arch_clock_hz(void)
{
	return tsc_freq;
}
