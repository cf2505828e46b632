package dev.wick.tensor;

import java.util.ArrayList;
import java.util.List;

import org.bytedeco.pytorch.AutoGradMode;
import org.bytedeco.pytorch.BoolOptional;
import org.bytedeco.pytorch.NoGradGuard;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;

/**
 * Gradient modes and functional gradients.
 *
 * <pre>{@code
 * try (var g = Autograd.noGrad()) {          // with torch.no_grad():
 *     w.sub_(w.grad().mul(lr));
 * }
 * List<Tensor> dx = Autograd.grad(List.of(y), List.of(x));   // torch.autograd.grad(y, x)
 * }</pre>
 * Modes are per thread, as in PyTorch.
 */
public final class Autograd {
    static { Engine.init(); }
    private Autograd() {}

    /** A guard that turns gradient recording off until closed. */
    public interface Guard extends AutoCloseable {
        @Override void close();
    }

    /** {@code torch.no_grad()}. */
    public static Guard noGrad() {
        NoGradGuard g = new NoGradGuard();
        return g::close;
    }

    /** {@code torch.enable_grad()}. */
    public static Guard enableGrad() {
        AutoGradMode g = new AutoGradMode(true);
        return g::close;
    }

    /** Whether gradients are recorded on this thread. */
    public static boolean isGradEnabled() { return org.bytedeco.pytorch.GradMode.is_enabled(); }

    /** Gradients of the sum of {@code outputs} with respect to {@code inputs} ({@code torch.autograd.grad}). */
    public static List<Tensor> grad(List<Tensor> outputs, List<Tensor> inputs) {
        return grad(outputs, inputs, null, false, false);
    }

    /**
     * Gradients of {@code outputs} (weighted by {@code gradOutputs}, or ones when null) with respect to
     * {@code inputs}; {@code createGraph} keeps the graph for higher-order gradients.
     */
    public static List<Tensor> grad(List<Tensor> outputs, List<Tensor> inputs, List<Tensor> gradOutputs,
                                    boolean retainGraph, boolean createGraph) {
        List<Tensor> go = gradOutputs;
        List<Tensor> tmp = new ArrayList<>();
        try {
            if (go == null) {
                go = new ArrayList<>();
                for (Tensor o : outputs) { Tensor one = o.onesLike(); tmp.add(one); go.add(one); }
            }
            try (TensorVector out = Tensor.vec(outputs); TensorVector in = Tensor.vec(inputs); TensorVector g = Tensor.vec(go)) {
                TensorVector r;
                try (BoolOptional rg = new BoolOptional(retainGraph || createGraph)) { r = torch.grad(out, in, g, rg, createGraph, false); }
                return Tensor.unvec(r);
            }
        } catch (RuntimeException e) {
            throw TorchException.from(e, "autograd.grad");
        } finally {
            for (Tensor t : tmp) t.close();
        }
    }
}
