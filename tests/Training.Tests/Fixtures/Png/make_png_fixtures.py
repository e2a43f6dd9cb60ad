#!/usr/bin/env python3
"""Writes the PNG fixtures of PngDecoderTests with an encoder independent of the one under test (Python's zlib,
the PNG specification's filters written out here), plus <name>.rgb: the expected 8-bit RGB pixels.

Run from this folder: python3 make_png_fixtures.py   (the files are committed; rerun only to change them)
"""
import random
import struct
import zlib

ADAM7 = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]
CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}


def chunk(kind, body):
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)


def pack_row(samples, depth):
    """samples: list of ints for one scanline (all channels), packed big-endian at the bit depth."""
    if depth == 16:
        return b"".join(struct.pack(">H", s) for s in samples)
    if depth == 8:
        return bytes(samples)
    out, acc, bits = bytearray(), 0, 0
    for s in samples:
        acc = (acc << depth) | s
        bits += depth
        if bits == 8:
            out.append(acc)
            acc, bits = 0, 0
    if bits:
        out.append(acc << (8 - bits))
    return bytes(out)


def paeth(a, b, c):
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    return a if pa <= pb and pa <= pc else (b if pb <= pc else c)


def filter_row(kind, row, prev, bpp):
    out = bytearray([kind])
    for i, x in enumerate(row):
        a = row[i - bpp] if i >= bpp else 0
        b = prev[i] if prev else 0
        c = prev[i - bpp] if prev and i >= bpp else 0
        predictor = [0, a, b, (a + b) // 2, paeth(a, b, c)][kind]
        out.append((x - predictor) & 0xFF)
    return bytes(out)


def image_data(pixels, width, height, depth, channels, interlaced):
    """pixels[y][x] is a tuple of channel samples."""
    bpp = max(1, channels * depth // 8)
    passes = ADAM7 if interlaced else [(0, 0, 1, 1)]
    raw, kind = bytearray(), 0
    for x0, y0, dx, dy in passes:
        xs = list(range(x0, width, dx))
        ys = list(range(y0, height, dy))
        if not xs or not ys:
            continue
        prev = None
        for y in ys:
            row = pack_row([s for x in xs for s in pixels[y][x]], depth)
            raw += filter_row(kind % 5, row, prev, bpp)
            kind += 1
            prev = row
    return bytes(raw)


def expected_rgb(pixels, width, height, depth, color_type, palette):
    out = bytearray()
    for y in range(height):
        for x in range(width):
            p = pixels[y][x]
            if color_type == 3:
                out += bytes(palette[p[0]])
            elif color_type in (0, 4):
                v = p[0] >> 8 if depth == 16 else (p[0] * 255 // ((1 << depth) - 1) if depth < 8 else p[0])
                out += bytes([v, v, v])
            else:
                out += bytes([(s >> 8) if depth == 16 else s for s in p[:3]])
    return bytes(out)


def write(name, width, height, depth, color_type, interlaced=False, seed=0):
    rng = random.Random(seed)
    channels = CHANNELS[color_type]
    palette = None
    if color_type == 3:
        palette = [(rng.randrange(256), rng.randrange(256), rng.randrange(256)) for _ in range(1 << depth)]
        pixels = [[(rng.randrange(1 << depth),) for _ in range(width)] for _ in range(height)]
    else:
        top = (1 << depth) - 1
        pixels = [[tuple(rng.randrange(top + 1) for _ in range(channels)) for _ in range(width)] for _ in range(height)]
    header = struct.pack(">IIBBBBB", width, height, depth, color_type, 0, 0, 1 if interlaced else 0)
    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
    if palette:
        png += chunk(b"PLTE", b"".join(bytes(c) for c in palette))
    compressed = zlib.compress(image_data(pixels, width, height, depth, channels, interlaced), 9)
    # Two IDAT chunks, so that joining them is exercised too.
    half = len(compressed) // 2
    png += chunk(b"IDAT", compressed[:half]) + chunk(b"IDAT", compressed[half:]) + chunk(b"IEND", b"")
    with open(name + ".png", "wb") as f:
        f.write(png)
    with open(name + ".rgb", "wb") as f:
        f.write(expected_rgb(pixels, width, height, depth, color_type, palette))


write("gray1", 13, 7, 1, 0, seed=1)
write("gray8", 9, 5, 8, 0, seed=2)
write("gray16", 6, 4, 16, 0, seed=3)
write("gray_alpha8", 7, 3, 8, 4, seed=4)
write("rgb8", 11, 6, 8, 2, seed=5)
write("rgb16", 5, 5, 16, 2, seed=6)
write("palette2", 10, 4, 2, 3, seed=7)
write("palette8", 8, 8, 8, 3, seed=8)
write("rgba8_interlaced", 13, 11, 8, 6, interlaced=True, seed=9)
write("gray4_interlaced", 9, 9, 4, 0, interlaced=True, seed=10)
