package dev.wick.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * The {@code wick} command line (what {@code ./wick} runs).
 *
 * <pre>
 * wick train [--config run.yaml] [--set optimizer.lr=0.1 ...]   train (no config: the main job)
 * wick eval --checkpoint runs/x/checkpoints/last.pt [--config run.yaml]
 * wick resume runs/x                                             continue from runs/x/checkpoints/last.pt
 * wick launch ...                                                multi-process training (wick-distributed)
 * wick bench &lt;workload&gt;...                                       the side-by-side workloads (wick-bench)
 * </pre>
 *
 * <p>Exit status: 0 on success, 2 for a usage or config error (the message names the option or the
 * dotted config key), 1 when the run itself fails. {@code WICK_DEBUG=1} prints stack traces.
 *
 * <p>The argument parser is picocli and the config parser SnakeYAML ({@link RunConfig}).
 */
@Command(name = "wick", mixinStandardHelpOptions = true, version = "wick 0.1.0-SNAPSHOT",
        description = "Wick: PyTorch's training API in Java, on libtorch.",
        subcommands = {Main.Train.class, Main.Eval.class, Main.Resume.class, Main.Launch.class, Main.Bench.class, CommandLine.HelpCommand.class},
        footer = {"", "Run `wick train` with no arguments for the main job: SimpleClassifier on Fashion-MNIST.",
                "The run folder's path is the last line `wick train` prints."})
public final class Main implements Runnable {
    static final int OK = 0, FAILED = 1, USAGE = 2;
    /** Commands that run another module's main class: name -> {class, module}. */
    static final java.util.Map<String, String[]> PASS_THROUGH = java.util.Map.of(
            "launch", new String[] {"dev.wick.distributed.Launcher", "wick-distributed"},
            "bench", new String[] {"dev.wick.bench.Bench", "wick-bench"});

    @Spec CommandLine.Model.CommandSpec spec;

    @Override
    public void run() { spec.commandLine().usage(spec.commandLine().getOut()); }

    public static void main(String[] args) {
        System.exit(execute(System.out, System.err, args));
    }

    /** Runs the command line with the given streams; returns the exit status. */
    public static int execute(PrintStream out, PrintStream err, String... args) {
        // NOTE [pass-through]: launch and bench hand their arguments, untouched, to another module's
        // main (a `--` included, which the launcher needs and picocli would consume).
        if (args.length > 0 && PASS_THROUGH.containsKey(args[0])) {
            String[] target = PASS_THROUGH.get(args[0]);
            try {
                return delegate(args[0], target[0], target[1], List.of(args).subList(1, args.length), err);
            } catch (Exception e) {
                err.println("wick " + args[0] + ": error: " + oneLine(e));
                if (System.getenv("WICK_DEBUG") != null) e.printStackTrace(err);
                return FAILED;
            }
        }
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        for (CommandLine sub : cl.getSubcommands().values()) {
            Object cmd = sub.getCommand();
            if (cmd instanceof Streams s) s.streams(out, err);
        }
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            String name = cmd.getCommandName();
            if (e instanceof ConfigException) {
                err.println("wick " + name + ": " + e.getMessage());
                return USAGE;
            }
            err.println("wick " + name + ": error: " + oneLine(e));
            if (System.getenv("WICK_DEBUG") != null) e.printStackTrace(err);
            else err.println("(set WICK_DEBUG=1 for the stack trace)");
            return FAILED;
        });
        cl.setExitCodeExceptionMapper(e -> USAGE);
        return cl.execute(args);
    }

    private static String oneLine(Throwable e) {
        String m = e.getMessage();
        if (m == null) m = e.getClass().getSimpleName();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    /** A command that prints: the streams {@link #execute} was given. */
    abstract static class Streams {
        PrintStream out = System.out, err = System.err;

        void streams(PrintStream out, PrintStream err) {
            this.out = out;
            this.err = err;
        }
    }

    @Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Train a model from a run config (no --config: the main job, SimpleClassifier on Fashion-MNIST).",
                    "Prints progress, the test accuracy, and the run folder's path as the last line."})
    static final class Train extends Streams implements Callable<Integer> {
        @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "the run config (YAML); default: the built-in main job")
        Path config;

        @Option(names = {"-s", "--set"}, paramLabel = "KEY=VALUE",
                description = "override one config value, e.g. --set optimizer.lr=0.1 (repeatable; the value is read as YAML)")
        List<String> sets = new ArrayList<>();

        @Option(names = "--print-config", description = "print the effective config and exit without training")
        boolean printConfig;

        @Override
        public Integer call() {
            RunConfig cfg = config == null ? RunConfig.defaults(sets) : RunConfig.load(config, sets);
            if (printConfig) {
                out.print(cfg.yaml());
                return OK;
            }
            Job.Result r = Job.train(cfg, out);
            if (r.main()) out.println(r.runDir().path());
            return OK;
        }
    }

    @Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Report a checkpoint's loss and accuracy on the test split.")
    static final class Eval extends Streams implements Callable<Integer> {
        @Option(names = "--checkpoint", required = true, paramLabel = "FILE",
                description = "a training checkpoint (its embedded config gives the model) or a state dict (needs --config)")
        Path checkpoint;

        @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "the run config to build the model and data from, instead of the checkpoint's")
        Path config;

        @Option(names = {"-s", "--set"}, paramLabel = "KEY=VALUE", description = "override one config value (repeatable)")
        List<String> sets = new ArrayList<>();

        @Override
        public Integer call() throws Exception {
            Evaluate.run(checkpoint, config, sets, out);
            return OK;
        }
    }

    @Command(name = "resume", mixinStandardHelpOptions = true,
            description = "Continue a run from its checkpoints/last.pt, exactly where it stopped, with its own config.yaml.")
    static final class Resume extends Streams implements Callable<Integer> {
        @Parameters(paramLabel = "RUN_DIR", description = "the run folder, e.g. runs/20250101-120000")
        Path runDir;

        @Option(names = {"-s", "--set"}, paramLabel = "KEY=VALUE",
                description = "change a limit: trainer.max_epochs or trainer.max_steps (null removes it); rewrites the run's config.yaml")
        List<String> sets = new ArrayList<>();

        @Override
        public Integer call() {
            Job.Result r = Job.resume(runDir, sets, out);
            if (r.main()) out.println(r.runDir().path());
            return OK;
        }
    }

    @Command(name = "launch", description = "Start a multi-process (data-parallel) run; see `wick launch --help` (module wick-distributed).")
    static final class Launch extends Streams implements Callable<Integer> {
        @Unmatched List<String> args = new ArrayList<>();

        @Override
        public Integer call() throws Exception {   // execute() dispatches launch before parsing (NOTE [pass-through])
            return delegate("launch", PASS_THROUGH.get("launch")[0], PASS_THROUGH.get("launch")[1], args, err);
        }
    }

    @Command(name = "bench", description = "Run side-by-side benchmark workloads, e.g. `wick bench fmnist-cnn` (module wick-bench).")
    static final class Bench extends Streams implements Callable<Integer> {
        @Unmatched List<String> args = new ArrayList<>();

        @Override
        public Integer call() throws Exception {   // execute() dispatches bench before parsing (NOTE [pass-through])
            return delegate("bench", PASS_THROUGH.get("bench")[0], PASS_THROUGH.get("bench")[1], args, err);
        }
    }

    /** Calls {@code className.main(args)} when that class is on the classpath; a clear error otherwise. */
    static int delegate(String command, String className, String module, List<String> args, PrintStream err) throws Exception {
        Method main;
        try {
            main = Class.forName(className).getMethod("main", String[].class);
        } catch (ClassNotFoundException | NoSuchMethodException e) {
            err.println("wick " + command + ": not available yet: " + className + " is not on the classpath (module " + module
                    + " is not part of this build)");
            return FAILED;
        }
        try {
            main.invoke(null, (Object) args.toArray(new String[0]));
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof Exception ex) throw ex;
            throw e;
        }
        return OK;
    }
}
