package dev.wick.train;

import java.util.List;
import java.util.Map;

import dev.wick.optim.ParamGroup;

/**
 * Logs every parameter group's learning rate (and momentum, where the group has one) into the run's
 * records: {@code lr_group<i>} and {@code momentum_group<i>}, with {@code i} from 0 (the trainer
 * itself logs {@code lr}, group 0's). Lightning's {@code LearningRateMonitor}.
 *
 * <pre>{@code
 * Trainer.builder(model, opt, train, loss).callbacks(new LearningRateMonitor());
 * // metrics.jsonl: {"kind": "step", ..., "lr_group0": 0.1, "lr_group1": 0.01, "momentum_group0": 0.9}
 * }</pre>
 *
 * Values are taken after the step (and the scheduler's step), so they are the rates the next step uses.
 */
public final class LearningRateMonitor implements OnStepEnd, OnEpochEnd {
    @Override
    public void onStepEnd(TrainContext ctx, StepResult step) { logGroups(ctx); }

    @Override
    public void onEpochEnd(TrainContext ctx, Map<String, Object> record) { logGroups(ctx); }

    private static void logGroups(TrainContext ctx) {
        List<ParamGroup> groups = ctx.optimizer().paramGroups();
        for (int i = 0; i < groups.size(); i++) {
            ParamGroup g = groups.get(i);
            ctx.log("lr_group" + i, g.lr());
            if (g.has("momentum")) ctx.log("momentum_group" + i, g.getDouble("momentum"));
            else if (g.has("betas") && g.get("betas") instanceof List<?> b && !b.isEmpty() && b.get(0) instanceof Number n)
                ctx.log("momentum_group" + i, n.doubleValue());
        }
    }
}
