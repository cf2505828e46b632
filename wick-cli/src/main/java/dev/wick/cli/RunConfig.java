package dev.wick.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.representer.Representer;

/**
 * A training run's config: the five sections of a {@code run.yaml}, validated, plus the effective YAML
 * text that is written to the run folder and embedded in every checkpoint.
 *
 * <pre>{@code
 * RunConfig cfg = RunConfig.load(Path.of("run.yaml"), List.of("optimizer.lr=0.1"));
 * RunConfig main = RunConfig.defaults(List.of());        // the main job (resource default.yaml)
 * cfg.optimizer().lr();                                   // 0.1
 * cfg.yaml();                                             // the text config.yaml gets
 * }</pre>
 *
 * <h2>Keys</h2>
 * <pre>
 * model:      name (simple_classifier | mlp | lenet5 | resnet18), hidden (mlp only, e.g. [512, 256])
 * data:       dataset (fashion_mnist | mnist), root, batch_size, eval_batch_size, num_workers,
 *             augment, crop_padding, hflip, val_fraction, train_samples, test_samples
 * optimizer:  name (adamw | adam | sgd), lr, weight_decay, betas, eps, momentum, nesterov, no_decay
 * scheduler:  name (warmup_cosine | cosine | step | none), warmup_steps | warmup_epochs, min_lr,
 *             step_size, gamma
 * trainer:    max_epochs, max_steps, accumulation, clip_grad_norm, seed, threads, run_dir, run_name,
 *             keep_best, monitor, early_stopping, log_every
 * </pre>
 * Every key is checked when the config is read: an unknown key, a value of the wrong type or out of
 * range, or an option that does not apply (momentum for adamw) is a {@link ConfigException} naming the
 * full dotted key. Defaults live in the record factories below (and the optimizers' own defaults for
 * what a config leaves out).
 *
 * <h2>Overrides</h2>
 * {@code --set a.b=c} replaces (or adds) one value before validation. The value is read as a YAML
 * scalar or flow collection, so {@code 0.1} is a number, {@code true} a boolean, {@code [0.9, 0.99]} a
 * list and {@code null} removes the key (its default applies).
 *
 * <h2>The effective YAML</h2>
 * Without overrides it is the file's text, byte for byte (comments included). With overrides, it is
 * the merged document written back by SnakeYAML, after a comment line naming the source and the
 * overrides; reading it back gives the same config.
 */
public record RunConfig(Model model, Data data, Optimizer optimizer, Scheduler scheduler, Trainer trainer, String yaml) {

    /** Where the default config (the main job) lives on the classpath. */
    public static final String DEFAULT_RESOURCE = "/dev/wick/cli/default.yaml";

    public static final List<String> MODELS = List.of("simple_classifier", "mlp", "lenet5", "resnet18");
    public static final List<String> DATASETS = List.of("fashion_mnist", "mnist");
    public static final List<String> OPTIMIZERS = List.of("adamw", "adam", "sgd");
    public static final List<String> SCHEDULERS = List.of("warmup_cosine", "cosine", "step", "none");
    public static final List<String> MONITORS = List.of("val_acc", "val_loss");

    /** {@code model:} which network; {@code hidden} is the MLP's hidden sizes. */
    public record Model(String name, long[] hidden) {}

    /** {@code data:} the data set and how it is loaded. Null sample counts mean all of the split. */
    public record Data(String dataset, Path root, int batchSize, int evalBatchSize, int numWorkers, boolean augment,
                       int cropPadding, double hflip, double valFraction, Integer trainSamples, Integer testSamples) {}

    /** {@code optimizer:} null values fall back to the optimizer's own defaults. */
    public record Optimizer(String name, double lr, Double weightDecay, double[] betas, Double eps, Double momentum,
                            boolean nesterov, boolean noDecay) {}

    /** {@code scheduler:} at most one of the two warm-up lengths is set. */
    public record Scheduler(String name, Long warmupSteps, Double warmupEpochs, double minLr, Long stepSize, double gamma) {}

    /** {@code trainer:} at least one of the two limits is set; {@code earlyStopping} is a patience or null. */
    public record Trainer(Long maxEpochs, Long maxSteps, int accumulation, Double clipGradNorm, long seed, Integer threads,
                          Path runDir, String runName, int keepBest, String monitor, Integer earlyStopping, int logEvery) {}

    // ------------------------------------------------------------------ reading

    /** The default config (the main job), with {@code overrides}. */
    public static RunConfig defaults(List<String> overrides) {
        try (InputStream in = RunConfig.class.getResourceAsStream(DEFAULT_RESOURCE)) {
            if (in == null) throw new IllegalStateException("the default config " + DEFAULT_RESOURCE + " is missing from the classpath");
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "default.yaml", overrides);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The config in {@code file}, with {@code overrides}. */
    public static RunConfig load(Path file, List<String> overrides) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException(null, "cannot read the config file " + file + ": " + e.getMessage());
        }
        return parse(text, file.toString(), overrides);
    }

    /** Parses and validates {@code text} (YAML) after applying {@code overrides}; {@code source} names it in messages. */
    public static RunConfig parse(String text, String source, List<String> overrides) {
        Object doc;
        try {
            doc = newYaml().load(text);
        } catch (MarkedYAMLException e) {
            throw new ConfigException(null, source + ": not valid YAML: " + e.getProblem() + " at line " + (e.getProblemMark().getLine() + 1)
                    + ", column " + (e.getProblemMark().getColumn() + 1));
        } catch (YAMLException e) {
            throw new ConfigException(null, source + ": not valid YAML: " + e.getMessage());
        }
        Map<String, Object> root = Section.of("", doc == null ? new LinkedHashMap<>() : doc).values();
        for (String o : overrides) applyOverride(root, o);
        RunConfig cfg = validate(root, text);
        if (overrides.isEmpty()) return cfg;
        String merged = "# effective config: " + source + " with --set " + String.join(" --set ", overrides) + "\n" + dump(root);
        return new RunConfig(cfg.model, cfg.data, cfg.optimizer, cfg.scheduler, cfg.trainer, merged);
    }

    /** SnakeYAML restricted to standard types (no Java objects from tags). */
    static Yaml newYaml() {
        LoaderOptions lo = new LoaderOptions();
        lo.setAllowDuplicateKeys(false);
        DumperOptions dumper = new DumperOptions();
        dumper.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        dumper.setIndent(2);
        dumper.setPrettyFlow(false);
        return new Yaml(new SafeConstructor(lo), new Representer(dumper), dumper, lo);
    }

    static String dump(Map<String, Object> root) {
        return newYaml().dump(root);
    }

    /** Applies {@code key.path=value} to the document (in place). */
    static void applyOverride(Map<String, Object> root, String override) {
        int eq = override.indexOf('=');
        if (eq <= 0) throw new ConfigException(null, "--set " + override + ": expected key=value, like optimizer.lr=0.1");
        String key = override.substring(0, eq).trim();
        String text = override.substring(eq + 1);
        String[] parts = key.split("\\.", -1);
        for (String p : parts) {
            if (p.isEmpty()) throw new ConfigException(null, "--set " + override + ": '" + key + "' is not a dotted key, like optimizer.lr");
        }
        Object value;
        try {
            value = text.isBlank() ? null : newYaml().load(text);
        } catch (YAMLException e) {
            throw new ConfigException(key, "--set value '" + text + "' is not a YAML value");
        }
        Map<String, Object> node = root;
        StringBuilder at = new StringBuilder();
        for (int i = 0; i < parts.length - 1; i++) {
            at.append(i == 0 ? "" : ".").append(parts[i]);
            Object child = node.get(parts[i]);
            if (child == null) {
                child = new LinkedHashMap<String, Object>();
                node.put(parts[i], child);
            } else if (!(child instanceof Map)) {
                throw new ConfigException(at.toString(), "is a value, not a section, so --set " + override + " cannot set a key under it");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> m = (Map<String, Object>) child;
            node = m;
        }
        if (value == null) node.remove(parts[parts.length - 1]);
        else node.put(parts[parts.length - 1], value);
    }

    // ------------------------------------------------------------------ validation

    private static RunConfig validate(Map<String, Object> doc, String text) {
        Section root = new Section("", doc);
        Model model = model(root.section("model"));
        Data data = data(root.section("data"));
        Optimizer optimizer = optimizer(root.section("optimizer"));
        Scheduler scheduler = scheduler(root.section("scheduler"), optimizer);
        Trainer trainer = trainer(root.section("trainer"));
        root.finish();
        return new RunConfig(model, data, optimizer, scheduler, trainer, text);
    }

    private static Model model(Section s) {
        String name = s.choice("name", null, MODELS);
        long[] hidden = null;
        if (name.equals("mlp")) hidden = s.positiveIntegers("hidden", new long[] {512, 256});
        else s.forbid("hidden", "only the mlp model has hidden sizes (model.name is " + name + ")");
        s.allow("hidden");
        s.finish();
        return new Model(name, hidden);
    }

    private static Data data(Section s) {
        String dataset = s.choice("dataset", "fashion_mnist", DATASETS);
        String root = s.string("root", null);
        if (dataset.equals("mnist") && root == null)
            throw new ConfigException(s.key("root"), "is required for mnist (a folder with its IDX files; only Fashion-MNIST ships with Wick)");
        int batch = s.integer("batch_size", 128L, 1).intValue();
        int evalBatch = s.integer("eval_batch_size", 1000L, 1).intValue();
        int workers = s.integer("num_workers", 2L, 0).intValue();
        boolean augment = s.bool("augment", false);
        int padding = s.integer("crop_padding", 2L, 0).intValue();
        double hflip = s.numberIn("hflip", 0.5, 0, 1, true);
        double valFraction = s.numberIn("val_fraction", 0.0, 0, 1, false);
        Long train = s.integer("train_samples", null, 1);
        Long test = s.integer("test_samples", null, 1);
        s.finish();
        return new Data(dataset, root == null ? null : Path.of(root), batch, evalBatch, workers, augment, padding, hflip, valFraction,
                train == null ? null : Math.toIntExact(train), test == null ? null : Math.toIntExact(test));
    }

    private static Optimizer optimizer(Section s) {
        String name = s.choice("name", null, OPTIMIZERS);
        double lr = s.positiveNumber("lr", null);
        Double wd = s.nonNegativeNumber("weight_decay", null);
        double[] betas = null;
        Double eps = null, momentum = null;
        boolean nesterov = false;
        if (name.equals("sgd")) {
            s.forbid("betas", "only adam and adamw have betas (optimizer.name is sgd)");
            s.forbid("eps", "only adam and adamw have eps (optimizer.name is sgd)");
            momentum = s.numberIn("momentum", null, 0, 1, false);
            nesterov = s.bool("nesterov", false);
            if (nesterov && (momentum == null || momentum == 0))
                throw new ConfigException(s.key("nesterov"), "needs a momentum > 0 (optimizer.momentum is " + (momentum == null ? "not set" : "0") + ")");
        } else {
            s.forbid("momentum", "only sgd has momentum (optimizer.name is " + name + "; its betas play that role)");
            s.forbid("nesterov", "only sgd has nesterov (optimizer.name is " + name + ")");
            betas = s.betas("betas", null);
            eps = s.has("eps") ? s.positiveNumber("eps", null) : null;
        }
        s.allow("betas", "eps", "momentum", "nesterov");
        boolean noDecay = s.bool("no_decay", true);
        s.finish();
        return new Optimizer(name, lr, wd, betas, eps, momentum, nesterov, noDecay);
    }

    private static Scheduler scheduler(Section s, Optimizer opt) {
        String name = s.choice("name", "none", SCHEDULERS);
        Long warmupSteps = null, stepSize = null;
        Double warmupEpochs = null;
        double minLr = 0, gamma = 0.1;
        switch (name) {
            case "warmup_cosine" -> {
                warmupSteps = s.integer("warmup_steps", null, 0);
                warmupEpochs = s.nonNegativeNumber("warmup_epochs", null);
                if (warmupSteps != null && warmupEpochs != null)
                    throw new ConfigException(s.key("warmup_epochs"), "set warmup_steps or warmup_epochs, not both");
                if (warmupSteps == null && warmupEpochs == null) warmupEpochs = 1.0;
                minLr = minLr(s, opt);
            }
            case "cosine" -> minLr = minLr(s, opt);
            case "step" -> {
                stepSize = s.integer("step_size", null, 1);
                if (stepSize == null) throw new ConfigException(s.key("step_size"), "is required for the step scheduler (epochs between decays)");
                gamma = s.positiveNumber("gamma", 0.1);
            }
            default -> { }
        }
        for (String k : List.of("warmup_steps", "warmup_epochs", "min_lr", "step_size", "gamma")) {
            if (!usedBy(name, k)) s.forbid(k, "not an option of the " + name + " scheduler (remove it, or --set " + s.key(k) + "=null)");
            s.allow(k);
        }
        s.finish();
        return new Scheduler(name, warmupSteps, warmupEpochs, minLr, stepSize, gamma);
    }

    private static boolean usedBy(String scheduler, String key) {
        return switch (scheduler) {
            case "warmup_cosine" -> List.of("warmup_steps", "warmup_epochs", "min_lr").contains(key);
            case "cosine" -> key.equals("min_lr");
            case "step" -> List.of("step_size", "gamma").contains(key);
            default -> false;
        };
    }

    private static double minLr(Section s, Optimizer opt) {
        double minLr = s.nonNegativeNumber("min_lr", 0.0);
        if (minLr >= opt.lr())
            throw new ConfigException(s.key("min_lr"), "must be below optimizer.lr (" + Section.fmt(opt.lr()) + "), got " + Section.fmt(minLr));
        return minLr;
    }

    private static Trainer trainer(Section s) {
        Long maxEpochs = s.integer("max_epochs", null, 1);
        Long maxSteps = s.integer("max_steps", null, 1);
        if (maxEpochs == null && maxSteps == null)
            throw new ConfigException(s.key("max_epochs"), "set trainer.max_epochs or trainer.max_steps (or both): the run needs an end");
        int accumulation = s.integer("accumulation", 1L, 1).intValue();
        Double clip = s.has("clip_grad_norm") ? s.positiveNumber("clip_grad_norm", null) : null;
        long seed = s.integer("seed", 0L, Long.MIN_VALUE);
        Long threads = s.integer("threads", null, 1);
        String runDir = s.string("run_dir", "runs");
        String runName = s.string("run_name", null);
        if (runName != null && (runName.isBlank() || runName.contains("/") || runName.contains("\\") || runName.equals("..") || runName.equals(".")))
            throw new ConfigException(s.key("run_name"), "must be a single folder name, got " + Section.describe(runName));
        int keepBest = s.integer("keep_best", 1L, 0).intValue();
        String monitor = s.choice("monitor", "val_acc", MONITORS);
        Long patience = s.integer("early_stopping", null, 1);
        int logEvery = s.integer("log_every", 50L, 1).intValue();
        s.finish();
        return new Trainer(maxEpochs, maxSteps, accumulation, clip, seed, threads == null ? null : Math.toIntExact(threads),
                Path.of(runDir), runName, keepBest, monitor, patience == null ? null : Math.toIntExact(patience), logEvery);
    }

    /** {@code monitor}'s direction: lower is better for a loss. */
    public static boolean higherIsBetter(String monitor) { return !monitor.endsWith("loss"); }
}
