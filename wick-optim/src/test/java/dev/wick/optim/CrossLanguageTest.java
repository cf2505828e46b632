package dev.wick.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

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
            cases.add(encode(entry));
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
        @SuppressWarnings("unchecked")
        Map<String, Object> py = (Map<String, Object>) TestJson.parse(Files.readString(out));
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

    /** JSON in make_golden.py's encoding: tensors as {"__tensor__": dtype, "shape", "values"}. */
    static String encode(Object v) {
        StringBuilder b = new StringBuilder();
        encode(b, v);
        return b.toString();
    }

    private static void encode(StringBuilder b, Object v) {
        if (v == null) b.append("null");
        else if (v instanceof Boolean || v instanceof Long || v instanceof Integer) b.append(v);
        else if (v instanceof Double d) {
            if (Double.isFinite(d)) b.append(d);
            else b.append("{\"__float__\":\"").append(d.isNaN() ? "nan" : d > 0 ? "inf" : "-inf").append("\"}");
        } else if (v instanceof String s) b.append('"').append(s.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        else if (v instanceof Tensor t) {
            b.append("{\"__tensor__\":\"").append(t.dtype().torchName()).append("\",\"shape\":[");
            long[] shape = t.shape();
            for (int i = 0; i < shape.length; i++) b.append(i > 0 ? "," : "").append(shape[i]);
            b.append("],\"values\":[");
            double[] vals = t.toDoubleArray();
            for (int i = 0; i < vals.length; i++) b.append(i > 0 ? "," : "").append(String.format(Locale.ROOT, "%s", vals[i]));
            b.append("]}");
        } else if (v instanceof Map<?, ?> m) {
            b.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!first) b.append(',');
                first = false;
                encode(b, String.valueOf(e.getKey()));
                b.append(':');
                encode(b, e.getValue());
            }
            b.append('}');
        } else if (v instanceof List<?> l) {
            b.append('[');
            for (int i = 0; i < l.size(); i++) {
                if (i > 0) b.append(',');
                encode(b, l.get(i));
            }
            b.append(']');
        } else throw new IllegalArgumentException("cannot encode " + v.getClass());
    }
}
