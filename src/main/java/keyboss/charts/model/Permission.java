package keyboss.charts.model;

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

    /**
     * True when a Role rule granting {@code grantedVerb} on {@code grantedResource} in
     * {@code group} includes this permission, matched as Kubernetes RBAC matches a request
     * (rbac/v1 VerbMatches, APIGroupMatches, ResourceMatches): {@code *} matches every group,
     * verb and resource (subresources included); {@code *}{@code /exec} matches the subresource
     * exec of every resource; {@code pods/*} is no wildcard and matches nothing but itself.
     */
    public boolean grantedBy(String group, String grantedResource, String grantedVerb) {
        boolean groupMatches = "*".equals(group) || apiGroup.equals(group);
        int slash = resource.indexOf('/');
        String subresource = slash < 0 ? null : resource.substring(slash + 1);
        boolean resourceMatches = "*".equals(grantedResource) || resource.equals(grantedResource)
                || (subresource != null && grantedResource.equals("*/" + subresource));
        boolean verbMatches = ANY_VERB.equals(verb) || "*".equals(grantedVerb) || verb.equals(grantedVerb);
        return groupMatches && resourceMatches && verbMatches;
    }

    @Override
    public String toString() {
        String group = apiGroup.isEmpty() ? "" : apiGroup + "/";
        return (ANY_VERB.equals(verb) ? "any verb" : verb) + " on " + group + resource;
    }
}
