package dev.wick.checkpoint;

import dev.wick.tensor.DType;
import dev.wick.tensor.Engine;
import dev.wick.tensor.Generator;
import dev.wick.tensor.Scope;
import dev.wick.tensor.Tensor;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The training-checkpoint record: its file layout, round trip, validation, and what PyTorch sees. */
class TrainingCheckpointTest {
    @TempDir
    Path dir;

    /** A small checkpoint: a Linear(3, 2) state dict, SGD-like optimizer state, mid-window grads. */
    private static TrainingCheckpoint sample(Generator g, String args) {
        Map<String, Tensor> model = new LinkedHashMap<>();
        model.put("weight", Tensor.arange(0, 6, 1).toFloat().view(2, 3));
        model.put("bias", Tensor.of(new float[]{0.5f, -0.5f}, 2));
        Map<String, Object> opt = new LinkedHashMap<>();
        Map<Object, Object> state = new LinkedHashMap<>();
        state.put(0L, new LinkedHashMap<>(Map.of("momentum_buffer", Tensor.ones(2, 3))));
        opt.put("state", state);
        Map<String, Object> group = new LinkedHashMap<>();
        group.put("lr", 0.05);
        group.put("momentum", 0.9);
        group.put("params", new ArrayList<>(List.of(0L, 1L)));
        opt.put("param_groups", new ArrayList<>(List.of(group)));
        Map<String, Object> rng = new LinkedHashMap<>();
        rng.put("torch", TrainingCheckpoint.rngTensor(g.getState()));
        Map<String, Tensor> grads = new LinkedHashMap<>();
        grads.put("weight", Tensor.full(0.25, 2, 3));
        grads.put("bias", Tensor.full(-1, 2));
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("callbacks", new LinkedHashMap<>(Map.of("EarlyStopping", new LinkedHashMap<>(Map.of("wait", 2L)))));
        return new TrainingCheckpoint(model, opt, Map.of("last_epoch", 7L), 3, 120, 17, 2, args,
                new TrainingCheckpoint.Best("mAP", 0.7102), rng, grads, extra);
    }

    @Test
    void roundTripsEveryFieldBitForBit() throws IOException {
        Engine.init();
        Generator g = new Generator(1234);
        Tensor.randn(g, 5);                                      // move the generator off its seed state
        Path f = dir.resolve("ckpt.pt");
        try (Scope s = Scope.open()) {
            TrainingCheckpoint c = sample(g, "lr: 0.05\nepochs: 10\n");
            c.save(f);
            TrainingCheckpoint back = TrainingCheckpoint.load(f);
            assertEquals(3, back.epoch());
            assertEquals(120, back.globalStep());
            assertEquals(17, back.batchIdx());
            assertEquals(2, back.microStep());
            assertEquals("lr: 0.05\nepochs: 10\n", back.args());
            assertEquals(new TrainingCheckpoint.Best("mAP", 0.7102), back.best());
            assertEquals(List.of("weight", "bias"), new ArrayList<>(back.model().keySet()));
            for (String k : c.model().keySet()) assertTrue(c.model().get(k).equal(back.model().get(k)), k);
            for (String k : c.grads().keySet()) assertTrue(c.grads().get(k).equal(back.grads().get(k)), "grad " + k);
            assertEquals(Map.of("last_epoch", 7L), back.scheduler());
            Map<?, ?> state = (Map<?, ?>) back.optimizer().get("state");
            assertTrue(((Tensor) ((Map<?, ?>) state.get(0L)).get("momentum_buffer")).equal(Tensor.ones(2, 3)));
            assertEquals(Map.of("EarlyStopping", Map.of("wait", 2L)), back.extra().get("callbacks"));
            // the RNG state restores the exact stream
            byte[] saved = TrainingCheckpoint.rngBytes(back.rngState().get("torch"), "torch");
            assertArrayEquals(g.getState(), saved);
            Tensor expected = Tensor.randn(g, 4);
            Generator other = new Generator(99);
            other.setState(saved);
            assertTrue(expected.equal(Tensor.randn(other, 4)));
        }
    }

    @Test
    void fileHoldsTheSeedLayoutAsASubset() throws IOException {
        Path f = dir.resolve("ckpt.pt");
        try (Scope s = Scope.open()) {
            sample(new Generator(0), null).save(f);
            Map<?, ?> raw = (Map<?, ?>) TorchFiles.load(f);
            for (String k : List.of("model", "optimizer", "epoch", "args", "mAP")) assertTrue(raw.containsKey(k), k);
            assertInstanceOf(PyOrderedDict.class, raw.get("model"));
            assertEquals(0.7102, raw.get("mAP"));
            assertEquals(3L, raw.get("epoch"));
            assertNull(raw.get("args"));
            Tensor rng = (Tensor) ((Map<?, ?>) raw.get("rng_state")).get("torch");
            assertEquals(DType.UINT8, rng.dtype());
            assertEquals(Map.of("format", "training-checkpoint", "version", 1L), raw.get("wick"));
            // an unknown top-level key is kept as extra state, the best metric's own key is not
            TrainingCheckpoint back = TrainingCheckpoint.fromMap(raw);
            assertEquals(List.of("callbacks"), new ArrayList<>(back.extra().keySet()));
        }
    }

    @Test
    void mapArgsAreKeptVerbatim() throws IOException {
        Path f = dir.resolve("ckpt.pt");
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("lr", 0.05);
        args.put("epochs", 10L);
        args.put("model", new LinkedHashMap<>(Map.of("name", "mlp")));
        try (Scope s = Scope.open()) {
            TrainingCheckpoint c = sample(new Generator(0), null);
            new TrainingCheckpoint(c.model(), c.optimizer(), null, 0, 0, 0, 0, args, null, c.rngState(), Map.of(), Map.of()).save(f);
            TrainingCheckpoint back = TrainingCheckpoint.load(f);
            assertEquals(args, back.args());
            assertNull(back.scheduler());
            assertNull(back.best());
            assertTrue(back.grads().isEmpty());
        }
    }

    @Test
    void rejectsBadValuesNamingThem() {
        try (Scope s = Scope.open()) {
            TrainingCheckpoint c = sample(new Generator(0), null);
            var e1 = assertThrows(IllegalArgumentException.class, () -> new TrainingCheckpoint(c.model(), c.optimizer(), null, -1, 0, 0, 0, null, null, null, null, null));
            assertEquals("Invalid epoch: -1 (must be >= 0)", e1.getMessage());
            var e2 = assertThrows(IllegalArgumentException.class, () -> new TrainingCheckpoint(c.model(), c.optimizer(), null, 0, 0, 0, 0, null, null, null, c.grads(), null));
            assertTrue(e2.getMessage().startsWith("Accumulated gradients given (2) at micro step 0"), e2.getMessage());
            var e3 = assertThrows(IllegalArgumentException.class, () -> new TrainingCheckpoint.Best("epoch", 1.0));
            assertTrue(e3.getMessage().startsWith("Invalid best metric name: 'epoch' (it is a reserved checkpoint key"), e3.getMessage());
            var e4 = assertThrows(IllegalArgumentException.class, () -> new TrainingCheckpoint(c.model(), c.optimizer(), null, 0, 0, 0, 0, 3.5, null, null, null, null));
            assertEquals("Invalid args: a Double (expected a String, a Map or null)", e4.getMessage());
            var e5 = assertThrows(IllegalArgumentException.class, () -> new TrainingCheckpoint(c.model(), c.optimizer(), null, 0, 0, 0, 0, null, null, null, null, Map.of("grads", 1L)));
            assertEquals("Extra state key 'grads' is reserved by the checkpoint layout", e5.getMessage());
        }
    }

    @Test
    void aFileWithoutTheKeysIsNotATrainingCheckpoint() throws IOException {
        Path f = dir.resolve("plain.pt");
        try (Scope s = Scope.open()) {
            TorchFiles.save(Map.of("model", Map.of(), "epoch", 1L), f);
            var e = assertThrows(CheckpointFormatException.class, () -> TrainingCheckpoint.load(f));
            assertTrue(e.getMessage().contains("Not a training checkpoint: key 'optimizer' is missing"), e.getMessage());
        }
    }

    @Test
    void statefulAdaptsOtherSignatures() {
        Map<String, Object> box = new LinkedHashMap<>();
        Stateful s = Stateful.of(() -> Map.of("n", 3L), sd -> box.putAll(sd));
        assertEquals(Map.of("n", 3L), s.stateDict());
        s.loadStateDict(Map.of("n", 4L));
        assertEquals(Map.of("n", 4L), box);
        var e = assertThrows(IllegalArgumentException.class, () -> Stateful.typed(Map.of("w", 1L), Tensor.class, "model"));
        assertEquals("model: value of 'w' is Long, expected Tensor", e.getMessage());
    }

    /** Cross-language: PyTorch 1.13 loads the file, the model weights, the seed's keys and the RNG state. */
    @Test
    void pytorchReadsItAsTheSeedDoes() throws IOException {
        Assumptions.assumeTrue(Files.isExecutable(Python.EXE), "needs " + Python.EXE + " with torch");
        Path f = dir.resolve("ckpt.pt");
        Generator g = new Generator(42);
        double expectedNext;
        try (Scope s = Scope.open()) {
            sample(g, "lr: 0.05\n").save(f);
            expectedNext = Tensor.randn(g, 1).item();
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : Python.script("read_training_checkpoint.py", f.toString()).split("\n")) {
            int eq = line.indexOf(" = ");
            if (eq > 0) out.put(line.substring(0, eq), line.substring(eq + 3));
        }
        assertEquals("args,batch_idx,best_metric,callbacks,epoch,global_step,grads,mAP,micro_step,model,optimizer,rng_state,scheduler,wick", out.get("keys"));
        assertEquals("OrderedDict", out.get("model_type"));
        assertEquals("15.000000", out.get("weight_sum"));      // 0 + 1 + ... + 5, loaded by nn.Linear.load_state_dict
        assertEquals("3", out.get("epoch"));
        assertEquals("120", out.get("global_step"));
        assertEquals("'lr: 0.05\\n'", out.get("args"));
        assertEquals("0.7102", out.get("mAP"));
        assertEquals("mAP 0.7102", out.get("best_metric"));
        assertEquals(String.format(java.util.Locale.ROOT, "%.8f", expectedNext), out.get("randn_after_restore"));
        assertEquals("bias,weight", out.get("grads"));
        assertEquals("0.05", out.get("optimizer_lr"));
    }
}
