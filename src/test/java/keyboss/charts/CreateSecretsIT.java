package keyboss.charts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/create-secrets against a recording kubectl (a stand-in for the cluster): it applies every
 * declared key, never prints a value, and refuses to run with a value missing. It reads the
 * contract from the packaged jar, so it runs after {@code package}.
 */
class CreateSecretsIT {

    @TempDir
    Path tmp;
    Path kubectl;
    Path log;
    Path applied;

    @BeforeEach
    void recordingKubectl() throws IOException {
        log = tmp.resolve("kubectl.log");
        applied = tmp.resolve("applied.yaml");
        kubectl = tmp.resolve("kubectl");
        // get: exit 0 when FAKE_EXISTS=1; create --dry-run: print each --from-file as "KEY: base64";
        // apply -f -: keep what arrives on stdin.
        Files.writeString(kubectl, """
                #!/bin/sh
                echo "$*" >> "%s"
                case "$1" in
                  get) [ "${FAKE_EXISTS:-0}" = 1 ] ;;
                  create)
                    echo "kind: Secret"
                    for a in "$@"; do
                      case "$a" in --from-file=*) kv=${a#--from-file=}; echo "  ${kv%%%%=*}: $(base64 -w0 "${kv#*=}")" ;; esac
                    done ;;
                  apply) cat > "%s"; echo "secret/keyboss-secrets configured" ;;
                esac
                """.formatted(log, applied));
        kubectl.toFile().setExecutable(true);
    }

    private Exec.Result run(Map<String, String> env, String... args) {
        Map<String, String> all = new HashMap<>(env);
        all.put("KUBECTL", kubectl.toString());
        all.put("HOME", System.getProperty("user.home"));
        List<String> command = new java.util.ArrayList<>(List.of("bin/create-secrets"));
        command.addAll(List.of(args));
        return Exec.run(command, all, 120);
    }

    private Map<String, String> appliedValues() throws IOException {
        Map<String, String> values = new HashMap<>();
        for (String line : Files.readAllLines(applied)) {
            if (line.startsWith("  ")) {
                String[] kv = line.trim().split(": ", 2);
                values.put(kv[0], new String(Base64.getDecoder().decode(kv[1]), StandardCharsets.UTF_8));
            }
        }
        return values;
    }

    @Test
    void detiTakesEveryValueFromTheEnvironmentAndNeverPrintsOne() throws IOException {
        Map<String, String> env = new HashMap<>();
        for (String key : KeybossChart.SECRETS.keyNames()) {
            env.put(key, "value-of-" + key.toLowerCase() + "-s3cr3t");
        }
        Exec.Result r = run(env, "deti");
        assertEquals(0, r.exitCode(), r.output());
        assertFalse(r.output().contains("s3cr3t"), "no value is printed: " + r.output());
        assertTrue(r.output().contains("values not shown"), r.output());
        Map<String, String> values = appliedValues();
        assertEquals(KeybossChart.SECRETS.keyNames(), values.keySet());
        values.forEach((k, v) -> assertEquals("value-of-" + k.toLowerCase() + "-s3cr3t", v));
        String calls = Files.readString(log);
        assertTrue(calls.contains("--namespace tenant-keyboss"), calls);
        assertFalse(calls.contains("s3cr3t"), "values never go on a command line");
    }

    @Test
    void aMissingValueStopsItBeforeTheClusterIsTouched() throws IOException {
        Exec.Result r = run(Map.of("POSTGRES_PASSWORD", "x"), "deti");
        assertNotEquals(0, r.exitCode());
        assertTrue(r.stderr().contains("POSTGRES_REPLICATION_PASSWORD SECRET_KEY RSA_PRIVATE_KEY ADMIN_PASSWORD"), r.output());
        assertFalse(Files.exists(log), "kubectl was never called");
    }

    @Test
    void localGeneratesRandomValuesAndAnRsaKey() throws IOException {
        Exec.require("openssl", "apt-get install -y openssl");
        Exec.Result r = run(Map.of(), "local");
        assertEquals(0, r.exitCode(), r.output());
        Map<String, String> values = appliedValues();
        assertEquals(KeybossChart.SECRETS.keyNames(), values.keySet());
        assertTrue(values.get("RSA_PRIVATE_KEY").startsWith("-----BEGIN PRIVATE KEY-----"), "PEM key");
        assertTrue(values.get("POSTGRES_PASSWORD").matches("[0-9a-f]{64}"), "32 random bytes in hex");
        assertNotEquals(values.get("POSTGRES_PASSWORD"), values.get("SECRET_KEY"));
        assertTrue(Files.readString(log).contains("--namespace keyboss"));
        for (String v : values.values()) {
            assertFalse(r.output().contains(v.substring(0, 20)), "no value is printed");
        }
        // pgBackRest's TLS: one PEM with a certificate for the members' names and its key.
        String tls = values.get(PgBackRest.TLS_KEY);
        assertTrue(tls.startsWith("-----BEGIN CERTIFICATE-----") && tls.contains("PRIVATE KEY-----"), "certificate and key");
        Path pem = Files.createTempFile("tls", ".pem");
        Files.writeString(pem, tls);
        Exec.Result cert = Exec.run(List.of("openssl", "x509", "-in", pem.toString(), "-noout", "-text"), Map.of(), 30);
        assertTrue(cert.stdout().contains("DNS:*.postgres") && cert.stdout().contains("CN = pgbackrest")
                && cert.stdout().contains("TLS Web Client Authentication"), cert.output());
        Exec.Result verify = Exec.run(List.of("openssl", "verify", "-CAfile", pem.toString(), pem.toString()), Map.of(), 30);
        assertEquals(0, verify.exitCode(), "it is its own authority: " + verify.output());
        Files.delete(pem);
    }

    @Test
    void anExistingSecretIsLeftAloneUnlessReplaced() throws IOException {
        Exec.Result kept = run(Map.of("FAKE_EXISTS", "1"), "local");
        assertNotEquals(0, kept.exitCode());
        assertTrue(kept.stderr().contains("already exists in keyboss; it was left alone"), kept.output());
        assertFalse(Files.exists(applied));
        Exec.Result replaced = run(Map.of("FAKE_EXISTS", "1"), "local", "--replace");
        assertEquals(0, replaced.exitCode(), replaced.output());
        assertTrue(Files.exists(applied));
    }

    @Test
    void unknownEnvironmentIsRefused() {
        Exec.Result r = run(Map.of(), "prod");
        assertNotEquals(0, r.exitCode());
        assertTrue(r.stderr().contains("unknown environment 'prod'"), r.output());
    }
}
