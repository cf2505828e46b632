package dev.wick.data;

/**
 * One (input, target) pair of supervised learning: what image data sets return
 * ({@code Example<Tensor, Long>}), and what {@link Collate#defaultCollate} turns a list of examples
 * into ({@code Example<Tensor, Tensor>}: the inputs stacked to {@code [B, ...]}, the targets to
 * {@code [B]}). Like every record, it collates component by component.
 *
 * <pre>{@code
 * for (Example<Tensor, Tensor> batch : loader) {
 *     Tensor logits = model.forward(batch.input());     // [B, C, H, W] -> [B, 10]
 *     Tensor loss = F.crossEntropy(logits, batch.target());
 * }
 * }</pre>
 *
 * @param input  the model's input
 * @param target the value the model should predict
 * @param <X>    the input type
 * @param <Y>    the target type
 */
public record Example<X, Y>(X input, Y target) {
}
