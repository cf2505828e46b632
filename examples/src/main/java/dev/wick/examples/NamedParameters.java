package dev.wick.examples;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import dev.wick.tensor.Tensor;

/**
 * Seed section 3.1: list a model's parameters by name with {@code named_parameters()}. The optimizer
 * updates all of them: weights, biases (and normalisation terms where a model has them).
 *
 * <pre>{@code
 * for (var e : new SimpleModel().namedParameters().entrySet())
 *     System.out.println(e.getKey() + " " + Arrays.toString(e.getValue().shape()));
 * }</pre>
 *
 * <p>Output (the same names and shapes as PyTorch; note that the seed's printed listing has
 * {@code fc.weight} as [320, 50], but a {@code Linear(320, 50)} weight is [out, in] = [50, 320], which
 * is what PyTorch really prints):
 * <pre>
 * conv1.weight [10, 1, 5, 5]
 * conv1.bias [10]
 * conv2.weight [20, 10, 5, 5]
 * conv2.bias [20]
 * fc.weight [50, 320]
 * fc.bias [50]
 * </pre>
 */
public final class NamedParameters {
    private NamedParameters() {}

    /** The lines the example prints: "name [shape]". */
    public static List<String> run() {
        // create the model instance
        SimpleModel model = new SimpleModel();
        // named_parameters() gives each parameter's name and the parameter
        List<String> lines = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : model.namedParameters().entrySet()) {
            String name = e.getKey();
            Tensor param = e.getValue();
            lines.add(name + " " + Arrays.toString(param.shape()));
        }
        return lines;
    }

    public static void main(String[] args) {
        run().forEach(System.out::println);
    }
}
