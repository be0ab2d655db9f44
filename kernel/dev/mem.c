/* The memory devices of major 1: null (3), zero (5), full (7), random (8), urandom (9), with Linux's semantics. */
#include <frame/errno.h>
#include <frame/string.h>
#include <kernel/chrdev.h>
#include <kernel/random.h>

#include "dev_internal.h"

static ssize_t read_nothing(struct file *f, void *buf, size_t len, uint64_t *pos)
{
	(void)f, (void)buf, (void)len, (void)pos;
	return 0;
}

static ssize_t read_zeros(struct file *f, void *buf, size_t len, uint64_t *pos)
{
	(void)f, (void)pos;
	memset(buf, 0, len);
	return (ssize_t)len;
}

static ssize_t read_random(struct file *f, void *buf, size_t len, uint64_t *pos)
{
	(void)f, (void)pos;
	random_bytes(buf, len);
	return (ssize_t)len;
}

/* Writes vanish (null, zero) or stir nothing (random: no entropy pool to feed), all accepted. */
static ssize_t write_sink(struct file *f, const void *buf, size_t len, uint64_t *pos)
{
	(void)f, (void)buf, (void)pos;
	return (ssize_t)len;
}

static ssize_t write_full(struct file *f, const void *buf, size_t len, uint64_t *pos)
{
	(void)f, (void)buf, (void)len, (void)pos;
	return -ENOSPC;
}

/* Linux's null_lseek/full_lseek: any seek succeeds and leaves the offset at 0. */
static int64_t seek_zero(struct file *f, int64_t off, int whence)
{
	(void)f, (void)off, (void)whence;
	return 0;
}

/* noop_llseek: the offset stays where it is. */
static int64_t seek_noop(struct file *f, int64_t off, int whence)
{
	(void)off, (void)whence;
	return (int64_t)f->pos;
}

/* No poll op: always ready, as Linux's memory devices. */
static const struct file_ops null_fops = {
	.read = read_nothing, .write = write_sink, .llseek = seek_zero, .positional = true,
};
static const struct file_ops zero_fops = {
	.read = read_zeros, .write = write_sink, .llseek = seek_zero, .positional = true,
};
static const struct file_ops full_fops = {
	.read = read_zeros, .write = write_full, .llseek = seek_zero, .positional = true,
};
static const struct file_ops random_fops = {
	.read = read_random, .write = write_sink, .llseek = seek_noop, .positional = true,
};

static const struct chrdev_ops null_dev = { .fops = &null_fops };
static const struct chrdev_ops zero_dev = { .fops = &zero_fops };
static const struct chrdev_ops full_dev = { .fops = &full_fops };
static const struct chrdev_ops random_dev = { .fops = &random_fops };

int mem_devices_register(void)
{
	int err = chrdev_register(MEM_MAJOR, MEM_NULL_MINOR, 1, &null_dev);
	if (!err)
		err = chrdev_register(MEM_MAJOR, MEM_ZERO_MINOR, 1, &zero_dev);
	if (!err)
		err = chrdev_register(MEM_MAJOR, MEM_FULL_MINOR, 1, &full_dev);
	if (!err)
		err = chrdev_register(MEM_MAJOR, MEM_RANDOM_MINOR, 2, &random_dev);
	return err;
}

void mem_devices_unregister(void)
{
	chrdev_unregister(MEM_MAJOR, MEM_NULL_MINOR);
	chrdev_unregister(MEM_MAJOR, MEM_ZERO_MINOR);
	chrdev_unregister(MEM_MAJOR, MEM_FULL_MINOR);
	chrdev_unregister(MEM_MAJOR, MEM_RANDOM_MINOR);
}
