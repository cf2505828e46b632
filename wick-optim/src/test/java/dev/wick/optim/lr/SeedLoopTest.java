package dev.wick.optim.lr;

import static dev.wick.optim.lr.Golden.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.wick.optim.SGD;
import dev.wick.tensor.Scope;
import dev.wick.tensor.Tensor;

/**
 * The seed's loop: SGD(lr=0.01, momentum=0.9) with ExponentialLR(gamma=0.9), the scheduler stepped once
 * per epoch after the epoch's optimizer steps. PyTorch's learning rate at every iteration and the
 * parameters after every epoch (make_golden.py, seed_exponential_per_epoch).
 */
class SeedLoopTest {
    @Test
    void exponentialLrSteppedPerEpoch() {
        Golden g = Golden.load("seed_exponential_per_epoch");
        List<double[]> x = g.rows("x");
        double[] y = flat(g.list("y"));
        double[] lrUsed = flat(g.list("lr_used"));
        List<double[]> wAfter = g.rows("w_after_epoch");
        int epochs = ((Number) g.data.get("epochs")).intValue(), iters = ((Number) g.data.get("iters")).intValue();

        Tensor w = Tensor.of(new float[] {0.1f, -0.2f}, 2).requiresGrad(true);
        SGD opt = new SGD(List.of(w), SGD.Options.lr(0.01).withMomentum(0.9));
        ExponentialLR sched = new ExponentialLR(opt, 0.9);
        int k = 0;
        for (int epoch = 0; epoch < epochs; epoch++) {
            for (int i = 0; i < iters; i++) {
                try (Scope s = Scope.open()) {
                    opt.zeroGrad();
                    Tensor xi = Tensor.of(new float[] {(float) x.get(i)[0], (float) x.get(i)[1]}, 2);
                    Tensor loss = xi.dot(w).sub(y[i]).pow(2.0);   // (x_i . w - y_i)^2
                    loss.backward();
                    assertClose(lrUsed[k++], opt.paramGroups().get(0).lr(), "lr at epoch " + epoch + " iteration " + i);
                    opt.step();
                }
            }
            sched.step();
            float[] got = w.detach().toFloatArray();
            for (int j = 0; j < 2; j++)
                assertTrue(Math.abs(got[j] - wAfter.get(epoch)[j]) <= 1e-6 * Math.max(1, Math.abs(wAfter.get(epoch)[j])),
                        "w[" + j + "] after epoch " + epoch + ": expected " + wAfter.get(epoch)[j] + " got " + got[j]);
        }
        assertEquals(epochs, sched.lastEpoch());
        assertClose(flat(g.list("last_lr")), sched.lastLr(), "last lr");
    }

    private static double[] flat(List<Object> l) {
        double[] out = new double[l.size()];
        for (int i = 0; i < out.length; i++) out[i] = ((Number) l.get(i)).doubleValue();
        return out;
    }
}
