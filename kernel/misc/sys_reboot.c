/* reboot: power off, halt (also powers off: nothing useful is left to run) and restart the machine. */
#include <abi/errno.h>
#include <abi/reboot.h>
#include <frame/log.h>
#include <frame/power.h>
#include <kernel/proc.h>
#include <kernel/syscalls.h>

int64_t sys_reboot(uint32_t magic1, uint32_t magic2, uint32_t cmd, void __user *arg)
{
	(void)arg;	/* LINUX_REBOOT_CMD_RESTART2's command string: not used */
	if (process_current()->cred.euid != 0)
		return -EPERM;	/* CAP_SYS_BOOT, checked first as Linux */
	if (magic1 != LINUX_REBOOT_MAGIC1 ||
	    (magic2 != LINUX_REBOOT_MAGIC2 && magic2 != LINUX_REBOOT_MAGIC2A &&
	     magic2 != LINUX_REBOOT_MAGIC2B && magic2 != LINUX_REBOOT_MAGIC2C))
		return -EINVAL;
	switch (cmd) {
	case LINUX_REBOOT_CMD_CAD_ON:
	case LINUX_REBOOT_CMD_CAD_OFF:
		return 0;
	case LINUX_REBOOT_CMD_POWER_OFF:
	case LINUX_REBOOT_CMD_HALT:
		pr_notice("reboot: Power down\n");
		power_off();
	case LINUX_REBOOT_CMD_RESTART:
	case LINUX_REBOOT_CMD_RESTART2:	/* the command string is not used */
		pr_notice("reboot: Restarting system\n");
		power_reboot();
	default:
		return -EINVAL;
	}
}
