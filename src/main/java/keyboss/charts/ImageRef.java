package keyboss.charts;

import java.util.regex.Pattern;

/**
 * A pinned container image and how to pull it. An image must carry an explicit tag other
 * than {@code latest}, or a digest, so that a synthesized manifest always means one image.
 */
public record ImageRef(String image, PullPolicy pullPolicy) {

    // registry/path:tag or registry/path@sha256:...; the tag is what follows the last ':' after the last '/'.
    private static final Pattern REFERENCE = Pattern.compile(
            "^[a-z0-9]+(?:[._-][a-z0-9]+)*(?::[0-9]+)?(?:/[a-z0-9]+(?:[._-][a-z0-9]+)*)*"
                    + "(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}|@sha256:[a-f0-9]{64})$");

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

    /** Why {@code image} is not a pinned reference, or {@code null} when it is. */
    public static String problemWith(String image) {
        if (image == null || image.isBlank()) {
            return "image is missing; give a pinned reference such as postgres:16.4-alpine";
        }
        if (!REFERENCE.matcher(image).matches()) {
            return "image '" + image + "' is not pinned: it needs an explicit tag (not 'latest') or an @sha256 digest,"
                    + " for example postgres:16.4-alpine";
        }
        int slash = image.lastIndexOf('/');
        String last = image.substring(slash + 1);
        if (last.endsWith(":latest")) {
            return "image '" + image + "' uses the floating tag 'latest'; pin a version tag or a digest";
        }
        return null;
    }

    @Override
    public String toString() {
        return image;
    }
}
