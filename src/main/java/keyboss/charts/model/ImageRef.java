package keyboss.charts.model;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A pinned container image and how to pull it. An image must carry an explicit tag other
 * than {@code latest}, a digest, or both ({@code name:tag@sha256:<64 hex>}: the digest decides
 * what runs, the tag tells a reader which version it is), so that a synthesized manifest always
 * means one image. Where the environment's {@link ImagePolicy} is {@link ImagePolicy#VERSIONED}
 * (deti), the tag must also name a version; see {@link #versionProblem(String)}.
 */
public record ImageRef(String image, PullPolicy pullPolicy) {

    /**
     * registry[:port]/path[:tag][@sha256:digest]: group 1 is the repository, 2 the tag, 3 the digest's hex.
     * A tag or a digest (or both) is required.
     */
    private static final Pattern REFERENCE = Pattern.compile(
            "^([a-z0-9]+(?:[._-][a-z0-9]+)*(?::[0-9]+(?=/))?(?:/[a-z0-9]+(?:[._-][a-z0-9]+)*)*)"
                    + "(?::([A-Za-z0-9_][A-Za-z0-9_.-]{0,127}))?(?:@sha256:([a-f0-9]{64}))?$");

    /**
     * A tag names a version when it starts with one: an optional {@code v}, then at least a major
     * and a minor number ({@code 1.2}, {@code 1.2.3}, {@code v1.62.0}), then optionally a suffix
     * after {@code -}, {@code +} or {@code _} ({@code 15.13-bookworm}, {@code 8.1.1-alpine},
     * {@code 15.13-patroni4.1.5-1}). A major alone ({@code 7-alpine}) follows every 7.x release.
     */
    static final Pattern VERSION_TAG = Pattern.compile("^v?[0-9]+(?:\\.[0-9]+)+(?:[-_][A-Za-z0-9_.-]*)?$");

    /** The rule {@link ImagePolicy#VERSIONED} enforces, in words, for error messages. */
    public static final String VERSION_RULE = "a tag that starts with a version (MAJOR.MINOR at least: 1.2.3, v1.62.0,"
            + " 15.13-patroni4.1.5-1) or an @sha256 digest";

    public ImageRef {
        String problem = problemWith(image);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        if (pullPolicy == null) {
            throw new IllegalArgumentException("image " + image + ": pullPolicy is missing; use one of "
                    + java.util.Arrays.toString(PullPolicy.values()));
        }
    }

    /** A pinned image pulled only when the node lacks it (right for immutable tags). */
    public static ImageRef of(String image) {
        return new ImageRef(image, PullPolicy.IF_NOT_PRESENT);
    }

    public ImageRef withPullPolicy(PullPolicy policy) {
        return new ImageRef(image, policy);
    }

    /** The repository, without tag or digest: {@code ghcr.io/saleor/saleor}. */
    public String repository() {
        return part(image, 1);
    }

    /** The tag, or {@code null} when the image is pinned by digest only. */
    public String tag() {
        return part(image, 2);
    }

    /** The digest ({@code sha256:...}), or {@code null} when the image has a tag only. */
    public String digest() {
        String hex = part(image, 3);
        return hex == null ? null : "sha256:" + hex;
    }

    /** This image pinned to {@code digest} ({@code sha256:<64 hex>}), keeping its tag for the reader. */
    public ImageRef withDigest(String digest) {
        String tag = tag();
        return new ImageRef(repository() + (tag == null ? "" : ":" + tag) + "@" + digest, pullPolicy);
    }

    private static String part(String image, int group) {
        Matcher m = REFERENCE.matcher(image);
        if (!m.matches()) {
            throw new IllegalStateException("not an image reference: " + image);
        }
        return m.group(group);
    }

    /** Why {@code image} is not a pinned reference, or {@code null} when it is. */
    public static String problemWith(String image) {
        if (image == null || image.isBlank()) {
            return "image is missing; give a pinned reference such as postgres:16.4-alpine";
        }
        Matcher m = REFERENCE.matcher(image);
        if (!m.matches() || (m.group(2) == null && m.group(3) == null)) {
            return "image '" + image + "' is not pinned: it needs an explicit tag (not 'latest'), an @sha256 digest or"
                    + " both (name:tag@sha256:<64 hex digits>), for example postgres:16.4-alpine";
        }
        if ("latest".equals(m.group(2))) {
            return "image '" + image + "' uses the floating tag 'latest'; pin a version tag or a digest";
        }
        return null;
    }

    /**
     * Why {@code image} does not meet {@link ImagePolicy#VERSIONED}, or {@code null} when it
     * does: it must be pinned ({@link #problemWith(String)}) and either carry a digest or have a
     * tag that names a version ({@link #VERSION_TAG}).
     */
    public static String versionProblem(String image) {
        String pinned = problemWith(image);
        if (pinned != null) {
            return pinned;
        }
        Matcher m = REFERENCE.matcher(image);
        m.matches();
        if (m.group(3) != null || VERSION_TAG.matcher(m.group(2)).matches()) {
            return null;
        }
        return "image '" + image + "' has the mutable tag '" + m.group(2) + "' (allowed: " + VERSION_RULE + "); "
                + versionFix(image);
    }

    /** How to pin {@code image}, a pinned reference, to a version or a digest. */
    public static String versionFix(String image) {
        Matcher m = REFERENCE.matcher(image);
        if (!m.matches()) {
            return "give a reference such as postgres:15.13-bookworm";
        }
        return "push the image under a version tag (" + m.group(1) + ":1.0.0, a new one for every build) and use it,"
                + " or pin its digest (" + m.group(1) + (m.group(2) == null ? "" : ":" + m.group(2)) + "@sha256:<digest>)";
    }

    @Override
    public String toString() {
        return image;
    }
}
