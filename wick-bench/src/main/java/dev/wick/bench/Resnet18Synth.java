package dev.wick.bench;

import dev.wick.nn.F;
import dev.wick.nn.models.ResNet;
import dev.wick.optim.SGD;
import dev.wick.tensor.Engine;
import dev.wick.tensor.Scope;
import dev.wick.tensor.Tensor;

/**
 * W5 resnet18-synth: torchvision's resnet18 architecture (10 classes) in train mode on one random batch
 * of 32 images 3x32x32 with random labels, SGD(lr 0.01, momentum 0.9), cross entropy; 3 warm-up steps,
 * then 20 timed steps of forward + backward + step. Reports {@code images_per_s}.
 * Twin: {@code bench/pytorch/w5_resnet18_synth.py}.
 */
final class Resnet18Synth {
    static final String NAME = "resnet18-synth";

    private Resnet18Synth() {}

    static void run() {
        Engine.manualSeed(Bench.seed());
        ResNet model = ResNet.resnet18(10);
        model.train();
        Tensor x = Tensor.randn(32, 3, 32, 32);
        Tensor y = Tensor.randint(0, 10, 32);
        SGD opt = new SGD(model.parameters(), SGD.Options.lr(0.01).withMomentum(0.9));

        for (int i = 0; i < 3; i++) step(model, opt, x, y, false);
        int steps = 20;
        double loss = Double.NaN;
        long t0 = System.nanoTime();
        for (int i = 0; i < steps; i++) loss = step(model, opt, x, y, i == steps - 1);
        double dt = (System.nanoTime() - t0) / 1e9;
        System.err.printf("[W5] %d steps in %.3f s (%.1f ms/step), final loss %.4f%n", steps, dt, dt / steps * 1e3, loss);
        Emit.line(NAME, "images_per_s", steps * 32 / dt, "images/s");
    }

    /** One training step; returns the loss when {@code readLoss}, else NaN (reading it syncs nothing on CPU, but costs an op). */
    private static double step(ResNet model, SGD opt, Tensor x, Tensor y, boolean readLoss) {
        try (Scope s = Scope.open()) {
            opt.zeroGrad();
            Tensor loss = F.crossEntropy(model.forward(x), y);   // (32, 10) logits
            loss.backward();
            opt.step();
            return readLoss ? loss.item() : Double.NaN;
        }
    }
}
