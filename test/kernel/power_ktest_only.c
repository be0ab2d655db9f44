/* Machine restart, run by name (ktest=fatal_power_reboot): with QEMU -no-reboot it must exit with status 0. */
#include <frame/ktest.h>
#include <frame/power.h>

KTEST(fatal_power_reboot)
{
	KEXPECT(true); /* reached; power_reboot() never returns */
	power_reboot();
}
