package keyboss.charts;

import org.cdk8s.JsonPatch;
import org.cdk8s.plus25.k8s.KubeNamespace;
import org.cdk8s.plus25.k8s.KubeNamespaceProps;
import software.constructs.Construct;

/**
 * The KeyBoss shop for one {@link Environment}: what Argo CD syncs into {@code dist/<env>/}.
 * Each child construct becomes one file, named after its id: {@code namespace} (only where the
 * environment may create its namespace), {@code postgres}, {@code valkey}, {@code backup}.
 */
public class KeybossChart extends EnvironmentChart {

    private final PostgresHA postgres;
    private final ValkeySentinel valkey;
    private final BackupCronJob backup;

    public KeybossChart(Construct scope, String id, Environment environment) {
        super(scope, id, environment);
        if (environment.createNamespace()) {
            new KubeNamespace(this, "namespace", KubeNamespaceProps.builder()
                    .metadata(K8s.meta(environment.namespace(), Labels.COMMON))
                    .build())
                    // The chart stamps its namespace on every object; a Namespace is cluster-scoped.
                    .addJsonPatch(JsonPatch.remove("/metadata/namespace"));
        }
        this.postgres = new PostgresHA(this, "postgres", PostgresHAProps.builder().build());
        this.valkey = new ValkeySentinel(this, "valkey", ValkeySentinelProps.builder().build());
        this.backup = new BackupCronJob(this, "backup", BackupCronJobProps.builder().database(postgres).build());
    }

    public PostgresHA postgres() {
        return postgres;
    }

    public ValkeySentinel valkey() {
        return valkey;
    }

    public BackupCronJob backup() {
        return backup;
    }
}
