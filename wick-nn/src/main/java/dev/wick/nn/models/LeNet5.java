package dev.wick.nn.models;

import dev.wick.nn.Conv2d;
import dev.wick.nn.ConvOptions;
import dev.wick.nn.F;
import dev.wick.nn.Linear;
import dev.wick.nn.UnaryModule;
import dev.wick.tensor.Tensor;

/**
 * LeNet-5 in its modern form (ReLU and max pooling) for 28x28 single-channel images: conv 1->6
 * (5x5, padding 2, so 28x28 plays the role of LeCun's 32x32), pool, conv 6->16 (5x5), pool, then
 * 400 -> 120 -> 84 -> classes. Parameter names: conv1, conv2, fc1, fc2, fc3.
 *
 * <pre>{@code
 * Tensor logits = new LeNet5(10).forward(images);   // (B, 1, 28, 28) -> (B, 10)
 * }</pre>
 */
public class LeNet5 extends UnaryModule {
    private final Conv2d conv1;
    private final Conv2d conv2;
    private final Linear fc1;
    private final Linear fc2;
    private final Linear fc3;

    public LeNet5() { this(10); }

    public LeNet5(long numClasses) {
        if (numClasses <= 0) throw new IllegalArgumentException("Invalid number of classes: " + numClasses + " (must be > 0)");
        conv1 = register("conv1", new Conv2d(1, 6, 5, ConvOptions.defaults().withPadding(2)));
        conv2 = register("conv2", new Conv2d(6, 16, 5));
        fc1 = register("fc1", new Linear(16 * 5 * 5, 120));
        fc2 = register("fc2", new Linear(120, 84));
        fc3 = register("fc3", new Linear(84, numClasses));
    }

    @Override
    public Tensor forward(Tensor x) {
        x = F.maxPool2d(F.relu(conv1.forward(x)), 2);   // (B, 6, 14, 14)
        x = F.maxPool2d(F.relu(conv2.forward(x)), 2);   // (B, 16, 5, 5)
        x = x.flatten(1, -1);                           // (B, 400)
        x = F.relu(fc1.forward(x));                     // (B, 120)
        x = F.relu(fc2.forward(x));                     // (B, 84)
        return fc3.forward(x);                          // (B, classes)
    }
}
