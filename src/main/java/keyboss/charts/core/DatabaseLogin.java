package keyboss.charts.core;

/**
 * A PostgreSQL role and where its password is: key {@code passwordKey} of Secret
 * {@code secretName} (declared, never written by the charts).
 */
public record DatabaseLogin(String user, String secretName, String passwordKey) {

    public DatabaseLogin {
        if (user == null || secretName == null || passwordKey == null) {
            throw new IllegalArgumentException("DatabaseLogin: user, secretName and passwordKey are required (got "
                    + user + ", " + secretName + ", " + passwordKey + ")");
        }
    }
}
