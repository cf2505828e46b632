package dev.wick.train;

import java.util.Objects;

import dev.wick.tensor.Tensor;

/**
 * What a {@link StepFunction} returns for one batch: the scalar loss, and optionally the model's output
 * and the target, which the trainer hands to its metrics and uses to count the batch's samples.
 *
 * <pre>{@code
 * return StepOutput.of(loss, logits, labels);   // metrics see (logits, labels)
 * return StepOutput.of(loss);                   // loss only: no metrics besides the loss
 * }</pre>
 *
 * @param loss   the batch's scalar loss (with gradient history, for training batches)
 * @param output the model's output for the metrics, or null
 * @param target the target for the metrics, or null
 */
public record StepOutput(Tensor loss, Tensor output, Tensor target) {
    public StepOutput {
        Objects.requireNonNull(loss, "StepOutput.loss");
    }

    public static StepOutput of(Tensor loss) { return new StepOutput(loss, null, null); }

    public static StepOutput of(Tensor loss, Tensor output, Tensor target) { return new StepOutput(loss, output, target); }
}
