/* The services' entry point: what Cadre does once the frame has the machine up. */
#include <frame/boot.h>
#include <frame/log.h>
#include <frame/string.h>

static const char *initrd_format(void)
{
	unsigned char magic[6];
	if (boot_initrd_read(0, magic, sizeof(magic)) != (ssize_t)sizeof(magic))
		return "too short to be an archive";
	if (memcmp(magic, "070701", 6) == 0)
		return "cpio (newc)";
	if (magic[0] == 0x1f && magic[1] == 0x8b)
		return "gzip";
	return "unrecognised (not cpio newc or gzip)";
}

void kernel_main(void)
{
	size_t size = boot_initrd_size();
	if (size == 0)
		pr_notice("initramfs: none given; nothing to run\n");
	else
		pr_notice("initramfs: %zu bytes, %s\n", size, initrd_format());
	pr_notice("Cadre: no user-space support yet (issue 5); powering off\n");
}
