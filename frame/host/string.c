/* Hosted frame string routines: libc has all but strlcpy (glibc < 2.38). */
#include <string.h>

#include <frame/string.h>

size_t strlcpy(char *dst, const char *src, size_t size)
{
	size_t len = strlen(src);
	if (size) {
		size_t n = len < size - 1 ? len : size - 1;
		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return len;
}
