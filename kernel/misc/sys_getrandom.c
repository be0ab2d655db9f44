/* getrandom: bytes from the kernel generator (never blocks: it is seeded at first use). */
#include <abi/errno.h>
#include <abi/random.h>
#include <frame/vm_io.h>
#include <kernel/random.h>
#include <kernel/syscalls.h>

#define CHUNK 256
#define GETRANDOM_MAX 0x7fffffff	/* Linux caps a request at INT_MAX */

int64_t sys_getrandom(char __user *buf, size_t count, uint32_t flags)
{
	uint64_t len = count;
	if (flags & ~(unsigned)(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE))
		return -EINVAL;
	if ((flags & GRND_INSECURE) && (flags & GRND_RANDOM))
		return -EINVAL;
	if (len > GETRANDOM_MAX)
		len = GETRANDOM_MAX;
	uint8_t tmp[CHUNK];
	uint64_t done = 0;
	while (done < len) {
		size_t n = len - done < CHUNK ? (size_t)(len - done) : CHUNK;
		random_bytes(tmp, n);
		size_t left = copy_to_user(buf + done, tmp, n);
		done += n - left;
		if (left)
			return done ? (int64_t)done : -EFAULT;
	}
	return (int64_t)done;
}
