/* The whole kernel: the frame brings the machine up, calls kernel_main, and powers off when it returns. */
#include <frame/boot.h>
#include <frame/log.h>

void kernel_main(void)
{
	console_printf("hello from a kernel on the Cadre frame\n");
}
