package dev.wick.checkpoint;

import java.io.IOException;

/**
 * A checkpoint file is truncated, corrupt, of an unsupported kind, or asks for something the safe
 * loaders refuse (a global outside the allow-list, a storage read past its end, an absurd size).
 * The message names the file, the offending value and the rule it broke.
 *
 * <pre>{@code
 * try {
 *     Object ckpt = TorchFiles.load(Path.of("untrusted.pt"));
 * } catch (CheckpointFormatException e) {
 *     log.warn("rejected: {}", e.getMessage());  // e.g. "Refused global 'posix.system' (not in the weights_only allow-list) ..."
 * }
 * }</pre>
 */
public class CheckpointFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    public CheckpointFormatException(String message) {
        super(message);
    }

    public CheckpointFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
