package dev.libos.maven.image;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/** Where {@link ImageBuilder} gets the runtime segment: {@link RuntimeImage}, or a fake in tests. */
public interface RuntimeProvider {
    /** The modules the application's classes and jars need. */
    Set<String> modules(List<Path> jarsAndDirectories) throws IOException;

    /** The compressed runtime segment for {@code modules}. */
    RuntimeImage.Segment segment(Set<String> modules, Consumer<String> progress) throws IOException;
}
