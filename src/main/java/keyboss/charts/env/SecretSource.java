package keyboss.charts.env;

import keyboss.charts.model.SecretContract;

import java.util.Map;

/**
 * How a cluster gets the values of a {@link SecretContract}. Git never holds a plain value:
 * <ul>
 *   <li>{@link Declared}: the contract only; the Secret is created in the cluster (bin/create-secrets),
 *       for clusters without a secrets controller;</li>
 *   <li>{@link Sealed}: a Bitnami SealedSecret whose values are encrypted for the cluster's
 *       sealed-secrets controller (made with kubeseal);</li>
 *   <li>{@link External}: an External Secrets ExternalSecret reading each key from a namespaced
 *       SecretStore.</li>
 * </ul>
 */
public sealed interface SecretSource permits SecretSource.Declared, SecretSource.Sealed, SecretSource.External {

    record Declared() implements SecretSource {
    }

    /** @param encryptedData ciphertext per key, as kubeseal writes it (never a plain value). */
    record Sealed(Map<String, String> encryptedData) implements SecretSource {
        public Sealed {
            encryptedData = Map.copyOf(encryptedData);
        }
    }

    /**
     * @param storeName  the namespaced SecretStore to read from.
     * @param remotePath the path in the store; key K is read from {@code remotePath}, property K.
     */
    record External(String storeName, String remotePath) implements SecretSource {
    }

    static SecretSource declared() {
        return new Declared();
    }

    static SecretSource sealed(Map<String, String> encryptedData) {
        return new Sealed(encryptedData);
    }

    static SecretSource external(String storeName, String remotePath) {
        return new External(storeName, remotePath);
    }
}
