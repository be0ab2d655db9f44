/* Shared by the block and file-system tests of the test kernel: the virtio disks, probed once. */
#ifndef TEST_SERVICES_BLOCK_FIXTURE_H
#define TEST_SERVICES_BLOCK_FIXTURE_H

#include <frame/string.h>

/* Register virtio-blk and probe the PCI functions once; the number of disks found. */
unsigned block_fixture_probe(void);

#endif
