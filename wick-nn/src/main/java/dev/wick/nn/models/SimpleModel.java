package dev.wick.nn.models;

import dev.wick.nn.Conv2d;
import dev.wick.nn.F;
import dev.wick.nn.Linear;
import dev.wick.nn.UnaryModule;
import dev.wick.tensor.Tensor;

/**
 * The seed document's {@code SimpleModel}: conv 1->10 (5x5), max-pool 2, ReLU, conv 10->20 (5x5),
 * max-pool 2, ReLU, then a 320 -> 50 linear layer. Parameters {@code conv1.weight} (10, 1, 5, 5),
 * {@code conv1.bias}, {@code conv2.weight} (20, 10, 5, 5), {@code conv2.bias}, {@code fc.weight}
 * (50, 320), {@code fc.bias}.
 *
 * <pre>{@code
 * Tensor features = new SimpleModel().forward(images);   // (B, 1, 28, 28) -> (B, 50)
 * }</pre>
 *
 * @see SimpleClassifier for the variant with a 10-class head (benchmark W2)
 */
public class SimpleModel extends UnaryModule {
    private final Conv2d conv1 = register("conv1", new Conv2d(1, 10, 5));
    private final Conv2d conv2 = register("conv2", new Conv2d(10, 20, 5));
    private final Linear fc = register("fc", new Linear(320, 50));

    @Override
    public Tensor forward(Tensor x) {
        x = F.relu(F.maxPool2d(conv1.forward(x), 2));   // (B, 10, 12, 12)
        x = F.relu(F.maxPool2d(conv2.forward(x), 2));   // (B, 20, 4, 4)
        x = x.view(-1, 320);                            // (B, 320)
        return fc.forward(x);                           // (B, 50)
    }
}
