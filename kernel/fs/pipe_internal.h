/* Pipe internals shared by pipe.c (the ring and anonymous pipes) and fifo.c (named pipes). */
#ifndef KERNEL_FS_PIPE_INTERNAL_H
#define KERNEL_FS_PIPE_INTERNAL_H

#include <frame/mutex.h>
#include <frame/wait.h>
#include <kernel/file.h>
#include <kernel/poll.h>

#define PIPEFS_MAGIC 0x50495045u

struct pipe {
	struct mutex lock;	/* the ring; counts change under it too */
	uint8_t *buf;
	uint32_t cap;		/* a power of two, >= one page */
	uint32_t head;		/* next byte to read */
	uint32_t len;		/* bytes in the ring (read without the lock by wait conditions) */
	uint32_t readers, writers;	/* open ends */
	uint32_t r_counter, w_counter;	/* opens ever, for FIFO rendezvous */
	uint32_t files;		/* files attached; the last release frees */
	struct wait_queue wq;	/* readers, writers, pollers and FIFO openers; woken all at once */
	/* FIFOs: the inode whose pipe this is (fifo.c's table), NULL for pipe2's. */
	struct inode *fifo;
	struct pipe *fifo_next;
};

extern const struct file_ops pipe_file_ops;

struct pipe *pipe_alloc(void);
void pipe_free(struct pipe *p);
/* A file end attached: count it and wake openers waiting for the other side. */
void pipe_add_end(struct pipe *p, bool rd, bool wr);
/* A file end gone; true if it was the last file. */
bool pipe_drop_end(struct pipe *p, bool rd, bool wr);
ssize_t pipe_read(struct pipe *p, void *buf, size_t len, bool nonblock);
ssize_t pipe_write(struct pipe *p, const void *buf, size_t len, bool nonblock);
unsigned pipe_poll_mask(struct pipe *p, struct file *f, struct poll_table *pt);
/* The release of a FIFO end (detaches the pipe from its inode with the last one). */
void fifo_release(struct pipe *p, bool rd, bool wr);

#endif
