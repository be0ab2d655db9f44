/* CRC-32 (IEEE, reflected) with a byte-wise table built on first use. */
#include <kernel/crc32.h>

static uint32_t table[256];
static bool table_ready;

static void build_table(void)
{
	for (uint32_t n = 0; n < 256; n++) {
		uint32_t c = n;
		for (int k = 0; k < 8; k++)
			c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
		table[n] = c;
	}
	/* Racing builders write identical values, so a late flag is harmless. */
	__atomic_store_n(&table_ready, true, __ATOMIC_RELEASE);
}

uint32_t crc32_update(uint32_t crc, const void *buf, size_t len)
{
	if (!__atomic_load_n(&table_ready, __ATOMIC_ACQUIRE))
		build_table();
	const uint8_t *p = buf;
	crc = ~crc;
	for (size_t i = 0; i < len; i++)
		crc = table[(crc ^ p[i]) & 0xff] ^ (crc >> 8);
	return ~crc;
}
