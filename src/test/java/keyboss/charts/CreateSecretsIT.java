package keyboss.charts;

import keyboss.charts.lab.Exec;
import keyboss.charts.shop.KeybossChart;
import keyboss.charts.data.PgBackRest;

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
 * bin/create-secrets against a recording kubectl (a stand-in for the cluster): it creates every
 * declared key, never prints a value or hands one to kubectl except on its standard input, and
 * refuses to run with a value missing or unfit for a URL. Only "not found" counts as absent:
 * every other kubectl failure stops it, and so does a signal. It reads the contract from the
 * packaged jar, so it runs after {@code package}.
 */
class CreateSecretsIT {

    @TempDir
    Path tmp;
    Path kubectl;
    Path log;
    Path envLog;
    Path applied;
    Path tmpdir;

    @BeforeEach
    void recordingKubectl() throws IOException {
        log = tmp.resolve("kubectl.log");
        envLog = tmp.resolve("kubectl.env");
        applied = tmp.resolve("applied.yaml");
        tmpdir = Files.createDirectories(tmp.resolve("tmpdir"));
        kubectl = tmp.resolve("kubectl");
        // get: FAKE_GET says what the cluster answers, as kubectl words it (found, notfound with
        // --ignore-not-found: empty and exit 0, forbidden, timeout, slow: never answers);
        // create secret --dry-run: print "# name NAME" and each --from-file as "KEY: base64";
        // create -f - / replace -f -: keep what arrives on stdin (applied.yaml for keyboss-secrets,
        // applied.yaml.NAME for another Secret).
        Files.writeString(kubectl, """
                #!/bin/sh
                echo "$*" >> "%1$s"
                env >> "%2$s"
                case "$1" in
                  get)
                    case "${FAKE_GET:-notfound}" in
                      found) echo "secret/keyboss-secrets" ;;
                      notfound) ;;
                      forbidden) echo 'Error from server (Forbidden): secrets "keyboss-secrets" is forbidden: User "dev" cannot get resource "secrets"' >&2; exit 1 ;;
                      timeout) echo 'Unable to connect to the server: net/http: request canceled (Client.Timeout exceeded while awaiting headers)' >&2; exit 1 ;;
                      slow) echo $$ > "%3$s.pid"; exec sleep 120 ;;
                    esac ;;
                  create|replace)
                    if [ "$2" = secret ]; then
                      echo "kind: Secret"
                      echo "# name $4"
                      for a in "$@"; do
                        case "$a" in --from-file=*) kv=${a#--from-file=}; echo "  ${kv%%%%=*}: $(base64 -w0 "${kv#*=}")" ;; esac
                      done
                    else
                      cat > "%3$s.in"; name=$(sed -n 's/^# name //p' "%3$s.in")
                      if [ "$name" = keyboss-secrets ]; then mv "%3$s.in" "%3$s"; else mv "%3$s.in" "%3$s.$name"; fi
                      echo "secret/$name $1"
                    fi ;;
                esac
                """.formatted(log, envLog, applied));
        kubectl.toFile().setExecutable(true);
    }

    private Map<String, String> environment(Map<String, String> env) {
        Map<String, String> all = new HashMap<>(env);
        all.put("KUBECTL", kubectl.toString());
        all.put("HOME", System.getProperty("user.home"));
        all.put("TMPDIR", tmpdir.toString());
        return all;
    }

    private Map<String, String> detiValues() throws IOException {
        Map<String, String> env = new HashMap<>();
        for (String key : KeybossChart.SECRETS.keyNames()) {
            env.put(key, "value-of-" + key.toLowerCase() + "-s3cr3t");
        }
        env.putAll(operatorCertificate("keyboss.deti", "op"));
        return env;
    }

    /** TLS_CERT_FILE and TLS_KEY_FILE of a certificate for {@code host}, made with openssl like an operator would. */
    private Map<String, String> operatorCertificate(String host, String name) throws IOException {
        Path cert = tmp.resolve(name + ".crt");
        Path key = tmp.resolve(name + ".key");
        if (!Files.exists(cert)) {
            Exec.Result r = Exec.run(List.of(Exec.require("openssl", "apt-get install -y openssl"), "req", "-x509",
                    "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "30", "-subj", "/CN=" + host,
                    "-addext", "subjectAltName=DNS:" + host, "-keyout", key.toString(), "-out", cert.toString()), Map.of(), 60);
            assertEquals(0, r.exitCode(), r.output());
        }
        return Map.of("TLS_CERT_FILE", cert.toString(), "TLS_KEY_FILE", key.toString());
    }

    /** The keys and values of the TLS Secret the script sent, keyed as in the Secret. */
    private Map<String, String> appliedTls() throws IOException {
        Map<String, String> values = new HashMap<>();
        for (String line : Files.readAllLines(applied.resolveSibling("applied.yaml.keyboss-tls"))) {
            if (line.startsWith("  ")) {
                String[] kv = line.trim().split(": ", 2);
                values.put(kv[0], new String(Base64.getDecoder().decode(kv[1]), StandardCharsets.UTF_8));
            }
        }
        return values;
    }

    private List<String> calls() throws IOException {
        return Files.exists(log) ? Files.readAllLines(log) : List.of();
    }

    private void assertNothingLeftIn(Path dir) throws IOException {
        try (java.util.stream.Stream<Path> left = Files.list(dir)) {
            assertEquals(List.of(), left.toList(), "the private folder with the values is removed");
        }
    }

    private Exec.Result run(Map<String, String> env, String... args) {
        Map<String, String> all = environment(env);
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
        Exec.Result r = run(detiValues(), "deti");
        assertEquals(0, r.exitCode(), r.output());
        assertFalse(r.output().contains("s3cr3t"), "no value is printed: " + r.output());
        assertTrue(r.output().contains("values not shown"), r.output());
        Map<String, String> values = appliedValues();
        assertEquals(KeybossChart.SECRETS.keyNames(), values.keySet());
        values.forEach((k, v) -> assertEquals("value-of-" + k.toLowerCase() + "-s3cr3t", v));
        String calls = Files.readString(log);
        assertTrue(calls.contains("--namespace tenant-keyboss"), calls);
        assertFalse(calls.contains("s3cr3t"), "values never go on a command line");
        assertFalse(Files.readString(envLog).contains("s3cr3t"), "nor into kubectl's environment");
        assertTrue(calls.lines().anyMatch(l -> l.startsWith("create ") && l.endsWith(" -f -")),
                "a new Secret is made with kubectl create from stdin: " + calls);
        assertFalse(calls.contains("apply"), "no client-side apply: it copies every value into an annotation");
        // The Ingress's TLS Secret holds the operator's certificate and key as they are.
        Map<String, String> tls = appliedTls();
        assertEquals(Files.readString(tmp.resolve("op.crt")), tls.get("tls.crt"));
        assertEquals(Files.readString(tmp.resolve("op.key")), tls.get("tls.key"));
        assertTrue(calls.contains("create secret generic keyboss-tls --namespace tenant-keyboss --type=kubernetes.io/tls"), calls);
        assertNothingLeftIn(tmpdir);
    }

    @Test
    void detiRefusesACertificateForAnotherHostOrAKeyOfAnotherCertificate() throws IOException {
        Map<String, String> env = detiValues();
        env.putAll(operatorCertificate("shop.example", "other"));
        Exec.Result r = run(env, "deti");
        assertEquals(1, r.exitCode(), r.output());
        assertTrue(r.stderr().contains("not valid for keyboss.deti"), r.output());
        assertFalse(Files.exists(log), "kubectl was never called");
        env = detiValues();
        env.put("TLS_KEY_FILE", tmp.resolve("other.key").toString());
        r = run(env, "deti");
        assertEquals(1, r.exitCode(), r.output());
        assertTrue(r.stderr().contains("does not belong to the certificate"), r.output());
        assertFalse(Files.exists(log), "kubectl was never called");
    }

    @Test
    void aMissingValueStopsItBeforeTheClusterIsTouched() throws IOException {
        Exec.Result r = run(Map.of("POSTGRES_PASSWORD", "x"), "deti");
        assertNotEquals(0, r.exitCode());
        String missing = r.stderr().substring(r.stderr().indexOf("):") + 2).strip();
        List<String> expected = new java.util.ArrayList<>(KeybossChart.SECRETS.keyNames().stream()
                .filter(k -> !k.equals("POSTGRES_PASSWORD")).toList());
        expected.addAll(List.of("TLS_CERT_FILE", "TLS_KEY_FILE"));
        assertEquals(new java.util.TreeSet<>(expected), new java.util.TreeSet<>(List.of(missing.split(" "))),
                "every other key of the contract is named: " + r.output());
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
        assertEquals("http://host.k3d.internal:9095/alerts", values.get("ALERT_WEBHOOK_URL"), "an obviously local alert sink");
        assertTrue(Files.readString(log).contains("--namespace keyboss"));
        for (String v : values.values()) {
            assertFalse(r.output().contains(v.substring(0, 20)), "no value is printed");
        }
        // pgBackRest's TLS: one PEM with a certificate for the members' names and its key.
        String tls = values.get(PgBackRest.TLS_KEY);
        assertTrue(tls.startsWith("-----BEGIN CERTIFICATE-----") && tls.contains("PRIVATE KEY-----"), "certificate and key");
        Path pem = tmp.resolve("tls.pem");
        Files.writeString(pem, tls);
        Exec.Result cert = Exec.run(List.of("openssl", "x509", "-in", pem.toString(), "-noout", "-text"), Map.of(), 30);
        assertTrue(cert.stdout().contains("DNS:*.postgres-members") && cert.stdout().contains("CN = pgbackrest")
                && cert.stdout().contains("TLS Web Client Authentication"), cert.output());
        Exec.Result verify = Exec.run(List.of("openssl", "verify", "-CAfile", pem.toString(), pem.toString()), Map.of(), 30);
        assertEquals(0, verify.exitCode(), "it is its own authority: " + verify.output());
        Files.delete(pem);
        // The Ingress's certificate: self-signed for the public host, with its key.
        Map<String, String> ingress = appliedTls();
        Path crt = tmp.resolve("ingress.crt");
        Files.writeString(crt, ingress.get("tls.crt"));
        Exec.Result host = Exec.run(List.of("openssl", "x509", "-in", crt.toString(), "-noout", "-checkhost", "localhost"), Map.of(), 30);
        assertTrue(host.stdout().contains("does match"), host.output());
        assertTrue(ingress.get("tls.key").contains("PRIVATE KEY-----"), "its key");
        assertFalse(r.output().contains(ingress.get("tls.key").substring(30, 60)), "the key is not printed");
        Files.delete(crt);
    }

    @Test
    void anExistingSecretIsLeftAloneUnlessReplaced() throws IOException {
        Exec.Result kept = run(Map.of("FAKE_GET", "found"), "local");
        assertEquals(1, kept.exitCode(), kept.output());
        assertTrue(kept.stderr().contains("already exists in keyboss; it was left alone"), kept.output());
        assertFalse(Files.exists(applied));
        Exec.Result replaced = run(Map.of("FAKE_GET", "found"), "local", "--replace");
        assertEquals(0, replaced.exitCode(), replaced.output());
        assertTrue(Files.exists(applied));
        assertTrue(replaced.stdout().contains("replaced"), replaced.output());
        // replace sends the whole object: the last-applied annotation an old apply left is dropped.
        assertTrue(calls().stream().anyMatch(l -> l.startsWith("replace ") && l.endsWith(" -f -")), calls().toString());
    }

    @Test
    void onlyNotFoundMeansAbsentAnyOtherKubectlFailureStopsIt() throws IOException {
        for (String answer : List.of("forbidden", "timeout")) {
            for (List<String> args : List.of(List.of("local"), List.of("local", "--replace"))) {
                Files.deleteIfExists(log);
                Exec.Result r = run(Map.of("FAKE_GET", answer), args.toArray(String[]::new));
                assertEquals(1, r.exitCode(), answer + " " + args + ": " + r.output());
                assertTrue(r.stderr().contains("could not tell whether Secret keyboss-secrets exists in keyboss"), r.output());
                assertTrue(r.stderr().contains("nothing was changed"), r.output());
                assertTrue(r.stderr().contains(answer.equals("forbidden") ? "(Forbidden)" : "Client.Timeout"),
                        "kubectl's own error is shown: " + r.output());
                assertFalse(Files.exists(applied), answer + " " + args + ": nothing applied");
                assertEquals(1, calls().stream().filter(l -> !l.startsWith("create secret")).count(),
                        "only the get reached the cluster: " + calls());
                assertTrue(calls().get(0).contains("--ignore-not-found -o name --request-timeout="), calls().toString());
                assertNothingLeftIn(tmpdir);
            }
        }
    }

    @Test
    void aValueThatGoesIntoAUrlMustBeUrlSafe() throws IOException {
        for (String bad : List.of("p@ss:w0rd/s3cr3t", "s3cr3t%41", "s3cr3t\n", "s3cr3t-é")) {
            Map<String, String> env = detiValues();
            env.put("POSTGRES_PASSWORD", bad);
            Exec.Result r = run(env, "deti");
            assertEquals(1, r.exitCode(), r.output());
            assertTrue(r.stderr().contains("go into a URL unescaped and may only hold letters, digits and - . _ ~"), r.output());
            assertTrue(r.stderr().trim().endsWith(": POSTGRES_PASSWORD"), "the key is named: " + r.output());
            assertFalse(r.output().contains("s3cr3t"), "the value is never printed: " + r.output());
            assertFalse(Files.exists(log), "kubectl was never called");
        }
        // Keys that never reach a URL take anything, and an unreserved value passes.
        Map<String, String> env = detiValues();
        env.put("ADMIN_PASSWORD", "p@ss:w0rd/?#%");
        env.put("POSTGRES_PASSWORD", "Az09-._~");
        Exec.Result ok = run(env, "deti");
        assertEquals(0, ok.exitCode(), ok.output());
        assertEquals("p@ss:w0rd/?#%", appliedValues().get("ADMIN_PASSWORD"));
    }

    @Test
    void sigtermOrCtrlCDuringASlowKubectlStopsItAndRemovesTheValues() throws Exception {
        for (String signal : List.of("TERM", "INT")) {
            Files.deleteIfExists(applied.resolveSibling("applied.yaml.pid"));
            ProcessBuilder pb = new ProcessBuilder("bin/create-secrets", "local")
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectOutput(tmp.resolve("out").toFile()).redirectError(tmp.resolve("err").toFile());
            pb.environment().clear();
            pb.environment().put("PATH", System.getenv("PATH"));
            pb.environment().putAll(environment(Map.of("FAKE_GET", "slow")));
            Process script = pb.start();
            long kubectlPid = -1;
            try {
                Path pidFile = applied.resolveSibling("applied.yaml.pid");
                long deadline = System.currentTimeMillis() + 60_000;
                while (!(Files.exists(pidFile) && !Files.readString(pidFile).isBlank())) {
                    assertTrue(System.currentTimeMillis() < deadline, "kubectl get never started: "
                            + Files.readString(tmp.resolve("err")));
                    Thread.sleep(50);
                }
                kubectlPid = Long.parseLong(Files.readString(pidFile).trim());
                Exec.Result kill = Exec.run(List.of("kill", "-s", signal, Long.toString(script.pid())), Map.of(), 10);
                assertEquals(0, kill.exitCode(), kill.output());
                assertTrue(script.waitFor(10, java.util.concurrent.TimeUnit.SECONDS), "SIG" + signal + " stops it at once");
                assertEquals(signal.equals("TERM") ? 143 : 130, script.exitValue());
                String err = Files.readString(tmp.resolve("err"));
                assertTrue(err.contains("stopped by SIG" + signal + " while asking whether Secret keyboss-secrets exists"), err);
                ProcessHandle slow = ProcessHandle.of(kubectlPid).orElse(null);
                assertTrue(slow == null || slow.onExit().get(5, java.util.concurrent.TimeUnit.SECONDS) != null,
                        "the slow kubectl is ended too");
            } finally {
                script.destroyForcibly();
                ProcessHandle.of(kubectlPid).ifPresent(ProcessHandle::destroyForcibly);
            }
            assertFalse(Files.exists(applied), "nothing applied");
            assertNothingLeftIn(tmpdir);
        }
    }

    @Test
    void unknownEnvironmentIsRefused() {
        Exec.Result r = run(Map.of(), "prod");
        assertNotEquals(0, r.exitCode());
        assertTrue(r.stderr().contains("unknown environment 'prod'"), r.output());
    }
}
