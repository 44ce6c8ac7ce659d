package keyboss.charts;

import keyboss.charts.model.CodePointReader;
import keyboss.charts.model.Excerpt;
import keyboss.charts.cli.Main;
import keyboss.charts.model.Manifest;
import keyboss.charts.model.ManifestParser;
import keyboss.charts.model.ManifestReader;
import keyboss.charts.validation.SchemaValidator;

import static keyboss.charts.Fixtures.assertContainsAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.reader.StreamReader;

/**
 * bin/validate on input it did not write: every file read or named, every unreadable one one
 * line and exit 2, problems exit 1, nothing but a cut excerpt of a value in a message, no stack
 * trace, and bounded work on large or hostile files.
 */
class ValidationInputTest {

    private static final String CONFIG_MAP = """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: %s, namespace: tenant-keyboss}
            data: {a: b}
            """;

    /** What {@code validate --profile deti DIR} printed and returned. */
    private record Run(int code, String out, String err) {
        String all() {
            return out + err;
        }

        /** The printed lines that mention {@code text}. */
        List<String> linesWith(String text) {
            return all().lines().filter(l -> l.contains(text)).toList();
        }
    }

    private static Run validate(Path dir, String... options) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            List<String> args = new ArrayList<>(List.of("validate", "--profile", "deti"));
            args.addAll(List.of(options));
            args.add(dir.toString());
            int code = Main.run(args.toArray(String[]::new));
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    private static void assertNoStackTrace(Run run) {
        assertFalse(run.all().contains("Exception") || run.all().contains("\tat ") || run.all().contains("Error:"), run.all());
    }

    private static Path write(Path dir, String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, text);
    }

    @Test
    void secretDataAndConfigMapBinaryDataAreSchemaChecked(@TempDir Path dir) throws IOException {
        Map<String, Object> secret = Map.of("apiVersion", "v1", "kind", "Secret", "metadata", Map.of("name", "s"),
                "data", Map.of("password", "c2VjcmV0"));
        Map<String, Object> binary = Map.of("apiVersion", "v1", "kind", "ConfigMap", "metadata", Map.of("name", "c"),
                "binaryData", Map.of("blob", "AAEC/w=="));
        assertEquals(List.of(), SchemaValidator.errors(new Manifest("s.yaml", secret)));
        assertEquals(List.of(), SchemaValidator.errors(new Manifest("c.yaml", binary)));
        for (String bad : List.of("not base64!", "c2VjcmV")) {
            Map<String, Object> broken = Map.of("apiVersion", "v1", "kind", "Secret", "metadata", Map.of("name", "s"),
                    "data", Map.of("password", bad));
            assertContainsAll(SchemaValidator.errors(new Manifest("s.yaml", broken)).toString(), "`data` holds a value that is not base64");
        }
        write(dir, "secret.yaml", """
                apiVersion: v1
                kind: Secret
                metadata: {name: s, namespace: tenant-keyboss}
                data: {password: c2VjcmV0}
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: c, namespace: tenant-keyboss}
                binaryData: {blob: "AAEC/w=="}
                """);
        Run run = validate(dir);
        assertNoStackTrace(run);
        assertContainsAll(run.out(), "2 objects checked against profile deti");
        assertEquals(List.of(), run.linesWith("schema"), "both conform to the schema");
    }

    @Test
    void unreadableFilesAreNamedOneLineEachAndExitTwo(@TempDir Path dir) throws IOException {
        write(dir, "good.yaml", CONFIG_MAP.formatted("good"));
        write(dir, "broken.yaml", "a: [\n");
        write(dir, "tabs.yaml", "a:\n\t- b\n");
        Files.write(dir.resolve("binary.yaml"), new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0, 0, 0});
        Files.write(dir.resolve("latin1.yaml"), "name: caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
        write(dir, "deep.yaml", "a: " + "[".repeat(10_000) + "]".repeat(10_000) + "\n");
        write(dir, "deep.json", "{\"a\": " + "[".repeat(10_000) + "]".repeat(10_000) + "}");
        write(dir, "unclosed.json", "{\"apiVersion\": \"v1\",");
        Run run = validate(dir);
        assertEquals(2, run.code(), run.all());
        assertNoStackTrace(run);
        for (String file : List.of("broken.yaml", "tabs.yaml", "binary.yaml", "latin1.yaml", "deep.yaml", "deep.json", "unclosed.json")) {
            assertEquals(1, run.linesWith("[" + file + "] not read: ").size(), file + " is named once:\n" + run.all());
        }
        assertContainsAll(run.all(), "[broken.yaml] not read: line 2, column 1: YAML syntax:", "control character U+007F",
                "byte 10 is not UTF-8", "nested deeper than 100 levels", "1 objects checked against profile deti",
                "7 not read, so not every object was checked");
    }

    @Test
    void documentsThatAreNoKubernetesObjectAreProblems(@TempDir Path dir) throws IOException {
        write(dir, "odd.yaml", """
                just a sentence
                ---
                - a
                - list
                ---
                apiVersion: v1
                kind:
                metadata: {name: a}
                ---
                apiVersion: v1
                kind: 42
                metadata: {name: b}
                ---
                kind: ConfigMap
                metadata: {name: c}
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata: {namespace: tenant-keyboss}
                ---
                # only a comment: an empty document
                """);
        Run run = validate(dir);
        assertEquals(1, run.code(), run.all());
        assertNoStackTrace(run);
        assertContainsAll(run.out(), "[odd.yaml document 1] document = just a sentence: a Kubernetes object",
                "[odd.yaml document 2] document = [a, list]", "[odd.yaml document 3] kind = null: required",
                "[odd.yaml document 4] kind = 42: a name of letters and digits", "[odd.yaml document 5] apiVersion = null: required",
                "[odd.yaml document 6 ConfigMap] metadata.name = null", "0 objects checked against profile deti: 6 problems");
    }

    @Test
    void aFolderNamedLikeAManifestIsReadAsAFolder(@TempDir Path dir) throws IOException {
        write(dir, "x.yaml/inner.yaml", CONFIG_MAP.formatted("inner"));
        Run run = validate(dir);
        assertNoStackTrace(run);
        assertContainsAll(run.out(), "1 objects checked against profile deti");
    }

    @Test
    void aFolderWithoutManifestsIsAnErrorNotAPass(@TempDir Path dir) throws IOException {
        Run empty = validate(dir);
        assertEquals(2, empty.code(), empty.all());
        assertContainsAll(empty.out(), "nothing checked", "0 files read");
        write(dir, "README.md", "# not a manifest\n");
        write(dir, "only-comments.yaml", "# nothing here\n---\n");
        Run readme = validate(dir);
        assertEquals(2, readme.code(), readme.all());
        assertContainsAll(readme.out(), "nothing checked", "1 file read", "ignored, not .yaml, .yml or .json: README.md");
    }

    @Test
    void jsonYmlAndUpperCaseYamlAreReadOtherFilesListed(@TempDir Path dir) throws IOException, InterruptedException {
        write(dir, "a.json", """
                {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a", "namespace": "tenant-keyboss"}, "data": {"a": "b"}}
                """);
        write(dir, "b.yml", CONFIG_MAP.formatted("b"));
        write(dir, "c.YAML", CONFIG_MAP.formatted("c"));
        write(dir, "d.Json", "{\"apiVersion\": \"v1\", \"kind\": \"List\", \"items\": [" + """
                {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "d1", "namespace": "tenant-keyboss"}},
                {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "d2", "namespace": "tenant-keyboss"}}]}
                """);
        write(dir, "notes.txt", "apiVersion: v1\n");
        write(dir, "sub/script.sh", "#!/bin/sh\n");
        Run run = validate(dir);
        assertNoStackTrace(run);
        assertContainsAll(run.out(), "5 objects checked against profile deti", "4 files read",
                "ignored, not .yaml, .yml or .json: notes.txt, sub/script.sh");
        Run json = validate(dir, "--json");
        Map<?, ?> report = new ObjectMapper().readValue(json.out(), Map.class);
        assertEquals(List.of("notes.txt", "sub/script.sh"), report.get("ignored"));
        assertEquals(4, report.get("files"));
    }

    @Test
    void aKustomizationIsKnownByItsKindAndItsResourcesMustExistInsideTheFolder(@TempDir Path dir) throws IOException {
        write(dir, "base/present.yaml", CONFIG_MAP.formatted("present"));
        Files.createDirectories(dir.resolve("base/plain-folder"));
        write(dir, "base/component/kustomization.yaml", "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\n");
        write(dir, "base/list.yaml", """
                apiVersion: kustomize.config.k8s.io/v1beta1
                kind: Kustomization
                resources:
                  - present.yaml
                  - missing.yaml
                  - ../../outside.yaml
                  - https://example.com/deploy.yaml
                  - plain-folder
                  - 42
                components:
                  - component
                """);
        write(dir, "kustomization.yaml", "resources: [base/present.yaml]\n");
        Run run = validate(dir);
        assertEquals(1, run.code(), run.all());
        assertNoStackTrace(run);
        String k = "[base/list.yaml document 1 Kustomization] ";
        assertContainsAll(run.out(), k + "resources[1] = missing.yaml: no such file or folder",
                k + "resources[2] = ../../outside.yaml: a path outside the folder being validated",
                k + "resources[3] = https://example.com/deploy.yaml: a remote resource",
                k + "resources[4] = plain-folder: a folder without a kustomization.yaml",
                k + "resources[5] = 42: a path", "[kustomization.yaml document 1] apiVersion = null: required",
                "[kustomization.yaml document 1] kind = null", "1 objects checked against profile deti", "2 kustomizations");
        assertTrue(run.linesWith("resources[0]").isEmpty() && run.linesWith("components[0]").isEmpty(), run.all());
    }

    @Test
    void duplicateKeysAreProblemsNamingFileDocumentAndKey(@TempDir Path dir) throws IOException {
        write(dir, "dup.yaml", CONFIG_MAP.formatted("first") + """
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: second, namespace: tenant-keyboss}
                data:
                  a: one
                  b: two
                  a: three
                """);
        write(dir, "dup.json", """
                {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "j", "namespace": "tenant-keyboss",
                 "labels": {"x": "1", "x": "2"}}}
                """);
        Run run = validate(dir);
        assertEquals(1, run.code(), run.all());
        assertContainsAll(run.out(), "[dup.yaml document 2] data.a = repeated at line 12", "[dup.json document 1] metadata.labels.x");
        ManifestReader.Result read = ManifestReader.scan(dir, "seq.yaml", "a:\n  - b: 1\n    b: 2\n".getBytes(StandardCharsets.UTF_8));
        assertEquals("a[0].b", read.problems().get(0).property());
    }

    @Test
    void symlinksLeavingTheFolderAreRefusedAndNeverOpened(@TempDir Path dir, @TempDir Path outside) throws Exception {
        Path folder = Files.createDirectories(dir.resolve("manifests"));
        write(folder, "good.yaml", CONFIG_MAP.formatted("good"));
        Files.writeString(outside.resolve("secret.yaml"), "apiVersion: v1\nkind: TOPSECRET-CONTENT\n");
        // A reader that opened a pipe would wait for a writer for ever: the timeout proves it never did.
        Path pipe = outside.resolve("pipe.yaml");
        assertEquals(0, new ProcessBuilder("mkfifo", pipe.toString(), folder.resolve("fifo.yaml").toString()).start().waitFor());
        Files.createSymbolicLink(folder.resolve("secret.yaml"), outside.resolve("secret.yaml"));
        Files.createSymbolicLink(folder.resolve("pipe.yaml"), pipe);
        Files.createSymbolicLink(folder.resolve("elsewhere"), outside);
        Files.createSymbolicLink(folder.resolve("up.yaml"), Path.of("../../" + outside.getFileName() + "/secret.yaml"));
        Files.createSymbolicLink(folder.resolve("alias.yaml"), folder.resolve("good.yaml"));
        Files.createSymbolicLink(folder.resolve("nowhere.yaml"), folder.resolve("missing.yaml"));
        Run run = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> validate(folder));
        assertEquals(2, run.code(), run.all());
        assertNoStackTrace(run);
        assertFalse(run.all().contains("TOPSECRET"), run.all());
        for (String link : List.of("secret.yaml", "pipe.yaml", "elsewhere", "up.yaml")) {
            assertEquals(List.of("- [" + link + "] not read: a symbolic link to a path outside the folder; links are followed"
                    + " only inside it. Fix: copy what it points to into the folder, or validate that folder"), run.linesWith("[" + link + "]"));
        }
        assertContainsAll(run.all(), "[fifo.yaml] not read: not a regular file", "[nowhere.yaml] not read: a symbolic link to nothing",
                "2 objects checked against profile deti");
    }

    @Test
    void messagesQuoteAtMostAShortEscapedExcerptOfAValue(@TempDir Path dir) throws IOException {
        String longValue = "V".repeat(10_000);
        write(dir, "long.yaml", """
                apiVersion: v1
                kind: "%s"
                metadata: {name: a}
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: "%s", namespace: tenant-keyboss}
                data: {a: b}
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: c, namespace: tenant-keyboss}
                data: {a: [%s]}
                ---
                apiVersion: v1
                kind: "\\e[31mred\\nforged line"
                """.formatted(longValue, "n".repeat(5000), ("\"" + "w".repeat(100) + "\",").repeat(50) + "x"));
        Run run = validate(dir);
        assertNoStackTrace(run);
        assertFalse(run.all().contains("V".repeat(Excerpt.VALUE + 1)) || run.all().contains("n".repeat(Excerpt.VALUE + 1))
                || run.all().contains("w".repeat(Excerpt.VALUE + 1)), run.all());
        assertTrue(run.all().lines().allMatch(l -> l.length() <= ManifestFuzzing.MAX_LINE), run.all());
        assertContainsAll(run.all(), "V… (10000 characters)", "\\u001b[31mred\\nforged line");
        assertFalse(run.all().contains("\u001b"), "no terminal escape reaches the output");
    }

    @Test
    void largeFilesAreRefusedBySizeAndLongValuesAreRead(@TempDir Path dir) throws IOException {
        try (RandomAccessFile big = new RandomAccessFile(dir.resolve("big.yaml").toFile(), "rw")) {
            big.setLength(50L * 1024 * 1024);
        }
        write(dir, "long.yaml", CONFIG_MAP.formatted("long").replace("{a: b}", "{a: " + "x".repeat(4 * 1024 * 1024) + "}"));
        Run run = validate(dir);
        assertEquals(2, run.code(), run.all());
        assertContainsAll(run.out(), "[big.yaml] not read: 50.0 MiB; files over 16 MiB are not read",
                "1 objects checked against profile deti");
    }

    @Test
    void anchorsAliasesAndMergeKeysAreResolvedAndAliasBombsRefused(@TempDir Path dir) {
        String merged = """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: m, namespace: tenant-keyboss, labels: &labels {app: web, tier: front}}
                data:
                  <<: *labels
                  tier: back
                  copy: &c text
                  again: *c
                """;
        ManifestReader.Result read = ManifestReader.scan(dir, "m.yaml", merged.getBytes(StandardCharsets.UTF_8));
        assertEquals(List.of(), read.problems());
        assertEquals(Map.of("app", "web", "tier", "back", "copy", "text", "again", "text"), read.manifests().get(0).at("data"));
        StringBuilder bomb = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for (char level = 'b'; level <= 'j'; level++) {
            bomb.append(level).append(": &").append(level).append(" [").append(("*" + (char) (level - 1) + ", ").repeat(9))
                    .append('*').append((char) (level - 1)).append("]\n");
        }
        ManifestReader.Result bombed = ManifestReader.scan(dir, "bomb.yaml", bomb.toString().getBytes(StandardCharsets.UTF_8));
        assertContainsAll(bombed.unreadable().toString(), "more than " + ManifestParser.MAX_VALUES + " values");
        ManifestReader.Result unknown = ManifestReader.scan(dir, "alias.yaml", "a: *nothing\n".getBytes(StandardCharsets.UTF_8));
        assertContainsAll(unknown.unreadable().toString(), "the alias *nothing names no anchor");
    }

    @Test
    void theLinearReaderScansExactlyAsSnakeYamlDoes() throws IOException {
        List<String> texts = new ArrayList<>(List.of("a: b\r\nc: \"d\\\n  e\"\r\n", "\uFEFFkey: value\n", "k: |\n  x\n\n  y\n",
                "k: >-\n  folded\n  text\n", "emoji: \"\uD83D\uDE00 \u00e9\"\n", "- [a, {b: c}]\n- ? x\n  : y\n", "a: 'it''s'\n",
                "%YAML 1.1\n---\n!!str 1\n...\n", "bad: [\n", "x: \"\\q\"\n", "k: v\rnext: w\n", "\u2028k: v\u2029\n"));
        try (Stream<Path> dist = Files.walk(Path.of("dist"))) {
            for (Path file : dist.filter(Files::isRegularFile).toList()) {
                texts.add(Files.readString(file));
            }
        }
        for (String text : texts) {
            assertTrue(text.codePoints().allMatch(StreamReader::isPrintable), text);
            assertEquals(ManifestFuzzing.events(new StreamReader(new StringReader(text))),
                    ManifestFuzzing.events(new CodePointReader(text.codePoints().toArray())), text);
        }
    }

    /** Inputs the fuzzer found failing are kept and must pass every check from then on. */
    @Test
    void everyKeptFuzzerInputPasses() throws IOException {
        Path kept = Path.of("src/test/resources/keyboss/charts/ManifestFuzzingInputs/readerAndValidator");
        List<Path> inputs;
        try (Stream<Path> files = Files.list(kept)) {
            inputs = files.sorted().toList();
        }
        assertFalse(inputs.isEmpty());
        for (Path input : inputs) {
            ManifestFuzzing.check(Files.readAllBytes(input));
        }
    }

    @Test
    void aCleanFolderExitsZero(@TempDir Path dir) throws IOException {
        write(dir, "cm.yaml", CONFIG_MAP.formatted("clean"));
        Run run = validate(dir);
        assertEquals(0, run.code(), run.all());
        assertNull(run.linesWith("- [").stream().findFirst().orElse(null));
    }
}
