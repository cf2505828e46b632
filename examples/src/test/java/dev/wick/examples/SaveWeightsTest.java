package dev.wick.examples;

import static dev.wick.examples.Golden.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.wick.checkpoint.TorchFiles;
import dev.wick.internal.Json;
import dev.wick.optim.SGD;
import dev.wick.tensor.Tensor;

/** Section 5.1: both ways of saving, read back by Wick and (cross-language check) by PyTorch's torch.load. */
class SaveWeightsTest {
    @TempDir Path dir;

    @Test
    void bothFormsRoundTripInWick() throws IOException {
        SaveWeights.Result r = SaveWeights.run(dir, 3);
        assertEquals(List.of(dir.resolve("weights_fg1.pt"), dir.resolve("weights_fg2.pt"), dir.resolve("weights_fg3.pt")), r.weights());
        for (Path p : r.weights()) assertTrue(Files.size(p) > 0, p + " written");

        Model fresh = new Model();
        var opt = new SGD(fresh.parameters(), SGD.Options.lr(0.5));
        Map<String, Object> ckpt = SaveWeights.load(r.checkpoint(), fresh, opt);
        assertEquals(List.of("model", "mAP", "optimizer", "epoch", "args"), new ArrayList<>(ckpt.keySet()));
        assertEquals(-1.0, ckpt.get("mAP"));
        assertEquals(1L, ckpt.get("epoch"));
        assertEquals(Map.of("lr", 0.01, "momentum", 0.9, "iterations", 3L, "model", "Model"), ckpt.get("args"));
        assertEquals(0.01, opt.paramGroups().get(0).lr(), "the optimizer's lr comes back from the file");
        for (Map.Entry<String, Tensor> e : r.model().stateDict().entrySet())
            assertTrue(e.getValue().equal(fresh.stateDict().get(e.getKey())), e.getKey() + " restored");

        @SuppressWarnings("unchecked")
        Map<String, Tensor> last = (Map<String, Tensor>) TorchFiles.load(r.weights().get(2));
        assertEquals(List.of("conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias"), new ArrayList<>(last.keySet()));
        assertTrue(last.get("conv2.bias").equal(r.model().conv2.bias()), "the last per-iteration file holds the final weights");
        @SuppressWarnings("unchecked")
        Map<String, Tensor> first = (Map<String, Tensor>) TorchFiles.load(r.weights().get(0));
        assertTrue(!first.get("conv2.bias").equal(last.get("conv2.bias")), "each iteration's file holds that iteration's weights");
    }

    @Test
    void pytorchReadsBothForms() throws Exception {
        Path python = Path.of(System.getProperty("wick.python", "/usr/bin/python3"));
        Assumptions.assumeTrue(Files.isExecutable(python), python + " not found (install python3-torch)");
        SaveWeights.Result r = SaveWeights.run(dir, 2);
        Path script = dir.resolve("read_saved.py");
        try (var in = SaveWeightsTest.class.getResourceAsStream("/python/read_saved.py")) {
            Files.write(script, in.readAllBytes());
        }
        List<String> cmd = new ArrayList<>(List.of(python.toString(), script.toString(), r.checkpoint().toString()));
        r.weights().forEach(w -> cmd.add(w.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        Assumptions.assumeFalse(out.contains("ModuleNotFoundError"), "torch is not importable by " + python);
        assertEquals(0, p.exitValue(), out);
        Map<String, Object> py = Json.parseObject(out.strip().lines().reduce((a, b) -> b).orElseThrow());

        assertEquals(List.of("model", "mAP", "optimizer", "epoch", "args"), py.get("keys"));
        assertEquals(-1.0, ((Number) py.get("mAP")).doubleValue());
        assertEquals(1L, py.get("epoch"));
        assertEquals(Map.of("lr", 0.01, "momentum", 0.9, "iterations", 2L, "model", "Model"), py.get("args"));
        assertEquals("<All keys matched successfully>", py.get("load_state_dict"));
        Map<?, ?> model = (Map<?, ?>) py.get("model");
        for (Map.Entry<String, Tensor> e : r.model().stateDict().entrySet()) {
            Map<?, ?> s = (Map<?, ?>) model.get(e.getKey());
            assertArrayEquals(e.getValue().shape(), ((List<?>) s.get("shape")).stream().mapToLong(o -> ((Number) o).longValue()).toArray(), e.getKey());
            assertClose(e.getValue().toDouble().sum().item(), ((Number) s.get("sum")).doubleValue(), 0, 0, e.getKey() + " sum as PyTorch reads it");
        }
        Map<?, ?> group = (Map<?, ?>) ((List<?>) py.get("optimizer_groups")).get(0);
        assertEquals(0.01, ((Number) group.get("lr")).doubleValue());
        assertEquals(0.9, ((Number) group.get("momentum")).doubleValue());
        assertEquals(List.of(0L, 1L, 2L, 3L), group.get("params"));
        assertEquals(List.of("0", "1", "2", "3"), new ArrayList<>(((Map<?, ?>) py.get("optimizer_state")).keySet()), "a momentum buffer per parameter");
        assertEquals(2, ((List<?>) py.get("weights")).size());
    }
}
