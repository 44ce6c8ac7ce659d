package keyboss.charts;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Reads every object of every YAML file under a folder (multi-document files included), in file order. */
public final class ManifestReader {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private ManifestReader() {
    }

    /** The objects under {@code folder}, each tagged with its file's path relative to the folder. */
    public static List<Manifest> read(Path folder) {
        List<Manifest> result = new ArrayList<>();
        try (Stream<Path> files = Files.walk(folder)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml"))
                    // A kustomization lists manifests; it is not one.
                    .filter(f -> !f.getFileName().toString().equals("kustomization.yaml"))
                    .sorted().toList()) {
                String name = folder.relativize(file).toString().replace('\\', '/');
                try (MappingIterator<Map<String, Object>> docs = YAML.readerForMapOf(Object.class).readValues(file.toFile())) {
                    while (docs.hasNext()) {
                        Map<String, Object> doc = docs.next();
                        if (doc != null && !doc.isEmpty() && doc.containsKey("kind")) {
                            result.add(new Manifest(name, doc));
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read manifests under " + folder + ": " + e.getMessage(), e);
        }
        return result;
    }
}
