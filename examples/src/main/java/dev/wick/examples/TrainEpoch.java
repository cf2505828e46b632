package dev.wick.examples;

import java.util.ArrayList;
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
 * Seed section 4.1, training by epoch with gradient accumulation: batches of 100, and one optimizer
 * step every {@code accumulation_steps = 10} batches, which acts as a batch of 1000 when memory only
 * holds 100.
 *
 * <pre>{@code
 * loss.backward();                                  // gradients add up in each parameter's grad
 * if ((i + 1) % accumulationSteps == 0) {
 *     optimizer.step();
 *     optimizer.zeroGrad();                         // start the next accumulation
 * }
 * }</pre>
 *
 * <p>Ported line for line. The seed prints every {@code accumulation_steps * 10} = 100 batches, and an
 * epoch has only 10, so, as in Python, nothing is printed but "Training complete."; {@link #run}
 * returns every batch's loss instead (the test compares them with PyTorch's). As in the seed, the loss
 * is not divided by {@code accumulation_steps}, so one step applies the sum of 10 batches' gradients.
 */
public final class TrainEpoch {
    private TrainEpoch() {}

    /** The section's model: one linear layer, 10 features to 2 classes. */
    public static final class SimpleModel extends UnaryModule {
        public final Linear linear = register("linear", new Linear(10, 2));   // a single linear layer

        @Override
        public Tensor forward(Tensor x) { return linear.forward(x); }
    }

    /** Every batch's loss, and the trained model. */
    public record Result(List<Double> losses, SimpleModel model) {}

    public static Result run() {
        Engine.manualSeed(0);
        // the model, the loss and the optimizer
        SimpleModel model = new SimpleModel();
        var criterion = new CrossEntropyLoss();
        var optimizer = new SGD(model.parameters(), SGD.Options.lr(0.01));

        // the data set and its loader
        Tensor xDummy = Tensor.randn(1000, 10);
        Tensor yDummy = Tensor.randint(0, 2, 1000);
        var dataset = TensorDataset.examples(xDummy, yDummy);
        DataLoader<Example<Tensor, Tensor>, Example<Tensor, Tensor>> dataLoader = DataLoader.builder(dataset).batchSize(100).shuffle(true).build();

        // we want a batch of 1000, but memory only holds batches of 100
        int accumulationSteps = 10;   // accumulate 10 batches' gradients
        model.train();
        List<Double> losses = new ArrayList<>();
        for (int epoch = 0; epoch < 2; epoch++) {   // train 2 epochs
            int i = 0;
            for (Example<Tensor, Tensor> batch : dataLoader) {
                try (Scope step = Scope.open()) {
                    Batches.adopt(step, batch);
                    Tensor inputs = batch.input(), targets = batch.target();
                    // forward
                    Tensor outputs = model.forward(inputs);
                    Tensor loss = criterion.forward(outputs, targets);
                    // accumulate the gradients instead of clearing them
                    loss.backward();
                    // update the parameters once every accumulationSteps batches
                    if ((i + 1) % accumulationSteps == 0) {
                        optimizer.step();
                        optimizer.zeroGrad();   // clear the gradients for the next accumulation
                    }
                    // print the loss every 100 iterations
                    if ((i + 1) % (accumulationSteps * 10) == 0) {
                        System.out.printf("Epoch [%d/%d], Step [%d/%d], Loss: %.4f%n",
                                epoch + 1, 2, i + 1, dataLoader.size() * accumulationSteps, loss.item());
                    }
                    losses.add(loss.item());
                }
                i++;
            }
        }
        System.out.println("Training complete.");
        return new Result(losses, model);
    }

    public static void main(String[] args) {
        Result r = run();
        System.out.printf("first loss %.4f, last loss %.4f%n", r.losses().get(0), r.losses().get(r.losses().size() - 1));
    }
}
