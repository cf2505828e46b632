package dev.wick.cli;

/**
 * A run config that cannot be used: a YAML syntax error, an unknown key, a value of the wrong type or
 * out of range. The message starts with the full dotted key it is about.
 *
 * <pre>{@code
 * optimizer.lr: must be a positive number, got -0.1
 * trainer.max_epoch: unknown key (trainer keys: max_epochs, max_steps, ...)
 * }</pre>
 */
public final class ConfigException extends RuntimeException {
    private final String key;

    public ConfigException(String key, String problem) {
        super(key == null || key.isEmpty() ? problem : key + ": " + problem);
        this.key = key;
    }

    /** The dotted key the problem is about ({@code optimizer.lr}), or null for the file as a whole. */
    public String key() { return key; }
}
