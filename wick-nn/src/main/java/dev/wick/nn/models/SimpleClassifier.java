package dev.wick.nn.models;

import dev.wick.nn.Conv2d;
import dev.wick.nn.F;
import dev.wick.nn.Linear;
import dev.wick.nn.MaxPool2d;
import dev.wick.nn.UnaryModule;
import dev.wick.tensor.Tensor;

/**
 * The seed's {@link SimpleModel} with a classifier head, as benchmark W2 defines it:
 * Conv2d(1,10,k5) -> MaxPool2d(2) -> ReLU -> Conv2d(10,20,k5) -> MaxPool2d(2) -> ReLU ->
 * flatten(320) -> Linear(320,50) -> ReLU -> Linear(50,10). Modules are registered as the
 * PyTorch benchmark registers them (conv1, conv2, pool, fc1, fc2), so the same seed gives the
 * same initial weights and the state dicts have the same keys.
 *
 * <pre>{@code
 * Tensor logits = new SimpleClassifier().forward(images);   // (B, 1, 28, 28) -> (B, 10)
 * }</pre>
 */
public class SimpleClassifier extends UnaryModule {
    private final Conv2d conv1 = register("conv1", new Conv2d(1, 10, 5));
    private final Conv2d conv2 = register("conv2", new Conv2d(10, 20, 5));
    private final MaxPool2d pool = register("pool", new MaxPool2d(2));
    private final Linear fc1 = register("fc1", new Linear(320, 50));
    private final Linear fc2 = register("fc2", new Linear(50, 10));

    @Override
    public Tensor forward(Tensor x) {
        x = F.relu(pool.forward(conv1.forward(x)));   // (B, 10, 12, 12)
        x = F.relu(pool.forward(conv2.forward(x)));   // (B, 20, 4, 4)
        x = x.flatten(1, -1);                         // (B, 320)
        return fc2.forward(F.relu(fc1.forward(x)));   // (B, 10)
    }
}
