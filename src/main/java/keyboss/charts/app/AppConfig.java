package keyboss.charts.app;

import keyboss.charts.core.Checks;
import keyboss.charts.core.Component;
import keyboss.charts.env.Environment;
import keyboss.charts.core.ICache;
import keyboss.charts.core.IDatabase;
import keyboss.charts.core.K8s;
import keyboss.charts.model.Labels;
import keyboss.charts.data.PostgresHA;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cdk8s.plus25.k8s.ConfigMapKeySelector;
import org.cdk8s.plus25.k8s.EnvVar;
import org.cdk8s.plus25.k8s.EnvVarSource;
import org.cdk8s.plus25.k8s.KubeConfigMap;
import org.cdk8s.plus25.k8s.KubeConfigMapProps;
import software.constructs.Construct;

/**
 * The shop's non-secret configuration, ConfigMap {@code keyboss-config} (seed 2.7), derived
 * from the constructs it describes and the environment: nothing in it is typed by hand. Nothing
 * rewrites it at run time: {@code POSTGRES_HOST} is the {@link IDatabase}'s host; for
 * {@link PostgresHA}, the primary Service, whose endpoints follow the leader.
 *
 * <p>Objects (ids are public API): {@code configmap}.
 */
public class AppConfig extends Component {

    public static final String POSTGRES_HOST = "POSTGRES_HOST";
    public static final String POSTGRES_PORT = "POSTGRES_PORT";
    public static final String POSTGRES_DB = "POSTGRES_DB";
    public static final String POSTGRES_USER = "POSTGRES_USER";
    public static final String REDIS_MASTER_NAME = "REDIS_MASTER_NAME";
    public static final String CACHE_SENTINELS = "CACHE_SENTINELS";
    public static final String CACHE_DB = "CACHE_DB";
    public static final String API_URI = "API_URI";
    public static final String PUBLIC_URL = "PUBLIC_URL";
    public static final String NEXT_PUBLIC_API_URI = "NEXT_PUBLIC_API_URI";
    public static final String SALEOR_API_URL_INTERNAL = "SALEOR_API_URL_INTERNAL";
    public static final String DASHBOARD_URL = "DASHBOARD_URL";
    public static final String ALLOWED_HOSTS = "ALLOWED_HOSTS";
    public static final String ALLOWED_CLIENT_HOSTS = "ALLOWED_CLIENT_HOSTS";
    public static final String JWT_COOKIE_SECURE = "JWT_COOKIE_SECURE";

    /** The ConfigMap's name (seed 2.7). */
    public static final String NAME = "keyboss-config";

    /** Valkey databases (seed 3.3.4): cache 0, Celery broker 1, Celery results 2. */
    public static final int CACHE_DATABASE = 0;
    public static final int BROKER_DATABASE = 1;
    public static final int RESULTS_DATABASE = 2;

    private final String name;
    private final Map<String, String> data;

    /** The configuration of {@code props}' constructs (all required; a missing one is reported). */
    public AppConfig(Construct scope, String id, AppConfigProps props) {
        super(scope, id);
        java.util.Objects.requireNonNull(props, "AppConfig props");
        Environment env = environment;
        this.name = NAME;
        boolean complete = Checks.required(this, "database", props.database(), "the chart's PostgresHA")
                & Checks.required(this, "cache", props.cache(), "the chart's ValkeySentinel")
                & Checks.required(this, "api", props.api(), "the chart's SaleorApi")
                & Checks.required(this, "dashboard", props.dashboard(), "the chart's Dashboard");
        if (!complete) {
            this.data = Map.of();
            return;
        }
        IDatabase database = props.database();
        ICache cache = props.cache();
        SaleorApi api = props.api();
        Map<String, String> d = new LinkedHashMap<>();
        d.put(POSTGRES_HOST, database.host());
        d.put(POSTGRES_PORT, Integer.toString(database.port()));
        d.put(POSTGRES_DB, database.database());
        d.put(POSTGRES_USER, database.owner().user());
        d.put(REDIS_MASTER_NAME, cache.masterName());
        d.put(CACHE_SENTINELS, String.join(",", cache.sentinelHosts()));
        d.put(CACHE_DB, Integer.toString(CACHE_DATABASE));
        d.put(PUBLIC_URL, env.publicUrl() + "/");
        d.put(API_URI, env.publicUrl() + api.path());
        d.put(NEXT_PUBLIC_API_URI, env.publicUrl() + api.path());
        d.put(SALEOR_API_URL_INTERNAL, api.internalUrl());
        d.put(DASHBOARD_URL, env.publicUrl() + props.dashboard().path());
        // The API answers the public host and, for the storefront's server-side rendering, its Service name.
        d.put(ALLOWED_HOSTS, String.join(",", List.of(env.publicHost(), api.name(), api.serviceHost())));
        d.put(ALLOWED_CLIENT_HOSTS, env.publicHost());
        d.put(JWT_COOKIE_SECURE, env.secureCookies() ? "1" : "0");
        this.data = Map.copyOf(d);
        // Named and labelled from the one name: the label is the ConfigMap's own name.
        new KubeConfigMap(this, "configmap", KubeConfigMapProps.builder()
                .metadata(K8s.meta(name, Labels.of(name, "config")))
                .data(data)
                .build());
    }

    public String name() {
        return name;
    }

    public Map<String, String> data() {
        return data;
    }

    /** An env var {@code envName} read from {@code key} of ConfigMap {@code configMapName}. */
    static EnvVar ref(String envName, String configMapName, String key) {
        return EnvVar.builder().name(envName)
                .valueFrom(EnvVarSource.builder()
                        .configMapKeyRef(ConfigMapKeySelector.builder().name(configMapName).key(key).build())
                        .build())
                .build();
    }
}
