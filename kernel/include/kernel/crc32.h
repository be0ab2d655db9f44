/* CRC-32 (IEEE 802.3, reflected 0xEDB88320), as gzip and zlib's crc32() compute it. */
#ifndef KERNEL_CRC32_H
#define KERNEL_CRC32_H

#include <frame/types.h>

/* Continue @crc (0 to start) over @len bytes. */
uint32_t crc32_update(uint32_t crc, const void *buf, size_t len);

#endif
