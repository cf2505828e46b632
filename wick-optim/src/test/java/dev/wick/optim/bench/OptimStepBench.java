package dev.wick.optim.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.wick.optim.AdamW;
import dev.wick.optim.Optimizer;
import dev.wick.optim.SGD;
import dev.wick.tensor.Engine;
import dev.wick.tensor.Generator;
import dev.wick.tensor.Scope;
import dev.wick.tensor.Tensor;

/**
 * Times {@code step()} of SGD with momentum and of AdamW on ResNet-18's parameters (the 62 shapes of
 * torchvision's resnet18, from golden/resnet18_shapes.json; 11.7M floats), with fixed random
 * gradients. The PyTorch side is src/test/resources/bench/optim_step_bench.py; run both in the same
 * sitting (bench/run_optim_bench.sh alternates them).
 *
 * <pre>
 *   java -cp ... dev.wick.optim.bench.OptimStepBench [threads] [chunks] [stepsPerChunk]
 * </pre>
 * Prints one line per optimizer: best and median ms per step over the chunks.
 */
public final class OptimStepBench {
    public static void main(String[] args) throws IOException {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        int chunks = args.length > 1 ? Integer.parseInt(args[1]) : 7;
        int steps = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        Engine.threads(threads);
        List<long[]> shapes = resnet18Shapes();
        Generator gen = new Generator(0);
        List<Tensor> params = new ArrayList<>();
        long numel = 0;
        for (long[] s : shapes) {
            Tensor p = Tensor.randn(gen, s).requiresGrad(true);
            p.setGrad(Tensor.randn(gen, s).mul(1e-3));
            params.add(p);
            numel += p.numel();
        }
        System.out.printf(Locale.ROOT, "wick  %s, %d params, %d floats%n", Engine.describe(), params.size(), numel);
        run("SGD(lr=0.1, momentum=0.9, weight_decay=1e-4)", new SGD(params, SGD.Options.lr(0.1).withMomentum(0.9).withWeightDecay(1e-4)), chunks, steps);
        run("AdamW(lr=1e-3, weight_decay=1e-2)", new AdamW(params, AdamW.Options.lr(1e-3)), chunks, steps);
        // the per-step cost that is not arithmetic: the same 62 parameters with one element each
        List<Tensor> tiny = new ArrayList<>();
        for (int i = 0; i < shapes.size(); i++) {
            Tensor p = Tensor.randn(gen, 1).requiresGrad(true);
            p.setGrad(Tensor.randn(gen, 1));
            tiny.add(p);
        }
        run("SGD-momentum, 62 one-element params (overhead)", new SGD(tiny, SGD.Options.lr(0.1).withMomentum(0.9).withWeightDecay(1e-4)), chunks, steps * 20);
        run("AdamW, 62 one-element params (overhead)", new AdamW(tiny, AdamW.Options.lr(1e-3)), chunks, steps * 20);
    }

    static void run(String name, Optimizer opt, int chunks, int steps) {
        for (int i = 0; i < 3; i++) step(opt);   // warm-up: state is created
        double[] ms = new double[chunks];
        for (int c = 0; c < chunks; c++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < steps; i++) step(opt);
            ms[c] = (System.nanoTime() - t0) / 1e6 / steps;
        }
        Arrays.sort(ms);
        System.out.printf(Locale.ROOT, "wick  %-45s best %7.2f ms/step  median %7.2f ms/step%n", name, ms[0], ms[chunks / 2]);
    }

    static void step(Optimizer opt) {
        try (Scope s = Scope.open()) { opt.step(); }
    }

    static List<long[]> resnet18Shapes() throws IOException {
        String json;
        try (InputStream in = OptimStepBench.class.getResourceAsStream("/golden/resnet18_shapes.json")) {
            json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<long[]> out = new ArrayList<>();
        Matcher m = Pattern.compile("\"shape\"\\s*:\\s*\\[([^\\]]*)\\]").matcher(json);
        while (m.find()) out.add(Arrays.stream(m.group(1).split(",")).map(String::trim).mapToLong(Long::parseLong).toArray());
        return out;
    }
}
