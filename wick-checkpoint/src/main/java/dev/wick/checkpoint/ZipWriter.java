package dev.wick.checkpoint;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.CRC32;

/**
 * Writes a zip archive the way PyTorch's own writer lays it out: entries stored uncompressed, each
 * entry's data starting at a multiple of 64 bytes (padding goes into an extra field, as PyTorch
 * does, so storages can be memory-mapped aligned), zip64 records only where a size or offset needs
 * them. Streams to any {@link OutputStream}: sizes and CRC are known before each header is written.
 */
final class ZipWriter {
    static final int ALIGNMENT = 64;
    private static final long MAX32 = 0xFFFFFFFFL;
    private static final int PAD_ID = 0x4246; // "FB", the id PyTorch's writer uses for its padding field

    private record Written(byte[] name, long offset, long size, int crc) { }

    private final OutputStream out;
    private final boolean forceZip64;
    private final List<Written> written = new ArrayList<>();
    private final Set<String> names = new HashSet<>();
    private long pos;
    private boolean finished;

    ZipWriter(OutputStream out) { this(out, false); }

    /** {@code forceZip64} writes zip64 records even for small archives (to test them). */
    ZipWriter(OutputStream out, boolean forceZip64) {
        this.out = out;
        this.forceZip64 = forceZip64;
    }

    void add(String name, byte[] data) throws IOException {
        if (finished) throw new IllegalStateException("zip already finished");
        if (!names.add(name)) throw new IllegalArgumentException("Duplicate zip entry name: '" + name + "'");
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        if (nameBytes.length > 0xFFFF) throw new IllegalArgumentException("Zip entry name longer than 65535 bytes: '" + name + "'");
        CRC32 c = new CRC32();
        c.update(data);
        int crc = (int) c.getValue();
        long size = data.length;
        long offset = pos;
        boolean zip64 = forceZip64 || size >= MAX32;

        int z64Len = zip64 ? 20 : 0;
        long before = offset + 30 + nameBytes.length + z64Len + 4;
        int pad = (int) ((ALIGNMENT - before % ALIGNMENT) % ALIGNMENT);
        ByteBuffer h = le(30 + nameBytes.length + z64Len + 4 + pad);
        h.putInt(0x04034b50);
        h.putShort((short) (zip64 ? 45 : 20));   // version needed
        h.putShort((short) 0x0800);              // flags: names are UTF-8
        h.putShort((short) 0);                   // stored
        h.putShort((short) 0);                   // time 00:00
        h.putShort((short) 0x21);                // date 1980-01-01
        h.putInt(crc);
        h.putInt((int) (zip64 ? MAX32 : size));
        h.putInt((int) (zip64 ? MAX32 : size));
        h.putShort((short) nameBytes.length);
        h.putShort((short) (z64Len + 4 + pad));
        h.put(nameBytes);
        if (zip64) {
            h.putShort((short) 0x0001).putShort((short) 16).putLong(size).putLong(size);
        }
        h.putShort((short) PAD_ID).putShort((short) pad);
        h.put(new byte[pad]);
        write(h.array());
        write(data);
        written.add(new Written(nameBytes, offset, size, crc));
    }

    /** Writes the central directory and end records. Does not close the stream. */
    void finish() throws IOException {
        if (finished) return;
        finished = true;
        long cdStart = pos;
        for (Written w : written) {
            boolean bigSize = forceZip64 || w.size >= MAX32, bigOffset = forceZip64 || w.offset >= MAX32;
            int z64Len = (bigSize ? 16 : 0) + (bigOffset ? 8 : 0);
            int extraLen = z64Len > 0 ? 4 + z64Len : 0;
            ByteBuffer h = le(46 + w.name.length + extraLen);
            h.putInt(0x02014b50);
            h.putShort((short) (z64Len > 0 ? 45 : 20)); // version made by
            h.putShort((short) (z64Len > 0 ? 45 : 20)); // version needed
            h.putShort((short) 0x0800);
            h.putShort((short) 0);
            h.putShort((short) 0);
            h.putShort((short) 0x21);
            h.putInt(w.crc);
            h.putInt((int) (bigSize ? MAX32 : w.size));
            h.putInt((int) (bigSize ? MAX32 : w.size));
            h.putShort((short) w.name.length);
            h.putShort((short) extraLen);
            h.putShort((short) 0);   // comment
            h.putShort((short) 0);   // disk
            h.putShort((short) 0);   // internal attributes
            h.putInt(0);             // external attributes
            h.putInt((int) (bigOffset ? MAX32 : w.offset));
            h.put(w.name);
            if (z64Len > 0) {
                h.putShort((short) 0x0001).putShort((short) z64Len);
                if (bigSize) h.putLong(w.size).putLong(w.size);
                if (bigOffset) h.putLong(w.offset);
            }
            write(h.array());
        }
        long cdSize = pos - cdStart;
        int n = written.size();
        boolean zip64 = forceZip64 || n >= 0xFFFF || cdSize >= MAX32 || cdStart >= MAX32;
        if (zip64) {
            long z64At = pos;
            ByteBuffer z = le(56 + 20);
            z.putInt(0x06064b50).putLong(44).putShort((short) 45).putShort((short) 45)
                    .putInt(0).putInt(0).putLong(n).putLong(n).putLong(cdSize).putLong(cdStart);
            z.putInt(0x07064b50).putInt(0).putLong(z64At).putInt(1);
            write(z.array());
        }
        ByteBuffer e = le(22);
        e.putInt(0x06054b50).putShort((short) 0).putShort((short) 0)
                .putShort((short) (zip64 ? 0xFFFF : n)).putShort((short) (zip64 ? 0xFFFF : n))
                .putInt((int) (zip64 ? MAX32 : cdSize)).putInt((int) (zip64 ? MAX32 : cdStart))
                .putShort((short) 0);
        write(e.array());
        out.flush();
    }

    private void write(byte[] b) throws IOException {
        out.write(b);
        pos += b.length;
    }

    private static ByteBuffer le(int n) { return ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN); }
}
