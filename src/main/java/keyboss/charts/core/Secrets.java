package keyboss.charts.core;

import keyboss.charts.model.Labels;
import keyboss.charts.model.Names;
import keyboss.charts.model.SecretContract;
import keyboss.charts.env.SecretSource;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.Optional;
import org.cdk8s.ApiObject;
import software.constructs.Construct;

/**
 * The Secret of a {@link SecretContract}, as the environment's {@link SecretSource} provides
 * it: nothing (declared; created in the cluster), a SealedSecret (ciphertext only), or an
 * ExternalSecret reading each key from a namespaced SecretStore. Never a plain value.
 *
 * <p>Objects (ids are public API): {@code sealed-secret} or {@code external-secret}.
 */
public class Secrets extends Component {

    private final ApiObject object;

    /** The shop's Secret, {@link SecretContract#keyboss()}. */
    public Secrets(Construct scope, String id) {
        this(scope, id, SecretsProps.defaults());
    }

    public Secrets(Construct scope, String id, SecretsProps props) {
        super(scope, id);
        SecretContract contract = java.util.Objects.requireNonNull(props, "Secrets props").contract();
        Map<String, String> labels = Labels.of(contract.name(), "secrets");
        SecretSource source = environment.secretSource();
        if (source instanceof SecretSource.Sealed sealed) {
            if (!sealed.encryptedData().keySet().equals(contract.keyNames())) {
                Problems.report(this, "secretSource.encryptedData", new TreeSet<>(sealed.encryptedData().keySet()),
                        "exactly the keys of " + contract.name() + ": " + contract.keyNames(),
                        "seal every key of the contract with kubeseal, and no other");
                this.object = null;
                return;
            }
            this.object = CustomResources.create(this, "sealed-secret", CustomResources.SEALED_SECRET, "SealedSecret",
                    contract.name(), labels, Map.of(), Map.of("encryptedData", new java.util.TreeMap<>(sealed.encryptedData()),
                            "template", Map.of("metadata", Map.of("name", contract.name()))));
        } else if (source instanceof SecretSource.External external) {
            if (Names.dnsSubdomainProblem(external.storeName()) != null) {
                Problems.report(this, "secretSource.storeName", external.storeName(), "a SecretStore name",
                        Names.dnsSubdomainProblem(external.storeName()));
                this.object = null;
                return;
            }
            List<Object> data = contract.keys().stream().map(k -> (Object) Map.of("secretKey", k.name(),
                    "remoteRef", Map.of("key", external.remotePath(), "property", k.name()))).toList();
            Map<String, Object> spec = new LinkedHashMap<>();
            spec.put("secretStoreRef", Map.of("name", external.storeName(), "kind", "SecretStore"));
            spec.put("target", Map.of("name", contract.name(), "creationPolicy", "Owner"));
            spec.put("refreshInterval", "1h");
            spec.put("data", data);
            this.object = CustomResources.create(this, "external-secret", CustomResources.EXTERNAL_SECRET, "ExternalSecret",
                    contract.name(), labels, Map.of(), Map.copyOf(spec));
        } else {
            this.object = null;
        }
    }

    /** The SealedSecret or ExternalSecret; empty where the Secret is only declared, or the source had problems. */
    public Optional<ApiObject> object() {
        return Optional.ofNullable(object);
    }
}
