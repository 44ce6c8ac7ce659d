package keyboss.charts.env;

import keyboss.charts.network.ClusterNetwork;
import keyboss.charts.validation.ClusterProfile;
import keyboss.charts.model.ImagePolicy;
import keyboss.charts.model.ImageRef;
import keyboss.charts.model.Names;
import keyboss.charts.model.Permission;
import keyboss.charts.validation.PodSecurity;
import keyboss.charts.model.Scheme;
import keyboss.charts.model.Size;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Everything that differs between the clusters KeyBoss runs on. Constructs read these values;
 * none of them looks at {@link #name()} except to name the output folder.
 *
 * <p>Define another cluster by starting from a built-in one:
 * <pre>{@code
 * Environment staging = Environment.deti().toBuilder()
 *         .name("staging").namespace("keyboss-staging").publicHost("staging.keyboss.example")
 *         .build();
 * }</pre>
 *
 * @param cluster              what the cluster admits ({@link ClusterProfile}): the environment's name
 *                             (output folder under {@code dist/} and chart id; a DNS label), its
 *                             namespace, whether the chart may create it, the StorageClass and the
 *                             largest volume claim, whether cluster-scoped objects may be created, the
 *                             API groups it rejects, the permissions the tenant lacks, and which image
 *                             tags it admits (default {@link ImagePolicy#VERSIONED}). The builder sets
 *                             these one by one; the Argo CD fields come from {@code gitOps}.
 * @param defaultVolumeSize    size of a volume claim whose construct is not told one.
 * @param publicHost           host name the shop is served on.
 * @param scheme               how that host is served.
 * @param ingressClassName     IngressClass of the cluster's ingress controller (Traefik on k3s).
 * @param images               pinned images and pull policies.
 * @param generateSecrets      whether {@code bin/create-secrets} may generate random values (a
 *                             development cluster) instead of taking them from the operator.
 * @param secretSource         how the cluster gets the Secret's values (declared, sealed, external).
 * @param gitOps               the Argo CD settings of this environment.
 * @param monitoring           central monitoring the cluster offers besides the shop's own.
 * @param podSpread            whether the members of any replicated component (database members, Valkey
 *                             pods, Sentinels) must be on different nodes (several nodes) or only
 *                             preferably (a cluster that may have one).
 * @param network              where the cluster's ingress controller, DNS and API server are, for
 *                             the network policies (default {@link ClusterNetwork#k3s()}).
 * @param objectStorage        the S3-compatible bucket outside the cluster the backups go to.
 * @param tls                  TLS on the Ingress from a kubernetes.io/tls Secret; empty means none
 *                             (default). With it the scheme must be HTTPS; HTTP is redirected to
 *                             HTTPS where {@link #traefikMiddlewaresAllowed()}.
 */
public record Environment(
        ClusterProfile cluster,
        Size defaultVolumeSize,
        String publicHost,
        Scheme scheme,
        String ingressClassName,
        Images images,
        boolean generateSecrets,
        SecretSource secretSource,
        GitOps gitOps,
        MonitoringSettings monitoring,
        PodSpread podSpread,
        ClusterNetwork network,
        ObjectStorage objectStorage,
        Optional<IngressTls> tls) {

    /** Traefik's API group: where a cluster forbids it, no Middleware redirects HTTP to HTTPS. */
    public static final String TRAEFIK_API_GROUP = "traefik.io";

    /** Namespaces that belong to the cluster itself; the shop never deploys into them. */
    public static final List<String> RESERVED_NAMESPACES = List.of("default", "kube-node-lease", "kube-public", "kube-system");

    public Environment {
        Objects.requireNonNull(cluster, "cluster (the ClusterProfile) is required; build an Environment with Environment.builder()");
        tls = Objects.requireNonNullElse(tls, Optional.empty());
        if (gitOps != null) {
            // The Argo CD rules follow from the GitOps settings; they are never set twice.
            cluster = cluster.withArgoCd(Set.of(gitOps.applicationNamespace(cluster.namespace())),
                    gitOps.argoNamespace() == null ? gitOps.project() : null);
        }
        String name = cluster.name();
        String namespace = cluster.namespace();
        boolean createNamespace = cluster.createNamespace();
        String storageClass = cluster.storageClass();
        Size maxVolumeSize = cluster.maxVolumeSize();
        boolean clusterScopedAllowed = cluster.clusterScopedAllowed();
        ImagePolicy imagePolicy = cluster.imagePolicy();
        List<String> problems = new ArrayList<>();
        if (Names.dnsLabelProblem(name) != null) {
            problems.add("name: " + Names.dnsLabelProblem(name));
        }
        if (Names.dnsLabelProblem(namespace) != null) {
            problems.add("namespace: " + Names.dnsLabelProblem(namespace));
        } else if (RESERVED_NAMESPACES.contains(namespace)) {
            problems.add("namespace: '" + namespace + "' belongs to the cluster (reserved: "
                    + String.join(", ", RESERVED_NAMESPACES) + "); use a namespace of the shop's own, such as 'keyboss'");
        }
        if (createNamespace && !clusterScopedAllowed) {
            problems.add("createNamespace is true but clusterScopedAllowed is false: a Namespace is cluster-scoped;"
                    + " set createNamespace(false) where the namespace exists already, or allow cluster-scoped objects");
        }
        if (Names.dnsSubdomainProblem(storageClass) != null) {
            problems.add("storageClass: " + Names.dnsSubdomainProblem(storageClass));
        }
        if (Names.dnsSubdomainProblem(publicHost) != null) {
            problems.add("publicHost: " + Names.dnsSubdomainProblem(publicHost));
        }
        if (defaultVolumeSize == null || maxVolumeSize == null) {
            problems.add("defaultVolumeSize and maxVolumeSize are required (for example Size.gi(1))");
        } else if (defaultVolumeSize.isZero() || maxVolumeSize.isZero()) {
            problems.add("defaultVolumeSize " + defaultVolumeSize + " and maxVolumeSize " + maxVolumeSize
                    + " must be above zero (for example Size.gi(1))");
        } else if (defaultVolumeSize.isGreaterThan(maxVolumeSize)) {
            problems.add("defaultVolumeSize " + defaultVolumeSize + " is above maxVolumeSize " + maxVolumeSize
                    + "; lower the default or raise the cap");
        }
        if (Names.dnsSubdomainProblem(ingressClassName) != null) {
            problems.add("ingressClassName: " + Names.dnsSubdomainProblem(ingressClassName));
        }
        if (scheme == null) {
            problems.add("scheme is required: Scheme.HTTP or Scheme.HTTPS");
        }
        if (secretSource == null) {
            problems.add("secretSource is required: SecretSource.declared(), sealed(...) or external(...)");
        }
        if (gitOps == null) {
            problems.add("gitOps is required, for example GitOps.main(\"argocd\")");
        }
        if (monitoring == null) {
            problems.add("monitoring is required: MonitoringSettings.standalone() or central()");
        }
        if (network == null) {
            problems.add("network is required: ClusterNetwork.k3s() or one describing the cluster");
        }
        if (images == null) {
            problems.add("images is required: start from Images.defaults()");
        }
        if (imagePolicy == null) {
            problems.add("imagePolicy is required: ImagePolicy.VERSIONED (a version tag or a digest) or EXPLICIT_TAG");
        } else if (images != null) {
            images.all().forEach((role, image) -> {
                String problem = imagePolicy.problemWith(image.image());
                if (problem != null) {
                    String setter = role.startsWith("monitoring.") ? "Images.withMonitoring(new MonitoringImages(...))"
                            : "Images.with" + Character.toUpperCase(role.charAt(0)) + role.substring(1) + "(...)";
                    problems.add("images." + role + " (image policy " + imagePolicy + "): " + problem + "; set it with "
                            + setter + ", or imagePolicy(ImagePolicy.EXPLICIT_TAG) for a cluster that runs only"
                            + " images built and imported on the same machine");
                }
            });
        }
        if (podSpread == null) {
            problems.add("podSpread is required: PodSpread.PREFERRED or PodSpread.REQUIRED");
        }
        if (objectStorage == null) {
            problems.add("objectStorage is required: the bucket outside the cluster the backups go to,"
                    + " e.g. new ObjectStorage(\"s3.eu-west-1.amazonaws.com\", 443, \"keyboss-backups\", \"keyboss/prod\","
                    + " \"eu-west-1\", ObjectStorage.UriStyle.HOST, true)");
        } else {
            problems.addAll(objectStorage.problems());
        }
        if (tls.isPresent() && scheme != Scheme.HTTPS) {
            problems.add("tls names Secret " + tls.get().secretName() + " but scheme is " + scheme
                    + ": the Ingress serves HTTPS, so the public URLs must say so; set scheme(Scheme.HTTPS)");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("Environment '" + name + "' is invalid:\n  - "
                    + String.join("\n  - ", problems));
        }
    }

    /** The local k3d cluster: namespace {@code keyboss}, local-path volumes, everything allowed. */
    public static Environment local() {
        return builder()
                .name("local")
                .namespace("keyboss")
                .createNamespace(true)
                .storageClass("local-path")
                .defaultVolumeSize(Size.gi(5))
                .maxVolumeSize(Size.gi(10))
                .publicHost("localhost")
                // A self-signed certificate bin/create-secrets makes; HTTP redirected by a Middleware.
                .scheme(Scheme.HTTPS)
                .tls(new IngressTls(IngressTls.DEFAULT_SECRET))
                .images(Images.defaults())
                .clusterScopedAllowed(true)
                .generateSecrets(true)
                .gitOps(GitOps.main("argocd"))
                .podSpread(PodSpread.PREFERRED)
                // MinIO on the developer's machine: outside the disposable k3d cluster.
                .objectStorage(ObjectStorage.localMinio())
                // The storefront is built on the developer's machine and imported into k3d
                // (keyboss-storefront:m2): no registry, so no tag another push could move.
                .imagePolicy(ImagePolicy.EXPLICIT_TAG)
                .build();
    }

    /**
     * The shared k3s cluster "deti": the namespace exists, Longhorn volumes capped at 1Gi by a
     * LimitRange, nothing cluster-scoped, no Traefik CRDs, no {@code pods/exec} or
     * {@code deployments/scale}, the storefront from the cluster registry under a version tag
     * ({@link Images#STOREFRONT_DETI}; every image must name a version or a digest), replicated
     * stateful members on different nodes (12 nodes).
     */
    public static Environment deti() {
        return builder()
                .name("deti")
                .namespace("tenant-keyboss")
                .createNamespace(false)
                .storageClass("longhorn")
                .defaultVolumeSize(Size.gi(1))
                .maxVolumeSize(Size.gi(1))
                .publicHost("keyboss.deti")
                // The operator supplies the certificate; no redirect (Middlewares are refused here).
                .scheme(Scheme.HTTPS)
                .tls(new IngressTls(IngressTls.DEFAULT_SECRET))
                // A version tag is never pushed twice, so a node pulls it once (IfNotPresent).
                .images(Images.defaults().withStorefront(ImageRef.of(Images.STOREFRONT_DETI)))
                .imagePolicy(ImagePolicy.VERSIONED)
                .clusterScopedAllowed(false)
                .forbiddenApiGroups(Set.of("traefik.io", "traefik.containo.us"))
                .deniedPermissions(List.of(
                        Permission.of("", "pods/exec", Permission.ANY_VERB),
                        Permission.of("apps", "deployments/scale", Permission.ANY_VERB)))
                // The shared Argo CD watches Applications in tenant namespaces; each tenant has its
                // own AppProject, named after its namespace.
                .gitOps(GitOps.mainInOwnNamespace("tenant-keyboss"))
                .monitoring(MonitoringSettings.central())
                .podSpread(PodSpread.REQUIRED)
                // PLACEHOLDER: outside the shared cluster; the endpoint and bucket are the operator's
                // to name (the synth warns on every run until they are confirmed values).
                .objectStorage(ObjectStorage.placeholder("s3.deti", 443, "keyboss-backups", "keyboss/deti", "us-east-1",
                        ObjectStorage.UriStyle.PATH, true))
                .build();
    }

    /** The built-in environments, in output order. */
    public static List<Environment> builtIn() {
        return List.of(local(), deti());
    }

    /** The built-in environment called {@code name}; an unknown name is an error listing the known ones. */
    public static Environment builtIn(String name) {
        List<Environment> all = builtIn();
        return all.stream().filter(e -> e.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown environment '" + name + "'; known: "
                        + String.join(", ", all.stream().map(Environment::name).toList())));
    }

    /** Cluster DNS suffix of a Service in this namespace, e.g. {@code tenant-keyboss.svc}. */
    public String serviceDomain() {
        return namespace() + ".svc";
    }

    /**
     * The rules of this environment ({@link #cluster()}), with the workload rules on (Pod Security
     * "restricted", resources on every container, hardened pods). Besides its namespace, its Argo CD
     * Applications may live in Argo CD's. Where a shared Argo CD watches the environment's own
     * namespace (the environment is a tenant), its Applications must use the environment's project.
     */
    public ClusterProfile profile() {
        return cluster;
    }

    /** Output folder under {@code dist/} and the chart id; a DNS label. */
    public String name() {
        return cluster.name();
    }

    /** Namespace of every object. */
    public String namespace() {
        return cluster.namespace();
    }

    /** Whether the chart may create the namespace (false where it exists and the tenant may not create one). */
    public boolean createNamespace() {
        return cluster.createNamespace();
    }

    /** StorageClass of every volume claim. */
    public String storageClass() {
        return cluster.storageClass();
    }

    /** The largest claim the cluster admits (a LimitRange cap, say). */
    public Size maxVolumeSize() {
        return cluster.maxVolumeSize();
    }

    /** Whether cluster-scoped objects (ClusterRole, ...) may be created. */
    public boolean clusterScopedAllowed() {
        return cluster.clusterScopedAllowed();
    }

    /** API groups whose kinds the cluster rejects (for example traefik.io). */
    public Set<String> forbiddenApiGroups() {
        return cluster.forbiddenApiGroups();
    }

    /** Permissions the tenant lacks, so no Role may grant them. */
    public List<Permission> deniedPermissions() {
        return cluster.deniedPermissions();
    }

    /** Which image tags the cluster admits. */
    public ImagePolicy imagePolicy() {
        return cluster.imagePolicy();
    }

    /** The shop's public base URL, without a trailing slash. */
    public String publicUrl() {
        return scheme.prefix() + "://" + publicHost;
    }

    /** Browsers drop Secure cookies on plain HTTP, so they are only secure on HTTPS. */
    public boolean secureCookies() {
        return scheme == Scheme.HTTPS;
    }

    /**
     * Whether the shop may create Traefik Middleware objects: the ingress class is Traefik's and
     * the cluster does not reject the traefik.io API group (deti does).
     */
    public boolean traefikMiddlewaresAllowed() {
        return "traefik".equals(ingressClassName) && !forbiddenApiGroups().contains(TRAEFIK_API_GROUP);
    }

    /** Whether a volume claim of this size is admitted. */
    public boolean admitsVolume(Size size) {
        return !size.isGreaterThan(maxVolumeSize());
    }

    public Builder toBuilder() {
        return new Builder()
                .name(name()).namespace(namespace()).createNamespace(createNamespace()).storageClass(storageClass())
                .defaultVolumeSize(defaultVolumeSize).maxVolumeSize(maxVolumeSize()).publicHost(publicHost)
                .scheme(scheme).ingressClassName(ingressClassName).images(images).clusterScopedAllowed(clusterScopedAllowed())
                .forbiddenApiGroups(forbiddenApiGroups()).deniedPermissions(deniedPermissions())
                .generateSecrets(generateSecrets).secretSource(secretSource).gitOps(gitOps)
                .monitoring(monitoring).podSpread(podSpread).network(network).objectStorage(objectStorage)
                .imagePolicy(imagePolicy()).tls(tls.orElse(null));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builder for {@link Environment}; {@link #build()} reports every invalid value at once. */
    public static final class Builder {
        private String name;
        private String namespace;
        private boolean createNamespace;
        private String storageClass;
        private Size defaultVolumeSize;
        private Size maxVolumeSize;
        private String publicHost;
        private Scheme scheme = Scheme.HTTP;
        private String ingressClassName = "traefik";
        private Images images = Images.defaults();
        private boolean clusterScopedAllowed;
        private Set<String> forbiddenApiGroups = Set.of();
        private List<Permission> deniedPermissions = List.of();
        private boolean generateSecrets;
        private SecretSource secretSource = SecretSource.declared();
        private GitOps gitOps;
        private MonitoringSettings monitoring = MonitoringSettings.standalone();
        private PodSpread podSpread = PodSpread.PREFERRED;
        private ClusterNetwork network = ClusterNetwork.k3s();
        private ObjectStorage objectStorage;
        private ImagePolicy imagePolicy = ImagePolicy.VERSIONED;
        private IngressTls tls;

        public Builder name(String value) { this.name = value; return this; }
        public Builder namespace(String value) { this.namespace = value; return this; }
        public Builder createNamespace(boolean value) { this.createNamespace = value; return this; }
        public Builder storageClass(String value) { this.storageClass = value; return this; }
        public Builder defaultVolumeSize(Size value) { this.defaultVolumeSize = value; return this; }
        public Builder maxVolumeSize(Size value) { this.maxVolumeSize = value; return this; }
        public Builder publicHost(String value) { this.publicHost = value; return this; }
        public Builder scheme(Scheme value) { this.scheme = value; return this; }
        public Builder ingressClassName(String value) { this.ingressClassName = value; return this; }
        public Builder images(Images value) { this.images = value; return this; }
        public Builder clusterScopedAllowed(boolean value) { this.clusterScopedAllowed = value; return this; }
        public Builder forbiddenApiGroups(Set<String> value) { this.forbiddenApiGroups = value; return this; }
        public Builder deniedPermissions(List<Permission> value) { this.deniedPermissions = value; return this; }
        public Builder generateSecrets(boolean value) { this.generateSecrets = value; return this; }
        public Builder secretSource(SecretSource value) { this.secretSource = value; return this; }
        public Builder gitOps(GitOps value) { this.gitOps = value; return this; }
        public Builder monitoring(MonitoringSettings value) { this.monitoring = value; return this; }
        /** Default {@link PodSpread#PREFERRED}. */
        public Builder podSpread(PodSpread value) { this.podSpread = value; return this; }
        /** Default {@link ClusterNetwork#k3s()}: Traefik and CoreDNS in kube-system. */
        public Builder network(ClusterNetwork value) { this.network = value; return this; }
        /** Required: where the backups go (see {@link ObjectStorage}). */
        public Builder objectStorage(ObjectStorage value) { this.objectStorage = value; return this; }
        /** Default {@link ImagePolicy#VERSIONED}: every image names a version or carries a digest. */
        public Builder imagePolicy(ImagePolicy value) { this.imagePolicy = value; return this; }
        /** TLS on the Ingress (null: none, the default); needs {@code scheme(Scheme.HTTPS)}. */
        public Builder tls(IngressTls value) { this.tls = value; return this; }

        public Environment build() {
            ClusterProfile cluster = new ClusterProfile(name, namespace, createNamespace, storageClass, maxVolumeSize,
                    clusterScopedAllowed, forbiddenApiGroups, deniedPermissions, PodSecurity.Level.RESTRICTED, true, true,
                    Set.of(), null, imagePolicy);
            return new Environment(cluster, defaultVolumeSize, publicHost, scheme, ingressClassName, images, generateSecrets,
                    secretSource, gitOps, monitoring, podSpread, network, objectStorage, Optional.ofNullable(tls));
        }
    }
}
