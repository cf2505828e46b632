package dev.wick.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.wick.tensor.Tensor;

/** The boxed dispatcher calls: the schemas Wick passes arguments to by position, and a few results. */
class ForeachTest {
    @Test
    void fusedKernelSchemasAreTheOnesTheOptimizersCallByPosition() {
        assertEquals(List.of("self", "grads", "exp_avgs", "exp_avg_sqs", "max_exp_avg_sqs", "state_steps", "lr", "beta1", "beta2",
                "weight_decay", "eps", "amsgrad", "maximize", "grad_scale", "found_inf"), Foreach.argumentNames(Foreach.FUSED_ADAM_));
        assertEquals(Foreach.argumentNames(Foreach.FUSED_ADAM_), Foreach.argumentNames(Foreach.FUSED_ADAMW_));
        assertEquals(List.of("self", "grads", "momentum_buffer_list", "weight_decay", "momentum", "lr", "dampening", "nesterov",
                "maximize", "is_first_step", "grad_scale", "found_inf"), Foreach.argumentNames(Foreach.FUSED_SGD_));
        assertEquals(List.of("self", "grads", "state_sums", "state_steps", "lr", "lr_decay", "weight_decay", "eps", "maximize",
                "grad_scale", "found_inf"), Foreach.argumentNames(Foreach.FUSED_ADAGRAD_));
        assertEquals(List.of("self", "other", "alpha"), Foreach.argumentNames(Foreach.ADD_LIST_));
        assertEquals(List.of("self", "tensor1", "tensor2", "value"), Foreach.argumentNames(Foreach.ADDCDIV_));
    }

    @Test
    void listOpsUpdateEveryTensorInPlaceAndOutOfPlaceOnesReturnNewTensors() {
        Tensor a = Tensor.of(new float[]{1, 2}), b = Tensor.of(new float[]{3});
        Foreach.add_(List.of(a, b), List.of(Tensor.of(new float[]{10, 20}), Tensor.of(new float[]{30})), 0.5);
        assertArrayEquals(new float[]{6, 12}, a.toFloatArray());
        assertArrayEquals(new float[]{18}, b.toFloatArray());
        List<Tensor> norms = Foreach.norm(List.of(Tensor.of(new float[]{3, 4}), b), 2.0);
        assertEquals(5.0, norms.get(0).item(), 1e-6);
        assertEquals(18.0, norms.get(1).item(), 1e-6);
        List<Tensor> sq = Foreach.sqrt(List.of(Tensor.of(new float[]{4, 9})));
        assertArrayEquals(new float[]{2, 3}, sq.get(0).toFloatArray());
    }

    @Test
    void aNativeErrorIsAOneLineMessageNamingTheOp() {
        RuntimeException e = org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class,
                () -> Foreach.add_(List.of(Tensor.zeros(2)), List.of(Tensor.zeros(3)), 1.0));
        assertEquals(true, e.getMessage().startsWith("_foreach_add_: "), e.getMessage());
        assertEquals(false, e.getMessage().contains("frame #"), e.getMessage());
    }
}
