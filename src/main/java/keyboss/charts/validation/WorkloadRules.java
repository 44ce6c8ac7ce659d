package keyboss.charts.validation;

import keyboss.charts.model.CronSchedule;
import keyboss.charts.model.Findings;
import keyboss.charts.model.LabelSelectors;
import keyboss.charts.model.Manifest;
import keyboss.charts.model.Names;
import keyboss.charts.model.PodTemplates;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the API server requires of workloads, besides their pod spec (checked by
 * {@link PodSpecRules}): a selector that is not empty and matches the pod template's labels,
 * replica counts and durations that are not negative, the restart policy each kind allows
 * (Always for long-running workloads, OnFailure or Never for Jobs), rollout strategies, Job
 * completion settings, and CronJob schedules, time zones and name length.
 */
final class WorkloadRules {

    private static final Set<String> LONG_RUNNING = Findings.setOf("apps/Deployment", "apps/StatefulSet", "apps/DaemonSet",
            "apps/ReplicaSet", "/ReplicationController");
    /** A CronJob's Job is named {@code <cronjob>-<11 characters>}, and Job names are at most 63 characters. */
    static final int MAX_CRONJOB_NAME = 52;
    /** A StatefulSet's revision label is {@code <name>-<10-character hash>}, and label values are at most 63 characters. */
    static final int MAX_STATEFULSET_NAME = 52;

    private WorkloadRules() {
    }

    static void check(Manifest m, Findings f) {
        PodTemplates.Pod pod = PodTemplates.of(m);
        if (pod == null) {
            return;
        }
        String key = m.apiGroup() + "/" + m.kind();
        Map<String, Object> spec = Manifest.map(m.object().get("spec"));
        if (!pod.isPod() && m.at(pod.path()) == null) {
            f.add(pod.path(), null, "a " + m.kind() + " needs a pod template", "add " + pod.path() + " with the pod spec");
            return;
        }
        if (LONG_RUNNING.contains(key)) {
            longRunning(m, key, spec, pod, f);
        }
        switch (key) {
            case "apps/Deployment" -> deployment(spec, f);
            case "apps/StatefulSet" -> statefulSet(m, spec, f);
            case "apps/DaemonSet" -> daemonSet(spec, f);
            case "batch/Job" -> job(m.name(), spec, "spec", false, f);
            case "batch/CronJob" -> cronJob(m.name(), spec, f);
            default -> { }
        }
        PodSpecRules.check(pod, "apps/StatefulSet".equals(key) ? PodSpecRules.claimTemplateVolumes(m) : Findings.setOf(), f);
    }

    private static void longRunning(Manifest m, String key, Map<String, Object> spec, PodTemplates.Pod pod, Findings f) {
        if (!"apps/StatefulSet".equals(key) && m.name() != null && Names.isDnsSubdomain(m.name()) && !Names.isDnsLabel(m.name())) {
            // The API server admits it with a warning: the name starts every pod's name and host name.
            f.add("metadata.name", m.name(), "a " + m.kind() + " name is used in its pods' names and host names; the API"
                    + " server warns unless it is " + MetadataRules.NameFormat.DNS_LABEL.description,
                    "rename it, at most " + Names.MAX_LABEL + " characters without dots");
        }
        nonNegative(spec, "replicas", "spec", f);
        nonNegative(spec, "minReadySeconds", "spec", f);
        nonNegative(spec, "revisionHistoryLimit", "spec", f);
        Map<String, Object> labels = Manifest.map(pod.metadata().get("labels"));
        if ("/ReplicationController".equals(key)) {
            // An empty selector is filled with the template's labels.
            Map<String, Object> selector = Manifest.map(spec.get("selector"));
            LabelSelectors.labels(selector, "spec.selector", f);
            if (selector.isEmpty() && labels.isEmpty()) {
                f.add("spec.selector", null, "a ReplicationController needs a selector (or template labels to copy)",
                        "label the pod template");
            } else if (!selector.isEmpty() && !labels.entrySet().containsAll(selector.entrySet())) {
                f.add(pod.path() + ".metadata.labels", labels, "the API server requires the selector " + selector
                        + " to match the template's labels", "label the template with the selector's labels");
            }
        } else {
            Object selector = spec.get("selector");
            if (selector == null) {
                f.add("spec.selector", null, "a " + m.kind() + " needs spec.selector", "select the template's labels,"
                        + " for example matchLabels: {app.kubernetes.io/name: <name>}");
            } else {
                int before = f.count();
                LabelSelectors.selector(selector, "spec.selector", f);
                if (f.count() > before) {
                    return; // an invalid selector matches nothing; its own problems say why
                }
                if (LabelSelectors.isEmpty(selector)) {
                    f.add("spec.selector", selector, "an empty selector is invalid for a " + m.kind(),
                            "select the template's labels");
                } else if (!LabelSelectors.matches(selector, labels)) {
                    f.add("spec.selector", selector, "the API server requires a workload's selector to match its own"
                            + " pod template labels " + labels, "select labels the template carries");
                }
            }
        }
        Object restart = pod.spec().get("restartPolicy");
        if (restart != null && !"Always".equals(restart)) {
            f.add(pod.specPath("restartPolicy"), restart, "a " + m.kind() + "'s pods use restartPolicy Always",
                    "remove restartPolicy (use a Job for run-to-completion pods)");
        }
        if (pod.spec().get("activeDeadlineSeconds") != null) {
            f.add(pod.specPath("activeDeadlineSeconds"), pod.spec().get("activeDeadlineSeconds"),
                    "activeDeadlineSeconds is not supported in a " + m.kind(), "remove it");
        }
    }

    private static void deployment(Map<String, Object> spec, Findings f) {
        Map<String, Object> strategy = Manifest.map(spec.get("strategy"));
        Object type = strategy.getOrDefault("type", "RollingUpdate");
        Map<String, Object> rolling = Manifest.map(strategy.get("rollingUpdate"));
        if ("Recreate".equals(type)) {
            if (strategy.get("rollingUpdate") != null) {
                f.add("spec.strategy.rollingUpdate", rolling, "rollingUpdate may not be set with strategy Recreate",
                        "remove rollingUpdate");
            }
        } else if ("RollingUpdate".equals(type)) {
            Object unavailable = rolling.getOrDefault("maxUnavailable", "25%");
            Object surge = rolling.getOrDefault("maxSurge", "25%");
            ScalingRules.intOrPercent(unavailable, "spec.strategy.rollingUpdate.maxUnavailable", true, f);
            ScalingRules.intOrPercent(surge, "spec.strategy.rollingUpdate.maxSurge", false, f);
            if (ScalingRules.intOrPercentValue(unavailable) == 0 && ScalingRules.intOrPercentValue(surge) == 0) {
                f.add("spec.strategy.rollingUpdate.maxUnavailable", unavailable, "maxUnavailable and maxSurge cannot"
                        + " both be 0 (the rollout could not progress)", "allow a surge of 1 or 25%");
            }
        } else {
            f.add("spec.strategy.type", type, "a Deployment strategy is RollingUpdate or Recreate", "use RollingUpdate");
        }
        Long minReady = Findings.integer(spec.get("minReadySeconds"));
        Object rawDeadline = spec.get("progressDeadlineSeconds");
        Long deadline = rawDeadline == null ? Long.valueOf(600) : Findings.integer(rawDeadline);
        if (deadline != null && deadline < 0) {
            f.add("spec.progressDeadlineSeconds", deadline, "progressDeadlineSeconds is not negative", "use 600");
        } else if (deadline != null && deadline <= (minReady == null ? 0 : minReady)) {
            f.add("spec.progressDeadlineSeconds", deadline, "progressDeadlineSeconds (600 when left out) is greater than"
                    + " minReadySeconds (" + minReady + ")", "raise progressDeadlineSeconds");
        }
    }

    private static void statefulSet(Manifest m, Map<String, Object> spec, Findings f) {
        if (m.name() != null && m.name().length() > MAX_STATEFULSET_NAME) {
            f.add("metadata.name", m.name(), "a StatefulSet name is at most " + MAX_STATEFULSET_NAME + " characters: the"
                    + " controller labels each revision <name>-<hash>, and a longer name makes that label invalid, so no"
                    + " pod is ever created", "shorten the name");
        }
        Object policy = spec.get("podManagementPolicy");
        if (policy != null && !"OrderedReady".equals(policy) && !"Parallel".equals(policy)) {
            f.add("spec.podManagementPolicy", policy, "podManagementPolicy is OrderedReady or Parallel", "use OrderedReady");
        }
        Map<String, Object> strategy = Manifest.map(spec.get("updateStrategy"));
        Object type = strategy.getOrDefault("type", "RollingUpdate");
        if ("OnDelete".equals(type)) {
            if (strategy.get("rollingUpdate") != null) {
                f.add("spec.updateStrategy.rollingUpdate", "(set)", "rollingUpdate is only set for updateStrategy"
                        + " RollingUpdate", "remove it");
            }
        } else if ("RollingUpdate".equals(type)) {
            Map<String, Object> rolling = Manifest.map(strategy.get("rollingUpdate"));
            nonNegative(rolling, "partition", "spec.updateStrategy.rollingUpdate", f);
            if (rolling.get("maxUnavailable") != null) {
                ScalingRules.intOrPercent(rolling.get("maxUnavailable"), "spec.updateStrategy.rollingUpdate.maxUnavailable",
                        true, f);
                if (ScalingRules.intOrPercentValue(rolling.get("maxUnavailable")) == 0) {
                    f.add("spec.updateStrategy.rollingUpdate.maxUnavailable", rolling.get("maxUnavailable"),
                            "maxUnavailable cannot be 0", "use 1");
                }
            }
        } else {
            f.add("spec.updateStrategy.type", type, "updateStrategy is RollingUpdate or OnDelete", "use RollingUpdate");
        }
        Map<String, Object> retention = Manifest.map(spec.get("persistentVolumeClaimRetentionPolicy"));
        for (String when : List.of("whenDeleted", "whenScaled")) {
            Object value = retention.get(when);
            if (value != null && !"Retain".equals(value) && !"Delete".equals(value)) {
                f.add("spec.persistentVolumeClaimRetentionPolicy." + when, value, when + " is Retain or Delete",
                        "use Retain");
            }
        }
        nonNegative(Manifest.map(spec.get("ordinals")), "start", "spec.ordinals", f);
        Object service = spec.get("serviceName");
        if (service instanceof String s && !s.isEmpty() && !Names.isDnsLabel(s)) {
            f.add("spec.serviceName", s, "serviceName names a Service: " + MetadataRules.NameFormat.DNS_LABEL.description,
                    "name the headless Service");
        }
        List<Object> templates = Manifest.list(spec.get("volumeClaimTemplates"));
        Set<String> names = new HashSet<>();
        for (int i = 0; i < templates.size(); i++) {
            Map<String, Object> t = Manifest.map(templates.get(i));
            String at = "spec.volumeClaimTemplates[" + i + "]";
            Object name = Manifest.map(t.get("metadata")).get("name");
            if (!(name instanceof String n) || !Names.isDnsLabel(n)) {
                f.add(at + ".metadata.name", name, "a claim template's name becomes a volume name: "
                        + MetadataRules.NameFormat.DNS_LABEL.description, "rename it");
            } else if (!names.add(n)) {
                f.add(at + ".metadata.name", n, "claim template names are unique", "rename one of them");
            }
            StorageRules.claimSpec(Manifest.map(t.get("spec")), at + ".spec", f);
        }
    }

    private static void daemonSet(Map<String, Object> spec, Findings f) {
        Map<String, Object> strategy = Manifest.map(spec.get("updateStrategy"));
        Object type = strategy.getOrDefault("type", "RollingUpdate");
        if ("RollingUpdate".equals(type)) {
            Map<String, Object> rolling = Manifest.map(strategy.get("rollingUpdate"));
            Object unavailable = rolling.getOrDefault("maxUnavailable", 1);
            Object surge = rolling.getOrDefault("maxSurge", 0);
            ScalingRules.intOrPercent(unavailable, "spec.updateStrategy.rollingUpdate.maxUnavailable", true, f);
            ScalingRules.intOrPercent(surge, "spec.updateStrategy.rollingUpdate.maxSurge", true, f);
            boolean hasUnavailable = ScalingRules.intOrPercentValue(unavailable) != 0;
            boolean hasSurge = ScalingRules.intOrPercentValue(surge) != 0;
            if (hasUnavailable == hasSurge) {
                f.add("spec.updateStrategy.rollingUpdate", rolling, "exactly one of maxUnavailable (1 when left out) and"
                        + " maxSurge (0 when left out) is non-zero", hasSurge ? "set maxUnavailable: 0" : "set maxUnavailable: 1");
            }
        } else if (!"OnDelete".equals(type)) {
            f.add("spec.updateStrategy.type", type, "updateStrategy is RollingUpdate or OnDelete", "use RollingUpdate");
        }
    }

    /** Job spec checks at {@code at} ({@code spec} or a CronJob's {@code spec.jobTemplate.spec}). */
    private static void job(String name, Map<String, Object> spec, String at, boolean inCronJob, Findings f) {
        for (String field : List.of("parallelism", "completions", "activeDeadlineSeconds", "backoffLimit",
                "ttlSecondsAfterFinished", "backoffLimitPerIndex", "maxFailedIndexes")) {
            nonNegative(spec, field, at, f);
        }
        Object mode = spec.get("completionMode");
        boolean indexed = "Indexed".equals(mode);
        if (mode != null && !indexed && !"NonIndexed".equals(mode)) {
            f.add(at + ".completionMode", mode, "completionMode is NonIndexed or Indexed", "use NonIndexed");
        }
        if (spec.get("maxFailedIndexes") != null && spec.get("backoffLimitPerIndex") == null) {
            f.add(at + ".backoffLimitPerIndex", null, "maxFailedIndexes needs backoffLimitPerIndex", "set backoffLimitPerIndex");
        }
        Long completions = Findings.integer(spec.get("completions"));
        if (indexed) {
            if (spec.get("completions") == null) {
                f.add(at + ".completions", null, "an Indexed Job states its completions", "set completions");
            }
            Long parallelism = Findings.integer(spec.get("parallelism"));
            if (parallelism != null && parallelism > 100_000) {
                f.add(at + ".parallelism", parallelism, "an Indexed Job runs at most 100000 pods in parallel", "lower it");
            }
            if (!inCronJob && name != null && completions != null && completions > 0
                    && !Names.isDnsLabel(name + "-" + (completions - 1))) {
                f.add("metadata.name", name, "an Indexed Job's pods are named <job>-<index>, and " + name + "-"
                        + (completions - 1) + " is not a DNS label", "shorten the Job's name");
            }
        } else {
            for (String field : List.of("backoffLimitPerIndex", "maxFailedIndexes", "successPolicy")) {
                if (spec.get(field) != null) {
                    f.add(at + "." + field, spec.get(field), field + " needs completionMode: Indexed",
                            "remove it or make the Job Indexed");
                }
            }
        }
        if (inCronJob) {
            if (spec.get("selector") != null) {
                f.add(at + ".selector", spec.get("selector"), "a CronJob's Jobs get a generated selector",
                        "remove the selector");
            }
            if (Findings.isTrue(spec.get("manualSelector"))) {
                f.add(at + ".manualSelector", true, "a CronJob's Jobs cannot use a manual selector", "remove manualSelector");
            }
        } else if (Findings.isTrue(spec.get("manualSelector"))) {
            if (spec.get("selector") == null) {
                f.add(at + ".selector", null, "a Job with manualSelector needs a selector", "add the selector");
            } else if (!LabelSelectors.matches(spec.get("selector"),
                    Manifest.map(Manifest.map(Manifest.map(spec.get("template")).get("metadata")).get("labels")))) {
                f.add(at + ".selector", spec.get("selector"), "the selector matches the template's labels",
                        "select the template's labels");
            }
        } else if (spec.get("selector") != null) {
            f.add(at + ".selector", spec.get("selector"), "a Job's selector is generated (it selects the Job's uid);"
                    + " a hand-written one is rejected", "remove the selector");
        }
        if (!inCronJob && name != null && name.length() > Names.MAX_LABEL) {
            f.add("metadata.name", name, "a Job's name becomes the job-name label of its pods, so it is at most 63"
                    + " characters", "shorten the name");
        }
        Object replacement = spec.get("podReplacementPolicy");
        if (replacement != null && !"Failed".equals(replacement) && !"TerminatingOrFailed".equals(replacement)) {
            f.add(at + ".podReplacementPolicy", replacement, "podReplacementPolicy is Failed or TerminatingOrFailed",
                    "use Failed");
        }
        Map<String, Object> pod = Manifest.map(Manifest.map(spec.get("template")).get("spec"));
        Object restart = pod.get("restartPolicy");
        String rp = at + ".template.spec.restartPolicy";
        if (restart == null || "Always".equals(restart)) {
            f.add(rp, restart, "a Job's pods use restartPolicy OnFailure or Never (it defaults to Always, which a Job"
                    + " rejects)", "set restartPolicy: Never (or OnFailure)");
        } else if (!"OnFailure".equals(restart) && !"Never".equals(restart)) {
            f.add(rp, restart, "a Job's pods use restartPolicy OnFailure or Never", "use Never");
        } else if (spec.get("podFailurePolicy") != null && !"Never".equals(restart)) {
            f.add(rp, restart, "a Job with a podFailurePolicy uses restartPolicy Never", "use Never");
        }
    }

    private static void cronJob(String name, Map<String, Object> spec, Findings f) {
        if (name != null && name.length() > MAX_CRONJOB_NAME) {
            f.add("metadata.name", name, "a CronJob name is at most " + MAX_CRONJOB_NAME + " characters (its Jobs append"
                    + " 11)", "shorten the name");
        }
        Object schedule = spec.get("schedule");
        String problem = CronSchedule.problem(schedule instanceof String s ? s : null);
        if (problem != null) {
            f.add("spec.schedule", schedule, "a schedule the API server parses: " + problem,
                    "write five fields, for example '0 2 * * *' (02:00 daily), or @daily");
        }
        Object zone = spec.get("timeZone");
        if (zone != null) {
            String zoneProblem = zone instanceof String z ? CronSchedule.timeZoneProblem(z) : "timeZone is a string";
            if (zoneProblem != null) {
                f.add("spec.timeZone", zone, zoneProblem, "use a zone such as Etc/UTC or Europe/Lisbon");
            }
        }
        Object policy = spec.get("concurrencyPolicy");
        if (policy != null && !Findings.setOf("Allow", "Forbid", "Replace").contains(policy)) {
            f.add("spec.concurrencyPolicy", policy, "concurrencyPolicy is Allow, Forbid or Replace", "use Forbid");
        }
        for (String field : List.of("startingDeadlineSeconds", "successfulJobsHistoryLimit", "failedJobsHistoryLimit")) {
            nonNegative(spec, field, "spec", f);
        }
        job(name, Manifest.map(Manifest.map(spec.get("jobTemplate")).get("spec")), "spec.jobTemplate.spec", true, f);
    }

    private static void nonNegative(Map<String, Object> map, String field, String at, Findings f) {
        Long n = Findings.integer(map.get(field));
        if (n != null && n < 0) {
            f.add(at + "." + field, n, field + " is not negative", "use 0 or more");
        }
    }
}
