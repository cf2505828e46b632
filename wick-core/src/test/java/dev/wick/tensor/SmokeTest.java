package dev.wick.tensor;

import static org.junit.jupiter.api.Assertions.*;
import org.junit.jupiter.api.Test;

class SmokeTest {
    @Test void basics() {
        Engine.manualSeed(42);
        Tensor x = Tensor.randn(3);
        System.out.println(x);
        assertArrayEquals(new float[]{0.33669037f, 0.12880941f, 0.23446237f}, x.toFloatArray(), 1e-7f);
        Tensor w = Tensor.ones(3).requiresGrad(true);
        Tensor y = w.mul(x).sum();
        y.backward();
        assertArrayEquals(x.toFloatArray(), w.grad().toFloatArray());
        System.out.println(w.grad() + " " + Tensor.arange(10).view(2, 5) + " " + y);
        Tensor kept;
        try (Scope s = Scope.open()) {
            Tensor a = Tensor.ones(2, 2);
            Tensor b = a.add(1.0);
            kept = s.keep(b.mul(2.0));
            assertThrows(IllegalStateException.class, () -> { try (Scope s2 = Scope.open()) { Tensor c = a.add(a); s2.close(); c.add(c); } });
        }
        assertEquals(4.0, kept.get(0, 0).item(), 0);
        System.out.println(Engine.describe());
        try { Tensor.ones(2, 3).matmul(Tensor.ones(4, 5)); fail(); } catch (TorchException e) { System.out.println("MSG: " + e.getMessage()); }
    }
}
