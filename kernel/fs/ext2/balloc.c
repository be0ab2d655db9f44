/* ext2 block and inode allocation: the groups' bitmaps, their descriptors' counts and the superblock's totals. */
#include <frame/errno.h>
#include <frame/string.h>

#include "ext2.h"

/* Write group @g's descriptor into the primary descriptor table (the device's cache). */
static void write_desc(struct ext2_fs *fs, uint32_t g)
{
	struct buf b;
	uint32_t block = fs->s.s_first_data_block + 1 + g / fs->desc_per_block;
	if (bread(fs->bdev, block, fs->block_size, &b)) {
		ext2_warn(fs, "cannot write group descriptor", g);
		return;
	}
	(void)buf_write(&b, (g % fs->desc_per_block) * sizeof(struct ext2_group_desc), &fs->gd[g],
			sizeof(fs->gd[g]));
	brelse(&b);
}

/* Bits of group @g's bitmap that stand for real blocks (the last group may be short). */
static uint32_t group_blocks(const struct ext2_fs *fs, uint32_t g)
{
	uint32_t first = fs->s.s_first_data_block + g * fs->blocks_per_group;
	return MIN(fs->blocks_per_group, fs->s.s_blocks_count - first);
}

/* Find and set a clear bit of bitmap block @block among bits [@from, @nbits): its index, or -ENOSPC. */
static int64_t take_bit(struct ext2_fs *fs, uint32_t block, uint32_t from, uint32_t nbits)
{
	struct buf b;
	if (bread(fs->bdev, block, fs->block_size, &b))
		return -EIO;
	uint8_t chunk[64];
	int64_t found = -ENOSPC;
	for (uint32_t base = from & ~7u; base < nbits && found < 0; base += sizeof(chunk) * 8) {
		uint32_t bytes = MIN((uint32_t)sizeof(chunk), (nbits - base + 7) / 8);
		if (buf_read(&b, base / 8, chunk, bytes)) {
			found = -EIO;
			break;
		}
		for (uint32_t i = 0; i < bytes && found < 0; i++) {
			if (chunk[i] == 0xff)
				continue;
			for (unsigned bit = 0; bit < 8; bit++) {
				uint32_t n = base + i * 8 + bit;
				if (n < from || n >= nbits || (chunk[i] >> bit & 1))
					continue;
				uint8_t v = (uint8_t)(chunk[i] | 1u << bit);
				if (buf_write(&b, base / 8 + i, &v, 1))
					found = -EIO;
				else
					found = n;
				break;
			}
		}
	}
	brelse(&b);
	return found;
}

/* Clear bit @n of bitmap block @block; false if it was already clear (a double free: corruption). */
static bool clear_bit(struct ext2_fs *fs, uint32_t block, uint32_t n)
{
	struct buf b;
	if (bread(fs->bdev, block, fs->block_size, &b))
		return false;
	uint8_t v;
	bool was = false;
	if (!buf_read(&b, n / 8, &v, 1)) {
		was = v >> (n % 8) & 1;
		v = (uint8_t)(v & ~(1u << (n % 8)));
		(void)buf_write(&b, n / 8, &v, 1);
	}
	brelse(&b);
	return was;
}

int ext2_alloc_block(struct ext2_fs *fs, uint32_t goal_group, uint32_t *out)
{
	mutex_lock(&fs->meta);
	int err = -ENOSPC;
	for (uint32_t k = 0; k < fs->groups; k++) {
		uint32_t g = (goal_group + k) % fs->groups;
		if (fs->gd[g].bg_free_blocks_count == 0)
			continue;
		int64_t bit = take_bit(fs, fs->gd[g].bg_block_bitmap, 0, group_blocks(fs, g));
		if (bit == -ENOSPC) {
			ext2_warn(fs, "free blocks count wrong for group", g);
			fs->gd[g].bg_free_blocks_count = 0;
			continue;
		}
		if (bit < 0) {
			err = (int)bit;
			break;
		}
		fs->gd[g].bg_free_blocks_count--;
		if (fs->s.s_free_blocks_count)
			fs->s.s_free_blocks_count--;
		write_desc(fs, g);
		*out = fs->s.s_first_data_block + g * fs->blocks_per_group + (uint32_t)bit;
		err = 0;
		break;
	}
	mutex_unlock(&fs->meta);
	return err;
}

void ext2_free_block(struct ext2_fs *fs, uint32_t block)
{
	if (!ext2_block_valid(fs, block)) {
		ext2_warn(fs, "freeing block not in datazone:", block);
		return;
	}
	uint32_t rel = block - fs->s.s_first_data_block;
	uint32_t g = rel / fs->blocks_per_group;
	mutex_lock(&fs->meta);
	if (!clear_bit(fs, fs->gd[g].bg_block_bitmap, rel % fs->blocks_per_group)) {
		ext2_warn(fs, "bit already cleared for block", block);
	} else {
		fs->gd[g].bg_free_blocks_count++;
		fs->s.s_free_blocks_count++;
		write_desc(fs, g);
	}
	mutex_unlock(&fs->meta);
}

int ext2_alloc_inode(struct ext2_fs *fs, uint32_t parent_group, bool dir, uint32_t *out)
{
	mutex_lock(&fs->meta);
	int err = -ENOSPC;
	/* Directories go to the emptiest group at or after the parent's, files near their parent. */
	uint32_t start = parent_group % fs->groups;
	if (dir) {
		uint32_t best = start, most = 0;
		for (uint32_t k = 0; k < fs->groups; k++) {
			uint32_t g = (parent_group + k) % fs->groups;
			if (fs->gd[g].bg_free_inodes_count > most) {
				most = fs->gd[g].bg_free_inodes_count;
				best = g;
			}
		}
		start = best;
	}
	for (uint32_t k = 0; k < fs->groups; k++) {
		uint32_t g = (start + k) % fs->groups;
		if (fs->gd[g].bg_free_inodes_count == 0)
			continue;
		uint32_t from = g == 0 ? fs->first_ino - 1 : 0;
		int64_t bit = take_bit(fs, fs->gd[g].bg_inode_bitmap, from, fs->inodes_per_group);
		if (bit == -ENOSPC) {
			ext2_warn(fs, "free inodes count wrong for group", g);
			fs->gd[g].bg_free_inodes_count = 0;
			continue;
		}
		if (bit < 0) {
			err = (int)bit;
			break;
		}
		fs->gd[g].bg_free_inodes_count--;
		if (dir)
			fs->gd[g].bg_used_dirs_count++;
		if (fs->s.s_free_inodes_count)
			fs->s.s_free_inodes_count--;
		write_desc(fs, g);
		*out = g * fs->inodes_per_group + (uint32_t)bit + 1;
		err = 0;
		break;
	}
	mutex_unlock(&fs->meta);
	return err;
}

void ext2_free_inode(struct ext2_fs *fs, uint32_t ino, bool dir)
{
	if (ino < fs->first_ino || ino > fs->s.s_inodes_count) {
		ext2_warn(fs, "freeing reserved or nonexistent inode", ino);
		return;
	}
	uint32_t g = (ino - 1) / fs->inodes_per_group;
	mutex_lock(&fs->meta);
	if (!clear_bit(fs, fs->gd[g].bg_inode_bitmap, (ino - 1) % fs->inodes_per_group)) {
		ext2_warn(fs, "bit already cleared for inode", ino);
	} else {
		fs->gd[g].bg_free_inodes_count++;
		if (dir && fs->gd[g].bg_used_dirs_count)
			fs->gd[g].bg_used_dirs_count--;
		fs->s.s_free_inodes_count++;
		write_desc(fs, g);
	}
	mutex_unlock(&fs->meta);
}
