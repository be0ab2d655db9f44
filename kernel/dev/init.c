/* devices_init(): the character devices (registered with the special-file dispatcher) and the devtmpfs type. */
#include <frame/errno.h>
#include <kernel/chrdev.h>
#include <kernel/devices.h>

#include "dev_internal.h"

int devices_init(void)
{
	static bool done;
	if (done)
		return 0;
	int err = mem_devices_register();
	if (!err)
		err = tty_devices_register();
	if (!err)
		err = pty_devices_register();	/* ptys: /dev/ptmx, /dev/pts/N, devpts */
	if (!err)
		err = devtmpfs_register();
	if (!err)
		done = true;
	return err;
}
