package dev.libos.core.timer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.libos.core.timer.TimerWheel.Timer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Drives a {@link TimerWheel} and a reference model (a sorted map) with the same random
 * operations (one-shot and periodic timers, callbacks that cancel or schedule others) and
 * compares what fires, in which order, and the wheel's size and next deadline.
 * Rerun a failure with {@code -Dlibos.test.seed=<seed printed on stdout>}.
 */
class TimerWheelPropertyTest {
    private static final long TICK = 100;
    private static final int SLOTS = 16;

    /** What a timer's callback does besides recording itself. */
    private record Action(int cancelId, long childDelayNanos) {
        static final Action NONE = new Action(-1, -1);
    }

    /** The reference: pending timers sorted by (deadline, schedule order). */
    private static final class Model {
        record Key(long deadlineNanos, long sequence) implements Comparable<Key> {
            @Override
            public int compareTo(Key o) {
                int byDeadline = Long.compare(deadlineNanos, o.deadlineNanos);
                return byDeadline != 0 ? byDeadline : Long.compare(sequence, o.sequence);
            }
        }

        final TreeMap<Key, Integer> pending = new TreeMap<>();
        final Map<Integer, Key> keyOf = new HashMap<>();
        final Map<Integer, Long> periodOf = new HashMap<>();
        long sequence;

        void schedule(int id, long deadlineNanos) {
            Key key = new Key(deadlineNanos, sequence++);
            pending.put(key, id);
            keyOf.put(id, key);
        }

        boolean cancel(int id) {
            Key key = keyOf.remove(id);
            return key != null && pending.remove(key) != null;
        }

        long next() {
            return pending.isEmpty() ? Long.MAX_VALUE : pending.firstKey().deadlineNanos();
        }
    }

    @Test
    void wheelMatchesSortedListModel() {
        long seed = Long.getLong("libos.test.seed", System.nanoTime());
        System.out.println("TimerWheelPropertyTest seed=" + seed + " (rerun with -Dlibos.test.seed=" + seed + ")");
        for (int run = 0; run < 20; run++) {
            runOnce(seed + run, 3_000);
        }
    }

    private void runOnce(long seed, int operations) {
        SplittableRandom random = new SplittableRandom(seed);
        long start = random.nextLong(-1_000_000, 1_000_000);
        TimerWheel wheel = new TimerWheel(TICK, SLOTS, start);
        Model model = new Model();
        Map<Integer, Timer> timers = new HashMap<>();
        Map<Integer, Action> actions = new HashMap<>();
        List<Integer> wheelFired = new ArrayList<>();
        long[] now = {start};
        int[] nextId = {0};

        for (int op = 0; op < operations; op++) {
            String where = "seed=" + seed + " op=" + op;
            int choice = random.nextInt(10);
            if (choice < 5) {
                int id = nextId[0]++;
                long deadline = now[0] + randomDelay(random);
                Action action = randomAction(random, nextId[0]);
                actions.put(id, action);
                model.schedule(id, deadline);
                Runnable callback = callback(wheel, id, action, timers, wheelFired, now);
                if (random.nextInt(8) == 0) {
                    long period = 1 + random.nextLong(0, TICK * SLOTS * 2);
                    model.periodOf.put(id, period);
                    timers.put(id, wheel.schedulePeriodic(deadline, period, callback));
                } else {
                    timers.put(id, wheel.schedule(deadline, callback));
                }
            } else if (choice < 7 && nextId[0] > 0) {
                int id = random.nextInt(nextId[0]);
                Timer timer = timers.get(id);
                if (timer != null) {
                    assertEquals(model.cancel(id), wheel.cancel(timer), where + " cancel " + id);
                }
            } else {
                now[0] += random.nextInt(4) == 0 ? random.nextLong(0, TICK * SLOTS * 5) : random.nextLong(0, TICK * 3);
                int limit = random.nextInt(3) == 0 ? 1 + random.nextInt(3) : 1_000;
                wheelFired.clear();
                int firedCount = wheel.poll(now[0], limit);
                List<Integer> expected = modelPoll(model, now[0], limit, actions);
                assertEquals(expected, wheelFired, where + " fired order at now=" + now[0]);
                assertEquals(expected.size(), firedCount, where + " poll result");
            }
            assertEquals(model.pending.size(), wheel.size(), where + " size");
            assertEquals(model.next(), wheel.nextDeadlineNanos(), where + " nextDeadline");
        }
    }

    /** Mostly near, sometimes in the past, sometimes many revolutions away. */
    private static long randomDelay(SplittableRandom random) {
        return switch (random.nextInt(6)) {
            case 0 -> -random.nextLong(0, TICK * 20); // already due
            case 1 -> random.nextLong(0, TICK * SLOTS * 40); // far future: many rounds
            default -> random.nextLong(0, TICK * SLOTS * 2);
        };
    }

    private static Action randomAction(SplittableRandom random, int idsSoFar) {
        return switch (random.nextInt(8)) {
            case 0 -> new Action(random.nextInt(idsSoFar), -1); // cancel some timer (maybe itself, maybe gone)
            case 1 -> new Action(-1, 1 + random.nextLong(0, TICK * SLOTS * 3)); // schedule a child strictly later
            default -> Action.NONE;
        };
    }

    private static Runnable callback(TimerWheel wheel, int id, Action action, Map<Integer, Timer> timers,
                                     List<Integer> fired, long[] now) {
        return () -> {
            fired.add(id);
            if (action.cancelId >= 0 && timers.get(action.cancelId) != null) {
                wheel.cancel(timers.get(action.cancelId));
            }
            if (action.childDelayNanos > 0) {
                int childId = childId(id);
                // Children do nothing but record themselves; their id is derived from the parent's.
                timers.put(childId, wheel.schedule(now[0] + action.childDelayNanos, () -> fired.add(childId)));
            }
        };
    }

    private static int childId(int parentId) {
        return -1 - parentId;
    }

    /** The model's poll: repeatedly fire the earliest due timer, applying its action. */
    private static List<Integer> modelPoll(Model model, long now, int limit, Map<Integer, Action> actions) {
        List<Integer> fired = new ArrayList<>();
        while (fired.size() < limit && !model.pending.isEmpty() && model.pending.firstKey().deadlineNanos() <= now) {
            Map.Entry<Model.Key, Integer> first = model.pending.pollFirstEntry();
            int id = first.getValue();
            model.keyOf.remove(id);
            fired.add(id);
            Long period = model.periodOf.get(id);
            if (period != null) {
                // Re-armed before its callback runs, on the grid first + k * period, after now.
                long next = first.getKey().deadlineNanos() + period;
                while (next <= now) {
                    next += period;
                }
                model.schedule(id, next);
            }
            Action action = actions.getOrDefault(id, Action.NONE);
            if (action.cancelId >= 0) {
                model.cancel(action.cancelId);
            }
            if (action.childDelayNanos > 0) {
                model.schedule(childId(id), now + action.childDelayNanos);
            }
        }
        return fired;
    }
}
