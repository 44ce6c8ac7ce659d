package keyboss.charts.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where the pods of an object are described: a Pod's own spec, or the pod template of a
 * Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob (in its
 * job template) or PodTemplate. Checks of pods use this one list, so a new pod-bearing kind is
 * added in one place.
 */
public final class PodTemplates {

    /**
     * The pods an object describes.
     *
     * @param path     field path of the template ({@code spec.template}), or {@code ""} for a Pod.
     * @param metadata the pods' metadata (labels, annotations).
     * @param spec     the pod spec.
     * @param isPod    whether the object is a Pod itself rather than a template.
     */
    public record Pod(String path, Map<String, Object> metadata, Map<String, Object> spec, boolean isPod) {

        /** Field path of {@code field} of the pod spec, such as {@code spec.template.spec.containers}. */
        public String specPath(String field) {
            return (path.isEmpty() ? "spec" : path + ".spec") + (field.isEmpty() ? "" : "." + field);
        }

        /** Containers, init containers and ephemeral containers, keyed by field path. */
        public List<Container> containers() {
            List<Container> all = new ArrayList<>();
            for (String field : List.of("initContainers", "containers", "ephemeralContainers")) {
                List<Object> list = Manifest.list(spec.get(field));
                for (int i = 0; i < list.size(); i++) {
                    all.add(new Container(specPath(field) + "[" + i + "]", field, Manifest.map(list.get(i))));
                }
            }
            return all;
        }
    }

    /** One container of a pod: its field path, its list (containers, initContainers, ephemeralContainers) and its fields. */
    public record Container(String path, String list, Map<String, Object> fields) {

        public String name() {
            return String.valueOf(fields.get("name"));
        }
    }

    private PodTemplates() {
    }

    /** The template path of a pod-bearing kind, or null. */
    static String templatePath(Manifest m) {
        String group = m.apiGroup();
        String kind = m.kind();
        if (kind == null) {
            return null;
        }
        return switch (group + "/" + kind) {
            case "apps/Deployment", "apps/StatefulSet", "apps/DaemonSet", "apps/ReplicaSet", "batch/Job",
                    "/ReplicationController" -> "spec.template";
            case "batch/CronJob" -> "spec.jobTemplate.spec.template";
            case "/PodTemplate" -> "template";
            case "/Pod" -> "";
            default -> null;
        };
    }

    /** The pods {@code m} describes, or null when it describes none. */
    public static Pod of(Manifest m) {
        String path = templatePath(m);
        if (path == null) {
            return null;
        }
        if (path.isEmpty()) {
            return new Pod("", m.metadata(), Manifest.map(m.object().get("spec")), true);
        }
        Map<String, Object> template = Manifest.map(m.at(path));
        return new Pod(path, Manifest.map(template.get("metadata")), Manifest.map(template.get("spec")), false);
    }
}
