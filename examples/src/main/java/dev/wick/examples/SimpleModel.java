package dev.wick.examples;

import dev.wick.nn.Conv2d;
import dev.wick.nn.Linear;
import dev.wick.nn.UnaryModule;
import dev.wick.tensor.Tensor;

/**
 * Seed section 3.1, the network whose parameters the optimizer updates: two convolutions with max
 * pooling, then a 320 -> 50 linear layer.
 *
 * <pre>{@code
 * Tensor features = new SimpleModel().forward(images);   // (B, 1, 28, 28) -> (B, 50)
 * }</pre>
 *
 * <p>The seed calls {@code torch.max_pool2d} and {@code torch.relu} directly; their Java forms are
 * the tensor methods of the same names ({@code F.maxPool2d} in {@code dev.wick.nn} is the same op).
 */
public class SimpleModel extends UnaryModule {
    public final Conv2d conv1 = register("conv1", new Conv2d(1, 10, 5));
    public final Conv2d conv2 = register("conv2", new Conv2d(10, 20, 5));
    public final Linear fc = register("fc", new Linear(320, 50));

    @Override
    public Tensor forward(Tensor x) {
        x = dev.wick.nn.F.maxPool2d(conv1.forward(x), 2).relu();   // (B, 10, 12, 12)
        x = dev.wick.nn.F.maxPool2d(conv2.forward(x), 2).relu();   // (B, 20, 4, 4)
        x = x.view(-1, 320);                                        // (B, 320)
        return fc.forward(x);                                       // (B, 50)
    }
}
