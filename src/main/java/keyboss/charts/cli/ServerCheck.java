package keyboss.charts.cli;

import keyboss.charts.model.Manifest;
import keyboss.charts.model.ManifestReader;
import keyboss.charts.core.SyncWaves;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A real Kubernetes API server's verdict on manifests ({@code bin/validate --server}, and the
 * oracle tests). Objects are applied one by one, in Argo CD's order (sync wave, then kind), with
 * server-side apply and Strict field validation; every refusal and every warning header (for
 * example "would violate PodSecurity") counts as a problem. Then the controllers get a bounded
 * time to create the pods of every Deployment, StatefulSet and Job, since Pod Security is
 * enforced on those pods: a FailedCreate event, or a missing pod at the deadline, is a problem.
 * In a dry run, and for CronJobs (no Job before the schedule fires), what the controllers would
 * create from the templates is sent as dry-run Pods and claims instead.
 */
public final class ServerCheck {

    /** The server's answer to one object. */
    public record Verdict(Manifest manifest, String what, KubeApi.Response response) {

        public boolean clean() {
            return response.ok() && response.warnings().isEmpty();
        }

        @Override
        public String toString() {
            String where = what + " (" + manifest.file() + ")";
            if (!response.ok()) {
                return "REFUSED  " + where + ": " + response.reason() + ": " + response.message();
            }
            if (!response.warnings().isEmpty()) {
                return "WARNING  " + where + ": " + String.join("; ", response.warnings());
            }
            return "ok       " + where;
        }
    }

    /** All verdicts of one run, plus what the controllers could not do. */
    public record Report(List<Verdict> verdicts, List<String> controllerProblems, List<String> controllerNotes,
            long applyMillis, long settleMillis) {

        public boolean clean() {
            return controllerProblems.isEmpty() && verdicts.stream().allMatch(Verdict::clean);
        }

        public List<Verdict> problems() {
            return verdicts.stream().filter(v -> !v.clean()).toList();
        }

        /** Every problem, one line each. */
        public List<String> problemLines() {
            List<String> lines = new ArrayList<>();
            problems().forEach(v -> lines.add(v.toString()));
            controllerProblems.forEach(p -> lines.add("FAILED   " + p));
            return lines;
        }
    }

    /** Argo CD's apply order of kinds (gitops-engine's sync tasks); other kinds come after. */
    private static final List<String> KIND_ORDER = List.of("Namespace", "NetworkPolicy", "ResourceQuota", "LimitRange",
            "PodDisruptionBudget", "ServiceAccount", "Secret", "ConfigMap", "StorageClass", "PersistentVolume",
            "PersistentVolumeClaim", "CustomResourceDefinition", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding",
            "Service", "DaemonSet", "Pod", "ReplicationController", "ReplicaSet", "Deployment", "HorizontalPodAutoscaler",
            "StatefulSet", "Job", "CronJob", "IngressClass", "Ingress");

    private ServerCheck() {
    }

    /** {@code manifests} in the order Argo CD applies them: sync wave, kind, then as given. */
    public static List<Manifest> ordered(List<Manifest> manifests) {
        List<Manifest> sorted = new ArrayList<>(manifests);
        sorted.sort(Comparator.comparingInt(ServerCheck::wave).thenComparingInt(m -> {
            int i = KIND_ORDER.indexOf(m.kind());
            return i < 0 ? KIND_ORDER.size() : i;
        }));
        return sorted;
    }

    private static int wave(Manifest m) {
        Object w = Manifest.map(m.metadata().get("annotations")).get(SyncWaves.WAVE);
        try {
            return w == null ? 0 : Integer.parseInt(w.toString().strip());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /**
     * Applies {@code manifests} (or, with {@code dryRun}, only asks the server), then, unless
     * dry-run, waits up to {@code settle} for the controllers to create every pod. Objects of
     * one sync wave and kind do not depend on each other, so each such group is sent at once.
     */
    public static Report apply(KubeApi api, List<Manifest> manifests, String defaultNamespace, boolean dryRun, Duration settle) {
        long start = System.nanoTime();
        List<Verdict> verdicts = new ArrayList<>();
        List<Manifest> applied = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            for (List<Manifest> group : groups(ordered(manifests))) {
                List<Future<List<Verdict>>> answers = new ArrayList<>();
                for (Manifest m : group) {
                    answers.add(pool.submit(() -> applyOne(api, m, defaultNamespace, dryRun, settle)));
                }
                for (int i = 0; i < group.size(); i++) {
                    List<Verdict> answer = answers.get(i).get();
                    verdicts.addAll(answer);
                    if (answer.get(0).response().ok()) {
                        applied.add(group.get(i));
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
        long applyMillis = (System.nanoTime() - start) / 1_000_000;
        long settleStart = System.nanoTime();
        List<String> problems = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        if (!dryRun) {
            awaitPods(api, applied, defaultNamespace, settle, problems, notes);
        }
        return new Report(verdicts, problems, notes, applyMillis, (System.nanoTime() - settleStart) / 1_000_000);
    }

    /** Runs of consecutive objects with the same sync wave and kind. */
    private static List<List<Manifest>> groups(List<Manifest> ordered) {
        List<List<Manifest>> groups = new ArrayList<>();
        Manifest previous = null;
        for (Manifest m : ordered) {
            if (previous == null || wave(previous) != wave(m) || !previous.kind().equals(m.kind())) {
                groups.add(new ArrayList<>());
            }
            groups.get(groups.size() - 1).add(m);
            previous = m;
        }
        return groups;
    }

    /** One object's verdict (first) and those of what its templates would make. */
    private static List<Verdict> applyOne(KubeApi api, Manifest m, String defaultNamespace, boolean dryRun, Duration settle) {
        KubeApi.Response r = api.apply(m.object(), defaultNamespace, dryRun);
        List<Verdict> verdicts = new ArrayList<>(List.of(new Verdict(m, m.id(), r)));
        if (r.ok()) {
            if ("Namespace".equals(m.kind()) && !dryRun) {
                awaitDefaultServiceAccount(api, m.name(), settle);
            }
            if ("CustomResourceDefinition".equals(m.kind())) {
                api.forgetDiscovery();
            }
            verdicts.addAll(templateChecks(api, m, defaultNamespace, dryRun));
        }
        return verdicts;
    }

    /**
     * What a controller would create from {@code m}'s templates, sent as dry runs: the pods of a
     * CronJob (no Job exists until its schedule fires) and, in a dry run where no controller
     * acts, the pods of every workload and the claims of a StatefulSet.
     */
    public static List<Verdict> templateChecks(KubeApi api, Manifest m, String defaultNamespace, boolean dryRun) {
        List<Verdict> verdicts = new ArrayList<>();
        Map<String, Object> template = switch (m.kind()) {
            case "CronJob" -> Manifest.map(m.at("spec.jobTemplate.spec.template"));
            case "Job", "Deployment", "StatefulSet", "ReplicaSet", "DaemonSet" -> dryRun ? Manifest.map(m.at("spec.template")) : Map.of();
            default -> Map.of();
        };
        if (!template.isEmpty()) {
            Map<String, Object> pod = derived(m, "v1", "Pod", m.name() + "-template-check", template);
            if ("StatefulSet".equals(m.kind())) {
                // The StatefulSet controller gives each pod a volume per claim template.
                Map<String, Object> spec = new LinkedHashMap<>(Manifest.map(pod.get("spec")));
                List<Object> volumes = new ArrayList<>(Manifest.list(spec.get("volumes")));
                for (Object o : Manifest.list(m.at("spec.volumeClaimTemplates"))) {
                    String claim = String.valueOf(Manifest.map(Manifest.map(o).get("metadata")).get("name"));
                    volumes.add(Map.of("name", claim, "persistentVolumeClaim", Map.of("claimName", claim + "-" + m.name() + "-0")));
                }
                spec.put("volumes", volumes);
                pod.put("spec", spec);
            }
            verdicts.add(new Verdict(m, m.id() + " pod template (dry-run Pod)", api.apply(pod, defaultNamespace, true)));
        }
        if ("StatefulSet".equals(m.kind()) && dryRun) {
            for (Object o : Manifest.list(m.at("spec.volumeClaimTemplates"))) {
                Map<String, Object> claim = Manifest.map(o);
                String name = Manifest.map(claim.get("metadata")).get("name") + "-" + m.name() + "-0";
                verdicts.add(new Verdict(m, m.id() + " claim template (dry-run PersistentVolumeClaim " + name + ")",
                        api.apply(derived(m, "v1", "PersistentVolumeClaim", name, claim), defaultNamespace, true)));
            }
        }
        return verdicts;
    }

    /** An object made from a template of {@code owner}, in the owner's namespace. */
    private static Map<String, Object> derived(Manifest owner, String apiVersion, String kind, String name, Map<String, Object> template) {
        Map<String, Object> metadata = new LinkedHashMap<>(Manifest.map(template.get("metadata")));
        metadata.put("name", name);
        if (owner.namespace() != null) {
            metadata.put("namespace", owner.namespace());
        }
        Map<String, Object> object = new LinkedHashMap<>();
        object.put("apiVersion", apiVersion);
        object.put("kind", kind);
        object.put("metadata", metadata);
        object.put("spec", template.get("spec"));
        return object;
    }

    /** Pods are refused until their namespace's default ServiceAccount exists; the controller makes it. */
    private static void awaitDefaultServiceAccount(KubeApi api, String namespace, Duration deadline) {
        long end = System.nanoTime() + deadline.toNanos();
        while (!api.get("/api/v1/namespaces/" + namespace + "/serviceaccounts/default").ok() && System.nanoTime() < end) {
            pause();
        }
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A workload applied and the pods its controller must create. */
    private record Expected(String namespace, String kind, String name, int pods) {
        String id() {
            return kind + "/" + name + " in " + namespace;
        }
    }

    /**
     * Polls pods and events until each workload has its pods; stops early on a FailedCreate
     * event. StatefulSets with ordered start create one pod only, since without a kubelet no pod
     * ever becomes ready.
     */
    private static void awaitPods(KubeApi api, List<Manifest> applied, String defaultNamespace, Duration deadline,
            List<String> problems, List<String> notes) {
        Set<String> namespaces = new HashSet<>();
        List<Manifest> workloads = new ArrayList<>();
        for (Manifest m : applied) {
            if (Set.of("Deployment", "StatefulSet", "Job").contains(m.kind())) {
                workloads.add(m);
                namespaces.add(m.namespace() != null ? m.namespace() : defaultNamespace);
            }
        }
        if (workloads.isEmpty()) {
            return;
        }
        long end = System.nanoTime() + deadline.toNanos();
        Map<String, Integer> missing = new LinkedHashMap<>();
        while (true) {
            missing.clear();
            Map<String, Map<String, Object>> live = new HashMap<>();
            List<Map<String, Object>> pods = new ArrayList<>();
            List<Map<String, Object>> replicaSets = new ArrayList<>();
            Set<String> failures = new java.util.LinkedHashSet<>();
            for (String ns : namespaces) {
                pods.addAll(api.list("/api/v1/namespaces/" + ns + "/pods"));
                replicaSets.addAll(api.list("/apis/apps/v1/namespaces/" + ns + "/replicasets"));
                for (Map<String, Object> e : api.list("/api/v1/namespaces/" + ns + "/events")) {
                    String reason = String.valueOf(e.get("reason"));
                    if (reason.startsWith("FailedCreate") || reason.endsWith("CreateError")) {
                        Map<String, Object> involved = Manifest.map(e.get("involvedObject"));
                        // One line per object and message: the controller retries, with a new pod name each time.
                        String message = String.valueOf(e.get("message")).replaceAll("pods \"[^\"]+\"", "pods");
                        failures.add(involved.get("kind") + "/" + involved.get("name") + " in " + ns + ": " + reason + ": " + message);
                    }
                }
            }
            if (!failures.isEmpty()) {
                problems.addAll(failures);
                return;
            }
            for (Manifest m : workloads) {
                String ns = m.namespace() != null ? m.namespace() : defaultNamespace;
                Expected want = expected(api, m, ns, live);
                int have = owned(pods, replicaSets, want);
                if (have < want.pods()) {
                    missing.put(want.id(), want.pods() - have);
                }
            }
            if (missing.isEmpty()) {
                notes.add("every pod of " + workloads.size() + " workloads was created");
                return;
            }
            if (System.nanoTime() > end) {
                missing.forEach((id, n) -> problems.add(id + ": " + n + " pod(s) not created within " + deadline.toSeconds() + " s"));
                return;
            }
            pause();
        }
    }

    private static Expected expected(KubeApi api, Manifest m, String ns, Map<String, Map<String, Object>> cache) {
        String path = api.path(m.object(), ns, true);
        Map<String, Object> obj = cache.computeIfAbsent(path, p -> api.get(p).json());
        Manifest liveObject = new Manifest(m.file(), obj);
        int replicas = liveObject.at("spec.replicas") instanceof Number n ? n.intValue() : 1;
        int pods = switch (m.kind()) {
            case "StatefulSet" -> "Parallel".equals(liveObject.at("spec.podManagementPolicy")) ? replicas : Math.min(replicas, 1);
            case "Job" -> {
                int parallelism = liveObject.at("spec.parallelism") instanceof Number n ? n.intValue() : 1;
                int completions = liveObject.at("spec.completions") instanceof Number n ? n.intValue() : parallelism;
                yield Boolean.TRUE.equals(liveObject.at("spec.suspend")) ? 0 : Math.min(parallelism, completions);
            }
            default -> replicas;
        };
        return new Expected(ns, m.kind(), m.name(), pods);
    }

    /** How many pods {@code want}'s workload owns (a Deployment's through its ReplicaSets). */
    private static int owned(List<Map<String, Object>> pods, List<Map<String, Object>> replicaSets, Expected want) {
        Set<String> owners = new HashSet<>();
        String podOwnerKind = want.kind();
        if ("Deployment".equals(want.kind())) {
            podOwnerKind = "ReplicaSet";
            for (Map<String, Object> rs : replicaSets) {
                Manifest r = new Manifest("", rs);
                if (want.namespace().equals(r.namespace()) && ownedBy(rs, "Deployment", want.name())) {
                    owners.add(r.name());
                }
            }
        } else {
            owners.add(want.name());
        }
        int count = 0;
        for (Map<String, Object> pod : pods) {
            Manifest p = new Manifest("", pod);
            if (!want.namespace().equals(p.namespace()) || p.metadata().get("deletionTimestamp") != null) {
                continue;
            }
            for (String owner : owners) {
                if (ownedBy(pod, podOwnerKind, owner)) {
                    count++;
                    break;
                }
            }
        }
        return count;
    }

    private static boolean ownedBy(Map<String, Object> object, String kind, String name) {
        for (Object o : Manifest.list(Manifest.map(object.get("metadata")).get("ownerReferences"))) {
            Map<String, Object> ref = Manifest.map(o);
            if (kind.equals(ref.get("kind")) && name.equals(ref.get("name"))) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@code ServerCheck ENV_FILE [--as tenant|admin] [--dry-run] DIR [[--as ...] DIR]...}: each
     * folder is applied as the identity named before it (the tenant by default). Exit 0 when the
     * server accepted everything without a warning, 1 when it did not, 2 on a usage error.
     */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** One folder to apply, as whom, and whether only as a dry run. */
    private record Run(KubeApi.Identity as, Path dir, boolean dryRun) {
    }

    static int run(String[] args) {
        if (args.length < 2) {
            return usage("a folder is needed");
        }
        Path envFile = Path.of(args[0]);
        KubeApi.Identity as = KubeApi.Identity.TENANT;
        boolean dryRun = false;
        List<Run> runs = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            switch (args[i]) {
                case "--as" -> {
                    if (++i >= args.length || !Set.of("tenant", "admin").contains(args[i])) {
                        return usage("--as needs tenant or admin");
                    }
                    as = KubeApi.Identity.valueOf(args[i].toUpperCase(java.util.Locale.ROOT));
                }
                case "--dry-run" -> dryRun = true;
                default -> {
                    if (args[i].startsWith("--")) {
                        return usage("unexpected '" + args[i] + "'");
                    }
                    if (!Files.isDirectory(Path.of(args[i]))) {
                        return usage("'" + args[i] + "' is not a folder");
                    }
                    runs.add(new Run(as, Path.of(args[i]), dryRun));
                }
            }
        }
        if (runs.isEmpty()) {
            return usage("a folder is needed");
        }
        String tenantNamespace = "tenant-keyboss";
        boolean clean = true;
        for (Run run : runs) {
            KubeApi.Identity who = run.as();
            Path dir = run.dir();
            boolean dry = run.dryRun();
            List<Manifest> manifests = ManifestReader.read(dir);
            KubeApi api = KubeApi.oracle(envFile, who);
            Report report = apply(api, manifests, who == KubeApi.Identity.TENANT ? tenantNamespace : "default", dry,
                    Duration.ofSeconds(30));
            System.out.println("== " + dir + " as " + (who == KubeApi.Identity.TENANT ? "the deti tenant" : "cluster admin")
                    + (dry ? " (dry run)" : ""));
            report.verdicts().forEach(v -> System.out.println("  " + v));
            report.controllerProblems().forEach(p -> System.out.println("  FAILED   " + p));
            report.controllerNotes().forEach(n -> System.out.println("  ok       controllers: " + n));
            long refused = report.verdicts().stream().filter(v -> !v.response().ok()).count();
            long warned = report.verdicts().stream().filter(v -> v.response().ok() && !v.response().warnings().isEmpty()).count();
            System.out.printf("%d objects: %d refused, %d with warnings, %d controller failures (apply %d ms, controllers %d ms)%n",
                    manifests.size(), refused, warned, report.controllerProblems().size(), report.applyMillis(), report.settleMillis());
            clean &= report.clean();
        }
        return clean ? 0 : 1;
    }

    private static int usage(String problem) {
        System.err.println("validate --server: " + problem + "\n"
                + "usage: bin/validate --server [--as tenant|admin] [--dry-run] DIR [[--as tenant|admin] [--dry-run] DIR]...\n"
                + "  --as tenant   apply as the deti tenant (default; objects without a namespace go to tenant-keyboss)\n"
                + "  --as admin    apply as cluster admin (for dist/local)\n"
                + "  --dry-run     only ask the server (nothing stored, no controllers)");
        return 2;
    }
}
