package dev.wick.interop;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.io.InputStream;
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
import dev.wick.nn.models.ResNet;
import dev.wick.tensor.Autograd;
import dev.wick.tensor.Scope;
import dev.wick.tensor.Tensor;

/**
 * A real torchvision state dict, written by Python's torch.save, loads strictly into Wick's ResNet-18
 * and gives torchvision's outputs; Wick's state dict, saved by Wick, loads strictly into torchvision.
 */
class TorchvisionInteropTest {
    static final Path PY = Path.of(System.getProperty("wick.python", "/usr/bin/python3"));

    static String run(Path dir, String script, String... args) throws Exception {
        Path s = dir.resolve(script);
        try (InputStream in = TorchvisionInteropTest.class.getResourceAsStream("/python/" + script)) {
            Files.write(s, in.readAllBytes());
        }
        List<String> cmd = new ArrayList<>(List.of(PY.toString(), s.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), script + " timed out");
        assertEquals(0, p.exitValue(), script + " failed:\n" + out);
        return out.strip();
    }

    static boolean pythonHasTorchvision() throws IOException, InterruptedException {
        if (!Files.isExecutable(PY)) return false;
        Process p = new ProcessBuilder(PY.toString(), "-c", "import torch, torchvision").redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
    }

    @Test
    @SuppressWarnings("unchecked")
    void torchvisionStateDictRoundTripsThroughWicksResNet18(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(pythonHasTorchvision(), "needs /usr/bin/python3 with torch and torchvision (.ci/run installs them)");
        run(dir, "torchvision_resnet18.py", dir.toString());
        ResNet net = ResNet.resnet18(10);
        Map<String, Object> sd = (Map<String, Object>) TorchFiles.load(dir.resolve("resnet18.pt"));
        Map<String, Tensor> tensors = new java.util.LinkedHashMap<>();
        sd.forEach((k, v) -> tensors.put(k, (Tensor) v));
        net.loadStateDict(tensors, true);
        net.eval();
        Map<String, Object> io = (Map<String, Object>) TorchFiles.load(dir.resolve("io.pt"));
        try (Scope s = Scope.open(); var g = Autograd.noGrad()) {
            Tensor y = net.forward((Tensor) io.get("x"));
            double maxDiff = y.sub((Tensor) io.get("y")).abs().max().item();
            assertTrue(maxDiff < 1e-4, "Wick's outputs differ from torchvision's by " + maxDiff);
        }
        // and back: Wick's state dict, written by Wick, loads strictly into torchvision
        TorchFiles.save(new java.util.LinkedHashMap<String, Object>(net.stateDict()), dir.resolve("wick.pt"));
        double back = Double.parseDouble(run(dir, "check_wick_resnet18.py", dir.resolve("wick.pt").toString(), dir.resolve("io.pt").toString()));
        assertTrue(back < 1e-4, "torchvision with Wick's weights differs by " + back);
    }
}
