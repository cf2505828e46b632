package dev.wick.examples;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntToDoubleFunction;

import dev.wick.nn.F;
import dev.wick.optim.Optimizer;
import dev.wick.optim.ParamGroup;
import dev.wick.optim.SGD;
import dev.wick.optim.lr.LambdaLR;
import dev.wick.tensor.Engine;
import dev.wick.tensor.Scope;
import dev.wick.tensor.Tensor;

/**
 * Seed section 3: "the optimizer can give different layers their own learning rate and weight decay",
 * the optimizer's API ({@code add_param_group}, {@code state_dict}, {@code load_state_dict},
 * {@code step}, {@code zero_grad}) and {@code LambdaLR(optimizer, lr_lambda=lf)}, with one schedule
 * per parameter group.
 *
 * <pre>{@code
 * var optimizer = new SGD(conv, SGD.Options.lr(0.01).withMomentum(0.9));       // group 0: the convolutions
 * optimizer.addParamGroup(ParamGroup.of(model.fc.parameters()).lr(0.001).weightDecay(1e-4));   // group 1
 * var scheduler = new LambdaLR(optimizer, List.of(e -> Math.pow(0.95, e), e -> 1.0 / (1 + e)));
 * }</pre>
 *
 * <p>The seed gives no listing for this part; the program is the smallest one that uses each API it
 * names. The scheduler is stepped once per iteration here (the seed: "per epoch or per iteration").
 */
public final class ParamGroups {
    private ParamGroups() {}

    /** Each step's learning rates (one per group), the last loss, the optimizer and the model. */
    public record Result(List<double[]> lr, double finalLoss, Optimizer optimizer, SimpleModel model) {}

    /** Seed 0, a {@link SimpleModel}, one fixed batch of 8 random images, {@code steps} steps. */
    public static Result run(int steps) {
        Engine.manualSeed(0);
        SimpleModel model = new SimpleModel();
        Tensor inputs = Tensor.randn(8, 1, 28, 28);
        Tensor targets = Tensor.randint(0, 10, 8);

        List<Tensor> conv = new ArrayList<>(model.conv1.parameters());
        conv.addAll(model.conv2.parameters());
        var optimizer = new SGD(conv, SGD.Options.lr(0.01).withMomentum(0.9));
        optimizer.addParamGroup(ParamGroup.of(model.fc.parameters()).lr(0.001).weightDecay(1e-4));
        List<IntToDoubleFunction> lf = List.of(e -> Math.pow(0.95, e), e -> 1.0 / (1 + e));
        var scheduler = new LambdaLR(optimizer, lf);

        List<double[]> lrs = new ArrayList<>();
        double loss = Double.NaN;
        for (int step = 0; step < steps; step++) {
            lrs.add(optimizer.paramGroups().stream().mapToDouble(ParamGroup::lr).toArray());
            try (Scope s = Scope.open()) {
                optimizer.zeroGrad();
                Tensor l = F.crossEntropy(model.forward(inputs), targets);
                l.backward();
                optimizer.step();
                loss = l.item();
            }
            scheduler.step();
        }
        return new Result(lrs, loss, optimizer, model);
    }

    /** A second optimizer over the same groups, restored from {@code source.stateDict()}. */
    public static SGD restore(SimpleModel model, Optimizer source) {
        List<Tensor> conv = new ArrayList<>(model.conv1.parameters());
        conv.addAll(model.conv2.parameters());
        var fresh = new SGD(conv, SGD.Options.lr(0.01).withMomentum(0.9));
        fresh.addParamGroup(ParamGroup.of(model.fc.parameters()));
        fresh.loadStateDict(source.stateDict());
        return fresh;
    }

    public static void main(String[] args) {
        Result r = run(12);
        for (int i = 0; i < r.lr().size(); i++)
            System.out.printf("step %2d  lr conv %.6f  lr fc %.6f%n", i, r.lr().get(i)[0], r.lr().get(i)[1]);
        System.out.printf("final loss %.4f%n", r.finalLoss());
        for (Map<String, Object> g : castGroups(r.optimizer().stateDict().get("param_groups")))
            System.out.println("group " + g);
        SGD copy = restore(r.model(), r.optimizer());
        System.out.println("restored: " + copy.paramGroups().size() + " groups, lr " + copy.paramGroups().get(1).lr());
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> castGroups(Object o) { return (List<Map<String, Object>>) o; }
}
