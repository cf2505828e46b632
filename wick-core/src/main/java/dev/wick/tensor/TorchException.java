package dev.wick.tensor;

/**
 * An error raised by libtorch, with the first line of its message in front and the C++ backtrace
 * kept aside in {@link #nativeBacktrace()}.
 *
 * <pre>{@code
 * try { a.matmul(b); } catch (TorchException e) { System.err.println(e.getMessage()); }
 * // matmul: mat1 and mat2 shapes cannot be multiplied (2x3 and 4x5)
 * }</pre>
 */
public class TorchException extends RuntimeException {
    private final String nativeBacktrace;

    public TorchException(String message, String nativeBacktrace) {
        super(message);
        this.nativeBacktrace = nativeBacktrace;
    }

    /** The full message libtorch produced, C++ frames included. */
    public String nativeBacktrace() { return nativeBacktrace; }

    /** Maps a libtorch error (a RuntimeException with a C++ backtrace) to a clear one-paragraph message. */
    public static RuntimeException from(RuntimeException e, String op) {
        if (e instanceof TorchException || e instanceof IllegalStateException || e instanceof IllegalArgumentException) return e;
        String full = e.getMessage() == null ? e.toString() : e.getMessage();
        String msg = full;
        int cut = msg.indexOf("\nException raised from");
        if (cut < 0) cut = msg.indexOf("Exception raised from");
        if (cut >= 0) msg = msg.substring(0, cut);
        int frames = msg.indexOf("\nframe #");
        if (frames >= 0) msg = msg.substring(0, frames);
        msg = msg.strip();
        TorchException te = new TorchException(op == null ? msg : op + ": " + msg, full);
        te.setStackTrace(e.getStackTrace());
        return te;
    }
}
