package dev.wick.tensor;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

class ScopeTest {

    @Test void freesWhatItOwnsAndUseAfterFreeIsAnException() {
        Tensor inside;
        try (Scope s = Scope.open()) {
            inside = Tensor.ones(3).add(1.0);
            assertEquals(2, s.ownedCount());
        }
        assertFalse(inside.isAlive());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> inside.add(1.0));
        assertTrue(e.getMessage().startsWith("Tensor used after it was freed"), e.getMessage());
        assertEquals("tensor(<freed>)", inside.toString());
        inside.close(); // idempotent
    }

    @Test void keepMovesToTheParentAndOutermostKeepMovesToTheGc() {
        Tensor kept;
        try (Scope outer = Scope.open()) {
            Tensor k;
            try (Scope inner = Scope.open()) {
                k = inner.keep(Tensor.ones(2));
                Tensor.ones(2); // freed with inner
            }
            assertTrue(k.isAlive());
            assertTrue(outer.ownedCount() >= 1);
            kept = outer.keep(k);
        }
        assertTrue(kept.isAlive());
        assertEquals(2.0, kept.sum().item());
        assertThrows(IllegalArgumentException.class, () -> {
            try (Scope s = Scope.open()) { s.keep(kept); }
        });
    }

    @Test void adoptsTensorsMadeOnAnotherThread() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            // made in a scope on the worker that stays open while we adopt
            Future<Tensor> f = pool.submit(() -> Tensor.arange(5).toFloat());   // GC-owned on the worker
            Tensor batch = f.get();
            Tensor view;
            try (Scope step = Scope.open()) {
                step.adopt(batch);
                view = batch.mul(2.0);
                assertEquals(20.0, view.sum().item());
            }
            assertFalse(batch.isAlive(), "adopted tensor is freed with the adopting scope");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test void outsideMakesLongLivedTensorsInsideAStep() {
        Tensor state;
        try (Scope step = Scope.open()) {
            state = Scope.outside(() -> Tensor.zeros(4));
            Tensor tmp = Tensor.ones(4);
            Tensor moved = Scope.detachFromScopes(tmp);
            assertSame(tmp, moved);
        }
        assertTrue(state.isAlive());
        assertEquals(0.0, state.sum().item());
    }

    @Test void scopesCloseInnermostFirstOnTheirThread() {
        Scope outer = Scope.open();
        Scope inner = Scope.open();
        assertThrows(IllegalStateException.class, outer::close);
        inner.close();
        outer.close();
        assertNull(Scope.current());
    }

    @Test void debugReportsWhereUnkeptTensorsWereMade() {
        List<String> reports = new ArrayList<>();
        Scope.debug(true);
        Scope.debugSink(reports::add);
        Tensor leaked;
        try {
            try (Scope s = Scope.open()) {
                leaked = Tensor.ones(2).mul(3.0);
            }
        } finally {
            Scope.debug(false);
            Scope.debugSink(System.err::println);
        }
        assertEquals(1, reports.size());
        assertTrue(reports.get(0).contains("freed 2 tensor(s) nobody kept"), reports.get(0));
        assertTrue(reports.get(0).contains("ScopeTest.java"), reports.get(0));
        IllegalStateException e = assertThrows(IllegalStateException.class, leaked::sum);
        assertEquals(2, e.getSuppressed().length, "made-at and freed-at traces attached");
        assertTrue(e.getSuppressed()[0].getStackTrace()[0].toString().contains("Tensor") || e.getSuppressed()[0].getMessage().contains("made"));
    }

    @Test void gcOwnedTensorsAreFreedWhenUnreachable() throws InterruptedException {
        long before = Scope.gcOwnedLive();
        for (int i = 0; i < 2000; i++) Tensor.zeros(16);
        assertTrue(Scope.gcOwnedLive() >= before + 1000);
        long deadline = System.currentTimeMillis() + 10_000;
        while (Scope.gcOwnedLive() > before + 1000 && System.currentTimeMillis() < deadline) {
            System.gc();
            Thread.sleep(50);
        }
        assertTrue(Scope.gcOwnedLive() <= before + 1000, "Cleaner freed unreachable tensors: live=" + Scope.gcOwnedLive());
    }

    @Test void explicitCloseFreesAtOnceWhoeverOwnsIt() {
        Tensor t = Tensor.ones(3);
        t.close();
        assertFalse(t.isAlive());
        try (Scope s = Scope.open()) {
            Tensor u = Tensor.ones(3);
            u.close();
            assertEquals(0, s.ownedCount());
        }
    }
}
