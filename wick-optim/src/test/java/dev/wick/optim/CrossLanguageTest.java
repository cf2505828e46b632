package dev.wick.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.wick.internal.Json;
import dev.wick.tensor.Tensor;

/**
 * The reverse direction of {@link TrajectoryTest#aStateDictSavedByPyTorchContinuesAsInPyTorch}: a
 * state dict saved by Wick after 10 steps, loaded by real PyTorch ({@code load_state_dict}), continues
 * as Wick does, for every golden case. Runs Debian's /usr/bin/python3 with torch 1.13
 * (golden/continue_from_java.py); skipped where it is not installed.
 */
class CrossLanguageTest {
    static final String PYTHON = "/usr/bin/python3";

    @Test
    void aStateDictSavedByWickContinuesInPyTorchAsInWick() throws Exception {
        assumeTrue(new File(PYTHON).canExecute() && pythonHasTorch(), "needs " + PYTHON + " with torch");
        Path dir = Files.createTempDirectory("wick-optim-xlang");
        Path in = dir.resolve("in.json"), out = dir.resolve("out.json");
        List<String> cases = new ArrayList<>();   // encoded at once: the tensors change in place later
        Map<String, List<float[][]>> javaTraj = new LinkedHashMap<>();
        for (String name : Golden.caseNames()) {
            Map<String, Object> c = Golden.optCase(name);
            TrajectoryTest.Run run = new TrajectoryTest.Run(c);
            for (int step = 0; step < TrajectoryTest.SAVE_AT; step++) run.step(step);
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("name", name);
            entry.put("params", new ArrayList<Object>(run.params));
            entry.put("state_dict", run.opt.stateDict());
            cases.add(Json.write(encode(entry)));
            List<float[][]> traj = new ArrayList<>();
            for (int step = TrajectoryTest.SAVE_AT; step < TrajectoryTest.STEPS; step++) {
                run.step(step);
                float[][] values = new float[run.params.size()][];
                for (int k = 0; k < values.length; k++) values[k] = run.values(k);
                traj.add(values);
            }
            javaTraj.put(name, traj);
        }
        Files.writeString(in, "{\"cases\":[" + String.join(",", cases) + "]}", StandardCharsets.UTF_8);
        Path script = Path.of(CrossLanguageTest.class.getResource("/golden/continue_from_java.py").toURI());
        Process p = new ProcessBuilder(PYTHON, script.toString(), in.toString(), out.toString()).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), "continue_from_java.py failed:\n" + log);
        Map<String, Object> py = Json.parseObject(Files.readString(out));
        assertEquals(javaTraj.keySet(), py.keySet());
        for (Map.Entry<String, List<float[][]>> e : javaTraj.entrySet()) {
            List<?> steps = (List<?>) py.get(e.getKey());
            for (int s = 0; s < steps.size(); s++) {
                List<?> ps = (List<?>) steps.get(s);
                for (int k = 0; k < ps.size(); k++)
                    Golden.assertClose(e.getKey() + " step " + (TrajectoryTest.SAVE_AT + s + 1) + " param " + k,
                            Golden.floats(ps.get(k)), e.getValue().get(s)[k]);
            }
        }
        Files.delete(in);
        Files.delete(out);
        Files.delete(dir);
    }

    static boolean pythonHasTorch() throws IOException, InterruptedException {
        Process p = new ProcessBuilder(PYTHON, "-c", "import torch").redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
    }

    /**
     * {@code v} in make_golden.py's encoding, for {@link Json#write}: tensors as
     * {@code {"__tensor__": dtype, "shape", "values"}}, non-finite floats as {@code {"__float__": "nan"}}
     * (or "inf", "-inf"), map keys as strings.
     */
    static Object encode(Object v) {
        if (v == null || v instanceof Boolean || v instanceof Long || v instanceof Integer || v instanceof String) return v;
        if (v instanceof Double d) return Double.isFinite(d) ? d : Map.of("__float__", d.isNaN() ? "nan" : d > 0 ? "inf" : "-inf");
        if (v instanceof Tensor t) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("__tensor__", t.dtype().torchName());
            m.put("shape", t.shape());
            m.put("values", t.toDoubleArray());
            return m;
        }
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) out.put(String.valueOf(e.getKey()), encode(e.getValue()));
            return out;
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            for (Object o : l) out.add(encode(o));
            return out;
        }
        throw new IllegalArgumentException("cannot encode " + v.getClass());
    }
}
