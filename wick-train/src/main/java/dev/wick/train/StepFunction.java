package dev.wick.train;

/**
 * Computes one batch's loss (and what metrics need) when the batch is not an
 * {@code Example<Tensor, Tensor>} fed to a {@code UnaryModule}: the custom part of a training step.
 *
 * <pre>{@code
 * StepFunction<Map<String, Tensor>> step = batch -> {
 *     Tensor logits = model.forward(batch.get("tokens"), batch.get("mask"));   // (B, T, V)
 *     Tensor loss = F.crossEntropy(logits.view(-1, vocab), batch.get("labels").view(-1));
 *     return StepOutput.of(loss, logits.view(-1, vocab), batch.get("labels").view(-1));
 * };
 * Trainer.builder(model, opt, loader, step).maxSteps(1000).build();
 * }</pre>
 *
 * <p>The trainer calls it once per batch, inside a scope that frees every tensor it makes, in
 * training mode with gradients on for training batches and in evaluation mode under
 * {@code Autograd.noGrad()} for validation and test batches. It must not call {@code backward()},
 * step the optimizer or zero gradients: the trainer does, in its documented order. The loss must be a
 * scalar; with gradient accumulation the trainer divides it by the window length before
 * {@code backward()}, so a mean-reduced loss gives the gradient of the mean over the window.
 *
 * @param <B> the batch type
 */
@FunctionalInterface
public interface StepFunction<B> {
    StepOutput apply(B batch);
}
