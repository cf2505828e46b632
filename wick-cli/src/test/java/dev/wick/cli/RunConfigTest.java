package dev.wick.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Reading, validating and overriding run configs: every error names the full dotted key. */
class RunConfigTest {
    /** A small valid config; each test changes one thing. */
    static final String BASE = """
            model:
              name: mlp
              hidden: [32]
            data:
              batch_size: 32
            optimizer:
              name: sgd
              lr: 0.05
              momentum: 0.9
            trainer:
              max_epochs: 2
            """;

    private static RunConfig parse(String yaml, String... sets) {
        return RunConfig.parse(yaml, "run.yaml", List.of(sets));
    }

    private static String error(String yaml, String... sets) {
        return assertThrows(ConfigException.class, () -> parse(yaml, sets)).getMessage();
    }

    // ------------------------------------------------------------------ the default config (the main job)

    @Test
    void theDefaultConfigIsTheMainJob() {
        RunConfig c = RunConfig.defaults(List.of());
        assertEquals("simple_classifier", c.model().name());
        assertEquals("fashion_mnist", c.data().dataset());
        assertNull(c.data().root(), "the bundled copy");
        assertEquals(2, c.data().numWorkers());
        assertTrue(c.data().augment());
        assertEquals(0, c.data().cropPadding(), "flips only: measured better for this model than crop + flip");
        assertEquals(0.5, c.data().hflip());
        assertEquals(8L, c.trainer().maxEpochs());
        assertEquals(1, c.trainer().threads());
        assertEquals("adamw", c.optimizer().name());
        assertEquals("warmup_cosine", c.scheduler().name());
        assertEquals(2, c.trainer().accumulation());
        assertEquals(1, c.trainer().keepBest());
        assertEquals("val_acc", c.trainer().monitor());
        assertTrue(c.yaml().startsWith("# The main job"), "the resource's text, verbatim");
    }

    @Test
    void defaultsFillWhatAConfigLeavesOut() {
        RunConfig c = parse(BASE);
        assertArrayEquals(new long[] {32}, c.model().hidden());
        assertEquals(32, c.data().batchSize());
        assertEquals(1000, c.data().evalBatchSize());
        assertEquals(2, c.data().numWorkers());
        assertFalse(c.data().augment());
        assertEquals(0.0, c.data().valFraction());
        assertNull(c.optimizer().weightDecay(), "left to SGD's own default");
        assertEquals(0.9, c.optimizer().momentum());
        assertTrue(c.optimizer().noDecay());
        assertEquals("none", c.scheduler().name());
        assertEquals(2L, c.trainer().maxEpochs());
        assertNull(c.trainer().maxSteps());
        assertEquals(1, c.trainer().accumulation());
        assertEquals(Path.of("runs"), c.trainer().runDir());
        assertEquals(0L, c.trainer().seed());
        assertEquals(BASE, c.yaml(), "without overrides the effective config is the text itself");
    }

    // ------------------------------------------------------------------ errors, with their exact messages

    @Test
    void badValuesNameTheKeyAndTheRule() {
        assertEquals("optimizer.lr: must be a positive number, got -0.1", error(BASE, "optimizer.lr=-0.1"));
        assertEquals("optimizer.lr: must be a positive number, got 'fast'", error(BASE, "optimizer.lr=fast"));
        assertEquals("data.batch_size: must be a positive integer, got 0", error(BASE, "data.batch_size=0"));
        assertEquals("data.batch_size: must be a positive integer, got 12.5", error(BASE, "data.batch_size=12.5"));
        assertEquals("data.num_workers: must be an integer >= 0, got -1", error(BASE, "data.num_workers=-1"));
        assertEquals("data.augment: must be true or false, got 'maybe'", error(BASE, "data.augment=maybe"));
        assertEquals("data.val_fraction: must be a number in [0, 1), got 1", error(BASE, "data.val_fraction=1"));
        assertEquals("optimizer.momentum: must be a number in [0, 1), got 1.5", error(BASE, "optimizer.momentum=1.5"));
        assertEquals("model.hidden: must be a list of positive integers, like [512, 256], got [32, -4]", error(BASE, "model.hidden=[32, -4]"));
        assertEquals("model.name: must be one of simple_classifier, mlp, lenet5, resnet18, got 'vgg16'", error(BASE, "model.name=vgg16"));
        assertEquals("optimizer.name: is required (one of adamw, adam, sgd)", error(BASE, "optimizer.name=null"));
        assertEquals("trainer.keep_best: must be an integer >= 0, got -1", error(BASE, "trainer.keep_best=-1"));
        assertEquals("trainer.monitor: must be one of val_acc, val_loss, got 'acc'", error(BASE, "trainer.monitor=acc"));
        assertEquals("trainer.seed: must be an integer, got 'abc'", error(BASE, "trainer.seed=abc"));
        assertEquals("trainer.run_name: must be a single folder name, got 'a/b'", error(BASE, "trainer.run_name=a/b"));
    }

    @Test
    void unknownKeysAndSectionsAreRejected() {
        assertEquals("optimizer.lrr: unknown key (optimizer keys: name, lr, weight_decay, momentum, nesterov, betas, eps, no_decay)",
                error(BASE, "optimizer.lrr=0.1"));
        assertEquals("trainer.max_epoch: unknown key (trainer keys: max_epochs, max_steps, accumulation, clip_grad_norm, seed, threads, "
                + "run_dir, run_name, keep_best, monitor, early_stopping, log_every)", error(BASE, "trainer.max_epoch=3"));
        assertEquals("modle: unknown key (sections: model, data, optimizer, scheduler, trainer)", error(BASE + "modle:\n  name: mlp\n"));
        assertEquals("data: must be a mapping of keys to values, got 12", error(BASE.replace("data:\n  batch_size: 32\n", "data: 12\n")));
    }

    @Test
    void optionsThatDoNotApplyAreRejected() {
        String adamw = BASE.replace("name: sgd", "name: adamw").replace("  momentum: 0.9\n", "");
        assertEquals("optimizer.momentum: only sgd has momentum (optimizer.name is adamw; its betas play that role)", error(adamw, "optimizer.momentum=0.9"));
        assertEquals("optimizer.betas: only adam and adamw have betas (optimizer.name is sgd)", error(BASE, "optimizer.betas=[0.9, 0.99]"));
        assertEquals("optimizer.betas: must be two numbers in [0, 1), like [0.9, 0.999], got [0.9]", error(adamw, "optimizer.betas=[0.9]"));
        assertEquals("model.hidden: only the mlp model has hidden sizes (model.name is lenet5)", error(BASE, "model.name=lenet5"));
        assertEquals("scheduler.step_size: not an option of the cosine scheduler (remove it, or --set scheduler.step_size=null)", error(BASE, "scheduler.name=cosine", "scheduler.step_size=3"));
        assertEquals("scheduler.step_size: is required for the step scheduler (epochs between decays)", error(BASE, "scheduler.name=step"));
        assertEquals("scheduler.warmup_epochs: set warmup_steps or warmup_epochs, not both",
                error(BASE, "scheduler.name=warmup_cosine", "scheduler.warmup_steps=10", "scheduler.warmup_epochs=1"));
        assertEquals("scheduler.min_lr: must be below optimizer.lr (0.05), got 0.1", error(BASE, "scheduler.name=cosine", "scheduler.min_lr=0.1"));
        assertEquals("optimizer.nesterov: needs a momentum > 0 (optimizer.momentum is 0)", error(BASE, "optimizer.momentum=0", "optimizer.nesterov=true"));
        assertEquals("data.root: is required for mnist (a folder with its IDX files; only Fashion-MNIST ships with Wick)", error(BASE, "data.dataset=mnist"));
        assertEquals("trainer.max_epochs: set trainer.max_epochs or trainer.max_steps (or both): the run needs an end", error(BASE, "trainer.max_epochs=null"));
    }

    @Test
    void yamlSyntaxErrorsGiveTheLine() {
        String msg = error("model:\n  name: mlp\n data: [\n");
        assertTrue(msg.startsWith("run.yaml: not valid YAML: "), msg);
        assertTrue(msg.contains("line 3"), msg);
        assertTrue(error(BASE + "trainer:\n  seed: 1\n").contains("found duplicate key trainer"), "duplicate keys are errors");
    }

    // ------------------------------------------------------------------ --set

    @Test
    void overridesAreTypedByYamlScalarParsing() {
        RunConfig c = parse(BASE, "optimizer.lr=0.1", "data.batch_size=64", "data.augment=true", "optimizer.nesterov=true",
                "model.hidden=[128, 64]", "trainer.run_name=exp1");
        assertEquals(0.1, c.optimizer().lr());
        assertEquals(64, c.data().batchSize());
        assertTrue(c.data().augment());
        assertTrue(c.optimizer().nesterov());
        assertArrayEquals(new long[] {128, 64}, c.model().hidden());
        assertEquals("exp1", c.trainer().runName());
    }

    @Test
    void aYaml11ExponentWithoutADotStillReadsAsANumber() {
        assertEquals(0.003, parse(BASE, "optimizer.lr=3e-3").optimizer().lr());   // YAML 1.1 reads 3e-3 as a string
        assertEquals(0.003, parse(BASE.replace("lr: 0.05", "lr: 3e-3")).optimizer().lr());
    }

    @Test
    void overridesAddKeysAndSectionsAndNullRemovesOne() {
        RunConfig c = parse(BASE, "scheduler.name=step", "scheduler.step_size=2", "trainer.max_steps=100", "trainer.max_epochs=null");
        assertEquals("step", c.scheduler().name());
        assertEquals(2L, c.scheduler().stepSize());
        assertEquals(0.1, c.scheduler().gamma(), "StepLR's default gamma");
        assertEquals(100L, c.trainer().maxSteps());
        assertNull(c.trainer().maxEpochs());
    }

    @Test
    void malformedOverridesAreErrors() {
        assertEquals("--set optimizer.lr: expected key=value, like optimizer.lr=0.1", error(BASE, "optimizer.lr"));
        assertEquals("--set .lr=1: '.lr' is not a dotted key, like optimizer.lr", error(BASE, ".lr=1"));
        assertEquals("model.name: is a value, not a section, so --set model.name.size=3 cannot set a key under it",
                error(BASE, "model.name.size=3"));
        assertEquals("optimizer.lr: must be a positive number, got [1, 2]", error(BASE, "optimizer.lr=[1, 2]"));
    }

    @Test
    void theEffectiveYamlOfAnOverriddenConfigReadsBackTheSame() {
        RunConfig c = parse(BASE, "optimizer.lr=0.2", "trainer.accumulation=4");
        assertTrue(c.yaml().startsWith("# effective config: run.yaml with --set optimizer.lr=0.2 --set trainer.accumulation=4\n"), c.yaml());
        RunConfig back = parse(c.yaml());
        assertEquals(0.2, back.optimizer().lr());
        assertEquals(4, back.trainer().accumulation());
        assertEquals(c.yaml(), back.yaml(), "reading it back without overrides keeps the text");
        assertEquals(c.optimizer().momentum(), back.optimizer().momentum());
        assertArrayEquals(c.model().hidden(), back.model().hidden());
    }
}
