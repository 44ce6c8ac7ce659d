package keyboss.charts.model;

/** Kubernetes {@code imagePullPolicy} values. */
public enum PullPolicy {
    ALWAYS("Always"),
    IF_NOT_PRESENT("IfNotPresent"),
    NEVER("Never");

    private final String value;

    PullPolicy(String value) {
        this.value = value;
    }

    /** The value as written in a manifest. */
    public String value() {
        return value;
    }
}
