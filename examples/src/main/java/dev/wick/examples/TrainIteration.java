package dev.wick.examples;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import dev.wick.data.Batches;
import dev.wick.data.DataLoader;
import dev.wick.data.Example;
import dev.wick.data.TensorDataset;
import dev.wick.nn.Linear;
import dev.wick.nn.UnaryModule;
import dev.wick.nn.loss.CrossEntropyLoss;
import dev.wick.optim.SGD;
import dev.wick.tensor.Engine;
import dev.wick.tensor.Scope;
import dev.wick.tensor.Tensor;

/**
 * Seed section 4.2, training by iteration: run to {@code max_iter} iterations, pulling batches from an
 * iterator and making a new one (a new shuffled pass) whenever the data runs out, with the same
 * gradient accumulation as section 4.1.
 *
 * <pre>{@code
 * Iterator<Example<Tensor, Tensor>> iterator = dataLoader.iterator();
 * for (int it = 1; it < maxIter; it++) {
 *     if (!iterator.hasNext()) iterator = dataLoader.iterator();   // the data ran out: start again
 *     Example<Tensor, Tensor> batch = iterator.next();
 *     ...
 * }
 * }</pre>
 *
 * <p>NOTE [the seed's bugs]: this ports the listing's intent, not its text. The Python (1) names its
 * loop variable {@code iter}, shadowing the built-in {@code iter()} that the loop body then calls;
 * (2) re-creates the iterator at the top of every iteration, so it would never get past the first
 * batch, and from {@code train_loader}, which does not exist (the loader is {@code data_loader});
 * (3) catches every exception with a bare {@code except:}, not just the end of the data; (4) prints
 * {@code epoch} and {@code i}, which this loop never defines. Here the iterator is made once, re-made
 * only when exhausted, and the message reports the iteration and the pass. As in the seed,
 * {@code range(1, max_iter)} runs {@code max_iter - 1} iterations and the print at every 100th
 * iteration never fires for {@code max_iter = 100}.
 */
public final class TrainIteration {
    private TrainIteration() {}

    /** The section's model: one linear layer, 10 features to 2 classes. */
    public static final class SimpleModel extends UnaryModule {
        public final Linear linear = register("linear", new Linear(10, 2));   // a single linear layer

        @Override
        public Tensor forward(Tensor x) { return linear.forward(x); }
    }

    /** Every iteration's loss, how many passes over the data were started, and the trained model. */
    public record Result(List<Double> losses, int passes, SimpleModel model) {}

    public static Result run(int maxIter) {
        Engine.manualSeed(0);
        SimpleModel model = new SimpleModel();
        var criterion = new CrossEntropyLoss();
        var optimizer = new SGD(model.parameters(), SGD.Options.lr(0.01));

        Tensor xDummy = Tensor.randn(1000, 10);
        Tensor yDummy = Tensor.randint(0, 2, 1000);
        DataLoader<Example<Tensor, Tensor>, Example<Tensor, Tensor>> dataLoader = DataLoader.builder(TensorDataset.examples(xDummy, yDummy)).batchSize(100).shuffle(true).build();

        int accumulationSteps = 10;   // accumulate 10 batches' gradients
        model.train();
        List<Double> losses = new ArrayList<>();
        int passes = 1;
        Iterator<Example<Tensor, Tensor>> iterator = dataLoader.iterator();
        for (int it = 1; it < maxIter; it++) {   // train max_iter - 1 iterations, as range(1, max_iter)
            // take the next batch; when a pass over the data ends, start a new one
            if (!iterator.hasNext()) {
                iterator = dataLoader.iterator();
                passes++;
            }
            Example<Tensor, Tensor> batch = iterator.next();
            try (Scope step = Scope.open()) {
                Batches.adopt(step, batch);
                Tensor outputs = model.forward(batch.input());
                Tensor loss = criterion.forward(outputs, batch.target());
                loss.backward();   // accumulate the gradients instead of clearing them
                if (it % accumulationSteps == 0) {
                    optimizer.step();
                    optimizer.zeroGrad();   // clear the gradients for the next accumulation
                }
                if (it % (accumulationSteps * 10) == 0) {   // print every 100 iterations
                    System.out.printf("Pass %d, Iter [%d/%d], Loss: %.4f%n", passes, it, maxIter, loss.item());
                }
                losses.add(loss.item());
            }
        }
        System.out.println("Training complete.");
        return new Result(losses, passes, model);
    }

    public static void main(String[] args) {
        Result r = run(args.length > 0 ? Integer.parseInt(args[0]) : 100);
        System.out.printf("%d iterations over %d passes, last loss %.4f%n", r.losses().size(), r.passes(), r.losses().get(r.losses().size() - 1));
    }
}
