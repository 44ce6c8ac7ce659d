package keyboss.charts.validation;

import keyboss.charts.model.Excerpt;
import keyboss.charts.model.Manifest;
import keyboss.charts.model.Problem;
import keyboss.charts.model.Quantity;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.JsonWriter;
import io.kubernetes.client.openapi.JSON;
import java.lang.reflect.InvocationTargetException;
import java.io.IOException;
import java.lang.reflect.Method;
import java.util.Base64;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Strict, offline schema validation of each object against the Kubernetes {@value #KUBERNETES}
 * API: unknown fields, missing required fields and wrong types are errors. Core kinds use the
 * Kubernetes Java client's models ({@code validateJsonElement}, then typed parsing); a custom
 * resource needs a schema registered with {@link #customResource}, else it is reported as
 * unknown rather than passed unchecked.
 *
 * <p>Why 1.32: it is the newest API the Java client models (client-java 24), k3s ships it, and
 * the objects this library writes use only GA APIs (apps/v1, batch/v1, policy/v1,
 * autoscaling/v2, networking.k8s.io/v1, rbac/v1) present unchanged since 1.25.
 */
public final class SchemaValidator {

    /** The Kubernetes minor version the models describe. */
    public static final String KUBERNETES = "1.32";
    private static final String MODELS = "io.kubernetes.client.openapi.models.";

    private static final Pattern KIND = Pattern.compile("[A-Z][A-Za-z0-9]*");

    /**
     * The client's Gson, but base64 fields (Secret {@code data}, ConfigMap {@code binaryData})
     * are decoded by the JDK: the client's own adapter needs okio, which comes with the HTTP
     * client this project leaves out.
     */
    private static final Gson GSON = JSON.getGson().newBuilder().registerTypeAdapter(byte[].class, new Base64Bytes())
            .registerTypeAdapter(io.kubernetes.client.custom.Quantity.class, new Quantities()).create();

    private static final Map<String, Function<Map<String, Object>, List<String>>> CUSTOM = new ConcurrentHashMap<>();
    private static final Map<String, Method> VALIDATORS = new ConcurrentHashMap<>();

    static {
        CUSTOM.putAll(CustomResourceSchemas.checks());
    }

    private SchemaValidator() {
    }

    /** Registers the schema check of a custom resource kind ({@code group/version} and kind). */
    public static void customResource(String apiVersion, String kind, Function<Map<String, Object>, List<String>> check) {
        CUSTOM.put(apiVersion + " " + kind, check);
    }

    /** Loads the models and Gson adapters the checks use, so a later check starts warm. */
    public static void warmUp() {
        Map<String, Object> container = Map.of("name", "c", "image", "i:1",
                "resources", Map.of("requests", Map.of("cpu", "1"), "limits", Map.of("memory", "1Mi")));
        Map<String, Object> pod = Map.of("containers", List.of(container));
        for (String kind : List.of("Deployment", "StatefulSet")) {
            errors(new Manifest("", Map.of("apiVersion", "apps/v1", "kind", kind, "metadata", Map.of("name", "w"),
                    "spec", Map.of("selector", Map.of(), "template", Map.of("spec", pod)))));
        }
        errors(new Manifest("", Map.of("apiVersion", "v1", "kind", "Service", "metadata", Map.of("name", "w"),
                "spec", Map.of("ports", List.of(Map.of("port", 1, "targetPort", "x"))))));
    }

    /** Every schema problem of every object. */
    public static List<Problem> check(String environment, List<Manifest> manifests) {
        List<Problem> problems = new ArrayList<>();
        for (Manifest m : manifests) {
            String where = environment + "/" + m.file() + " " + m.id();
            for (String error : errors(m)) {
                problems.add(new Problem(where, "schema", m.apiVersion() + " " + m.kind(),
                        "the Kubernetes " + KUBERNETES + " schema: " + error,
                        "fix the field (a typo, a field of another kind, or a value of the wrong type)"));
            }
        }
        return problems;
    }

    /** The schema errors of one object; empty when it conforms. */
    public static List<String> errors(Manifest m) {
        if (m.apiVersion() == null || m.kind() == null) {
            return List.of("apiVersion and kind are required");
        }
        Function<Map<String, Object>, List<String>> custom = CUSTOM.get(m.apiVersion() + " " + m.kind());
        if (custom != null) {
            return custom.apply(m.object());
        }
        if (!Manifest.API_VERSION.matcher(m.apiVersion()).matches()) {
            return List.of("apiVersion " + Excerpt.of(m.apiVersion()) + " is not GROUP/VERSION or VERSION (such as apps/v1 or v1)");
        }
        Method validate = KIND.matcher(m.kind()).matches() ? validator(m.apiVersion(), m.kind()) : null;
        if (validate == null) {
            return List.of("no schema is known for " + m.apiVersion() + " " + Excerpt.of(m.kind())
                    + " (not a Kubernetes " + KUBERNETES + " kind, and no custom resource schema is registered)");
        }
        JsonElement json = GSON.toJsonTree(m.object());
        try {
            validate.invoke(null, json);
            GSON.fromJson(json, validate.getDeclaringClass());
            return List.of();
        } catch (BadValue e) {
            return List.of(e.getMessage());
        } catch (InvocationTargetException e) {
            return List.of(shorten(e.getCause().getMessage()));
        } catch (JsonParseException | IllegalArgumentException | IllegalStateException e) {
            return List.of("a value has the wrong type: " + shorten(e.getMessage()));
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        } catch (RuntimeException e) {
            // The models' own parsers throw their own exceptions; a value they cannot read is a
            // problem of the input, never a crash of the validator.
            return List.of("a value cannot be read: " + shorten(e.getMessage()));
        }
    }

    /** {@code validateJsonElement} of the model class for {@code apps/v1 Deployment}: {@code V1Deployment}. */
    private static Method validator(String apiVersion, String kind) {
        String version = apiVersion.substring(apiVersion.indexOf('/') + 1);
        String className = MODELS + "V" + version.substring(1) + kind;
        return VALIDATORS.computeIfAbsent(className, n -> {
            try {
                Class<?> model = Class.forName(n);
                // Only a top-level object has a kind: V1ObjectMeta is no kind.
                model.getMethod("getKind");
                return model.getMethod("validateJsonElement", JsonElement.class);
            } catch (ClassNotFoundException | NoSuchMethodException e) {
                return null;
            }
        });
    }

    /** Base64 as the API server decodes it: the standard alphabet, padded; line breaks are ignored. */
    private static final class Base64Bytes extends TypeAdapter<byte[]> {
        @Override
        public void write(JsonWriter out, byte[] value) throws IOException {
            if (value == null) {
                out.nullValue();
            } else {
                out.value(Base64.getEncoder().encodeToString(value));
            }
        }

        @Override
        public byte[] read(JsonReader in) throws IOException {
            if (in.peek() == JsonToken.NULL) {
                in.nextNull();
                return null;
            }
            // Gson's path of a map value ends at the map: `$.data.` for any key of data.
            String path = in.getPath().replaceFirst("^\\$\\.", "").replaceFirst("\\.$", "");
            String text = in.nextString().replace("\r", "").replace("\n", "");
            try {
                if (text.length() % 4 != 0) {
                    throw new IllegalArgumentException("unpadded");
                }
                return Base64.getDecoder().decode(text);
            } catch (IllegalArgumentException e) {
                throw new BadValue("`" + path + "` holds a value that is not base64 (standard alphabet, padded with =),"
                        + " which the API server decodes it as; a Secret takes plain text under stringData");
            }
        }
    }

    /**
     * Quantities as the API server parses them ({@link Quantity}): the client's parser accepts
     * some the server refuses and throws its own exception on others.
     */
    private static final class Quantities extends TypeAdapter<io.kubernetes.client.custom.Quantity> {
        @Override
        public void write(JsonWriter out, io.kubernetes.client.custom.Quantity value) throws IOException {
            if (value == null) {
                out.nullValue();
            } else {
                out.value(value.toSuffixedString());
            }
        }

        @Override
        public io.kubernetes.client.custom.Quantity read(JsonReader in) throws IOException {
            if (in.peek() == JsonToken.NULL) {
                in.nextNull();
                return null;
            }
            // Gson's path ends at the map (`$.limits.`) and starts at the model the client parses
            // on its own (resources): the message names what it can, the rules name the whole path.
            String path = in.getPath().replaceFirst("^\\$\\.", "").replaceFirst("\\.$", "");
            String text = in.nextString();
            Quantity parsed = Quantity.parse(text);
            if (parsed == null) {
                throw new BadValue("a value of `" + path + "` is " + Excerpt.of(text) + ", not " + Quantity.FORMAT_HELP);
            }
            // The value only matters to the checks that read the map; the model needs an instance.
            return new io.kubernetes.client.custom.Quantity(parsed.value(), io.kubernetes.client.custom.Quantity.Format.DECIMAL_SI);
        }
    }

    /** A value the API server would refuse to decode; the message names the field and the form it takes. */
    private static final class BadValue extends JsonParseException {
        private static final long serialVersionUID = 1L;

        BadValue(String message) {
            super(message);
        }
    }

    /** The client's messages quote the whole object; keep the sentence. */
    private static String shorten(String message) {
        if (message == null) {
            return "invalid";
        }
        int json = message.indexOf(" JSON: ");
        String text = json > 0 ? message.substring(0, json) : message;
        text = text.replace(" in the JSON string", "").replaceFirst("^[a-z.]+\\.[A-Za-z]+(Exception|Error): ", "");
        int quoted = text.indexOf(": {");
        text = quoted > 0 ? text.substring(0, quoted) : text;
        // A value the message quotes (`...`) is the input's: at most a short excerpt of it.
        StringBuilder out = new StringBuilder();
        String[] parts = text.split("`", -1);
        for (int i = 0; i < parts.length; i++) {
            out.append(i % 2 == 1 ? Excerpt.cut(parts[i], Excerpt.VALUE) : parts[i]).append(i < parts.length - 1 ? "`" : "");
        }
        return Excerpt.cut(out.toString(), 300);
    }
}
