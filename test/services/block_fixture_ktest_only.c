/* The test kernel's disks: kernel_main() does not run there, so the block tests probe them once themselves. */
#include <kernel/block.h>
#include <kernel/virtio.h>

#include "block_fixture.h"

unsigned block_fixture_probe(void)
{
	static bool done;
	static unsigned disks;
	if (!done) {
		done = true;
		virtio_blk_register();
		disks = virtio_pci_probe_all();
	}
	return disks;
}
