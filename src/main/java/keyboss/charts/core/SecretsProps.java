package keyboss.charts.core;

import keyboss.charts.model.SecretContract;

/**
 * Properties of {@link Secrets}.
 *
 * @param contract the Secret's name and keys. Default {@link SecretContract#keyboss()} (also when null).
 */
public record SecretsProps(SecretContract contract) {

    public SecretsProps {
        contract = contract != null ? contract : SecretContract.keyboss();
    }

    /** The shop's Secret, {@link SecretContract#keyboss()}. */
    public static SecretsProps defaults() {
        return new SecretsProps(null);
    }

    public static SecretsProps of(SecretContract contract) {
        return new SecretsProps(contract);
    }
}
