/**
 * Optimizers, parameter groups and gradient clipping, with PyTorch's names, options, numerics and
 * state-dict layout.
 *
 * <pre>{@code
 * var opt = new SGD(model.parameters(), SGD.Options.lr(0.1).withMomentum(0.9).withWeightDecay(5e-4));
 * loss.backward();
 * GradClip.clipGradNorm(model.parameters(), 1.0);
 * opt.step();
 * opt.zeroGrad();
 * }</pre>
 *
 * <ul>
 *   <li>{@link dev.wick.optim.Optimizer}: groups, state, {@code zeroGrad}, {@code step},
 *       {@code stateDict}/{@code loadStateDict} (PyTorch 1.13's layout, loadable from and by Python);</li>
 *   <li>{@link dev.wick.optim.ParamGroup}: a group's parameters and options (PyTorch's keys);</li>
 *   <li>{@link dev.wick.optim.SGD}, {@link dev.wick.optim.Adam}, {@link dev.wick.optim.AdamW},
 *       {@link dev.wick.optim.RMSprop}, {@link dev.wick.optim.Adagrad}, {@link dev.wick.optim.Adadelta},
 *       {@link dev.wick.optim.Adamax}, {@link dev.wick.optim.NAdam}, {@link dev.wick.optim.RAdam},
 *       {@link dev.wick.optim.LBFGS}: each with its {@code Options} record (defaults in one place,
 *       validated at construction);</li>
 *   <li>{@link dev.wick.optim.GradClip}: {@code clipGradNorm}, {@code clipGradValue}.</li>
 * </ul>
 *
 * <p>NOTE [kernels]: each {@code step()} gathers a group's lists and calls a small static kernel that
 * updates all of them in a few native calls: libtorch's fused {@code _fused_adam_},
 * {@code _fused_adamw_} and {@code _fused_adagrad_} (one call per group), or {@code _foreach_*} ops
 * for the others, SGD included (PyTorch's own operation order; {@code "fused": true} in a group picks
 * {@code _fused_sgd_}), reached through the dispatcher (see {@code Foreach}). The golden tests
 * (src/test/resources/golden/make_golden.py) hold every optimizer to PyTorch 1.13's 20-step
 * trajectories within 1e-6 relative; the fused kernels differ from 1.13's per-tensor loops by at most
 * 2 float32 ulps there, the others agree bit for bit (SGD's test asserts it).
 */
package dev.wick.optim;
