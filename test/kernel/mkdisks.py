#!/usr/bin/env python3
"""Disk images for the in-kernel block tests (test/services/virtio_blk_ktest_only.c).

usage: mkdisks.py DIR

Every sector s of every image holds s as a 64-bit little-endian number,
repeated 64 times, except the partition-table sectors:
  pattern.img  16 MiB, no table                     (vda, MSI-X)
  ro.img        1 MiB, attached read-only           (vdb)
  mbr.img       8 MiB, MBR: 1 (2048+2048), 2 extended (4096+8192) holding
                5 (4159+1000) and 6 (6207+2000), 4 (12288+4096)  (vdc, INTx)
  gpt.img       8 MiB, GPT: 1 (2048-4095), 2 (4096-8191), 4 (10240-12287)  (vdd)
"""
import os
import struct
import sys
import uuid
import zlib

SECTOR = 512


def pattern(nsectors):
    out = bytearray(nsectors * SECTOR)
    for s in range(nsectors):
        out[s * SECTOR:(s + 1) * SECTOR] = struct.pack('<Q', s) * 64
    return out


def mbr_entry(ptype, start, count):
    return struct.pack('<B3sB3sII', 0, b'\0\0\0', ptype, b'\0\0\0', start, count)


def put_table(img, sector, entries):
    base = sector * SECTOR
    img[base:base + SECTOR] = bytes(SECTOR)
    for i, e in enumerate(entries):
        img[base + 446 + 16 * i:base + 462 + 16 * i] = e
    img[base + 510:base + 512] = b'\x55\xaa'


def mbr_image():
    img = pattern(16384)
    put_table(img, 0, [mbr_entry(0x83, 2048, 2048), mbr_entry(0x05, 4096, 8192),
                       bytes(16), mbr_entry(0x83, 12288, 4096)])
    # EBRs: the logical partition relative to its EBR, the next EBR relative to the extended start.
    put_table(img, 4096, [mbr_entry(0x83, 63, 1000), mbr_entry(0x05, 2048, 3000)])
    put_table(img, 6144, [mbr_entry(0x83, 63, 2000)])
    return img


def gpt_image():
    n = 16384
    img = pattern(n)
    put_table(img, 0, [mbr_entry(0xee, 1, n - 1)])
    linux = uuid.UUID('0fc63daf-8483-4772-8e79-3d69d8477de4').bytes_le
    parts = {0: (2048, 4095), 1: (4096, 8191), 3: (10240, 12287)}
    entries = bytearray(128 * 128)
    for i, (first, last) in parts.items():
        entries[i * 128:(i + 1) * 128] = (linux + uuid.uuid4().bytes_le +
                                          struct.pack('<QQQ', first, last, 0) + bytes(72))
    img[2 * SECTOR:34 * SECTOR] = entries
    hdr = bytearray(struct.pack('<8sIIIIQQQQ16sQIII', b'EFI PART', 0x10000, 92, 0, 0, 1, n - 1,
                                34, n - 34, uuid.uuid4().bytes_le, 2, 128, 128,
                                zlib.crc32(entries)))
    hdr[16:20] = struct.pack('<I', zlib.crc32(hdr))
    img[SECTOR:2 * SECTOR] = hdr + bytes(SECTOR - len(hdr))
    return img


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    for name, data in (('pattern.img', pattern(32768)), ('ro.img', pattern(2048)),
                       ('mbr.img', mbr_image()), ('gpt.img', gpt_image())):
        with open(os.path.join(out, name), 'wb') as f:
            f.write(data)


if __name__ == '__main__':
    main()
