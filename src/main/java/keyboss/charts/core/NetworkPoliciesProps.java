package keyboss.charts.core;

import java.util.List;

/**
 * Properties of {@link NetworkPolicies}. {@link #sources} is required; the rest have defaults,
 * documented on the builder.
 *
 * @param sources     the constructs whose declared connections are allowed.
 * @param defaultDeny whether to write {@code default-deny}.
 * @param allowDns    whether every pod may query the cluster DNS.
 */
public record NetworkPoliciesProps(List<Connected> sources, boolean defaultDeny, boolean allowDns) {

    public NetworkPoliciesProps {
        sources = sources == null ? null : List.copyOf(sources);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Default deny and DNS for every pod, allowing the connections of {@code sources}. */
    public static NetworkPoliciesProps of(List<Connected> sources) {
        return builder().sources(sources).build();
    }

    /** Defaults: see each method. */
    public static final class Builder {
        private List<Connected> sources;
        private boolean defaultDeny = true;
        private boolean allowDns = true;

        /** The constructs whose declared connections are allowed (the chart's {@code connected()}). Required. */
        public Builder sources(List<Connected> value) { this.sources = value; return this; }

        /** Whether to write {@code default-deny}. Default true; without it, pods no allow policy selects stay open. */
        public Builder defaultDeny(boolean value) { this.defaultDeny = value; return this; }

        /** Whether every pod may query the cluster DNS. Default true: every pod resolves Service names. */
        public Builder allowDns(boolean value) { this.allowDns = value; return this; }

        public NetworkPoliciesProps build() {
            return new NetworkPoliciesProps(sources, defaultDeny, allowDns);
        }
    }
}
