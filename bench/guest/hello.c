/* The static program the exec benchmarks start: prints a greeting and exits 0. */
#include <unistd.h>

int main(void)
{
	static const char msg[] = "hello\n";
	return write(1, msg, sizeof(msg) - 1) == (long)sizeof(msg) - 1 ? 0 : 1;
}
