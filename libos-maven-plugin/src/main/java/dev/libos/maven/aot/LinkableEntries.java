package dev.libos.maven.aot;

import java.io.IOException;
import java.lang.classfile.ClassFile;
import java.lang.classfile.constantpool.ClassEntry;
import java.lang.classfile.constantpool.ConstantPool;
import java.lang.classfile.constantpool.InvokeDynamicEntry;
import java.lang.classfile.constantpool.MemberRefEntry;
import java.lang.classfile.constantpool.PoolEntry;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import java.util.zip.ZipFile;

/**
 * The {@code @cp} lines of a class list made from the class files rather than from a training run:
 * for every listed class, every constant pool entry the dump may resolve ahead of time (class,
 * field, method and interface method references, and invokedynamic call sites, which is how
 * lambdas and string concatenations get archived). The dump resolves those it can prove safe and
 * skips the rest. A training run lists only the entries it happened to resolve, which depends on
 * its threads' timing; this list depends only on which classes were loaded.
 *
 * <p>Classes are looked up as the guest's application class loader finds them: in the runtime's
 * modules (the package decides the module), else in the class path's jars in order (multi-release
 * jars at this runtime's version). A class found nowhere gets no line.
 */
final class LinkableEntries implements AutoCloseable {
    private final FileSystem runtime;
    private final List<JarFile> classPath = new ArrayList<>();

    /**
     * @param javaHome  the runtime whose modules hold the JDK's classes
     * @param classPath the class path's jars, in order
     */
    LinkableEntries(Path javaHome, List<Path> classPath) throws IOException {
        this.runtime = FileSystems.newFileSystem(URI.create("jrt:/"), Map.of("java.home", javaHome.toString()));
        try {
            for (Path jar : classPath) {
                if (Files.isRegularFile(jar)) {
                    this.classPath.add(new JarFile(jar.toFile(), false, ZipFile.OPEN_READ, Runtime.version()));
                }
            }
        } catch (IOException e) {
            close();
            throw e;
        }
    }

    /** The {@code @cp} lines for the classes of a canonical class list's {@code name id: N} lines, in their order. */
    List<String> lines(List<String> classList) throws IOException {
        List<String> out = new ArrayList<>();
        for (String line : classList) {
            if (line.startsWith("@") || line.contains(" source:")) {
                continue;
            }
            String name = line.substring(0, line.indexOf(' '));
            byte[] bytes = classBytes(name);
            if (bytes == null) {
                continue;
            }
            List<Integer> indices = indices(bytes);
            if (!indices.isEmpty()) {
                StringBuilder cp = new StringBuilder("@cp ").append(name);
                for (int index : indices) {
                    cp.append(' ').append(index);
                }
                out.add(cp.toString());
            }
        }
        return out;
    }

    /** The pool indices of a class file's class, member reference and invokedynamic entries, ascending. */
    static List<Integer> indices(byte[] classFile) {
        ConstantPool pool = ClassFile.of().parse(classFile).constantPool();
        List<Integer> out = new ArrayList<>();
        for (PoolEntry entry : pool) {
            if (entry instanceof ClassEntry || entry instanceof MemberRefEntry || entry instanceof InvokeDynamicEntry) {
                out.add(entry.index());
            }
        }
        out.sort(null);
        return out;
    }

    private byte[] classBytes(String name) throws IOException {
        int slash = name.lastIndexOf('/');
        if (slash > 0) {
            Path packageDirectory = runtime.getPath("/packages", name.substring(0, slash).replace('/', '.'));
            if (Files.isDirectory(packageDirectory)) {
                try (Stream<Path> modules = Files.list(packageDirectory)) {
                    for (Path module : modules.sorted().toList()) {
                        Path file = runtime.getPath("/modules", module.getFileName().toString(), name + ".class");
                        if (Files.isRegularFile(file)) {
                            return Files.readAllBytes(file);
                        }
                    }
                }
                return null; // a runtime package: the class path does not define it
            }
        }
        for (JarFile jar : classPath) {
            JarEntry entry = jar.getJarEntry(name + ".class");
            if (entry != null) {
                try (var in = jar.getInputStream(entry)) {
                    return in.readAllBytes();
                }
            }
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        IOException failure = null;
        for (JarFile jar : classPath) {
            try {
                jar.close();
            } catch (IOException e) {
                failure = e;
            }
        }
        runtime.close();
        if (failure != null) {
            throw failure;
        }
    }
}
