package dev.wick.examples;

import java.util.ArrayList;
import java.util.List;

import dev.wick.data.Batches;
import dev.wick.data.DataLoader;
import dev.wick.data.Example;
import dev.wick.data.TensorDataset;
import dev.wick.nn.UnaryModule;
import dev.wick.nn.loss.CrossEntropyLoss;
import dev.wick.optim.SGD;
import dev.wick.optim.lr.ExponentialLR;
import dev.wick.tensor.Autograd;
import dev.wick.tensor.DType;
import dev.wick.tensor.Engine;
import dev.wick.tensor.Scope;
import dev.wick.tensor.Tensor;
import dev.wick.vision.FashionMNIST;

/**
 * Seed section 3.1, the canonical step: {@code SGD(lr=0.01, momentum=0.9)} with
 * {@code ExponentialLR(gamma=0.9)}; each batch runs zero_grad, forward, loss, backward, step, and the
 * scheduler steps once per epoch.
 *
 * <pre>{@code
 * var optimizer = new SGD(model.parameters(), SGD.Options.lr(0.01).withMomentum(0.9));
 * var scheduler = new ExponentialLR(optimizer, 0.9);
 * for (int epoch = 0; epoch < 20; epoch++) {
 *     for (var batch : dataset) { optimizer.zeroGrad(); ...; loss.backward(); optimizer.step(); }
 *     scheduler.step();
 * }
 * }</pre>
 *
 * <p>The seed leaves {@code model}, {@code dataset} and {@code loss_fn} undefined. Here the model is
 * the section's {@link SimpleModel} (its 50 outputs read as class scores), the loss cross entropy, and
 * the data a shuffled loader: Fashion-MNIST images in {@link #main}, random tensors in the test that
 * compares every number with PyTorch's.
 */
public final class SgdExponentialLR {
    private SgdExponentialLR() {}

    /** The learning rate and the last batch's loss of each epoch, the final lr and {@code fc.bias}. */
    public record Result(List<Double> lr, List<Double> lastLoss, double finalLr, float[] fcBias) {}

    /** The seed's loop over {@code inputs} [N, 1, 28, 28] and {@code targets} [N] (int64), batches of 32. */
    public static Result train(UnaryModule model, Tensor inputs, Tensor targets, int epochs) {
        DataLoader<Example<Tensor, Tensor>, Example<Tensor, Tensor>> dataset = DataLoader.builder(TensorDataset.examples(inputs, targets)).batchSize(32).shuffle(true).build();
        var lossFn = new CrossEntropyLoss();
        var optimizer = new SGD(model.parameters(), SGD.Options.lr(0.01).withMomentum(0.9));
        var scheduler = new ExponentialLR(optimizer, 0.9);
        List<Double> lrs = new ArrayList<>(), losses = new ArrayList<>();
        for (int epoch = 0; epoch < epochs; epoch++) {
            lrs.add(optimizer.paramGroups().get(0).lr());
            double last = Double.NaN;
            for (Example<Tensor, Tensor> batch : dataset) {
                try (Scope step = Scope.open()) {
                    Batches.adopt(step, batch);            // the batch is freed with the step
                    Tensor input = batch.input(), target = batch.target();
                    optimizer.zeroGrad();
                    Tensor output = model.forward(input);
                    Tensor loss = lossFn.forward(output, target);
                    loss.backward();
                    optimizer.step();
                    last = loss.item();
                }
            }
            losses.add(last);
            scheduler.step();
        }
        return new Result(lrs, losses, optimizer.paramGroups().get(0).lr(), ((SimpleModel) model).fc.bias().toFloatArray());
    }

    /** Seed 0, a {@link SimpleModel}, 96 random images with random labels 0..9: the golden test's run. */
    public static Result runSynthetic(int epochs) {
        Engine.manualSeed(0);
        SimpleModel model = new SimpleModel();
        Tensor inputs = Tensor.randn(96, 1, 28, 28);
        Tensor targets = Tensor.randint(0, 10, 96);
        return train(model, inputs, targets, epochs);
    }

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 2048;
        Engine.manualSeed(0);
        SimpleModel model = new SimpleModel();
        FashionMNIST train = FashionMNIST.builder().train(true).build();
        Tensor inputs = train.images().narrow(0, 0, n).unsqueeze(1).to(DType.FLOAT32).div_(255.0)   // [n, 1, 28, 28]
                .sub_(FashionMNIST.MEAN).div_(FashionMNIST.STD);
        Tensor targets = train.labels().narrow(0, 0, n);
        Result r = train(model, inputs, targets, 20);
        for (int e = 0; e < r.lr().size(); e++)
            System.out.printf("epoch %2d  lr %.6f  last loss %.4f%n", e + 1, r.lr().get(e), r.lastLoss().get(e));
        try (var noGrad = Autograd.noGrad(); Scope s = Scope.open()) {
            FashionMNIST test = FashionMNIST.builder().train(false).build();
            Tensor x = test.images().unsqueeze(1).to(DType.FLOAT32).div_(255.0).sub_(FashionMNIST.MEAN).div_(FashionMNIST.STD);
            double acc = model.forward(x).argmax(1, false).eq(test.labels()).to(DType.FLOAT32).mean().item();
            System.out.printf("test accuracy %.4f (%d training images, 20 epochs)%n", acc, n);
        }
    }
}
