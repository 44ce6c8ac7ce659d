package keyboss.charts.env;

import keyboss.charts.model.Names;

/**
 * TLS on the shop's Ingress: the certificate and key come from a Secret of type
 * {@code kubernetes.io/tls} in the environment's namespace. Like every Secret it is created in
 * the cluster ({@code bin/create-secrets} makes a self-signed one where the environment
 * generates secrets; elsewhere the operator supplies the certificate), never committed.
 *
 * @param secretName the Secret holding {@code tls.crt} and {@code tls.key}; a DNS subdomain.
 */
public record IngressTls(String secretName) {

    /** The name both built-in environments use. */
    public static final String DEFAULT_SECRET = "keyboss-tls";

    public IngressTls {
        if (Names.dnsSubdomainProblem(secretName) != null) {
            throw new IllegalArgumentException("IngressTls secretName '" + secretName + "': "
                    + Names.dnsSubdomainProblem(secretName) + "; name the kubernetes.io/tls Secret, e.g. "
                    + DEFAULT_SECRET);
        }
    }
}
