package keyboss.charts.model;

import keyboss.charts.env.Environment;

/**
 * Which image references a cluster admits, beyond {@link ImageRef}'s own rule (an explicit tag
 * other than {@code latest}, or a digest). Checked when an {@link Environment} is built and, for
 * manifests read from disk, by the cluster profile's rules ({@code bin/validate}).
 */
public enum ImagePolicy {
    /**
     * Any explicit tag: for a development cluster whose images are built on the same machine and
     * imported into it (k3d's {@code keyboss-storefront:m2}), where nothing pulls from a registry.
     */
    EXPLICIT_TAG,
    /**
     * A tag that names a version, or a digest ({@link ImageRef#VERSION_RULE}): a shared cluster
     * pulls from registries whose mutable tags ({@code :main}, {@code :keyboss}) would run whatever
     * was pushed last, differently on each node.
     */
    VERSIONED;

    /** Why {@code image} is not admitted under this policy, or {@code null} when it is. */
    public String problemWith(String image) {
        return this == VERSIONED ? ImageRef.versionProblem(image) : ImageRef.problemWith(image);
    }
}
