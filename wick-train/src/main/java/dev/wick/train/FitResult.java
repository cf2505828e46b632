package dev.wick.train;

import java.util.Map;

/**
 * How a {@link Trainer#fit()} ended.
 *
 * <pre>{@code
 * FitResult r = trainer.fit();
 * System.out.println(r.stopReason() + " after " + r.globalStep() + " steps: " + r.lastEpochRecord());
 * }</pre>
 *
 * @param epochsCompleted   epochs fully trained (including those before a resume)
 * @param globalStep        optimizer steps taken
 * @param stopReason        {@code "max_epochs"}, {@code "max_steps"}, or the reason a stop was requested with
 *                          (early stopping: {@code "early_stopping: val_loss did not improve for 3 validations"})
 * @param lastEpochRecord   the last epoch's record (train and validation values), empty if no epoch ended
 * @param lastValidation    the last validation's values, empty if none ran
 */
public record FitResult(long epochsCompleted, long globalStep, String stopReason,
                        Map<String, Object> lastEpochRecord, Map<String, Object> lastValidation) {
    public FitResult {
        lastEpochRecord = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(lastEpochRecord));
        lastValidation = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(lastValidation));
    }
}
