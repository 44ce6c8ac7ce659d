package keyboss.charts.model;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.ContentReference;
import com.fasterxml.jackson.core.io.IOContext;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.events.NodeEvent;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;

/**
 * The documents of one manifest file (a YAML stream, or JSON) as plain maps, lists and scalars,
 * in time and memory linear in the file's size.
 *
 * <p>Built from the parser's events rather than with a data binder, so that it can name a
 * duplicate key with its path, resolve YAML anchors, aliases and {@code <<} merge keys as
 * {@code kubectl} does, and refuse input nested deeper than {@value #MAX_DEPTH} levels or
 * expanding (aliases included) to more than {@value #MAX_VALUES} values, without recursion.
 */
public final class ManifestParser {

    /** Deeper nesting is refused: Kubernetes objects nest about 20 levels; later checks recurse. */
    static final int MAX_DEPTH = 100;
    /**
     * More values in one scan (maps, lists and scalars; an alias counts as what it repeats) are
     * refused: they bound the memory of what is read and the work of every later check.
     */
    public static final int MAX_VALUES = 500_000;

    /** One non-empty document: its 1-based index in the file, the line it starts on, and its value. */
    record Document(int index, int line, Object value) {
    }

    /**
     * Something a readable document holds that the API server would refuse (a duplicate key, a
     * number JSON cannot hold): the document, the path in it, the value and the rule.
     */
    record Finding(int document, String path, String value, String rule, String fix) {
    }

    /**
     * What was read: the documents before any error, the duplicate keys, and why the rest of the
     * file could not be read ({@code null} when all of it was).
     */
    record Parsed(List<Document> documents, List<Finding> findings, String error, long values) {
    }

    private static final JsonFactory JSON = new JsonFactory();
    private static final Events YAML = new Events();

    private ManifestParser() {
    }

    /**
     * The documents of {@code bytes}: JSON when {@code json}, else a YAML stream; UTF-8, with or
     * without a byte order mark. Refused past {@code maxValues} values.
     */
    static Parsed parse(byte[] bytes, boolean json, long maxValues) {
        List<Document> documents = new ArrayList<>();
        List<Finding> findings = new ArrayList<>();
        String text;
        try {
            text = utf8(bytes);
        } catch (Unreadable e) {
            return new Parsed(documents, findings, e.getMessage(), 0);
        }
        int[] codePoints = new int[text.codePointCount(0, text.length())];
        for (int i = 0, at = 0; i < codePoints.length; i++) {
            codePoints[i] = text.codePointAt(at);
            at += Character.charCount(codePoints[i]);
        }
        String unprintable = firstUnprintable(codePoints);
        if (unprintable != null) {
            return new Parsed(documents, findings, unprintable, 0);
        }
        Builder builder = null;
        try (JsonParser parser = json ? JSON.createParser(text) : YAML.parser(codePoints)) {
            builder = new Builder(parser, !json, findings, maxValues);
            JsonToken first;
            while ((first = parser.nextToken()) != null) {
                builder.document++;
                int line = parser.currentTokenLocation().getLineNr();
                Object value = builder.value(first);
                if (value != null) {
                    documents.add(new Document(builder.document, line, value));
                }
            }
            return new Parsed(documents, findings, null, builder.values);
        } catch (Unreadable e) {
            return new Parsed(documents, findings, e.getMessage(), builder == null ? 0 : builder.values);
        } catch (JsonProcessingException | YAMLException e) {
            return new Parsed(documents, findings, describe(e), builder == null ? 0 : builder.values);
        } catch (IOException e) {
            return new Parsed(documents, findings, Excerpt.cut(String.valueOf(e.getMessage()), 200),
                    builder == null ? 0 : builder.values);
        }
    }

    private static String utf8(byte[] bytes) throws Unreadable {
        int start = bytes.length >= 3 && (bytes[0] & 0xff) == 0xef && (bytes[1] & 0xff) == 0xbb && (bytes[2] & 0xff) == 0xbf ? 3 : 0;
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes, start, bytes.length - start);
        CharBuffer out = CharBuffer.allocate(bytes.length - start);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            throw new Unreadable("byte " + (in.position() + 1) + " is not UTF-8 text (a binary file, or another encoding?);"
                    + " manifests are UTF-8");
        }
        return out.flip().toString();
    }

    /** YAML allows only printable characters (and tab, line breaks); a control character marks a binary file. */
    private static String firstUnprintable(int[] codePoints) {
        int line = 1;
        int column = 1;
        for (int cp : codePoints) {
            if (!StreamReader.isPrintable(cp)) {
                return String.format("line %d, column %d: control character U+%04X (a binary file?); manifests"
                        + " hold printable text only", line, column, cp);
            }
            if (cp == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
        }
        return null;
    }

    /** Where and why, without the parser's excerpt of the input. */
    private static String describe(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof MarkedYAMLException marked) {
                String problem = marked.getProblem() == null ? "invalid YAML" : marked.getProblem();
                String context = marked.getContext() == null ? "" : " (" + marked.getContext() + ")";
                String where = marked.getProblemMark() == null ? ""
                        : "line " + (marked.getProblemMark().getLine() + 1) + ", column " + (marked.getProblemMark().getColumn() + 1) + ": ";
                return Excerpt.cut(where + "YAML syntax: " + problem + context, 200);
            }
        }
        if (e instanceof JsonProcessingException j) {
            JsonLocation at = j.getLocation();
            String where = at == null || at.getLineNr() < 1 ? "" : "line " + at.getLineNr() + ", column " + at.getColumnNr() + ": ";
            return Excerpt.cut(where + j.getOriginalMessage(), 200);
        }
        return Excerpt.cut(String.valueOf(e.getMessage()), 200);
    }

    /** Input the reader refuses: the message says where and why. */
    private static final class Unreadable extends IOException {
        private static final long serialVersionUID = 1L;

        Unreadable(String message) {
            super(message);
        }
    }

    /** A YAML parser reading a document held in memory through {@link CodePointReader}. */
    private static final class Events extends YAMLFactory {
        private static final long serialVersionUID = 1L;

        JsonParser parser(int[] codePoints) {
            LoaderOptions options = new LoaderOptions();
            // The file's size was checked before it was read.
            options.setCodePointLimit(Integer.MAX_VALUE);
            ParserImpl events = new ParserImpl(new CodePointReader(codePoints), options);
            return new AnchoredYamlParser(_createContext(ContentReference.unknown(), false), _parserFeatures, _yamlParserFeatures,
                    events);
        }
    }

    /** Jackson's YAML parser, telling the anchor of a scalar too (Jackson tells only those of maps and lists). */
    private static final class AnchoredYamlParser extends YAMLParser {
        AnchoredYamlParser(IOContext context, int features, int yamlFeatures, ParserImpl events) {
            super(context, features, yamlFeatures, null, Reader.nullReader(), events);
        }

        /** The anchor ({@code &name}) of the map, list or scalar the current token starts, or null. */
        String anchor() {
            return _lastEvent instanceof NodeEvent node ? node.getAnchor() : null;
        }
    }

    /** A map or list being built, and how it sits in its parent (for the path of a duplicate key). */
    private static final class Frame {
        final Object container;
        final Frame parent;
        final Object keyInParent;
        final String anchor;
        final long valuesBefore;
        String key;
        List<Object> merges;

        Frame(Object container, Frame parent, Object keyInParent, String anchor, long valuesBefore) {
            this.container = container;
            this.parent = parent;
            this.keyInParent = keyInParent;
            this.anchor = anchor;
            this.valuesBefore = valuesBefore;
        }

        String path(Object last) {
            List<Object> keys = new ArrayList<>();
            keys.add(last);
            for (Frame f = this; f.parent != null; f = f.parent) {
                keys.add(0, f.keyInParent);
            }
            StringBuilder path = new StringBuilder();
            for (Object key : keys) {
                if (key instanceof Integer i) {
                    path.append('[').append(i).append(']');
                } else {
                    path.append(path.length() == 0 ? "" : ".").append(key);
                }
            }
            return path.toString();
        }
    }

    /** Builds one document at a time from the parser's tokens, with an explicit stack. */
    private static final class Builder {
        private final JsonParser parser;
        private final boolean yaml;
        private final List<Finding> findings;
        private final Map<String, Object> anchors = new HashMap<>();
        private final Map<String, Long> anchorSizes = new HashMap<>();
        private final long maxValues;
        long values;
        int document;

        Builder(JsonParser parser, boolean yaml, List<Finding> findings, long maxValues) {
            this.parser = parser;
            this.yaml = yaml;
            this.findings = findings;
            this.maxValues = maxValues;
        }

        Object value(JsonToken first) throws IOException {
            Deque<Frame> stack = new ArrayDeque<>();
            JsonToken token = first;
            while (true) {
                Object value;
                switch (token) {
                    case START_OBJECT, START_ARRAY -> {
                        if (stack.size() >= MAX_DEPTH) {
                            throw refused("nested deeper than " + MAX_DEPTH + " levels; Kubernetes objects need far fewer");
                        }
                        Frame parent = stack.peek();
                        Object container = token == JsonToken.START_OBJECT ? new LinkedHashMap<String, Object>() : new ArrayList<>();
                        stack.push(new Frame(container, parent, keyFor(parent), anchor(), values));
                        count(1);
                        token = next();
                        continue;
                    }
                    case FIELD_NAME -> {
                        stack.element().key = parser.currentName();
                        token = next();
                        continue;
                    }
                    case END_OBJECT, END_ARRAY -> {
                        Frame done = stack.pop();
                        merge(done);
                        value = done.container;
                        remember(done.anchor, value, values - done.valuesBefore);
                    }
                    default -> value = scalar(token, stack.peek());
                }
                if (stack.isEmpty()) {
                    return value;
                }
                add(stack.element(), value);
                token = next();
            }
        }

        private JsonToken next() throws IOException {
            JsonToken token = parser.nextToken();
            if (token == null) {
                throw refused("the document ends inside a map or list");
            }
            return token;
        }

        private Object keyFor(Frame parent) {
            if (parent == null) {
                return null;
            }
            return parent.container instanceof List<?> list ? (Object) list.size() : parent.key;
        }

        private String anchor() {
            return yaml ? ((AnchoredYamlParser) parser).anchor() : null;
        }

        private Object scalar(JsonToken token, Frame frame) throws IOException {
            if (yaml && token == JsonToken.VALUE_STRING && ((YAMLParser) parser).isCurrentAlias()) {
                String name = parser.getText();
                if (!anchors.containsKey(name)) {
                    throw refused("the alias *" + Excerpt.cut(name, 40) + " names no anchor (&" + Excerpt.cut(name, 40)
                            + ") defined before it");
                }
                count(anchorSizes.get(name));
                return anchors.get(name);
            }
            String anchor = anchor();
            Object value = switch (token) {
                case VALUE_STRING -> parser.getText();
                case VALUE_NUMBER_INT -> parser.getNumberValue();
                case VALUE_NUMBER_FLOAT -> finite(frame);
                case VALUE_TRUE -> Boolean.TRUE;
                case VALUE_FALSE -> Boolean.FALSE;
                case VALUE_NULL -> null;
                case VALUE_EMBEDDED_OBJECT -> parser.getEmbeddedObject() instanceof byte[] bytes
                        ? Base64.getEncoder().encodeToString(bytes) : String.valueOf(parser.getEmbeddedObject());
                default -> throw refused("unexpected " + token);
            };
            count(1);
            remember(anchor, value, 1);
            return value;
        }

        @SuppressWarnings("unchecked")
        private void add(Frame frame, Object value) {
            if (frame.container instanceof List<?> list) {
                ((List<Object>) list).add(value);
                return;
            }
            Map<String, Object> map = (Map<String, Object>) frame.container;
            // YAML's merge key, which kubectl honours: `<<: *defaults` supplies keys not set here.
            if (yaml && "<<".equals(frame.key) && isMergeable(value)) {
                if (frame.merges == null) {
                    frame.merges = new ArrayList<>();
                }
                frame.merges.add(value);
                return;
            }
            if (map.containsKey(frame.key)) {
                findings.add(new Finding(document, frame.path(frame.key), "repeated at line " + parser.currentTokenLocation().getLineNr(),
                        "each key once in a map (the API server rejects a duplicate field, and tools differ on which value wins)",
                        "remove one of the two keys, or rename it"));
            }
            map.put(frame.key, value);
        }

        /** A float JSON can hold; else its text, and a finding (YAML has .inf and .nan, JSON and Go have neither). */
        private Object finite(Frame frame) throws IOException {
            double value = parser.getDoubleValue();
            if (Double.isFinite(value)) {
                return value;
            }
            String text = parser.getText();
            String path = frame == null ? "(the document)"
                    : frame.path(frame.container instanceof List<?> list ? (Object) list.size() : frame.key);
            findings.add(new Finding(document, path, text, "a finite number: JSON, and so the API server, has no infinity or NaN",
                    "write a number in range, or quote it if it is text"));
            return text;
        }

        private static boolean isMergeable(Object value) {
            return value instanceof Map<?, ?> || value instanceof List<?> list && !list.isEmpty()
                    && list.stream().allMatch(v -> v instanceof Map<?, ?>);
        }

        @SuppressWarnings("unchecked")
        private static void merge(Frame frame) {
            if (frame.merges == null) {
                return;
            }
            Map<String, Object> map = (Map<String, Object>) frame.container;
            for (Object source : frame.merges) {
                for (Object one : source instanceof List<?> list ? list : List.of(source)) {
                    ((Map<String, Object>) one).forEach(map::putIfAbsent);
                }
            }
        }

        private void remember(String anchor, Object value, long size) {
            if (anchor != null) {
                anchors.put(anchor, value);
                anchorSizes.put(anchor, size);
            }
        }

        private void count(long more) throws Unreadable {
            values += more;
            if (values > maxValues) {
                throw refused("more than " + MAX_VALUES + " values in the files read (an alias counts as what it"
                        + " repeats); Kubernetes objects hold far fewer");
            }
        }

        private Unreadable refused(String why) {
            JsonLocation at = parser.currentTokenLocation();
            return new Unreadable((at.getLineNr() > 0 ? "line " + at.getLineNr() + ", column " + at.getColumnNr() + ": " : "") + why);
        }
    }
}
