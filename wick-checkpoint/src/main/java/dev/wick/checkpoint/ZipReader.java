package dev.wick.checkpoint;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * A reader for the zip archives {@code torch.save} writes: uncompressed (stored) entries, optionally
 * zip64. Every size and offset read from the file is checked against the file's real length before
 * anything is allocated, entries may not overlap (so the bytes handed out never exceed the file's
 * size), compressed or encrypted entries are refused, and each entry's CRC-32 is verified on read
 * (except a stored CRC of 0, which writers that skip the checksum leave).
 */
final class ZipReader implements Closeable {
    private static final int EOCD_SIG = 0x06054b50, CEN_SIG = 0x02014b50, LOC_SIG = 0x04034b50;
    private static final int ZIP64_EOCD_SIG = 0x06064b50, ZIP64_LOCATOR_SIG = 0x07064b50;
    private static final int EOCD_LEN = 22, CEN_LEN = 46, LOC_LEN = 30, ZIP64_EOCD_LEN = 56, ZIP64_LOCATOR_LEN = 20;
    static final int MAX_ENTRIES = 1_000_000;
    static final long MAX_CENTRAL_DIRECTORY_BYTES = 256L << 20;
    /** The largest entry read into one Java array. */
    static final int MAX_ENTRY_BYTES = Integer.MAX_VALUE - 16;

    /** One stored entry: its data lies at {@code [dataOffset, dataOffset + size)} of the file. */
    record Entry(String name, long dataOffset, long size, int crc) { }

    private final FileChannel ch;
    private final String source;
    private final long fileSize;
    private final Map<String, Entry> entries = new LinkedHashMap<>();

    private ZipReader(FileChannel ch, String source) throws IOException {
        this.ch = ch;
        this.source = source;
        this.fileSize = ch.size();
        parse();
    }

    /** Opens and indexes {@code path}; the caller closes the reader. */
    static ZipReader open(Path path) throws IOException {
        FileChannel ch = FileChannel.open(path, StandardOpenOption.READ);
        try {
            return new ZipReader(ch, path.toString());
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** The entries in central-directory order. */
    Collection<Entry> entries() { return Collections.unmodifiableCollection(entries.values()); }

    /** The entry called {@code name}, or null. */
    Entry entry(String name) { return entries.get(name); }

    /** The bytes of {@code e}, CRC-checked. */
    byte[] read(Entry e) throws IOException {
        if (e.size() > MAX_ENTRY_BYTES)
            throw bad("entry '" + e.name() + "' holds " + e.size() + " bytes, more than one Java array can hold (" + MAX_ENTRY_BYTES + ")");
        byte[] out = new byte[(int) e.size()];
        readFully(e.dataOffset(), ByteBuffer.wrap(out));
        CRC32 crc = new CRC32();
        crc.update(out);
        // A stored CRC of 0 means "not computed" (PyTorch 2.x can skip it); anything else must match.
        if (e.crc() != 0 && (int) crc.getValue() != e.crc())
            throw bad("CRC-32 mismatch in entry '" + e.name() + "' (stored " + Integer.toHexString(e.crc())
                    + ", computed " + Long.toHexString(crc.getValue()) + "): the file is corrupt");
        return out;
    }

    @Override
    public void close() throws IOException { ch.close(); }

    CheckpointFormatException bad(String message) {
        return new CheckpointFormatException(source + ": " + message);
    }

    // ------------------------------------------------------------------ parsing

    private void parse() throws IOException {
        if (fileSize < EOCD_LEN)
            throw bad("not a zip archive: " + fileSize + " bytes is too short for the end-of-central-directory record");
        int tailLen = (int) Math.min(fileSize, EOCD_LEN + 0xFFFF);
        long tailStart = fileSize - tailLen;
        ByteBuffer tail = read(tailStart, tailLen);
        int at = -1;
        for (int i = tailLen - EOCD_LEN; i >= 0; i--) {
            if (tail.getInt(i) == EOCD_SIG && i + EOCD_LEN + u16(tail, i + 20) == tailLen) {
                at = i;
                break;
            }
        }
        if (at < 0) throw bad("not a zip archive or truncated: no end-of-central-directory record at the end of the file");
        long eocdPos = tailStart + at;
        if (u16(tail, at + 4) != 0 || u16(tail, at + 6) != 0)
            throw bad("multi-disk zip archives are not supported");
        long count = u16(tail, at + 10);
        long cdSize = u32(tail, at + 12);
        long cdOffset = u32(tail, at + 16);
        long cdLimit = eocdPos;

        if (eocdPos >= ZIP64_LOCATOR_LEN) {
            ByteBuffer loc = read(eocdPos - ZIP64_LOCATOR_LEN, ZIP64_LOCATOR_LEN);
            if (loc.getInt(0) == ZIP64_LOCATOR_SIG) {
                long z64 = loc.getLong(8);
                if (z64 < 0 || z64 > eocdPos - ZIP64_LOCATOR_LEN - ZIP64_EOCD_LEN)
                    throw bad("zip64 end record offset " + Long.toUnsignedString(z64) + " lies outside the file");
                ByteBuffer rec = read(z64, ZIP64_EOCD_LEN);
                if (rec.getInt(0) != ZIP64_EOCD_SIG) throw bad("zip64 end record missing at offset " + z64);
                count = rec.getLong(32);
                cdSize = rec.getLong(40);
                cdOffset = rec.getLong(48);
                cdLimit = z64;
            }
        }
        if (count < 0 || count > MAX_ENTRIES)
            throw bad("the archive declares " + Long.toUnsignedString(count) + " entries (at most " + MAX_ENTRIES + " accepted)");
        if (cdSize < 0 || cdOffset < 0 || cdOffset > cdLimit || cdSize > cdLimit - cdOffset)
            throw bad("central directory (" + Long.toUnsignedString(cdSize) + " bytes at offset " + Long.toUnsignedString(cdOffset)
                    + ") does not fit in the file before its end record at " + cdLimit + " (truncated or corrupt)");
        if (cdSize > MAX_CENTRAL_DIRECTORY_BYTES)
            throw bad("central directory of " + cdSize + " bytes exceeds the limit of " + MAX_CENTRAL_DIRECTORY_BYTES);
        if (count * CEN_LEN > cdSize)
            throw bad(count + " entries cannot fit in a central directory of " + cdSize + " bytes");

        ByteBuffer cd = read(cdOffset, (int) cdSize);
        List<long[]> spans = new ArrayList<>();
        int p = 0;
        for (long i = 0; i < count; i++) {
            need(cd, p, CEN_LEN, "central directory entry " + i);
            if (cd.getInt(p) != CEN_SIG) throw bad("central directory entry " + i + " has a bad signature (corrupt archive)");
            int flags = u16(cd, p + 8);
            int method = u16(cd, p + 10);
            int crc = cd.getInt(p + 16);
            long csize = u32(cd, p + 20);
            long usize = u32(cd, p + 24);
            int nameLen = u16(cd, p + 28), extraLen = u16(cd, p + 30), commentLen = u16(cd, p + 32);
            long localOffset = u32(cd, p + 42);
            need(cd, p + CEN_LEN, nameLen + extraLen + commentLen, "central directory entry " + i);
            byte[] nameBytes = new byte[nameLen];
            cd.get(p + CEN_LEN, nameBytes);
            String name = utf8(nameBytes, "entry name " + i);

            // zip64 extended information: the fields stored as 0xFFFFFFFF, in this order.
            int e = p + CEN_LEN + nameLen, eEnd = e + extraLen;
            while (e + 4 <= eEnd) {
                int id = u16(cd, e), len = u16(cd, e + 2);
                if (e + 4 + len > eEnd) throw bad("entry '" + name + "' has a malformed extra field");
                if (id == 0x0001) {
                    int q = e + 4, qEnd = q + len;
                    if (usize == 0xFFFFFFFFL) { if (q + 8 > qEnd) throw bad("entry '" + name + "' has a short zip64 field"); usize = cd.getLong(q); q += 8; }
                    if (csize == 0xFFFFFFFFL) { if (q + 8 > qEnd) throw bad("entry '" + name + "' has a short zip64 field"); csize = cd.getLong(q); q += 8; }
                    if (localOffset == 0xFFFFFFFFL) { if (q + 8 > qEnd) throw bad("entry '" + name + "' has a short zip64 field"); localOffset = cd.getLong(q); }
                }
                e += 4 + len;
            }
            p += CEN_LEN + nameLen + extraLen + commentLen;

            if ((flags & 1) != 0) throw bad("entry '" + name + "' is encrypted");
            if (method != 0)
                throw bad("entry '" + name + "' is compressed (method " + method + "); PyTorch stores entries uncompressed and only such entries are accepted");
            if (csize != usize)
                throw bad("stored entry '" + name + "' declares " + Long.toUnsignedString(csize) + " stored bytes but " + Long.toUnsignedString(usize) + " uncompressed bytes");
            if (usize < 0 || localOffset < 0 || localOffset > cdOffset - LOC_LEN)
                throw bad("entry '" + name + "' has its header at offset " + Long.toUnsignedString(localOffset) + ", outside the entry area (0.." + cdOffset + ")");
            ByteBuffer loc = read(localOffset, LOC_LEN);
            if (loc.getInt(0) != LOC_SIG) throw bad("entry '" + name + "' has no local header at offset " + localOffset + " (corrupt archive)");
            int lNameLen = u16(loc, 26), lExtraLen = u16(loc, 28);
            long dataOffset = localOffset + LOC_LEN + lNameLen + lExtraLen;
            if (dataOffset > cdOffset || usize > cdOffset - dataOffset)
                throw bad("entry '" + name + "' (" + usize + " bytes at offset " + dataOffset + ") runs past the end of the entry area at " + cdOffset + " (truncated file or corrupt size)");
            if (lNameLen != nameLen || !java.util.Arrays.equals(read(localOffset + LOC_LEN, nameLen).array(), nameBytes))
                throw bad("entry '" + name + "': local and central names differ (corrupt archive)");
            if (entries.put(name, new Entry(name, dataOffset, usize, crc)) != null)
                throw bad("entry '" + name + "' appears twice");
            spans.add(new long[]{localOffset, dataOffset + usize});
        }
        spans.sort(Comparator.comparingLong(s -> s[0]));
        for (int i = 1; i < spans.size(); i++) {
            if (spans.get(i)[0] < spans.get(i - 1)[1])
                throw bad("two entries overlap at offset " + spans.get(i)[0] + " (corrupt or hostile archive)");
        }
    }

    private void need(ByteBuffer b, int pos, int len, String what) throws CheckpointFormatException {
        if (pos < 0 || len < 0 || pos > b.limit() - len) throw bad(what + " runs past the end of the central directory");
    }

    private ByteBuffer read(long pos, int len) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(len).order(ByteOrder.LITTLE_ENDIAN);
        readFully(pos, b);
        b.clear();
        return b;
    }

    private void readFully(long pos, ByteBuffer dst) throws IOException {
        if (pos < 0 || dst.remaining() > fileSize - pos)
            throw bad("read of " + dst.remaining() + " bytes at offset " + pos + " runs past the end of the file (" + fileSize + " bytes)");
        while (dst.hasRemaining()) {
            int n = ch.read(dst, pos);
            if (n < 0) throw bad("file ended early at offset " + pos + " (it changed while being read?)");
            pos += n;
        }
    }

    private String utf8(byte[] bytes, String what) throws CheckpointFormatException {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw bad(what + " is not valid UTF-8");
        }
    }

    private static int u16(ByteBuffer b, int i) { return b.getShort(i) & 0xFFFF; }

    private static long u32(ByteBuffer b, int i) { return b.getInt(i) & 0xFFFFFFFFL; }
}
