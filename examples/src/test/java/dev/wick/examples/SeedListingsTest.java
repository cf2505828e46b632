package dev.wick.examples;

import static dev.wick.examples.Golden.assertClose;
import static dev.wick.examples.Golden.toDoubles;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.wick.optim.ParamGroup;
import dev.wick.optim.SGD;
import dev.wick.tensor.Engine;
import dev.wick.tensor.Scope;
import dev.wick.tensor.Tensor;

/**
 * Each ported listing runs on small data and is compared with the same program run by PyTorch 1.13
 * (make_golden.py): same seed, same initial weights, same shuffled order, so losses and weights agree
 * to float32 rounding.
 */
class SeedListingsTest {
    /** Section 1's Model and section 3's SimpleModel: PyTorch's output after the same seed. */
    @Test
    void theTwoModelsMatchPyTorch() {
        Golden g = Golden.load("models");
        try (Scope s = Scope.open()) {
            Engine.manualSeed(0);
            Model model = new Model();
            Tensor y = model.forward(Tensor.randn(2, 1, 28, 28));
            assertArrayEquals(g.longs("model_shape"), y.shape());
            assertClose(g.number("model_sum"), y.sum().item(), 1e-4, 1e-3, "Model output sum");
            assertClose(g.doubles("model_first"), toDoubles(y.get(0, 0, 0).narrow(0, 0, 8).toFloatArray()), 1e-5, 1e-6, "Model y[0,0,0,:8]");

            Engine.manualSeed(0);
            SimpleModel simple = new SimpleModel();
            Tensor z = simple.forward(Tensor.randn(3, 1, 28, 28));
            assertArrayEquals(g.longs("simple_shape"), z.shape());
            assertClose(g.number("simple_sum"), z.sum().item(), 1e-4, 1e-4, "SimpleModel output sum");
            assertClose(g.doubles("simple_first"), toDoubles(z.get(0).narrow(0, 0, 8).toFloatArray()), 1e-5, 1e-6, "SimpleModel y[0,:8]");
        }
    }

    /** named_parameters(): PyTorch's names and shapes, in order (fc.weight is [50, 320], not the seed's [320, 50]). */
    @Test
    void namedParametersPrintsPyTorchsNamesAndShapes() {
        List<String> want = new ArrayList<>();
        for (Object o : Golden.load("models").list("named_parameters")) {
            List<?> row = (List<?>) o;
            want.add(row.get(0) + " " + row.get(1).toString().replace(" ", "").replace(",", ", "));
        }
        assertEquals(want, NamedParameters.run());
        assertEquals("fc.weight [50, 320]", NamedParameters.run().get(4));
    }

    /** Section 2: the same shuffled batches as PyTorch, images stacked, a list of box tensors of varying length. */
    @Test
    void datasetAndCollateGiveThePyTorchBatches() {
        List<Object> want = Golden.load("dataset_collate").list("batches");
        List<DatasetAndCollate.BatchSummary> got = DatasetAndCollate.run(2);
        assertEquals(want.size(), got.size(), "batches in 2 epochs of 10 samples by 4");
        for (int i = 0; i < want.size(); i++) {
            Map<?, ?> w = (Map<?, ?>) want.get(i);
            DatasetAndCollate.BatchSummary b = got.get(i);
            assertArrayEquals(toLongs((List<?>) w.get("images_shape")), b.imagesShape(), "batch " + i + " images shape");
            int[] counts = ((List<?>) w.get("box_counts")).stream().mapToInt(o -> ((Number) o).intValue()).toArray();
            assertArrayEquals(counts, b.boxCounts(), "batch " + i + " boxes per image (the shuffled order)");
            assertClose(((Number) w.get("images_sum")).doubleValue(), b.imagesSum(), 1e-5, 1e-4, "batch " + i + " images sum");
            assertClose(((Number) w.get("boxes_sum")).doubleValue(), b.boxesSum(), 1e-5, 1e-5, "batch " + i + " boxes sum");
        }
    }

    /** Section 3.1: SGD(0.01, momentum 0.9) + ExponentialLR(0.9) stepped per epoch, 20 epochs. */
    @Test
    void sgdWithExponentialLrFollowsPyTorch() {
        Golden g = Golden.load("sgd_exponential");
        SgdExponentialLR.Result r = SgdExponentialLR.runSynthetic((int) g.number("epochs"));
        assertClose(g.doubles("lr"), toDoubles(r.lr()), 1e-12, 0, "lr per epoch");
        assertClose(g.number("final_lr"), r.finalLr(), 1e-12, 0, "final lr (0.01 * 0.9^20)");
        assertClose(g.doubles("last_loss"), toDoubles(r.lastLoss()), 2e-4, 1e-5, "last batch loss per epoch");
        assertClose(g.doubles("fc_bias"), toDoubles(r.fcBias()), 1e-3, 1e-5, "fc.bias after training");
        assertTrue(r.lastLoss().get(r.lastLoss().size() - 1) < r.lastLoss().get(0), "the loss went down: " + r.lastLoss());
    }

    /** Per-layer groups, add_param_group, one LambdaLR lambda per group, state_dict / load_state_dict. */
    @Test
    void perLayerGroupsFollowPyTorch() {
        Golden g = Golden.load("param_groups");
        ParamGroups.Result r = ParamGroups.run((int) g.number("steps"));
        List<Object> wantLr = g.list("lr");
        for (int i = 0; i < wantLr.size(); i++)
            assertClose(toDoubles((List<?>) wantLr.get(i)), r.lr().get(i), 1e-12, 0, "lr of each group at step " + i);
        assertClose(g.number("final_loss"), r.finalLoss(), 1e-4, 1e-6, "final loss");
        assertClose(g.doubles("conv1_bias"), toDoubles(r.model().conv1.bias().toFloatArray()), 1e-4, 1e-6, "conv1.bias");
        assertClose(g.doubles("fc_bias"), toDoubles(r.model().fc.bias().toFloatArray()), 1e-4, 1e-6, "fc.bias");

        Map<String, Object> sd = r.optimizer().stateDict();
        List<Map<String, Object>> groups = ParamGroups.castGroups(sd.get("param_groups"));
        List<Object> wantGroups = g.list("groups");
        assertEquals(wantGroups.size(), groups.size());
        for (int i = 0; i < groups.size(); i++) {
            Map<?, ?> w = (Map<?, ?>) wantGroups.get(i);
            for (String key : List.of("lr", "initial_lr", "momentum", "weight_decay", "dampening"))
                assertClose(((Number) w.get(key)).doubleValue(), ((Number) groups.get(i).get(key)).doubleValue(), 1e-12, 0, "group " + i + " " + key);
            assertEquals(w.get("nesterov"), groups.get(i).get("nesterov"), "group " + i + " nesterov");
            assertEquals(w.get("params"), groups.get(i).get("params"), "group " + i + " params (indices across groups)");
        }
        assertEquals(g.list("state_keys"), new ArrayList<>(((Map<?, ?>) sd.get("state")).keySet()), "momentum buffers for every parameter");

        SGD copy = ParamGroups.restore(r.model(), r.optimizer());
        assertEquals(2, copy.paramGroups().size());
        for (int i = 0; i < 2; i++) {
            ParamGroup a = r.optimizer().paramGroups().get(i), b = copy.paramGroups().get(i);
            assertEquals(a.lr(), b.lr(), "restored lr of group " + i);
            assertEquals(a.getDouble("weight_decay"), b.getDouble("weight_decay"), "restored weight_decay of group " + i);
        }
        Tensor bufA = (Tensor) ((Map<?, ?>) ((Map<?, ?>) sd.get("state")).get(5L)).get("momentum_buffer");
        Tensor bufB = (Tensor) ((Map<?, ?>) ((Map<?, ?>) copy.stateDict().get("state")).get(5L)).get("momentum_buffer");
        assertNotSame(bufA, bufB);
        assertTrue(bufA.equal(bufB), "restored momentum buffer of fc.bias");
    }

    /** Section 4.1: batch 100, accumulation 10, 2 epochs: every loss and the final weights equal PyTorch's. */
    @Test
    void trainEpochWithAccumulationFollowsPyTorch() {
        Golden g = Golden.load("train_epoch");
        TrainEpoch.Result r = TrainEpoch.run();
        assertClose(g.doubles("losses"), toDoubles(r.losses()), 1e-5, 1e-6, "loss of each batch");
        assertClose(g.doubles("weight"), toDoubles(r.model().linear.weight().toFloatArray()), 1e-5, 1e-6, "linear.weight");
        assertClose(g.doubles("bias"), toDoubles(r.model().linear.bias().toFloatArray()), 1e-5, 1e-6, "linear.bias");
    }

    /** Section 4.2: 99 iterations over passes of 10 batches, a new iterator when one runs out. */
    @Test
    void trainIterationRestartsTheDataLikePyTorch() {
        Golden g = Golden.load("train_iteration");
        TrainIteration.Result r = TrainIteration.run((int) g.number("max_iter"));
        assertEquals(99, r.losses().size(), "range(1, 100) runs 99 iterations");
        assertEquals((int) g.number("passes"), r.passes(), "passes over the data (10 batches each)");
        assertClose(g.doubles("losses"), toDoubles(r.losses()), 1e-5, 1e-6, "loss of each iteration");
        assertClose(g.doubles("weight"), toDoubles(r.model().linear.weight().toFloatArray()), 1e-5, 1e-6, "linear.weight");
        assertClose(g.doubles("bias"), toDoubles(r.model().linear.bias().toFloatArray()), 1e-5, 1e-6, "linear.bias");
    }

    private static long[] toLongs(List<?> l) {
        return l.stream().mapToLong(o -> ((Number) o).longValue()).toArray();
    }
}
