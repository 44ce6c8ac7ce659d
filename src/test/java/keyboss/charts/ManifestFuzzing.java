package keyboss.charts;

import keyboss.charts.validation.ClusterProfile;
import keyboss.charts.model.CodePointReader;
import keyboss.charts.env.Environment;
import keyboss.charts.model.Excerpt;
import keyboss.charts.shop.KeybossChart;
import keyboss.charts.cli.Main;
import keyboss.charts.model.ManifestReader;
import keyboss.charts.model.Problem;
import keyboss.charts.validation.Validator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;

/**
 * The fuzz target of bin/validate: any bytes, as a YAML or JSON manifest file, go through the
 * reader and every check of a profile. A finding is any exception or error, a message line
 * longer than the parts' limits allow, or {@link CodePointReader} scanning differently from
 * SnakeYAML's own reader.
 *
 * <p>Not a test class by name: {@link ValidationFuzzTest} runs it in a JVM of its own with
 * {@code JAZZER_FUZZ=1} for a bounded time, seeded with dist/. A crashing input is kept under
 * src/test/resources/keyboss/charts/ManifestFuzzingInputs/readerAndValidator/ and becomes a
 * test in {@link ValidationInputTest}.
 */
class ManifestFuzzing {

    /** The longest line {@link Main#line} may print: the parts' limits and the words between them. */
    static final int MAX_LINE = 200 + 120 + Excerpt.VALUE + 40 + 400 + 400 + 40;
    private static final Path FOLDER = Path.of("target", "fuzz-folder").toAbsolutePath();
    private static final List<ClusterProfile> PROFILES = List.of(Environment.builtIn("local").profile(), Environment.builtIn("deti").profile());

    @FuzzTest(maxDuration = "30s")
    void readerAndValidator(byte[] input) {
        check(input);
    }

    /** Everything one input must satisfy; also called by the regression tests. */
    static void check(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        if (input.length <= 4096 && text.codePoints().allMatch(StreamReader::isPrintable)) {
            assertEquals(events(new StreamReader(new StringReader(text))), events(new CodePointReader(text.codePoints().toArray())),
                    "CodePointReader scans as SnakeYAML's reader does");
        }
        // One format and one profile per input keeps each run short; the fuzzer varies both.
        String trimmed = text.stripLeading();
        boolean json = trimmed.startsWith("{") || trimmed.startsWith("[");
        ManifestReader.Result read = ManifestReader.scan(FOLDER, json ? "input.json" : "input.yaml", input);
        for (ManifestReader.Unreadable u : read.unreadable()) {
            assertTrue(Main.line(u).length() <= MAX_LINE, Main.line(u));
        }
        for (Problem p : read.problems()) {
            assertTrue(Main.line(p).length() <= MAX_LINE, Main.line(p));
        }
        ClusterProfile profile = PROFILES.get(input.length % PROFILES.size());
        for (Problem p : Validator.check(profile, read.manifests(), List.of(KeybossChart.SECRETS))) {
            assertTrue(Main.line(p).length() <= MAX_LINE, Main.line(p));
        }
    }

    /** The parser's events over {@code reader}, each with where it starts, then the error if one ends them. */
    static List<String> events(StreamReader reader) {
        List<String> events = new ArrayList<>();
        try {
            ParserImpl parser = new ParserImpl(reader, new LoaderOptions());
            while (true) {
                Event event = parser.getEvent();
                events.add(event + " " + at(event.getStartMark()) + "-" + at(event.getEndMark()));
                if (event.is(Event.ID.StreamEnd)) {
                    return events;
                }
            }
        } catch (MarkedYAMLException e) {
            events.add(e.getClass().getSimpleName() + " " + e.getContext() + " " + at(e.getContextMark()) + " " + e.getProblem()
                    + " " + at(e.getProblemMark()));
        } catch (YAMLException e) {
            events.add(e.getClass().getSimpleName() + " " + e.getMessage());
        }
        return events;
    }

    private static String at(Mark mark) {
        return mark == null ? "-" : mark.getLine() + ":" + mark.getColumn() + "@" + mark.getIndex();
    }
}
