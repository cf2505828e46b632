package dev.wick.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The dispatcher's contract; no workload runs here (benchmarks are not tests). */
class BenchTest {

    @Test
    void namesFollowTheSpecOrder() {
        assertEquals(List.of("fmnist-mlp", "fmnist-cnn", "step-overhead", "loader", "resnet18-synth"), Bench.names());
    }

    @Test
    void allExpandsToEveryWorkloadAndNamesKeepTheirOrder() {
        assertEquals(Bench.names(), Bench.resolve(new String[]{"all"}));
        assertEquals(List.of("loader", "fmnist-mlp", "loader"), Bench.resolve(new String[]{"loader", "fmnist-mlp", "loader"}));
    }

    @Test
    void unknownWorkloadIsNamedInTheError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Bench.resolve(new String[]{"fmnist-mlp", "resnet50"}));
        assertTrue(e.getMessage().startsWith("Unknown workload: 'resnet50'"), e.getMessage());
        assertTrue(e.getMessage().contains("step-overhead"), e.getMessage());
    }

    @Test
    void noWorkloadIsAnError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Bench.resolve(new String[0]));
        assertTrue(e.getMessage().startsWith("No workload given"), e.getMessage());
    }

    @Test
    void peakRssIsAtLeastTheCurrentRss() {
        double rss = Proc.rssMb(), peak = Proc.peakRssMb();
        assertTrue(rss > 1, "VmRSS " + rss);
        assertTrue(peak >= rss, "VmHWM " + peak + " < VmRSS " + rss);
    }
}
