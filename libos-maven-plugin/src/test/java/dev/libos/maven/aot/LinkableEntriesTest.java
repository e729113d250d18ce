package dev.libos.maven.aot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.lang.classfile.ClassFile;
import java.lang.classfile.constantpool.ClassEntry;
import java.lang.classfile.constantpool.ConstantPool;
import java.lang.classfile.constantpool.InvokeDynamicEntry;
import java.lang.classfile.constantpool.MemberRefEntry;
import java.lang.classfile.constantpool.PoolEntry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LinkableEntriesTest {
    @TempDir
    Path dir;

    private static byte[] ownBytes() throws Exception {
        try (InputStream in = LinkableEntriesTest.class.getResourceAsStream("LinkableEntriesTest.class")) {
            return in.readAllBytes();
        }
    }

    @Test
    void exactlyTheClassMemberAndInvokedynamicEntriesAreListedInOrder() throws Exception {
        Supplier<String> lambda = () -> "x"; // an invokedynamic entry in this class
        assertEquals("x", lambda.get());
        byte[] bytes = ownBytes();
        List<Integer> indices = LinkableEntries.indices(bytes);
        ConstantPool pool = ClassFile.of().parse(bytes).constantPool();
        int expected = 0;
        boolean indy = false;
        for (PoolEntry entry : pool) {
            boolean linkable = entry instanceof ClassEntry || entry instanceof MemberRefEntry || entry instanceof InvokeDynamicEntry;
            indy |= entry instanceof InvokeDynamicEntry;
            assertEquals(linkable, indices.contains(entry.index()), "entry " + entry.index() + " " + entry);
            expected += linkable ? 1 : 0;
        }
        assertTrue(indy);
        assertEquals(expected, indices.size());
        assertEquals(indices.stream().sorted().toList(), indices);
    }

    @Test
    void classesComeFromTheRuntimeFirstThenTheJarsAndUnknownOnesGetNoLine() throws Exception {
        Path jar = dir.resolve("app.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new JarEntry("dev/libos/maven/aot/LinkableEntriesTest.class"));
            out.write(ownBytes());
            out.putNextEntry(new JarEntry("java/lang/Fake.class")); // a runtime package: never from the class path
            out.write(ownBytes());
        }
        try (LinkableEntries entries = new LinkableEntries(Path.of(System.getProperty("java.home")), List.of(jar))) {
            List<String> lines = entries.lines(List.of("java/lang/Object id: 0", "dev/libos/maven/aot/LinkableEntriesTest id: 1",
                    "java/lang/Fake id: 2", "no/such/Class id: 3", "@lambda-proxy a b"));
            assertEquals(2, lines.size(), lines.toString());
            assertTrue(lines.get(0).startsWith("@cp java/lang/Object "), lines.get(0));
            assertTrue(lines.get(1).startsWith("@cp dev/libos/maven/aot/LinkableEntriesTest "), lines.get(1));
            assertFalse(String.join("\n", lines).contains("Fake"));
        }
    }
}
