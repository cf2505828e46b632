package dev.wick.train;

/**
 * What the trainer does with an epoch's last accumulation window when fewer than {@code accumulate}
 * batches are left for it. Whatever the choice, each batch's loss is divided by the real length of its
 * window, so every optimizer step sees the mean gradient of the batches it accumulated.
 *
 * <pre>{@code
 * // 10 batches per epoch, accumulate(4): windows of 4, 4, then 2 batches
 * .accumulate(4).lastWindow(LastWindow.STEP)    // steps on the 2 batches (loss / 2): 3 steps per epoch
 * .accumulate(4).lastWindow(LastWindow.DROP)    // skips the 2 batches: 2 steps per epoch
 * .accumulate(4).lastWindow(LastWindow.CARRY)   // windows run across epochs: 10 steps per 4 epochs
 * }</pre>
 */
public enum LastWindow {
    /** Step on the short window (Lightning's and the Hugging Face Trainer's behaviour). The default. */
    STEP,
    /** Skip the batches of the short window: they are not loaded into the model (like {@code dropLast}). */
    DROP,
    /**
     * Let windows span epoch boundaries (nanoGPT's infinite stream): every window has {@code accumulate}
     * batches, except at the very end of training, where a short window is stepped.
     */
    CARRY
}
