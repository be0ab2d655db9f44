/* The spare PCI device the frame's tests use: QEMU's virtio-rng, which no Cadre driver claims (test/kernel/run attaches it). */
#ifndef TEST_KERNEL_PCI_TEST_DEV_H
#define TEST_KERNEL_PCI_TEST_DEV_H

#include <frame/errno.h>
#include <frame/pci.h>

/* virtio-rng: transitional 1af4:1005 or modern 1af4:1044. */
static inline bool pci_test_is_rng(const struct pci_info *i)
{
	return i->vendor == 0x1af4 && (i->device == 0x1005 || i->device == 0x1044);
}

/* Index of the virtio-rng function, or -ENOENT. */
static inline long pci_test_rng_index(void)
{
	struct pci_info info;
	for (size_t i = 0; pci_device_info(i, &info) == 0; i++)
		if (pci_test_is_rng(&info))
			return (long)i;
	return -ENOENT;
}

/* Claim it: 0 or a negative errno. */
static inline int pci_test_claim_rng(struct pci_device **out)
{
	long idx = pci_test_rng_index();
	if (idx < 0)
		return (int)idx;
	return pci_device_claim((size_t)idx, "ktest", out);
}

/* Physical address of its BAR @bar (64-bit memory BAR), read from configuration space. */
static inline paddr_t pci_test_bar_addr(struct pci_device *dev, unsigned bar)
{
	uint32_t lo = 0, hi = 0;
	if (pci_config_read32(dev, 0x10 + 4 * bar, &lo) || pci_config_read32(dev, 0x14 + 4 * bar, &hi))
		return 0;
	return ((paddr_t)hi << 32 | lo) & ~0xfull;
}

#endif
