package dev.wick.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/** Engine's BLAS choice (see the thread-pool note in {@link Engine}). */
class EngineBlasTest {

    private static String maps() throws IOException { return Files.readString(Path.of("/proc/self/maps")); }

    @Test
    void theChosenBlasIsTheOneLibtorchMapsAndItsThreadsFollowLibtorchs() throws IOException {
        Tensor a = Tensor.randn(64, 64);
        try (Scope s = Scope.open()) {
            a.matmul(a);                                          // a real sgemm call
        }
        String blas = Engine.blas();
        boolean systemWanted = !"bundled".equals(System.getProperty("wick.blas", "auto"))
                && Files.isRegularFile(Path.of(Engine.SYSTEM_OPENMP_BLAS));
        if (systemWanted) {
            assertTrue(blas.startsWith("system OpenMP OpenBLAS "), blas);
            String real = Path.of(Engine.SYSTEM_OPENMP_BLAS).toRealPath().toString();
            assertTrue(maps().contains(real), "libtorch should map " + real);
            assertEquals(Engine.threads(), Engine.blasThreads());
        } else {
            assertEquals("bundled pthreads OpenBLAS", blas);
            assertEquals(Integer.getInteger("wick.blas.threads", 1), Engine.blasThreads());
        }
        assertTrue(Engine.describe().contains(blas), Engine.describe());
    }

    @Test
    void aBadChoiceIsAnErrorNamingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Engine.loadSystemBlas("/no/such/libopenblas.so.0"));
        assertTrue(e.getMessage().startsWith("Invalid wick.blas: '/no/such/libopenblas.so.0' (must be auto, bundled, system"), e.getMessage());
        assertNull(Engine.loadSystemBlas("bundled"));
        if (!Files.isRegularFile(Path.of(Engine.SYSTEM_OPENMP_BLAS))) {
            assertNull(Engine.loadSystemBlas("auto"));
            assertThrows(IllegalArgumentException.class, () -> Engine.loadSystemBlas("system"));
        } else {
            assertFalse(Engine.loadSystemBlas("auto").isEmpty());
        }
    }
}
