package dev.wick.examples;

import dev.wick.nn.Conv2d;
import dev.wick.nn.F;
import dev.wick.nn.UnaryModule;
import dev.wick.tensor.Tensor;

/**
 * Seed section 1, "model structure": a network subclasses the module base class, creates its layers in
 * the constructor and computes its output in {@code forward}.
 *
 * <pre>{@code
 * Model model = new Model();
 * Tensor y = model.forward(Tensor.randn(2, 1, 28, 28));   // (2, 20, 20, 20)
 * }</pre>
 *
 * <p>Python's {@code self.conv1 = nn.Conv2d(1, 20, 5)} both stores and registers the layer; in Java,
 * {@code register} does the registering, so the parameter names ({@code conv1.weight}, ...) are the
 * ones PyTorch gives.
 */
public class Model extends UnaryModule {
    public final Conv2d conv1 = register("conv1", new Conv2d(1, 20, 5));
    public final Conv2d conv2 = register("conv2", new Conv2d(20, 20, 5));

    @Override
    public Tensor forward(Tensor x) {
        x = F.relu(conv1.forward(x));      // (B, 20, H-4, W-4)
        return F.relu(conv2.forward(x));   // (B, 20, H-8, W-8)
    }

    public static void main(String[] args) {
        Model model = new Model();
        System.out.println(model);
        Tensor y = model.forward(Tensor.randn(2, 1, 28, 28));
        System.out.println("output shape " + java.util.Arrays.toString(y.shape()));
    }
}
