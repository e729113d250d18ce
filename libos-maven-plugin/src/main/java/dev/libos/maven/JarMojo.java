package dev.libos.maven;

import dev.libos.maven.image.ImageBuilder;
import dev.libos.maven.image.MainClassCheck;
import dev.libos.maven.image.Steps;
import dev.libos.maven.jar.HostedManifest;
import dev.libos.maven.jar.RunnableJar;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;
import org.apache.maven.project.MavenProject;

/**
 * Makes the project's jar runnable hosted ({@code java -jar target/NAME.jar}): the application's
 * classes and its whole runtime class path in one jar ({@link RunnableJar}), with libos's
 * {@code Boot} as main class and the application's main class, default forwards and JVM options
 * in the manifest ({@link HostedManifest}). It replaces the jar the maven-jar-plugin wrote
 * earlier in {@code package}.
 */
@Mojo(name = "jar", defaultPhase = LifecyclePhase.PACKAGE, threadSafe = true,
        requiresDependencyResolution = ResolutionScope.RUNTIME)
public final class JarMojo extends AbstractMojo {
    /** Entry time when the project sets no {@code project.build.outputTimestamp}. */
    static final LocalDateTime DEFAULT_ENTRY_TIME = LocalDateTime.of(2026, 1, 1, 0, 0);

    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    private MavenProject project;

    /** The application's main class, run on a libos thread by dev.libos.core.Boot (the image's too). */
    @Parameter(property = "libos.mainClass", required = true)
    private String mainClass;

    /** The jar's main class when it differs from the image's {@code mainClass}. */
    @Parameter(property = "libos.hostedMainClass")
    private String hostedMainClass;

    /**
     * Default forwards of a hosted run, {@code HOSTPORT:GUESTPORT,...} (the manifest's
     * {@code Libos-Forwards}; {@code -Dlibos.forwards} overrides it at run time).
     */
    @Parameter(property = "libos.hostedForwards")
    private String hostedForwards;

    /** Further manifest attributes. */
    @Parameter
    private Map<String, String> manifestEntries;

    /** The jar written (by default the project's own, which it replaces). */
    @Parameter(property = "libos.jar", defaultValue = "${project.build.directory}/${project.build.finalName}.jar")
    private File jarFile;

    /** Entry times, for reproducible jars. */
    @Parameter(defaultValue = "${project.build.outputTimestamp}")
    private String outputTimestamp;

    /** Skips the goal. */
    @Parameter(property = "libos.jar.skip", defaultValue = "false")
    private boolean skip;

    @Override
    public void execute() throws MojoExecutionException {
        if (skip) {
            getLog().info("libos jar: skipped");
            return;
        }
        String main = hostedMainClass == null || hostedMainClass.isBlank() ? mainClass : hostedMainClass;
        String setting = main.equals(mainClass) ? "libos.mainClass" : "libos.hostedMainClass";
        Path classes = Path.of(project.getBuild().getOutputDirectory());
        List<Path> jars = new ArrayList<>();
        for (ImageBuilder.Dependency dependency : ApplicationClassPath.dependencies(project)) {
            jars.add(dependency.file());
        }
        List<Path> classPath = new ArrayList<>();
        classPath.add(classes);
        classPath.addAll(jars);
        try {
            MainClassCheck.require(setting, main, classPath);
            try {
                MainClassCheck.require("the runtime class path", HostedManifest.BOOT_CLASS, jars);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("libos's " + HostedManifest.BOOT_CLASS + " is not among the runtime dependencies: "
                        + "depend on dev.libos:libos-runtime (or libos-core)", e);
            }
            Map<String, String> attributes = HostedManifest.attributes(main, hostedForwards, manifestEntries);
            Steps steps = new Steps(getLog()::info, System::nanoTime);
            RunnableJar.Result result = steps.time("writing the runnable jar " + jarFile.getName(),
                    () -> RunnableJar.write(classes, jars, attributes, entryTime(outputTimestamp), jarFile.toPath()));
            if (!result.duplicateClasses().isEmpty()) {
                getLog().warn("libos jar: " + result.duplicateClasses().size() + " classes are in more than one input, the first kept, e.g. "
                        + result.duplicateClasses().getFirst());
            }
            project.getArtifact().setFile(jarFile);
            getLog().info("libos jar: " + jarFile + " (" + (jars.size()) + " dependencies, " + result.entries()
                    + " files): java -jar runs " + main + " on libos");
        } catch (IOException | IllegalArgumentException e) {
            throw new MojoExecutionException("libos jar: " + e.getMessage(), e);
        }
    }

    /** The time of every entry: {@code project.build.outputTimestamp} (ISO-8601 or epoch seconds) when set. */
    static LocalDateTime entryTime(String outputTimestamp) {
        if (outputTimestamp == null || outputTimestamp.isBlank() || outputTimestamp.length() < 2) {
            return DEFAULT_ENTRY_TIME;
        }
        try {
            if (outputTimestamp.chars().allMatch(Character::isDigit)) {
                return LocalDateTime.ofEpochSecond(Long.parseLong(outputTimestamp), 0, ZoneOffset.UTC);
            }
            return OffsetDateTime.parse(outputTimestamp).withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime();
        } catch (DateTimeParseException | NumberFormatException e) {
            throw new IllegalArgumentException("project.build.outputTimestamp: not an ISO-8601 time or epoch seconds: '" + outputTimestamp + "'");
        }
    }
}
