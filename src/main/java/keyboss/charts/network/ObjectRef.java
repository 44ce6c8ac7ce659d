package keyboss.charts.network;

import keyboss.charts.core.EnvironmentChart;
import keyboss.charts.model.Manifest;

import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import org.cdk8s.ApiObject;

/**
 * Which object of a chart something means, taken from the object itself (never typed by hand):
 * what a {@link NetworkPeer} stands for and what {@link EnvironmentChart#dependsOn} orders. It
 * is plain data, so the checks that read it run on any thread.
 */
public record ObjectRef(String kind, String name) {

    // Each object is asked for its kind and name once (two jsii calls), however often it is referred to.
    private static final Map<ApiObject, ObjectRef> KNOWN = Collections.synchronizedMap(new WeakHashMap<>());

    public ObjectRef {
        if (kind == null || name == null) {
            throw new IllegalArgumentException("ObjectRef: kind and name are required (got " + kind + ", " + name + ")");
        }
    }

    /** The reference to {@code object}. */
    public static ObjectRef of(ApiObject object) {
        if (object == null) {
            throw new IllegalArgumentException("ObjectRef.of: no object (a construct with problems builds none)");
        }
        return KNOWN.computeIfAbsent(object, o -> new ObjectRef(o.getKind(), o.getName()));
    }

    /** Kind/name, as {@link Manifest#id()} writes it. */
    public String id() {
        return kind + "/" + name;
    }

    @Override
    public String toString() {
        return id();
    }
}
