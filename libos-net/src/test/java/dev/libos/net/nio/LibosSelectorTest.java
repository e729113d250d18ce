package dev.libos.net.nio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.libos.net.local.LocalNetwork;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.IllegalSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The {@link Selector} contract on {@link LibosSelector}: selected keys, cancel, wakeup, close. */
@Timeout(30)
class LibosSelectorTest {
    private final LibosSelectorProvider provider = new LibosSelectorProvider(new LocalNetwork());

    @Test
    void reportsReadinessOnlyForInterestOpsAndKeepsItLevelTriggered() throws Exception {
        try (Connected c = Connected.open(provider); Selector selector = provider.openSelector()) {
            c.accepted().configureBlocking(false);
            SelectionKey key = c.accepted().register(selector, SelectionKey.OP_READ, "att");
            assertSame("att", key.attachment());
            assertEquals(0, selector.selectNow(), "nothing to read yet");

            c.client().write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
            assertEquals(1, selector.select(10_000));
            assertEquals(java.util.Set.of(key), selector.selectedKeys());
            assertEquals(SelectionKey.OP_READ, key.readyOps(), "WRITE is ready too but not of interest");

            selector.selectedKeys().clear();
            assertEquals(1, selector.selectNow(), "still readable: reported again (level-triggered)");
            selector.selectedKeys().clear();

            c.accepted().read(ByteBuffer.allocate(16));
            assertEquals(0, selector.selectNow(), "drained: no longer ready");
            assertTrue(selector.selectedKeys().isEmpty());
        }
    }

    @Test
    void aKeyLeftInTheSelectedSetKeepsAndWidensItsReadySet() throws Exception {
        try (Connected c = Connected.open(provider); Selector selector = provider.openSelector()) {
            c.accepted().configureBlocking(false);
            SelectionKey key = c.accepted().register(selector, SelectionKey.OP_WRITE);
            assertEquals(1, selector.selectNow());
            assertEquals(SelectionKey.OP_WRITE, key.readyOps());
            assertEquals(0, selector.selectNow(), "same readiness, key not removed: no update counted");

            key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
            c.client().write(ByteBuffer.wrap(new byte[] {1}));
            assertEquals(1, selector.selectNow(), "READ added to the ready set");
            assertEquals(SelectionKey.OP_READ | SelectionKey.OP_WRITE, key.readyOps());

            selector.selectedKeys().remove(key);
            key.interestOps(SelectionKey.OP_READ);
            assertEquals(1, selector.selectNow());
            assertEquals(SelectionKey.OP_READ, key.readyOps(), "a newly selected key's ready set is replaced");
        }
    }

    @Test
    void selectedKeySetAllowsRemovalButNotAddition() throws Exception {
        try (Connected c = Connected.open(provider); Selector selector = provider.openSelector()) {
            c.accepted().configureBlocking(false);
            SelectionKey key = c.accepted().register(selector, SelectionKey.OP_WRITE);
            selector.selectNow();
            assertThrows(UnsupportedOperationException.class, () -> selector.selectedKeys().add(key));
            assertThrows(UnsupportedOperationException.class, () -> selector.keys().remove(key));
            var it = selector.selectedKeys().iterator();
            it.next();
            it.remove();
            assertTrue(selector.selectedKeys().isEmpty());
        }
    }

    @Test
    void reRegistrationAfterTheCancelledKeyIsFlushedGivesANewKey() throws Exception {
        try (Connected c = Connected.open(provider); Selector selector = provider.openSelector()) {
            SocketChannel ch = c.accepted();
            ch.configureBlocking(false);
            SelectionKey key = ch.register(selector, SelectionKey.OP_WRITE);
            key.cancel();
            assertThrows(CancelledKeyException.class, () -> ch.register(selector, SelectionKey.OP_READ));
            assertEquals(0, selector.selectNow(), "a cancelled key is never selected");
            assertFalse(selector.keys().contains(key));
            assertFalse(ch.isRegistered());
            ch.configureBlocking(true); // allowed: no valid keys
            ch.configureBlocking(false);
            SelectionKey again = ch.register(selector, SelectionKey.OP_WRITE);
            assertTrue(again != key && again.isValid());
            assertEquals(1, selector.selectNow());
        }
    }

    @Test
    void closingTheChannelCancelsItsKeys() throws Exception {
        try (Connected c = Connected.open(provider); Selector selector = provider.openSelector()) {
            c.accepted().configureBlocking(false);
            SelectionKey key = c.accepted().register(selector, SelectionKey.OP_READ);
            c.accepted().close();
            assertFalse(key.isValid());
            assertEquals(0, selector.selectNow());
            assertTrue(selector.keys().isEmpty());
        }
    }

    @Test
    void wakeupFromAnotherThreadEndsABlockedSelect() throws Exception {
        try (Connected c = Connected.open(provider); Selector selector = provider.openSelector()) {
            c.accepted().configureBlocking(false);
            c.accepted().register(selector, SelectionKey.OP_READ);
            CompletableFuture<Integer> selected = startSelect(selector).awaitParked().result();
            selector.wakeup();
            assertEquals(0, selected.get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void aWakeupBeforeSelectMakesTheNextSelectReturnAtOnceAndSelectNowClearsIt() throws Exception {
        try (Selector selector = provider.openSelector()) {
            selector.wakeup();
            selector.wakeup();
            assertEquals(0, selector.select(), "returns at once instead of blocking forever");
            selector.wakeup();
            assertEquals(0, selector.selectNow());
            long start = System.nanoTime();
            assertEquals(0, selector.select(50), "the wakeup was cleared: this one times out");
            assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(50));
        }
    }

    @Test
    void readinessFromAnotherThreadEndsABlockedSelect() throws Exception {
        try (Connected c = Connected.open(provider); Selector selector = provider.openSelector()) {
            c.accepted().configureBlocking(false);
            SelectionKey key = c.accepted().register(selector, SelectionKey.OP_READ);
            CompletableFuture<Integer> selected = startSelect(selector).awaitParked().result();
            c.client().write(ByteBuffer.wrap(new byte[] {42}));
            assertEquals(1, selected.get(10, TimeUnit.SECONDS));
            assertTrue(key.isReadable());
        }
    }

    @Test
    void closingTheSelectorWhileAnotherThreadSelectsWakesItAndInvalidatesKeys() throws Exception {
        try (Connected c = Connected.open(provider)) {
            Selector selector = provider.openSelector();
            c.accepted().configureBlocking(false);
            SelectionKey key = c.accepted().register(selector, SelectionKey.OP_READ);
            CompletableFuture<Integer> selected = startSelect(selector).awaitParked().result();
            selector.close();
            selected.get(10, TimeUnit.SECONDS);
            assertFalse(key.isValid());
            assertFalse(c.accepted().isRegistered());
            assertThrows(ClosedSelectorException.class, selector::selectNow);
            assertThrows(ClosedSelectorException.class, selector::keys);
            assertThrows(ClosedSelectorException.class, () -> c.client().configureBlocking(false).register(selector, 0));
        }
    }

    @Test
    void anInterruptEndsASelectAndLeavesTheStatusSet() throws Exception {
        try (Selector selector = provider.openSelector()) {
            CompletableFuture<Boolean> interrupted = new CompletableFuture<>();
            Thread t = Thread.ofPlatform().start(() -> {
                try {
                    selector.select();
                    interrupted.complete(Thread.currentThread().isInterrupted());
                } catch (Throwable e) {
                    interrupted.completeExceptionally(e);
                }
            });
            while (t.getState() != Thread.State.WAITING) {
                Thread.onSpinWait();
            }
            t.interrupt();
            assertTrue(interrupted.get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void selectWithAnActionRunsItPerReadyKeyWithoutTheSelectedSet() throws Exception {
        try (Connected a = Connected.open(provider); Connected b = Connected.open(provider);
                Selector selector = provider.openSelector()) {
            a.accepted().configureBlocking(false);
            b.accepted().configureBlocking(false);
            SelectionKey ka = a.accepted().register(selector, SelectionKey.OP_READ);
            SelectionKey kb = b.accepted().register(selector, SelectionKey.OP_READ | SelectionKey.OP_WRITE);
            a.client().write(ByteBuffer.wrap(new byte[] {1}));
            List<SelectionKey> seen = new ArrayList<>();
            assertEquals(2, selector.select(seen::add, 10_000));
            assertEquals(2, seen.size());
            assertTrue(seen.contains(ka) && seen.contains(kb));
            assertEquals(SelectionKey.OP_READ, ka.readyOps());
            assertEquals(SelectionKey.OP_WRITE, kb.readyOps());
            assertTrue(selector.selectedKeys().isEmpty());
            assertThrows(IllegalArgumentException.class, () -> selector.select(k -> { }, -1));
        }
    }

    @Test
    void aChannelOfAnotherProviderIsRefused() throws Exception {
        LibosSelectorProvider other = new LibosSelectorProvider(new LocalNetwork());
        try (Selector selector = provider.openSelector(); SocketChannel foreign = other.openSocketChannel()) {
            foreign.configureBlocking(false);
            assertThrows(IllegalSelectorException.class, () -> foreign.register(selector, SelectionKey.OP_READ));
        }
        try (Selector jdk = Selector.open(); SocketChannel ours = provider.openSocketChannel()) {
            ours.configureBlocking(false);
            assertThrows(IllegalSelectorException.class, () -> ours.register(jdk, SelectionKey.OP_READ));
        }
    }

    @Test
    void aTimedSelectReturnsZeroAfterTheTimeout() throws Exception {
        try (Selector selector = provider.openSelector()) {
            long start = System.nanoTime();
            assertEquals(0, selector.select(30));
            assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(30));
            assertThrows(IllegalArgumentException.class, () -> selector.select(-1));
        }
    }

    /** Runs {@code selector.select()} on a new platform thread. */
    static Selecting startSelect(Selector selector) {
        CompletableFuture<Integer> result = new CompletableFuture<>();
        Thread thread = Thread.ofPlatform().name("selecting").start(() -> {
            try {
                result.complete(selector.select());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        return new Selecting(thread, result);
    }

    record Selecting(Thread thread, CompletableFuture<Integer> result) {
        /**
         * Waits (spinning, no sleep) until the thread is parked in select. Were it to park for some
         * other reason first, the test still holds: every event it then causes must end the select.
         */
        Selecting awaitParked() {
            while (thread.getState() != Thread.State.WAITING && !result.isDone()) {
                Thread.onSpinWait();
            }
            return this;
        }
    }
}
