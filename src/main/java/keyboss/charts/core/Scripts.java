package keyboss.charts.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The shell scripts that run inside pods. They live as files under
 * {@code src/main/resources/keyboss/charts/scripts/} so that tests run the very same files,
 * and reach pods through ConfigMaps.
 */
public final class Scripts {

    /** Where the scripts are on the class path. */
    public static final String ROOT = "/keyboss/charts/scripts/";

    private Scripts() {
    }

    /** The text of {@code path} (relative to {@link #ROOT}), e.g. {@code postgres/bootstrap.sh}. */
    public static String read(String path) {
        try (InputStream in = Scripts.class.getResourceAsStream(ROOT + path)) {
            if (in == null) {
                throw new IllegalStateException("script " + ROOT + path + " is not on the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The helpers every script sources from its own folder. */
    public static final String COMMON = "common.sh";

    /**
     * ConfigMap data holding the named scripts of {@code folder} and {@link #COMMON}, keyed by
     * file name.
     */
    public static Map<String, String> configMapData(String folder, String... fileNames) {
        Map<String, String> data = new LinkedHashMap<>();
        data.put(COMMON, read(COMMON));
        for (String file : fileNames) {
            data.put(file, read(folder + "/" + file));
        }
        return Map.copyOf(data);
    }
}
