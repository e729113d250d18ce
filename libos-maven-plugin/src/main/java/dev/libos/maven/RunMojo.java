package dev.libos.maven;

import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugins.annotations.Mojo;

/** Boots target/libos with QEMU. */
@Mojo(name = "run", threadSafe = true)
public final class RunMojo extends AbstractMojo {
    @Override
    public void execute() {
        getLog().info("run placeholder");
    }
}
