package dev.libos.maven;

import dev.libos.maven.image.ImageBuilder;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.project.MavenProject;

/** The application's runtime dependencies (compile and runtime scope, class path order), shared by the image and jar goals. */
final class ApplicationClassPath {
    private ApplicationClassPath() {
    }

    /** The resolved compile- and runtime-scope jars of {@code project}. */
    static List<ImageBuilder.Dependency> dependencies(MavenProject project) {
        List<ImageBuilder.Dependency> dependencies = new ArrayList<>();
        for (Artifact artifact : project.getArtifacts()) {
            if (artifact.getArtifactHandler().isAddedToClasspath() && artifact.getFile() != null
                    && (Artifact.SCOPE_COMPILE.equals(artifact.getScope()) || Artifact.SCOPE_RUNTIME.equals(artifact.getScope()))) {
                dependencies.add(new ImageBuilder.Dependency(artifact.getGroupId(), artifact.getArtifactId(), artifact.getFile().toPath()));
            }
        }
        return dependencies;
    }
}
