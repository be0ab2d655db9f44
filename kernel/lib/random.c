/* xoshiro256** seeded by splitmix64 from the clocks: fast, well spread, not secret. */
#include <frame/clock.h>
#include <frame/spinlock.h>
#include <frame/string.h>
#include <kernel/random.h>

static uint64_t state[4];
static bool seeded;
static spinlock_t random_lock = SPINLOCK_INIT("random");

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static uint64_t next_locked(void)
{
	if (!seeded) {
		uint64_t seed = clock_monotonic_ns() ^ (clock_realtime_ns() << 17);
		for (int i = 0; i < 4; i++)
			state[i] = splitmix64(&seed);
		seeded = true;
	}
	uint64_t result = rotl(state[1] * 5, 7) * 9;
	uint64_t t = state[1] << 17;
	state[2] ^= state[0];
	state[3] ^= state[1];
	state[1] ^= state[2];
	state[0] ^= state[3];
	state[2] ^= t;
	state[3] = rotl(state[3], 45);
	return result;
}

uint64_t random_u64(void)
{
	unsigned long flags = spin_lock_irqsave(&random_lock);
	uint64_t v = next_locked();
	spin_unlock_irqrestore(&random_lock, flags);
	return v;
}

void random_bytes(void *buf, size_t len)
{
	uint8_t *out = buf;
	while (len) {
		uint64_t v = random_u64();
		size_t n = len < sizeof(v) ? len : sizeof(v);
		memcpy(out, &v, n);
		out += n;
		len -= n;
	}
}
