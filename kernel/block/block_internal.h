/* Shared inside the block layer: partitions and the write helper of the device caches. */
#ifndef KERNEL_BLOCK_INTERNAL_H
#define KERNEL_BLOCK_INTERNAL_H

#include <kernel/block.h>

struct pc_batch;

/* Read @disk's MBR or GPT and add its partitions; how many were added. */
unsigned partitions_scan(struct gendisk *disk);
/* Add partition @partno of @sectors sectors at @start (checked against the disk). */
int disk_add_partition(struct gendisk *disk, unsigned partno, uint64_t start, uint64_t sectors);
/* Write sectors [@first, @first + @n) of @page at device sector @sector + @first, counted in @b. */
int bdev_write_sectors(struct block_device *bdev, uint64_t sector, struct page *page,
		       unsigned first, unsigned n, struct pc_batch *b);

#endif
