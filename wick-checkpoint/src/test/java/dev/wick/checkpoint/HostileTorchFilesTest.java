package dev.wick.checkpoint;

import dev.wick.tensor.DType;
import dev.wick.tensor.Scope;
import dev.wick.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Malformed and malicious PyTorch files: each is refused with a {@link CheckpointFormatException}
 * whose message names the problem; nothing runs, nothing is read past the end, and nothing large
 * is allocated (the test JVM has 2 GiB, and several files declare more than that).
 */
class HostileTorchFilesTest {
    @TempDir
    Path dir;

    private String refused(Path file) {
        try (Scope s = Scope.open()) {
            return assertThrows(CheckpointFormatException.class, () -> TorchFiles.load(file)).getMessage();
        }
    }

    private String refusedPickle(byte[] pickle) throws IOException {
        return refusedPickle(pickle, Map.of());
    }

    private String refusedPickle(byte[] pickle, Map<String, byte[]> storages) throws IOException {
        Path f = dir.resolve("hostile.pt");
        PickleBuilder.archive(f, pickle, storages);
        return refused(f);
    }

    private static void assertContains(String message, String... parts) {
        for (String p : parts) assertTrue(message.contains(p), () -> "expected '" + p + "' in: " + message);
    }

    // ------------------------------------------------------------------ code execution attempts

    @ParameterizedTest
    @CsvSource({
            "evil_system.pt, posix.system",       // os.system via __reduce__ (protocol 2)
            "evil_eval.pt,   __builtin__.eval",   // builtins.eval, spelled the Python 2 way by protocol 2
            "evil_class.pt,  __main__.Point",     // an unknown class (NEWOBJ + BUILD)
            "evil_proto4.pt, posix.system"})      // protocol 4: STACK_GLOBAL
    void picklesThatWouldRunCodeAreRefusedByName(String file, String global) throws IOException {
        Path fx = Python.fixtures();
        String msg = refused(fx.resolve(file));
        assertContains(msg, "Refused global '" + global + "' (not in the weights_only allow-list)");
        assertFalse(Files.exists(fx.resolve("PWNED")), "the payload ran");
    }

    @Test
    void handBuiltOsSystemIsRefusedAndNotRun() throws IOException {
        Path marker = dir.resolve("PWNED");
        byte[] p = new PickleBuilder().global("os", "system").str("touch " + marker).op(0x85).op('R').stop();
        assertContains(refusedPickle(p), "Refused global 'os.system' (not in the weights_only allow-list)", "data.pkl", "at byte 2");
        assertFalse(Files.exists(marker));
    }

    @Test
    void globalsOfAllowedModulesAreStillCheckedByFullName() throws IOException {
        assertContains(refusedPickle(new PickleBuilder().global("torch", "load").str("x").op(0x85).op('R').stop()),
                "Refused global 'torch.load'");
        assertContains(refusedPickle(new PickleBuilder().global("collections", "Counter").op(')').op('R').stop()),
                "Refused global 'collections.Counter'");
        assertContains(refusedPickle(new PickleBuilder().global("torch._utils", "_rebuild_sparse_tensor").stop()),
                "sparse");
    }

    @Test
    void nonCallableGlobalsCannotBeCalled() throws IOException {
        byte[] p = new PickleBuilder().global("torch", "FloatStorage").op(')').op('R').stop();
        assertContains(refusedPickle(p), "REDUCE on global 'torch.FloatStorage', which is not an allowed callable");
        byte[] q = new PickleBuilder().global("torch", "FloatStorage").stop();
        assertContains(refusedPickle(q), "global 'torch.FloatStorage', which is not a value");
    }

    // ------------------------------------------------------------------ storages and views

    private static final byte[] TEN_FLOATS = new byte[40];

    @Test
    void storageRecordSmallerThanDeclaredIsRefused() throws IOException {
        byte[] p = new PickleBuilder().tensor("FloatStorage", "0", 1000, 0, new long[]{1000}, new long[]{1}).stop();
        assertContains(refusedPickle(p, Map.of("0", TEN_FLOATS)),
                "storage '0' declares 1000 float32 elements (4000 bytes) but its record holds 40 bytes");
    }

    @Test
    void absurdStorageElementCountsAreRefusedBeforeAllocating() throws IOException {
        byte[] p = new PickleBuilder().tensor("FloatStorage", "0", 1L << 62, 0, new long[]{1}, new long[]{1}).stop();
        assertContains(refusedPickle(p, Map.of("0", TEN_FLOATS)), "impossible size");
        byte[] q = new PickleBuilder().tensor("DoubleStorage", "0", 1L << 40, 0, new long[]{1}, new long[]{1}).stop();
        assertContains(refusedPickle(q, Map.of("0", TEN_FLOATS)), "but its record holds 40 bytes");
    }

    @Test
    void viewsReadingPastTheirStorageAreRefused() throws IOException {
        byte[] p = new PickleBuilder().tensor("FloatStorage", "0", 10, 8, new long[]{5}, new long[]{1}).stop();
        assertContains(refusedPickle(p, Map.of("0", TEN_FLOATS)), "reads element 12 of storage '0', which holds 10");
        byte[] q = new PickleBuilder().tensor("FloatStorage", "0", 10, 11, new long[]{0}, new long[]{1}).stop();
        assertContains(refusedPickle(q, Map.of("0", TEN_FLOATS)), "storage offset 11 lies past the end of storage '0'");
        byte[] r = new PickleBuilder().tensor("FloatStorage", "0", 10, 0, new long[]{2, 5}, new long[]{6, 1}).stop();
        assertContains(refusedPickle(r, Map.of("0", TEN_FLOATS)), "reads element 10");
    }

    @Test
    void hugeDeclaredShapesAreRefused() throws IOException {
        byte[] p = new PickleBuilder().tensor("FloatStorage", "0", 10, 0, new long[]{1L << 31, 1L << 31}, new long[]{1, 1}).stop();
        assertContains(refusedPickle(p, Map.of("0", TEN_FLOATS)), "reads element 4294967294 of storage '0', which holds 10");
        byte[] o = new PickleBuilder().tensor("FloatStorage", "0", 10, 0, new long[]{1L << 40, 1L << 40}, new long[]{1, 1}).stop();
        assertContains(refusedPickle(o, Map.of("0", TEN_FLOATS)), "overflows 64-bit sizes");
        byte[] q = new PickleBuilder().tensor("FloatStorage", "0", 10, 0, new long[]{1L << 62, 4}, new long[]{1L << 62, 1}).stop();
        assertContains(refusedPickle(q, Map.of("0", TEN_FLOATS)), "overflows 64-bit sizes");
        byte[] r = new PickleBuilder().tensor("FloatStorage", "0", 10, 0, new long[]{1L << 40}, new long[]{0}).stop();
        assertContains(refusedPickle(r, Map.of("0", TEN_FLOATS)), "views larger than their storage are refused");
        byte[] s = new PickleBuilder().tensor("FloatStorage", "0", 10, 0, new long[]{1}, new long[]{-1}).stop();
        assertContains(refusedPickle(s, Map.of("0", TEN_FLOATS)), "stride[0] is negative");
    }

    @Test
    void missingOrInconsistentStoragesAreRefused() throws IOException {
        byte[] p = new PickleBuilder().tensor("FloatStorage", "7", 10, 0, new long[]{10}, new long[]{1}).stop();
        assertContains(refusedPickle(p, Map.of("0", TEN_FLOATS)), "storage '7' has no record 'archive/data/7'");
        byte[] q = new PickleBuilder().mark()
                .tensor("FloatStorage", "0", 10, 0, new long[]{10}, new long[]{1})
                .tensor("IntStorage", "0", 10, 0, new long[]{10}, new long[]{1}).op('l').stop();
        assertContains(refusedPickle(q, Map.of("0", TEN_FLOATS)), "storage '0' is used as int32[10] and as float32[10]");
        byte[] r = new PickleBuilder().tensor("ComplexFloatStorage", "0", 5, 0, new long[]{5}, new long[]{1}).stop();
        assertContains(refusedPickle(r, Map.of("0", TEN_FLOATS)), "Refused global 'torch.ComplexFloatStorage'");
    }

    // ------------------------------------------------------------------ the pickle machine

    @Test
    void malformedPicklesAreRefused() throws IOException {
        assertContains(refusedPickle(new PickleBuilder().op('h').op(5).stop()), "memo entry 5 is read before it was stored");
        assertContains(refusedPickle(new PickleBuilder().stop()), "pickle stack underflow");
        assertContains(refusedPickle(new PickleBuilder().op('X').le32(0x7fffffffL).stop()), "declared length 2147483647 runs past the end");
        assertContains(refusedPickle(new PickleBuilder().op(0x8d).le64(1L << 60).stop()), "declared length 1152921504606846976 runs past the end");
        assertContains(refusedPickle(new PickleBuilder().op(0x8b).le32(1 << 30).stop()), "LONG4 of 1073741824 bytes");
        assertContains(refusedPickle(new PickleBuilder().raw("S'x'\n".getBytes(StandardCharsets.US_ASCII)).stop()), "unsupported pickle opcode 0x53 ('S')");
        assertContains(refusedPickle(new PickleBuilder().op(0x8f).stop()), "sets are not supported");
        assertContains(refusedPickle(new PickleBuilder().op(']').op('}').op('b').stop()), "BUILD (setting object state) is only allowed on collections.OrderedDict, not on a list");
        assertContains(refusedPickle(new PickleBuilder().op('}').intOp(1).op('a').stop()), "APPEND needs a list, not a dict");
        assertContains(refusedPickle(new PickleBuilder().op('}').op(']').intOp(1).op('s').stop()), "unsupported dict key type a list");
        assertContains(refusedPickle(new PickleBuilder().mark().str("module").tuple().op('Q').stop()), "persistent id must be a 5-tuple");
        byte[] truncated = Arrays.copyOf(new PickleBuilder().op('}').str("key").intOp(3).op('s').stop(), 12);
        assertContains(refusedPickle(truncated), "truncated");
        byte[] noStop = new PickleBuilder().op('N').stop();
        assertContains(refusedPickle(Arrays.copyOf(noStop, noStop.length - 1)), "without a STOP");
    }

    @Test
    void deepNestingAndSelfReferenceAreRefused() throws IOException {
        PickleBuilder deep = new PickleBuilder();
        for (int i = 0; i < 5000; i++) deep.op(']');
        for (int i = 0; i < 4999; i++) deep.op('a');
        assertContains(refusedPickle(deep.stop()), "containers nest deeper than 1000 levels");

        byte[] self = new PickleBuilder().op(']').op('q').op(0).op('h').op(0).op('a').stop();
        assertContains(refusedPickle(self), "contains itself");

        PickleBuilder marks = new PickleBuilder();
        for (int i = 0; i < 10_001; i++) marks.mark();
        assertContains(refusedPickle(marks.stop()), "more than 10000 nested marks");

        byte[] wide = new byte[4_000_010];
        Arrays.fill(wide, (byte) 'N');
        assertContains(refusedPickle(new PickleBuilder().raw(wide).stop()), "more than 4000000 values on the pickle stack");
        byte[] many = new byte[2 * 16_000_001];
        for (int i = 0; i < many.length; i += 2) { many[i] = 'N'; many[i + 1] = '0'; }   // push None, pop it
        assertContains(refusedPickle(new PickleBuilder().raw(many).stop()), "makes more than 16000000 values");

        PickleBuilder keyTuple = new PickleBuilder().op('}').intOp(1);
        for (int i = 0; i < 200; i++) keyTuple.op(0x85);
        assertContains(refusedPickle(keyTuple.intOp(2).op('s').stop()), "dict key nests tuples deeper than 100");
    }

    // ------------------------------------------------------------------ the zip container

    private Path validFile() throws IOException {
        Path f = dir.resolve("valid.pt");
        try (Scope s = Scope.open()) {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("w", Tensor.fromBytes(new byte[48], DType.FLOAT32, 3, 4));
            v.put("b", Tensor.fromBytes(new byte[]{1, 2, 3, 4}, DType.UINT8, 4));
            v.put("epoch", 3L);
            v.put("name", "run");
            TorchFiles.save(v, f);
        }
        return f;
    }

    @Test
    void truncatedArchivesAreRefused() throws IOException {
        byte[] good = Files.readAllBytes(validFile());
        for (int n : new int[]{0, 3, 10, good.length / 3, good.length / 2, good.length - 30, good.length - 22, good.length - 1}) {
            Path f = dir.resolve("cut" + n + ".pt");
            Files.write(f, Arrays.copyOf(good, n));
            String msg = refused(f);
            assertTrue(msg.contains(f.toString()), msg);
        }
        Files.write(dir.resolve("empty.pt"), new byte[0]);
        assertContains(refused(dir.resolve("empty.pt")), "the file is empty");
    }

    @Test
    void notAnArchiveOrTheLegacyFormatIsRefusedWithTheReason() throws IOException {
        Files.write(dir.resolve("legacy.pt"), new byte[]{(byte) 0x80, 2, (byte) 0x8a, 10});
        assertContains(refused(dir.resolve("legacy.pt")), "legacy format");
        Files.write(dir.resolve("text.pt"), "hello".getBytes(StandardCharsets.US_ASCII));
        assertContains(refused(dir.resolve("text.pt")), "not a PyTorch checkpoint", "68656c6c");
    }

    /** Offset of the central directory (for archives this writer made without zip64). */
    private static int centralDirectory(byte[] zip) {
        ByteBuffer b = ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN);
        return b.getInt(zip.length - 22 + 16);
    }

    @Test
    void entrySizesBeyondTheFileAreRefused() throws IOException {
        byte[] zip = Files.readAllBytes(validFile());
        ByteBuffer b = ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN);
        int cd = centralDirectory(zip);
        b.putInt(cd + 20, 0xFFFFFFF0).putInt(cd + 24, 0xFFFFFFF0);   // first entry claims ~4 GiB
        Path f = dir.resolve("bomb.pt");
        Files.write(f, zip);
        assertContains(refused(f), "entry 'archive/data.pkl' (4294967280 bytes", "runs past the end");
    }

    @Test
    void zip64SizesBeyondTheFileAreRefused() throws IOException {
        Path f = dir.resolve("z64.pt");
        try (Scope s = Scope.open()) {
            TorchFiles.save(Map.of("w", Tensor.zeros(4)), f, WickTensors.INSTANCE, true);
        }
        byte[] zip = Files.readAllBytes(f);
        ByteBuffer b = ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN);
        long cd = b.getLong(zip.length - 22 - 20 - 56 + 48);
        int nameLen = b.getShort((int) cd + 28);
        int extra = (int) cd + 46 + nameLen;
        assertEquals(1, b.getShort(extra));
        b.putLong(extra + 4, 1L << 40).putLong(extra + 12, 1L << 40);   // a terabyte, declared
        Files.write(f, zip);
        assertContains(refused(f), "(1099511627776 bytes", "runs past the end");
    }

    @Test
    void compressedEntriesAreRefused() throws IOException {
        Path f = dir.resolve("deflated.pt");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(f))) {
            z.putNextEntry(new ZipEntry("archive/data.pkl"));
            z.write(new PickleBuilder().op('N').stop());
            z.closeEntry();
            z.putNextEntry(new ZipEntry("archive/version"));
            z.write("3\n".getBytes(StandardCharsets.US_ASCII));
            z.closeEntry();
        }
        assertContains(refused(f), "is compressed (method 8)");
    }

    @Test
    void overlappingEntriesAreRefused() throws IOException {
        // Entry A's data holds a copy of a local header for B; B's central record points into A.
        Path tmp = dir.resolve("b.pt");
        PickleBuilder.zip(tmp, Map.of("archive/data/1", new byte[]{9}));
        byte[] single = Files.readAllBytes(tmp);
        int headerLen = 30 + "archive/data/1".length() + ByteBuffer.wrap(single).order(ByteOrder.LITTLE_ENDIAN).getShort(28) + 1;
        byte[] fakeB = Arrays.copyOf(single, headerLen);

        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("archive/data.pkl", new PickleBuilder().op('N').stop());
        entries.put("archive/data/0", fakeB);
        entries.put("archive/data/1", new byte[]{9});
        entries.put("archive/version", "3\n".getBytes(StandardCharsets.US_ASCII));
        Path f = dir.resolve("overlap.pt");
        PickleBuilder.zip(f, entries);
        byte[] zip = Files.readAllBytes(f);
        ByteBuffer b = ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN);
        int p = centralDirectory(zip), dataOfA = -1;
        for (int i = 0; i < 4; i++) {
            int nameLen = b.getShort(p + 28), extraLen = b.getShort(p + 30);
            String name = new String(zip, p + 46, nameLen, StandardCharsets.UTF_8);
            int local = b.getInt(p + 42);
            if (name.equals("archive/data/0")) dataOfA = local + 30 + b.getShort(local + 26) + b.getShort(local + 28);
            if (name.equals("archive/data/1")) b.putInt(p + 42, dataOfA);
            p += 46 + nameLen + extraLen;
        }
        Files.write(f, zip);
        assertContains(refused(f), "two entries overlap");
    }

    @Test
    void absurdEntryCountsAreRefused() throws IOException {
        byte[] zip = Files.readAllBytes(validFile());
        ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN).putShort(zip.length - 22 + 10, (short) 0xFFFE);
        Path f = dir.resolve("count.pt");
        Files.write(f, zip);
        assertContains(refused(f), "65534 entries cannot fit in a central directory");
    }

    @Test
    void archivesThatAreNotTorchSaveFilesAreRefused() throws IOException {
        byte[] nul = new PickleBuilder().op('N').stop();
        Map<String, byte[]> script = new LinkedHashMap<>();
        script.put("archive/data.pkl", nul);
        script.put("archive/constants.pkl", nul);
        script.put("archive/version", "3\n".getBytes(StandardCharsets.US_ASCII));
        PickleBuilder.zip(dir.resolve("script.pt"), script);
        assertContains(refused(dir.resolve("script.pt")), "TorchScript archive");

        PickleBuilder.zip(dir.resolve("noversion.pt"), Map.of("archive/data.pkl", nul));
        assertContains(refused(dir.resolve("noversion.pt")), "missing record 'archive/version'");

        Map<String, byte[]> big = new LinkedHashMap<>();
        big.put("archive/data.pkl", nul);
        big.put("archive/byteorder", "big".getBytes(StandardCharsets.US_ASCII));
        big.put("archive/version", "3\n".getBytes(StandardCharsets.US_ASCII));
        PickleBuilder.zip(dir.resolve("big.pt"), big);
        assertContains(refused(dir.resolve("big.pt")), "byte order 'big' is not supported");

        Map<String, byte[]> future = new LinkedHashMap<>();
        future.put("archive/data.pkl", nul);
        future.put("archive/version", "3\n".getBytes(StandardCharsets.US_ASCII));
        future.put("archive/.wick/format_version", "2\n".getBytes(StandardCharsets.US_ASCII));
        PickleBuilder.zip(dir.resolve("future.pt"), future);
        assertContains(refused(dir.resolve("future.pt")), "written by a newer Wick (format version 2)");

        PickleBuilder.zip(dir.resolve("flat.pt"), Map.of("data.pkl", nul));
        assertContains(refused(dir.resolve("flat.pt")), "not inside the archive's folder");
    }

    /**
     * Flips random bytes of a valid file 400 times: every result either loads or is refused with a
     * CheckpointFormatException; no other exception, no crash, no runaway allocation.
     */
    @Test
    void randomCorruptionIsAlwaysLoadedOrRefusedCleanly() throws IOException {
        byte[] good = Files.readAllBytes(validFile());
        Random r = new Random(7);
        Path f = dir.resolve("fuzz.pt");
        int refusedCount = 0;
        for (int i = 0; i < 400; i++) {
            byte[] bad = good.clone();
            int flips = 1 + r.nextInt(3);
            for (int k = 0; k < flips; k++) bad[r.nextInt(bad.length)] ^= (byte) (1 + r.nextInt(255));
            Files.write(f, bad);
            try (Scope s = Scope.open()) {
                TorchFiles.load(f);
            } catch (CheckpointFormatException e) {
                refusedCount++;
            } catch (Throwable t) {
                fail("mutation " + i + " escaped as " + t, t);
            }
        }
        assertTrue(refusedCount > 300, "most corruptions must be detected (CRC, structure): " + refusedCount);
    }

    @Test
    void valuesThatCannotBeSavedAreNamed() {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("opt", Map.of("state", List.of(1L, new java.util.HashSet<>())));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TorchFiles.save(v, dir.resolve("x.pt")));
        assertContains(e.getMessage(), "root['opt']['state'][1]", "java.util.HashSet");
        java.util.List<Object> self = new java.util.ArrayList<>();
        self.add(self);
        assertContains(assertThrows(IllegalArgumentException.class, () -> TorchFiles.save(PyTuple.of(self), dir.resolve("y.pt"))).getMessage(),
                "contains itself");
        assertFalse(Files.exists(dir.resolve("x.pt")));
        assertFalse(Files.exists(dir.resolve("y.pt")));
    }
}
