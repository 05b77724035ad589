#!/usr/bin/env python3
"""An independent reader of TensorBoard event files, standard library only.

TensorBoard's own loader (the `tensorboard` package) is not installable on the build machines, so this
reads the format from its definitions: TFRecord framing (u64 length, masked CRC-32C of the length, the
data, masked CRC-32C of the data, little-endian), CRC-32C computed bit by bit from RFC 3720's polynomial
(reflected 0x82F63B78), and the protobuf wire format of tensorflow.Event / Summary (event.proto,
summary.proto). It checks every checksum and prints the events as JSON, one object per record:

  {"wall_time": ..., "step": ..., "file_version": "brain.Event:2"}
  {"wall_time": ..., "step": ..., "values": [{"tag": ..., "simple_value": ...},
                                             {"tag": ..., "image": {"height", "width", "colorspace",
                                                                     "png_bytes", "png_signature_ok"}}]}

Usage: read_tfevents.py EVENT_FILE
"""
import json
import math
import struct
import sys


def crc32c(data):
    crc = 0xFFFFFFFF
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0x82F63B78 if crc & 1 else crc >> 1
    return crc ^ 0xFFFFFFFF


def masked(data):
    crc = crc32c(data)
    return ((((crc >> 15) | (crc << 17)) & 0xFFFFFFFF) + 0xA282EAD8) & 0xFFFFFFFF


def varint(buf, pos):
    shift = result = 0
    while True:
        b = buf[pos]
        pos += 1
        result |= (b & 0x7F) << shift
        if not b & 0x80:
            return result, pos
        shift += 7


def fields(buf):
    """(field number, wire type, value) of each field of one message."""
    pos = 0
    while pos < len(buf):
        key, pos = varint(buf, pos)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, pos = varint(buf, pos)
        elif wire == 1:
            value = buf[pos:pos + 8]
            pos += 8
        elif wire == 2:
            n, pos = varint(buf, pos)
            value = buf[pos:pos + n]
            pos += n
        elif wire == 5:
            value = buf[pos:pos + 4]
            pos += 4
        else:
            raise ValueError("unsupported wire type %d" % wire)
        yield number, wire, value


def image(buf):
    out = {}
    for number, _, value in fields(buf):
        if number == 1:
            out["height"] = value
        elif number == 2:
            out["width"] = value
        elif number == 3:
            out["colorspace"] = value
        elif number == 4:
            out["png_bytes"] = len(value)
            out["png_signature_ok"] = bytes(value[:8]) == b"\x89PNG\r\n\x1a\n"
    return out


def summary_value(buf):
    out = {}
    for number, _, value in fields(buf):
        if number == 1:
            out["tag"] = bytes(value).decode("utf-8")
        elif number == 2:
            v = struct.unpack("<f", value)[0]
            out["simple_value"] = None if math.isnan(v) else v
        elif number == 4:
            out["image"] = image(value)
    return out


def event(buf):
    out = {}
    for number, _, value in fields(buf):
        if number == 1:
            out["wall_time"] = struct.unpack("<d", value)[0]
        elif number == 2:
            out["step"] = value
        elif number == 3:
            out["file_version"] = bytes(value).decode("utf-8")
        elif number == 5:
            out["values"] = [summary_value(v) for n, _, v in fields(value) if n == 1]
    return out


def records(path):
    with open(path, "rb") as f:
        data = f.read()
    pos = 0
    while pos < len(data):
        header = data[pos:pos + 8]
        (length,) = struct.unpack("<Q", header)
        (length_crc,) = struct.unpack("<I", data[pos + 8:pos + 12])
        if masked(header) != length_crc:
            raise ValueError("bad length checksum at offset %d" % pos)
        body = data[pos + 12:pos + 12 + length]
        (body_crc,) = struct.unpack("<I", data[pos + 12 + length:pos + 16 + length])
        if masked(body) != body_crc:
            raise ValueError("bad data checksum at offset %d" % pos)
        yield body
        pos += 16 + length


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--crc32c":
        print("%08x" % crc32c(bytes.fromhex(sys.argv[2])))
        return
    for body in records(sys.argv[1]):
        print(json.dumps(event(body)))


if __name__ == "__main__":
    main()
