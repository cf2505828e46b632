package dev.wick.cli;

import dev.wick.optim.Optimizer;
import dev.wick.optim.lr.CosineAnnealingLR;
import dev.wick.optim.lr.CosineWithMinLR;
import dev.wick.optim.lr.LRScheduler;
import dev.wick.optim.lr.StepLR;

/**
 * The learning-rate schedule a config names ({@code scheduler:}) and when it is stepped.
 *
 * <ul>
 *   <li>{@code warmup_cosine}: linear warm-up over {@code warmup_steps} optimizer steps (or
 *       {@code warmup_epochs} epochs' worth), then a cosine from {@code optimizer.lr} down to
 *       {@code min_lr} at the last step ({@link CosineWithMinLR}); stepped per optimizer step.</li>
 *   <li>{@code cosine}: {@link CosineAnnealingLR} over every optimizer step, to {@code min_lr}.</li>
 *   <li>{@code step}: {@link StepLR}, times {@code gamma} every {@code step_size} epochs; per epoch.</li>
 *   <li>{@code none}: a constant learning rate.</li>
 * </ul>
 */
final class Schedules {
    private Schedules() {}

    /** A scheduler and whether it is stepped per optimizer step (else per epoch). */
    record Built(LRScheduler scheduler, boolean perStep) {}

    /**
     * @param stepsPerEpoch optimizer steps in one epoch
     * @param totalSteps    optimizer steps in the whole run
     */
    static Built build(RunConfig.Scheduler c, Optimizer opt, long stepsPerEpoch, long totalSteps) {
        int total = Math.toIntExact(Math.max(1, totalSteps));
        return switch (c.name()) {
            case "warmup_cosine" -> {
                long warmup = c.warmupSteps() != null ? c.warmupSteps() : Math.round(c.warmupEpochs() * stepsPerEpoch);
                if (warmup >= total)
                    throw new ConfigException(c.warmupSteps() != null ? "scheduler.warmup_steps" : "scheduler.warmup_epochs",
                            "the warm-up (" + warmup + " steps) must be shorter than the run (" + total + " optimizer steps)");
                yield new Built(new CosineWithMinLR(opt, (int) warmup, total, c.minLr()), true);
            }
            case "cosine" -> new Built(new CosineAnnealingLR(opt, total, c.minLr()), true);
            case "step" -> new Built(new StepLR(opt, Math.toIntExact(c.stepSize()), c.gamma()), false);
            case "none" -> new Built(null, false);
            default -> throw new ConfigException("scheduler.name", "unknown scheduler '" + c.name() + "'");
        };
    }
}
