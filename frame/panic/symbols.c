/* Function-name lookup in the symbol table the second link pass embeds (kit/link-kernel). */
#include <internal/panic.h>

extern const uint64_t ksym_count;
extern const uint64_t ksym_addrs[];
extern const uint32_t ksym_name_offs[];
extern const char ksym_names[];

const char *symbol_lookup(uint64_t addr, uint64_t *offset)
{
	uint64_t lo = 0, hi = ksym_count;

	if (hi == 0 || addr < ksym_addrs[0])
		return NULL;
	/* Last symbol at or below addr. */
	while (hi - lo > 1) {
		uint64_t mid = lo + (hi - lo) / 2;
		if (ksym_addrs[mid] <= addr)
			lo = mid;
		else
			hi = mid;
	}
	*offset = addr - ksym_addrs[lo];
	return &ksym_names[ksym_name_offs[lo]];
}
