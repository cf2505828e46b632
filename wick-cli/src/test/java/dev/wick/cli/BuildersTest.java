package dev.wick.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.wick.nn.UnaryModule;
import dev.wick.optim.AdamW;
import dev.wick.optim.Optimizer;
import dev.wick.optim.ParamGroup;
import dev.wick.optim.SGD;
import dev.wick.optim.lr.CosineWithMinLR;
import dev.wick.optim.lr.StepLR;
import dev.wick.tensor.Autograd;
import dev.wick.tensor.Scope;
import dev.wick.tensor.Tensor;

/** What the config's names build: the models, the optimizer's groups, the schedules. */
class BuildersTest {
    private static RunConfig cfg(String... sets) {
        return RunConfig.parse(RunConfigTest.BASE, "run.yaml", List.of(sets));
    }

    @Test
    void everyModelMapsGreyImagesToTenClasses() {
        for (String name : RunConfig.MODELS) {
            RunConfig c = cfg("model.name=" + name, "model.hidden=" + (name.equals("mlp") ? "[16]" : "null"));
            UnaryModule m = Models.build(c.model(), 10);
            try (Scope s = Scope.open(); var g = Autograd.noGrad()) {
                m.eval();
                assertArrayEquals(new long[] {3, 10}, m.forward(Tensor.zeros(3, 1, 28, 28)).shape(), name);
            }
        }
        UnaryModule resnet = Models.build(cfg("model.name=resnet18", "model.hidden=null").model(), 10);
        assertArrayEquals(new long[] {64, 3, 7, 7}, resnet.stateDict().get("conv1.weight").shape(), "torchvision's keys and stem");
        assertEquals(11_181_642, resnet.parameters().stream().mapToLong(Tensor::numel).sum(), "torchvision resnet18(num_classes=10)");
        assertEquals(21_840, Models.build(cfg("model.name=simple_classifier", "model.hidden=null").model(), 10)
                .parameters().stream().mapToLong(Tensor::numel).sum(), "SimpleClassifier");
        assertEquals("model.name: simple_classifier has 10 outputs, the data set has 5 classes",
                assertThrows(ConfigException.class, () -> Models.build(cfg("model.name=simple_classifier", "model.hidden=null").model(), 5)).getMessage());
    }

    @Test
    void noDecaySplitsBiasesIntoAGroupWithoutWeightDecay() {
        RunConfig c = cfg("model.name=simple_classifier", "model.hidden=null", "optimizer.name=adamw", "optimizer.momentum=null", "optimizer.lr=0.003");
        UnaryModule m = Models.build(c.model(), 10);
        Optimizer opt = Optimizers.build(c.optimizer(), m);
        assertTrue(opt instanceof AdamW);
        List<ParamGroup> groups = opt.paramGroups();
        assertEquals(2, groups.size());
        assertEquals(4, groups.get(0).params().size(), "conv1, conv2, fc1, fc2 weights");
        assertEquals(0.01, groups.get(0).getDouble("weight_decay"), "AdamW's own default weight decay");
        assertEquals(4, groups.get(1).params().size(), "the four biases");
        assertEquals(0.0, groups.get(1).getDouble("weight_decay"));
        for (ParamGroup g : groups) assertEquals(0.003, g.lr());

        Optimizer one = Optimizers.build(cfg("optimizer.no_decay=false", "optimizer.weight_decay=0.5").optimizer(), Models.build(cfg().model(), 10));
        assertTrue(one instanceof SGD);
        assertEquals(1, one.paramGroups().size());
        assertEquals(0.5, one.paramGroups().get(0).getDouble("weight_decay"));
        assertEquals(0.9, one.paramGroups().get(0).getDouble("momentum"));
    }

    @Test
    void warmupCosineRisesForTheWarmupThenFallsToMinLrAtTheLastStep() {
        RunConfig c = cfg("scheduler.name=warmup_cosine", "scheduler.warmup_epochs=0.5", "scheduler.min_lr=0.005");
        Optimizer opt = Optimizers.build(c.optimizer(), Models.build(c.model(), 10));
        Schedules.Built b = Schedules.build(c.scheduler(), opt, 20, 100);   // warm-up: half of 20 steps
        assertTrue(b.scheduler() instanceof CosineWithMinLR);
        assertTrue(b.perStep());
        assertEquals(0.05 / 11, b.scheduler().lrAt(0).get(0), 1e-15, "lr * 1 / (warmup + 1)");
        assertEquals(0.05, b.scheduler().lrAt(10).get(0), 1e-15, "the end of the warm-up");
        assertEquals(0.005 + (0.05 - 0.005) * 0.5, b.scheduler().lrAt(55).get(0), 1e-12, "half-way down the cosine");
        assertEquals(0.005, b.scheduler().lrAt(100).get(0), 1e-15, "min_lr at the last step");

        assertEquals("scheduler.warmup_epochs: the warm-up (100 steps) must be shorter than the run (100 optimizer steps)",
                assertThrows(ConfigException.class, () -> Schedules.build(cfg("scheduler.name=warmup_cosine", "scheduler.warmup_epochs=5").scheduler(),
                        opt, 20, 100)).getMessage());
        Schedules.Built step = Schedules.build(cfg("scheduler.name=step", "scheduler.step_size=3").scheduler(), opt, 20, 100);
        assertTrue(step.scheduler() instanceof StepLR);
        assertTrue(!step.perStep(), "StepLR steps per epoch");
        assertNull(Schedules.build(cfg().scheduler(), opt, 20, 100).scheduler(), "none");
    }
}
