package dev.wick.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.wick.checkpoint.TorchFiles;
import dev.wick.nn.F;
import dev.wick.nn.Module;
import dev.wick.optim.Optimizer;
import dev.wick.optim.SGD;
import dev.wick.tensor.Engine;
import dev.wick.tensor.Scope;
import dev.wick.tensor.Tensor;

/**
 * Seed section 5.1, the two ways of saving weights, in PyTorch's own file format (Python reads both
 * with {@code torch.load}):
 * <ul>
 *   <li>a full checkpoint, a dictionary of the model's state dict, the best metric so far
 *       ({@code mAP}), the optimizer's state dict, the epoch and the run's arguments;</li>
 *   <li>the model's state dict alone, one file per iteration ({@code <prefix>_fg<it>.pt}).</li>
 * </ul>
 *
 * <pre>{@code
 * TorchFiles.save(Map.of("model", model.stateDict(), "mAP", -1.0, "optimizer", optimizer.stateDict(),
 *                        "epoch", epoch, "args", args), checkpointPath);
 * TorchFiles.save(model.stateDict(), Path.of(saveTempWeights + "_fg" + it + ".pt"));
 * }</pre>
 *
 * <p>The seed saves {@code model_eval.state_dict()}, the weights of an evaluation copy of the model
 * that its surrounding code (not shown) keeps; this port saves the model it trains. Its {@code args} is
 * an argparse namespace; here it is a plain map of the run's settings, so the file holds only plain
 * data and tensors. {@link #load} shows the way back.
 */
public final class SaveWeights {
    private SaveWeights() {}

    /** The files written: the full checkpoint, then one state dict per saved iteration. */
    public record Result(Path checkpoint, List<Path> weights, Model model, Optimizer optimizer) {}

    /** Trains the section 1 {@link Model} for {@code iterations} steps and saves it both ways into {@code dir}. */
    public static Result run(Path dir, int iterations) throws IOException {
        Files.createDirectories(dir);
        Engine.manualSeed(0);
        Model model = new Model();
        var optimizer = new SGD(model.parameters(), SGD.Options.lr(0.01).withMomentum(0.9));
        Tensor images = Tensor.randn(4, 1, 16, 16);
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("lr", 0.01);
        args.put("momentum", 0.9);
        args.put("iterations", (long) iterations);
        args.put("model", "Model");

        String saveTempWeights = dir.resolve("weights").toString();
        List<Path> weights = new ArrayList<>();
        for (int it = 1; it <= iterations; it++) {
            try (Scope s = Scope.open()) {
                optimizer.zeroGrad();
                Tensor loss = F.mseLoss(model.forward(images), Tensor.zeros(4, 20, 8, 8));   // pull the features to 0
                loss.backward();
                optimizer.step();
            }
            // only the model's parameters, one file per iteration
            Path file = Path.of(saveTempWeights + "_fg" + it + ".pt");
            TorchFiles.save(model.stateDict(), file);
            weights.add(file);
        }
        int epoch = 1;
        // a dictionary of the weights and the run's details
        Path checkpointPath = dir.resolve("checkpoint.pt");
        Map<String, Object> ckpt = new LinkedHashMap<>();
        ckpt.put("model", model.stateDict());
        ckpt.put("mAP", -1.0);
        ckpt.put("optimizer", optimizer.stateDict());
        ckpt.put("epoch", (long) epoch);
        ckpt.put("args", args);
        TorchFiles.save(ckpt, checkpointPath);
        return new Result(checkpointPath, weights, model, optimizer);
    }

    /** Reads a full checkpoint back into a model and an optimizer; returns the whole dictionary. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> load(Path checkpointPath, Module model, Optimizer optimizer) throws IOException {
        Map<String, Object> ckpt = (Map<String, Object>) TorchFiles.load(checkpointPath);
        model.loadStateDict((Map<String, Tensor>) ckpt.get("model"));
        optimizer.loadStateDict((Map<String, Object>) ckpt.get("optimizer"));
        return ckpt;
    }

    public static void main(String[] args) throws IOException {
        Path dir = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("wick-save");
        Result r = run(dir, 3);
        System.out.println("checkpoint: " + r.checkpoint());
        r.weights().forEach(w -> System.out.println("weights:    " + w));
        Model fresh = new Model();
        var opt = new SGD(fresh.parameters(), SGD.Options.lr(0.01).withMomentum(0.9));
        Map<String, Object> ckpt = load(r.checkpoint(), fresh, opt);
        System.out.println("loaded epoch " + ckpt.get("epoch") + ", mAP " + ckpt.get("mAP") + ", args " + ckpt.get("args"));
    }
}
