package keyboss.charts.archfixture.high;

import keyboss.charts.archfixture.low.Low;

/** A higher layer; with {@link Low} importing it, the two packages also form a cycle. */
public final class High {

    private High() {
    }

    public static String name() {
        return Low.name();
    }
}
