package keyboss.charts.validation;

import keyboss.charts.model.Excerpt;
import keyboss.charts.model.Findings;
import keyboss.charts.model.Manifest;
import keyboss.charts.model.Names;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * What the API server requires of ConfigMaps and Secrets: valid keys, string values, base64
 * in {@code data} of a Secret and {@code binaryData} of a ConfigMap, at most 1 MiB in all, no
 * key in both maps of a ConfigMap, and the keys each Secret type needs.
 */
final class ConfigRules {

    /** The API server's cap on a ConfigMap's or Secret's content. */
    static final int MAX_BYTES = 1024 * 1024;

    private ConfigRules() {
    }

    static void check(Manifest m, Findings f) {
        switch (m.apiGroup() + "/" + m.kind()) {
            case "/ConfigMap" -> configMap(m.object(), f);
            case "/Secret" -> secret(m.object(), f);
            default -> { }
        }
    }

    private static void configMap(Map<String, Object> o, Findings f) {
        long bytes = 0;
        Map<String, Object> binary = Manifest.map(o.get("binaryData"));
        for (Map.Entry<String, Object> e : Manifest.map(o.get("data")).entrySet()) {
            key(e.getKey(), "data", f);
            if (!(e.getValue() instanceof String value)) {
                f.add("data." + e.getKey(), e.getValue(), "ConfigMap values are strings; the API server rejects a "
                        + typeName(e.getValue()), Excerpt.quoteFix(e.getValue()));
                continue;
            }
            if (binary.containsKey(e.getKey())) {
                f.add("data." + e.getKey(), e.getKey(), "a key is in data or binaryData, not both", "keep one");
            }
            bytes += value.getBytes(StandardCharsets.UTF_8).length;
        }
        for (Map.Entry<String, Object> e : binary.entrySet()) {
            key(e.getKey(), "binaryData", f);
            byte[] decoded = base64(e.getValue());
            if (decoded == null) {
                f.add("binaryData." + e.getKey(), "(not shown)", "binaryData values are base64", "encode the bytes with base64");
            } else {
                bytes += decoded.length;
            }
        }
        if (bytes > MAX_BYTES) {
            f.add("data", bytes + " bytes", "a ConfigMap holds at most 1 MiB", "split it or mount the content another way");
        }
    }

    private static void secret(Map<String, Object> o, Findings f) {
        Map<String, Integer> sizes = new HashMap<>();
        for (Map.Entry<String, Object> e : Manifest.map(o.get("data")).entrySet()) {
            key(e.getKey(), "data", f);
            byte[] decoded = base64(e.getValue());
            if (decoded == null) {
                // Never quote a Secret's value.
                f.add("data." + e.getKey(), "(not shown)", "Secret data values are base64",
                        "encode the value with base64, or put the plain text in stringData");
            } else {
                sizes.put(e.getKey(), decoded.length);
            }
        }
        for (Map.Entry<String, Object> e : Manifest.map(o.get("stringData")).entrySet()) {
            key(e.getKey(), "stringData", f);
            if (!(e.getValue() instanceof String value)) {
                f.add("stringData." + e.getKey(), "(not shown)", "stringData values are strings; the API server rejects a "
                        + typeName(e.getValue()), "quote the value in YAML");
                continue;
            }
            sizes.put(e.getKey(), value.getBytes(StandardCharsets.UTF_8).length);
        }
        long bytes = sizes.values().stream().mapToLong(Integer::longValue).sum();
        if (bytes > MAX_BYTES) {
            f.add("data", bytes + " bytes", "a Secret holds at most 1 MiB", "split it");
        }
        Object type = o.get("type");
        Map<String, Object> annotations = Manifest.map(Manifest.map(o.get("metadata")).get("annotations"));
        switch (type == null ? "" : String.valueOf(type)) {
            case "kubernetes.io/service-account-token" -> {
                if (!(annotations.get("kubernetes.io/service-account.name") instanceof String s) || s.isEmpty()) {
                    f.add("metadata.annotations.kubernetes.io/service-account.name", null,
                            "a service account token Secret names its ServiceAccount in this annotation", "add it");
                }
            }
            case "kubernetes.io/dockercfg" -> needs(sizes, ".dockercfg", type, f);
            case "kubernetes.io/dockerconfigjson" -> needs(sizes, ".dockerconfigjson", type, f);
            case "kubernetes.io/basic-auth" -> {
                if (!sizes.containsKey("username") && !sizes.containsKey("password")) {
                    f.add("data.username", null, "a basic-auth Secret has username or password", "add them");
                }
            }
            case "kubernetes.io/ssh-auth" -> {
                if (sizes.getOrDefault("ssh-privatekey", 0) == 0) {
                    f.add("data.ssh-privatekey", null, "an ssh-auth Secret has a non-empty ssh-privatekey", "add it");
                }
            }
            case "kubernetes.io/tls" -> {
                needs(sizes, "tls.crt", type, f);
                needs(sizes, "tls.key", type, f);
            }
            default -> { }
        }
    }

    private static void needs(Map<String, Integer> keys, String key, Object type, Findings f) {
        if (!keys.containsKey(key)) {
            f.add("data." + key, null, "a Secret of type " + type + " has the key " + key, "add " + key);
        }
    }

    private static void key(String key, String map, Findings f) {
        String problem = Names.configKeyProblem(key);
        if (problem != null) {
            f.add(map, key, problem, "rename the key, for example " + key.replaceAll("[^-._a-zA-Z0-9]+", "_"));
        }
    }

    /** The bytes of a base64 value as the API server decodes it (line breaks ignored), or null. */
    static byte[] base64(Object value) {
        if (!(value instanceof String s)) {
            return null;
        }
        String text = s.replace("\r", "").replace("\n", "");
        if (text.length() % 4 != 0) {
            return null; // Go's decoder requires the padding Java's would add
        }
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String typeName(Object value) {
        return value == null ? "null" : value.getClass().getSimpleName().toLowerCase();
    }
}
