package dev.wick.distributed;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/**
 * Two network namespaces joined by a veth pair: two "machines" with their own addresses on one host
 * (10.213.X.1 and 10.213.X.2). Needs root (CAP_NET_ADMIN) and iproute2's {@code ip}.
 */
final class NetnsPair implements AutoCloseable {
    private final String[] namespaces;
    private final String[] addresses;

    private NetnsPair(String[] namespaces, String[] addresses) {
        this.namespaces = namespaces;
        this.addresses = addresses;
    }

    String namespace(int node) { return namespaces[node]; }
    String address(int node) { return addresses[node]; }

    /** Creates the pair, or aborts the test (skipped, with the reason) where {@code ip netns add} is impossible. */
    static NetnsPair create() throws IOException, InterruptedException {
        long id = ProcessHandle.current().pid() % 10000;
        String a = "wickA" + id, b = "wickB" + id;
        String subnet = "10.213." + (id % 250) + ".";
        String probe = run("ip", "netns", "add", a);
        Assumptions.assumeTrue(probe == null, "skipped: cannot create a network namespace here (`ip netns add` failed: " + probe
                + "); this test needs root and iproute2 (apt-get install -y iproute2)");
        NetnsPair pair = new NetnsPair(new String[]{a, b}, new String[]{subnet + "1", subnet + "2"});
        try {
            String va = "wva" + id, vb = "wvb" + id;
            check(run("ip", "netns", "add", b));
            check(run("ip", "link", "add", va, "type", "veth", "peer", "name", vb));
            check(run("ip", "link", "set", va, "netns", a));
            check(run("ip", "link", "set", vb, "netns", b));
            check(run("ip", "-n", a, "addr", "add", subnet + "1/24", "dev", va));
            check(run("ip", "-n", b, "addr", "add", subnet + "2/24", "dev", vb));
            for (String[] nsDev : new String[][]{{a, va}, {b, vb}, {a, "lo"}, {b, "lo"}}) {
                check(run("ip", "-n", nsDev[0], "link", "set", nsDev[1], "up"));
            }
            return pair;
        } catch (RuntimeException | IOException | InterruptedException e) {
            pair.close();
            throw e;
        }
    }

    private static void check(String error) {
        if (error != null) throw new IllegalStateException("setting up the namespaces failed: " + error);
    }

    /** Runs a command; null when it succeeded, else its output and exit code. */
    private static String run(String... cmd) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            return String.join(" ", cmd) + ": " + e.getMessage();
        }
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return String.join(" ", cmd) + ": timed out";
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        return p.exitValue() == 0 ? null : String.join(" ", cmd) + " -> exit " + p.exitValue() + ": " + out;
    }

    /** Deletes both namespaces (which removes the veth pair). */
    @Override
    public void close() {
        List<String> errors = new ArrayList<>();
        for (String ns : namespaces) {
            try {
                String e = run("ip", "netns", "del", ns);
                if (e != null && !e.contains("No such file")) errors.add(e);
            } catch (IOException | InterruptedException e) {
                errors.add(e.toString());
            }
        }
        if (!errors.isEmpty()) System.err.println("NetnsPair cleanup: " + errors);
    }
}
