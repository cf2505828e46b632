package dev.wick.nn.models;

import dev.wick.nn.Conv2d;
import dev.wick.nn.F;
import dev.wick.nn.UnaryModule;
import dev.wick.tensor.Tensor;

/**
 * The seed document's {@code Model}: two 5x5 convolutions with 20 channels, each followed by ReLU.
 *
 * <pre>{@code
 * Tensor y = new SeedModel().forward(x);   // (B, 1, 28, 28) -> (B, 20, 20, 20)
 * }</pre>
 */
public class SeedModel extends UnaryModule {
    private final Conv2d conv1 = register("conv1", new Conv2d(1, 20, 5));
    private final Conv2d conv2 = register("conv2", new Conv2d(20, 20, 5));

    @Override
    public Tensor forward(Tensor x) {
        x = F.relu(conv1.forward(x));      // (B, 20, H-4, W-4)
        return F.relu(conv2.forward(x));   // (B, 20, H-8, W-8)
    }

    @Override
    protected String typeName() { return "Model"; }
}
