/*
 * DEFLATE (RFC 1951) and gzip (RFC 1952) decompression, streaming: input is
 * pulled from a callback, output pushed to one. Every input and output
 * access is bounds checked; corrupt data is an error, never a crash.
 */
#ifndef KERNEL_INFLATE_H
#define KERNEL_INFLATE_H

#include <frame/types.h>

struct inflate_io {
	/* Up to @len input bytes: count, 0 at end of input, or -errno. */
	ssize_t (*read)(void *ctx, void *buf, size_t len);
	/* Take @len output bytes: 0 or -errno (which stops inflation). */
	int (*write)(void *ctx, const void *buf, size_t len);
	void *ctx;
	/* Output limit: more is an error (-EFBIG). 0: none. */
	uint64_t max_out;
	/* Filled in: input bytes consumed by the stream (exactly), output produced. */
	uint64_t in_used, out_total;
	/* Filled in on error: a short description. */
	const char *error;
};

/* Errors: -EINVAL corrupt, -EIO input ended early, -ENOMEM, or the callbacks' own. */
int inflate_raw(struct inflate_io *io);
/* One gzip member: header, deflate data, CRC32 and size check. */
int gunzip(struct inflate_io *io);

#endif
