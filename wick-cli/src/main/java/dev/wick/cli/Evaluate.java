package dev.wick.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.wick.checkpoint.TorchFiles;
import dev.wick.data.DataLoader;
import dev.wick.data.Example;
import dev.wick.data.transforms.CropFlipNormalize.Placed;
import dev.wick.metrics.Accuracy;
import dev.wick.nn.UnaryModule;
import dev.wick.nn.loss.CrossEntropyLoss;
import dev.wick.tensor.Engine;
import dev.wick.tensor.Scope;
import dev.wick.tensor.Tensor;
import dev.wick.train.Evaluation;
import dev.wick.train.Trainer;

/**
 * {@code wick eval}: a checkpoint's loss and accuracy on the test split.
 *
 * <pre>{@code
 * Map<String, Object> m = Evaluate.run(Path.of("runs/x/checkpoints/last.pt"), null, List.of(), System.out);
 * m.get("test_acc");
 * }</pre>
 *
 * <p>The model comes from the checkpoint's {@code args} (the run's config, which every Wick training
 * checkpoint embeds), or from {@code --config} when given (required for a bare state dict, such as a
 * file of {@code torch.save(model.state_dict())}). The weights are the checkpoint's {@code model}
 * entry, or the whole file when it is a state dict; they must match the model's keys and shapes.
 */
final class Evaluate {
    private Evaluate() {}

    @SuppressWarnings("unchecked")
    static Map<String, Object> run(Path checkpoint, Path configFile, List<String> overrides, PrintStream out) throws IOException {
        if (!Files.isRegularFile(checkpoint)) throw new ConfigException(null, "no checkpoint file at " + checkpoint);
        Map<String, Object> file = Scope.outside(() -> {
            try {
                Object o = TorchFiles.load(checkpoint);
                if (!(o instanceof Map<?, ?> m)) throw new ConfigException(null, checkpoint + " holds a " + o.getClass().getSimpleName() + ", not a dict");
                return (Map<String, Object>) m;
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        boolean training = file.get("model") instanceof Map<?, ?>;
        Map<String, Tensor> weights = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : (training ? (Map<?, ?>) file.get("model") : file).entrySet()) {
            if (!(e.getKey() instanceof String k) || !(e.getValue() instanceof Tensor t))
                throw new ConfigException(null, checkpoint + " is neither a training checkpoint (a dict with 'model') nor a state dict of tensors");
            weights.put(k, t);
        }
        RunConfig cfg;
        if (configFile != null) {
            cfg = RunConfig.load(configFile, overrides);
        } else if (training && file.get("args") instanceof String yaml) {
            cfg = RunConfig.parse(yaml, checkpoint + " (its args)", overrides);
        } else {
            throw new ConfigException(null, checkpoint + " has no run config (no 'args' text); give the model with --config run.yaml");
        }

        RunConfig.Trainer t = cfg.trainer();
        if (t.threads() != null) Engine.threads(t.threads());
        ImageData data = ImageData.load(cfg.data(), t.seed());
        UnaryModule model = Scope.outside(() -> Models.build(cfg.model(), data.numClasses()));
        try {
            model.loadStateDict(weights);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(null, "the weights in " + checkpoint + " do not fit model " + cfg.model().name() + ": " + e.getMessage());
        }
        out.printf(Locale.ROOT, "checkpoint %s%s%n", checkpoint, training
                ? String.format(Locale.ROOT, " (epoch %s, optimizer step %s)", file.get("epoch"), file.get("global_step")) : " (a state dict)");
        out.printf(Locale.ROOT, "model %s, %s test split: %d images%n", cfg.model().name(), cfg.data().dataset(), data.testSize());
        Map<String, Object> m;
        try (DataLoader<Example<Placed, Long>, Example<Tensor, Tensor>> test = data.testLoader()) {
            m = Evaluation.run(model, test, Trainer.defaultStep(model, new CrossEntropyLoss()::forward), List.of(new Accuracy()), "test");
        }
        out.printf(Locale.ROOT, "test_loss %.4f  test_acc %.4f%n", ((Number) m.get("test_loss")).doubleValue(), ((Number) m.get("test_acc")).doubleValue());
        return m;
    }
}
