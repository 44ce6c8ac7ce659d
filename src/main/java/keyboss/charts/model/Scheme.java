package keyboss.charts.model;

import keyboss.charts.env.Environment;

/** How the public host is served. Plain HTTP forces insecure cookies (see {@link Environment#secureCookies()}). */
public enum Scheme {
    HTTP("http"),
    HTTPS("https");

    private final String prefix;

    Scheme(String prefix) {
        this.prefix = prefix;
    }

    public String prefix() {
        return prefix;
    }
}
