/*
 * The vDSO (virtual dynamic shared object): a small ELF shared object the
 * frame builds with user-mode clock_gettime, gettimeofday, time, getcpu and
 * clock_getres (Linux's x86_64 names, __vdso_* and plain, version
 * LINUX_2.6), and the data pages before it, which the frame keeps current
 * with its clock's parameters. Clocks the data answers are read there;
 * everything else is the system call, so results are always the kernel's.
 *
 * A service maps vdso_page(0 .. vdso_pages() - 1) in order, contiguously and
 * read-only into a program: VDSO_DATA_PAGES data pages (readable, Linux's
 * [vvar]) then the image (readable and executable, [vdso]), whose start is
 * the program's AT_SYSINFO_EHDR. The pages are the frame's for good: a
 * service only maps them (private: a write through a writable mapping
 * copies) and gives back the references it took.
 */
#ifndef FRAME_VDSO_H
#define FRAME_VDSO_H

#include <frame/types.h>

struct page;

#define VDSO_DATA_PAGES 4	/* as Linux's x86_64 [vvar] */

/* Pages of the whole mapping, data and image; 0 when there is no vDSO (map nothing then). */
size_t vdso_pages(void);

/* Page @i of the mapping with a reference for the caller (page_put()), or NULL past the end. */
struct page *vdso_page(size_t i);

#endif
