/**
 * Learning-rate schedules and schedulers: PyTorch's {@code torch.optim.lr_scheduler}, plus
 * {@link dev.wick.optim.lr.WarmupStableDecayLR} and {@link dev.wick.optim.lr.CosineWithMinLR}.
 *
 * <pre>{@code
 * var opt = new SGD(model.parameters(), SGD.Options.lr(0.1).withMomentum(0.9));
 * var sched = new SequentialLR(opt, List.of(new LinearLR(opt, 0.1, 1.0, 5), new CosineAnnealingLR(opt, 95)), new int[] {5});
 * for (int epoch = 0; epoch < 100; epoch++) {
 *     trainOneEpoch(opt);
 *     sched.step();
 * }
 * }</pre>
 *
 * <table>
 *   <caption>The schedulers</caption>
 *   <tr><th>Wick</th><th>PyTorch</th><th>kind</th></tr>
 *   <tr><td>{@link dev.wick.optim.lr.LambdaLR}</td><td>LambdaLR</td><td>closed form</td></tr>
 *   <tr><td>{@link dev.wick.optim.lr.MultiplicativeLR}</td><td>MultiplicativeLR</td><td>recursive</td></tr>
 *   <tr><td>{@link dev.wick.optim.lr.StepLR}, {@link dev.wick.optim.lr.MultiStepLR}, {@link dev.wick.optim.lr.ConstantLR},
 *       {@link dev.wick.optim.lr.LinearLR}, {@link dev.wick.optim.lr.ExponentialLR}, {@link dev.wick.optim.lr.PolynomialLR},
 *       {@link dev.wick.optim.lr.CosineAnnealingLR}</td><td>same names</td><td>recursive (PyTorch's chainable form)</td></tr>
 *   <tr><td>{@link dev.wick.optim.lr.CosineAnnealingWarmRestarts}, {@link dev.wick.optim.lr.CyclicLR},
 *       {@link dev.wick.optim.lr.OneCycleLR}</td><td>same names</td><td>closed form; the last two cycle momentum</td></tr>
 *   <tr><td>{@link dev.wick.optim.lr.SequentialLR}, {@link dev.wick.optim.lr.ChainedScheduler}</td><td>same names</td>
 *       <td>composites</td></tr>
 *   <tr><td>{@link dev.wick.optim.lr.ReduceLROnPlateau}</td><td>ReduceLROnPlateau</td><td>metric history</td></tr>
 *   <tr><td>{@link dev.wick.optim.lr.WarmupStableDecayLR}, {@link dev.wick.optim.lr.CosineWithMinLR}</td><td>(by hand)</td>
 *       <td>closed form</td></tr>
 * </table>
 *
 * <p>Every scheduler but {@link dev.wick.optim.lr.ReduceLROnPlateau} is a pure function of its epoch
 * ({@link dev.wick.optim.lr.LRScheduler#lrAt(int)}) with PyTorch 1.13's values; see
 * {@link dev.wick.optim.lr.LRScheduler} for the lifecycle, the state dict and how the recursive forms
 * are reproduced.
 */
package dev.wick.optim.lr;
