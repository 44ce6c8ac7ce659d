package keyboss.charts;

/**
 * One RBAC permission: an API group, a resource (optionally {@code resource/subresource}) and a
 * verb. Used for what an environment forbids a Role to grant.
 */
public record Permission(String apiGroup, String resource, String verb) {

    /** Any verb on the resource. */
    public static final String ANY_VERB = "*";

    public static Permission of(String apiGroup, String resource, String verb) {
        return new Permission(apiGroup, resource, verb);
    }

    /** True when a Role rule granting {@code verb} on {@code resource} in {@code group} includes this permission. */
    public boolean grantedBy(String group, String grantedResource, String grantedVerb) {
        boolean groupMatches = "*".equals(group) || apiGroup.equals(group);
        boolean resourceMatches = "*".equals(grantedResource) || resource.equals(grantedResource)
                || (grantedResource.endsWith("/*") && resource.startsWith(grantedResource.substring(0, grantedResource.length() - 1)));
        boolean verbMatches = ANY_VERB.equals(verb) || "*".equals(grantedVerb) || verb.equals(grantedVerb);
        return groupMatches && resourceMatches && verbMatches;
    }

    @Override
    public String toString() {
        String group = apiGroup.isEmpty() ? "" : apiGroup + "/";
        return (ANY_VERB.equals(verb) ? "any verb" : verb) + " on " + group + resource;
    }
}
