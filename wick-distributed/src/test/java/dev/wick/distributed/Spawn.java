package dev.wick.distributed;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Starts worker JVMs on the test's class path, as real separate processes. */
final class Spawn {
    private Spawn() {}

    static String classPath() {
        return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    }

    /** {@code java <wick flags> -cp <test class path> main args...}. */
    static List<String> javaCommand(Class<?> main, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Dorg.bytedeco.javacpp.nopointergc=true");
        cmd.add("-Xss4m");
        cmd.add("-Xmx768m");
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-cp");
        cmd.add(classPath());
        cmd.add(main.getName());
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** The environment every worker gets: passive OpenMP waits and one thread each (2 processes share 2 cores). */
    static void workerEnv(Map<String, String> env) {
        env.put("OMP_WAIT_POLICY", "PASSIVE");
        env.put("WICK_THREADS", "1");
        env.put("OMP_NUM_THREADS", "1");
    }

    /** Starts a worker with output to {@code log} (stdout and stderr merged). */
    static Process start(List<String> cmd, Map<String, String> env, Path log) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        workerEnv(pb.environment());
        pb.environment().putAll(env);
        pb.redirectErrorStream(true);
        pb.redirectOutput(log.toFile());
        return pb.start();
    }

    static String read(Path log) {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }
}
