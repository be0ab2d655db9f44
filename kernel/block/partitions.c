/*
 * Partition tables: MBR (primary entries, the extended chain with logical
 * partitions from 5, as Linux numbers them) and GPT (header and entry CRCs
 * checked; a protective MBR points to it). Anything that does not parse is
 * reported and ignored: the disk stays usable whole.
 */
#include <frame/errno.h>
#include <frame/heap.h>
#include <frame/log.h>
#include <frame/string.h>
#include <kernel/crc32.h>

#include "block_internal.h"

#define MBR_TYPE_GPT 0xee
#define MBR_MAX_LOGICAL 64
#define GPT_MAX_ENTRIES 128

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t le64(const uint8_t *p)
{
	return (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32;
}

static int read_sector(struct gendisk *disk, uint64_t sector, uint8_t *buf)
{
	if (sector >= disk->sectors)
		return -EIO;
	return bdev_rw_direct(disk->parts[0], BIO_READ, sector, buf, SECTOR_SIZE);
}

static bool is_extended(uint8_t type)
{
	return type == 0x05 || type == 0x0f || type == 0x85;
}

static unsigned scan_gpt(struct gendisk *disk, uint8_t *sec)
{
	if (read_sector(disk, 1, sec) || memcmp(sec, "EFI PART", 8) != 0)
		return 0;
	uint32_t hsize = le32(sec + 12), hcrc = le32(sec + 16);
	if (hsize < 92 || hsize > SECTOR_SIZE) {
		pr_warn("%s: GPT header size %u is invalid, table ignored\n", disk->name, hsize);
		return 0;
	}
	uint8_t hdr[SECTOR_SIZE];
	memcpy(hdr, sec, SECTOR_SIZE);
	memset(hdr + 16, 0, 4);
	if (crc32_update(0, hdr, hsize) != hcrc) {
		pr_warn("%s: GPT header CRC mismatch, table ignored\n", disk->name);
		return 0;
	}
	uint64_t entries_lba = le64(sec + 72);
	uint32_t count = le32(sec + 80), esize = le32(sec + 84), ecrc = le32(sec + 88);
	uint64_t first_usable = le64(sec + 40), last_usable = le64(sec + 48);
	if (esize < 128 || esize > SECTOR_SIZE || (esize & (esize - 1)) || count == 0 ||
	    count > 4096) {
		pr_warn("%s: GPT entry layout %u x %u is invalid, table ignored\n", disk->name,
			count, esize);
		return 0;
	}
	size_t bytes = (size_t)count * esize;
	size_t nsec = (bytes + SECTOR_SIZE - 1) / SECTOR_SIZE;
	uint8_t *ents = kmalloc(nsec * SECTOR_SIZE);
	if (!ents)
		return 0;
	unsigned added = 0;
	if (entries_lba >= disk->sectors || nsec > disk->sectors - entries_lba ||
	    bdev_rw_direct(disk->parts[0], BIO_READ, entries_lba, ents, nsec * SECTOR_SIZE)) {
		pr_warn("%s: GPT entries unreadable, table ignored\n", disk->name);
		goto out;
	}
	if (crc32_update(0, ents, bytes) != ecrc) {
		pr_warn("%s: GPT entries CRC mismatch, table ignored\n", disk->name);
		goto out;
	}
	static const uint8_t zero_guid[16];
	for (uint32_t i = 0; i < count && i < GPT_MAX_ENTRIES; i++) {
		const uint8_t *e = ents + (size_t)i * esize;
		if (!memcmp(e, zero_guid, 16))
			continue;
		uint64_t start = le64(e + 32), end = le64(e + 40);
		if (i + 1 > DISK_MAX_PARTS) {
			pr_warn("%s: GPT entry %u beyond partition %u, ignored\n", disk->name, i + 1,
				DISK_MAX_PARTS);
			continue;
		}
		if (end < start || start < first_usable || end > last_usable) {
			pr_warn("%s: GPT entry %u (%llu-%llu) outside the usable area, ignored\n",
				disk->name, i + 1, (unsigned long long)start, (unsigned long long)end);
			continue;
		}
		if (disk_add_partition(disk, i + 1, start, end - start + 1) == 0)
			added++;
	}
out:
	kfree(ents);
	return added;
}

static unsigned scan_extended(struct gendisk *disk, uint64_t ext_start, uint64_t ext_size,
			      uint8_t *sec)
{
	unsigned added = 0, partno = 5;
	uint64_t ebr = ext_start;
	for (unsigned n = 0; n < MBR_MAX_LOGICAL && partno <= DISK_MAX_PARTS; n++) {
		if (read_sector(disk, ebr, sec) || sec[510] != 0x55 || sec[511] != 0xaa)
			break;
		const uint8_t *e0 = sec + 446, *e1 = sec + 462;
		uint32_t rel = le32(e0 + 8), cnt = le32(e0 + 12);
		if (e0[4] && cnt && !is_extended(e0[4]) &&
		    disk_add_partition(disk, partno, ebr + rel, cnt) == 0)
			added++;
		if (e0[4] && cnt)
			partno++;
		uint32_t next = le32(e1 + 8);
		if (!is_extended(e1[4]) || next == 0 || next >= ext_size)
			break;
		/* A chain that points backwards would loop: Linux walks forward only too. */
		if (ext_start + next <= ebr)
			break;
		ebr = ext_start + next;
	}
	return added;
}

unsigned partitions_scan(struct gendisk *disk)
{
	uint8_t *sec = kmalloc(SECTOR_SIZE);
	if (!sec)
		return 0;
	unsigned added = 0;
	if (read_sector(disk, 0, sec) || sec[510] != 0x55 || sec[511] != 0xaa)
		goto out;
	uint8_t mbr[64];
	memcpy(mbr, sec + 446, sizeof(mbr));
	for (int i = 0; i < 4; i++)
		if (mbr[i * 16 + 4] == MBR_TYPE_GPT) {
			added = scan_gpt(disk, sec);
			goto out;
		}
	/* An MBR is only a partition table if its boot flags are sane (a file system's boot sector is not). */
	for (int i = 0; i < 4; i++)
		if (mbr[i * 16] != 0 && mbr[i * 16] != 0x80)
			goto out;
	for (int i = 0; i < 4; i++) {
		const uint8_t *e = mbr + i * 16;
		uint32_t start = le32(e + 8), cnt = le32(e + 12);
		if (!e[4] || !cnt)
			continue;
		if (is_extended(e[4])) {
			/* Linux shows the extended partition as a 2-sector device. */
			if (disk_add_partition(disk, (unsigned)i + 1, start, MIN(cnt, 2u)) == 0)
				added++;
			added += scan_extended(disk, start, cnt, sec);
		} else if (disk_add_partition(disk, (unsigned)i + 1, start, cnt) == 0) {
			added++;
		}
	}
out:
	kfree(sec);
	return added;
}
