package dev.libos.maven.aot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CanonicalClassListTest {
    @Test
    void classesAreSortedAndRenumberedCpLinesDroppedDirectivesSortedAfterThem() throws IOException {
        List<String> list = List.of("# NOTE: Do not modify this file.", "",
                "java/lang/Thread id: 7",
                "@cp java/lang/Thread 1 2 7",
                "a/Main id: 9",
                "@lambda-proxy a/Main run ()Ljava/lang/Runnable; ()V REF_invokeStatic a/Main lambda$main$0 ()V ()V",
                "@lambda-form-invoker [LF_RESOLVE] java.lang.invoke.DirectMethodHandle$Holder invokeStatic L_L",
                "java/lang/Object id: 0");
        assertEquals(List.of("a/Main id: 0", "java/lang/Object id: 1", "java/lang/Thread id: 2",
                "@lambda-form-invoker [LF_RESOLVE] java.lang.invoke.DirectMethodHandle$Holder invokeStatic L_L",
                "@lambda-proxy a/Main run ()Ljava/lang/Runnable; ()V REF_invokeStatic a/Main lambda$main$0 ()V ()V"),
                CanonicalClassList.of(list));
    }

    @Test
    void customLoaderClassesKeepTheirOrderWithTheirSuperAndInterfaceIdsRenumbered() throws IOException {
        List<String> list = List.of("java/lang/Object id: 5", "b/I id: 3", "a/X id: 8 super: 5 interfaces: 3 source: /x.jar",
                "a/Y id: 9 super: 8 source: /x.jar");
        assertEquals(List.of("b/I id: 0", "java/lang/Object id: 1", "a/X id: 2 super: 1 interfaces: 0 source: /x.jar",
                "a/Y id: 3 super: 2 source: /x.jar"), CanonicalClassList.of(list));
    }

    @Test
    void theOrderOfTheTrainingDoesNotMatter() throws IOException {
        long seed = System.nanoTime();
        System.out.println("CanonicalClassListTest seed " + seed);
        Random random = new Random(seed);
        List<String> list = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            list.add("p/C" + random.nextInt(1000) + " id: " + i);
            if (random.nextInt(4) == 0) {
                list.add("@lambda-proxy p/C" + random.nextInt(1000) + " run ()V");
            }
            if (random.nextInt(4) == 0) {
                list.add("@cp p/C" + i + " " + random.nextInt(50));
            }
        }
        List<String> canonical = CanonicalClassList.of(list);
        List<String> shuffled = new ArrayList<>(list);
        Collections.shuffle(shuffled, random);
        assertEquals(canonical, CanonicalClassList.of(shuffled), "seed " + seed);
        assertTrue(canonical.stream().noneMatch(l -> l.startsWith("@cp")));
    }

    @Test
    void badLinesAreErrorsNamingThem() {
        var e = assertThrows(IOException.class, () -> CanonicalClassList.of(List.of("a/B")));
        assertTrue(e.getMessage().contains("a/B"), e.getMessage());
        e = assertThrows(IOException.class, () -> CanonicalClassList.of(List.of("a/B id: 1 super: 7 source: /x.jar")));
        assertTrue(e.getMessage().contains("id 7"), e.getMessage());
        assertThrows(IOException.class, () -> CanonicalClassList.of(List.of("a/B id: 1 super: 0")));
    }
}
