package keyboss.charts.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Creates {@code java.io.tmpdir} before any test runs. The pom points it (and {@code TMPDIR} for
 * the tools the tests start) into {@code target/}, so the suite writes nothing outside the checkout.
 */
public final class TestTempDir implements LauncherSessionListener {

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        try {
            Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir")));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the tests' temporary folder", e);
        }
    }
}
